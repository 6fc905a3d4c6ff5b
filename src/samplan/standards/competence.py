"""Competence (kompetenceplan): may the caseworker make this grant alone, or must the
allocation committee (visitationsudvalget) approve it? Reasons are Danish and shown."""

from decimal import Decimal

from samplan.core import l10n

from .rules import UNIT_LABEL, WEEKS_PER_MONTH, Evaluation, convert, fmt


def monthly_price(version, scope_amount: Decimal, scope_unit: str) -> Decimal | None:
    if version is None or version.unit_price is None:
        return None
    per_month = convert(scope_amount, scope_unit, "hours_month") if scope_unit == "hours_week" else Decimal(scope_amount)
    if scope_unit == "days_week":
        per_month = Decimal(scope_amount) * WEEKS_PER_MONTH
    return (per_month * version.unit_price).quantize(Decimal("1"))


def committee_reasons(
    municipality, legal_basis: str, scope_amount: Decimal, scope_unit: str, evaluation: Evaluation, version
) -> list:
    """Why the grant needs the committee; an empty list means the caseworker may decide."""
    from .models import CompetenceRule

    rules = CompetenceRule.objects.filter(municipality=municipality)
    rule = next((r for r in rules if r.legal_basis == legal_basis), None)
    if rule is None and not rules:
        return []  # no competence table configured: the caseworker decides
    if rule is None:
        return [f"Sagsbehandleren har ikke kompetence til at bevilge efter {legal_basis} alene."]
    reasons = []
    if rule.max_scope is not None:
        unit = version.scope_unit if version is not None and version.scope_unit else scope_unit
        amount = convert(scope_amount, scope_unit, unit)
        if amount is None or amount > rule.max_scope:
            # The limit is in the standard's unit; name it, "(27)" alone says nothing.
            label = UNIT_LABEL.get(unit, "")
            limit = f"{fmt(rule.max_scope)} {label}".strip()
            reasons.append(f"Omfanget er over sagsbehandlerens kompetence ({limit}).")
    price = monthly_price(version, scope_amount, scope_unit)
    if rule.max_monthly_price is not None and price is not None and price > rule.max_monthly_price:
        limit = l10n.kr(rule.max_monthly_price)
        reasons.append(f"Prisen på {l10n.kr(price)} kr. pr. måned er over sagsbehandlerens kompetence ({limit} kr.).")
    if evaluation.needs_justification and not rule.deviation_allowed:
        reasons.append("Afvigelser fra serviceniveauet afgøres af visitationsudvalget.")
    return reasons
