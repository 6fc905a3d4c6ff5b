"""Numbers in Danish text, built on Django's l10n (decimal comma and thousands point of the
active locale, ``samplan.formats``). Dates need no helper here: call
``django.utils.formats.date_format(value, "SHORT_DATE_FORMAT")`` (or another named format),
and ``timezone.localtime`` first for an aware datetime."""

from decimal import ROUND_HALF_UP, Decimal

from django.template.defaultfilters import floatformat
from django.utils.formats import number_format


def decimal(value: Decimal | int | float | str, max_places: int = 2) -> str:
    """A quantity such as hours: rounded half up to at most ``max_places`` decimals, without
    trailing zeros (7.50 → "7,5", 15.00 → "15", 1053.25 → "1.053,25")."""
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-max_places), rounding=ROUND_HALF_UP)
    # normalize() drops the trailing zeros; "or 0" turns -0 into 0.
    return number_format(rounded.normalize() or Decimal(0), force_grouping=True)


def kr(value: Decimal | int | float | str) -> str:
    """An amount in kroner: øre only when there are any (1053.00 → "1.053", 2603.5 → "2.603,50")."""
    return str(floatformat(value, "-2g"))
