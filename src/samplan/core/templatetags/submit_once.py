"""``{% form_token %}``: the hidden one-time token of a create form (``core.idempotency``)."""

from django import template
from django.utils.html import format_html

from samplan.core import idempotency

register = template.Library()


@register.simple_tag
def form_token() -> str:
    # A fresh token per rendering, also when a refused form is shown again: the refused
    # submit's claim was rolled back, and a new one keeps a later success from replaying.
    return format_html('<input type="hidden" name="{}" value="{}">', idempotency.FIELD, idempotency.new_token())
