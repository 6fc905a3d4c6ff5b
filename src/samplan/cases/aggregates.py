"""Aggregated figures of the case spine for managers: counts and durations only, never
individuals."""

from collections.abc import Callable

from django.db.models import Count
from django.utils import timezone

from samplan.standards.legal import legal_order

from .models import Case, FollowUp, Grant, Inquiry

# Figures of apps above the spine (e.g. appeals), registered in their AppConfig.ready:
# (municipality) -> a dict with "template" (included on /overblik/) and its context.
FigureSection = Callable[..., dict]
_sections: list[FigureSection] = []


def register_section(section: FigureSection) -> FigureSection:
    if section not in _sections:  # ready() may run more than once (e.g. in tests)
        _sections.append(section)
    return section


def municipality_figures(municipality) -> dict:
    if municipality is None:
        return {}
    today = timezone.localdate()
    cases = Case.objects.filter(municipality=municipality)
    by_status = dict(cases.values_list("status").annotate(n=Count("id")))
    grants = Grant.objects.filter(case__municipality=municipality, status=Grant.Status.ACTIVE)
    by_basis = sorted(
        grants.values("legal_basis").annotate(n=Count("id")).order_by(), key=lambda row: legal_order(row["legal_basis"])
    )
    planned = FollowUp.objects.filter(citizen__municipality=municipality, status=FollowUp.Status.PLANNED)
    contacted = Inquiry.objects.filter(case__municipality=municipality, first_contact_at__isnull=False).values_list(
        "received_at", "first_contact_at"
    )
    waits = sorted((b - a).total_seconds() / 86400 for a, b in contacted)
    median_wait = round(waits[len(waits) // 2], 1) if waits else None
    return {
        "cases_by_status": [(label, by_status.get(value, 0)) for value, label in Case.Status.choices],
        "grants_by_basis": by_basis,
        "follow_ups_overdue": planned.filter(due_date__lt=today).count(),
        "follow_ups_planned": planned.count(),
        "median_days_to_first_contact": median_wait,
        "active_grants": grants.count(),
        "sections": [section(municipality) for section in _sections],
    }
