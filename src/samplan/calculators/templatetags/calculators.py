from decimal import ROUND_HALF_UP, Decimal

from django import template

from samplan.calculators.services import fmt_hours

register = template.Library()


@register.filter
def hours(value):
    """15.00 → "15", 7.50 → "7,5" (Danish decimal comma, no trailing zeros)."""
    if value is None or value == "":
        return ""
    return fmt_hours(value)


@register.filter
def kr(value):
    """1053.00 → "1.053", 2603.5 → "2.603,50": thousands separator, øre only when there are any."""
    if value is None or value == "":
        return ""
    amount = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    text = f"{amount:f}" if amount != amount.to_integral_value() else f"{amount.to_integral_value():f}"
    whole, _, frac = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + ".".join(groups) + ("," + frac if frac else "")
