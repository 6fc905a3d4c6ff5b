"""Absolute links for e-mails and PDFs, which have no request to build them from."""

from django.conf import settings
from django.urls import reverse


def absolute_url(name: str, *args) -> str:
    """``settings.SAMPLAN_BASE_URL`` + the reversed URL ``name`` with positional ``args``."""
    return settings.SAMPLAN_BASE_URL + reverse(name, args=args)
