"""Reports over grants and cases: deadline compliance per § and month, and grants that
deviate from the service level. Aggregates carry no personal data; the deviation list
with justifications is only built from citizens the user may see."""

import datetime as dt

from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from samplan.core import policy
from samplan.standards.legal import legal_order

from .models import Case, Decision, Grant
from .worklists import ending_soon

DEVIATING = Q(service_level__in=[Grant.ServiceLevel.ABOVE, Grant.ServiceLevel.BELOW]) | ~Q(deviation_justification="")


def deadline_compliance(municipality) -> dict:
    """Decisions made within the case-processing deadline, per § applied for and month."""
    decided = (
        Decision.objects.filter(case__municipality=municipality, case__inquiry__deadline__isnull=False)
        .annotate(month=TruncMonth("decided_at"))
        .values("case__inquiry__applied_for", "month")
        .annotate(total=Count("id"), on_time=Count("id", filter=Q(decided_at__lte=F("case__inquiry__deadline"))))
        .order_by("case__inquiry__applied_for", "month")
    )
    in_order = sorted(decided, key=lambda r: (legal_order(r["case__inquiry__applied_for"]), r["month"]))
    rows = [
        {
            "legal_basis": r["case__inquiry__applied_for"],
            "month": r["month"],
            "total": r["total"],
            "on_time": r["on_time"],
            "late": r["total"] - r["on_time"],
            "percent": round(100 * r["on_time"] / r["total"]),
        }
        for r in in_order
    ]
    today = timezone.localdate()
    open_cases = Case.objects.filter(
        municipality=municipality,
        inquiry__deadline__isnull=False,
        status__in=[Case.Status.INQUIRY, Case.Status.ASSESSMENT, Case.Status.AWAITING_DECISION],
    )
    open_rows = sorted(
        open_cases.values("inquiry__applied_for")
        .annotate(total=Count("id"), overdue=Count("id", filter=Q(inquiry__deadline__lt=today)))
        .order_by(),
        key=lambda r: legal_order(r["inquiry__applied_for"]),
    )
    return {
        "rows": rows,
        "open": [{"legal_basis": r["inquiry__applied_for"], "total": r["total"], "overdue": r["overdue"]} for r in open_rows],
    }


# Versions that took effect and are the latest in force (a superseded one counts through its
# successor); a pending, returned or rejected version never took effect.
TOOK_EFFECT = [Grant.Status.ACTIVE, Grant.Status.ENDED]


def deviation_counts(municipality) -> list:
    qs = Grant.objects.filter(case__municipality=municipality, status__in=TOOK_EFFECT).filter(DEVIATING)
    rows = qs.values("legal_basis", "service_level").annotate(n=Count("id")).order_by()
    return sorted(rows, key=lambda r: (legal_order(r["legal_basis"]), r["service_level"]))


def deviating_grants(user):
    """Grants saved above or below the service level (or outside the target group) with
    their written justification, for the citizens the user may see."""
    qs = policy.visible(user, Grant.objects.filter(DEVIATING), "case__citizen")
    return list(qs.select_related("case__citizen", "standard_version", "offer").order_by("-created_at"))


def grants_ending(user, today: dt.date | None = None) -> list:
    """Grants ending within 60 days that the user may list (``policy.grants_ending_scope``)."""
    today = today or timezone.localdate()
    return ending_soon(policy.grants_ending_scope(user, Grant.objects.all()), today)
