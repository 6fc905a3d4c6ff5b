from django import template

from samplan.core import l10n

register = template.Library()


@register.filter
def hours(value):
    """15.00 → "15", 7.50 → "7,5" (Django's Danish separators, no trailing zeros)."""
    if value is None or value == "":
        return ""
    return l10n.decimal(value)
