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
    """1053.00 → "1.053", 2603.50 → "2.603,5"; whole kroner get a thousands separator."""
    if value is None or value == "":
        return ""
    text = fmt_hours(value)
    whole, _, frac = text.partition(",")
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + ".".join(groups) + ("," + frac if frac else "")
