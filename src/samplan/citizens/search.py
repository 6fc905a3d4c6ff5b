"""Citizen search by name or CPR, always within what the policy lets the user see."""

import re
from collections.abc import Iterable

from django.db.models import Q, QuerySet

from samplan.core import policy


def search_citizens(user, query: str) -> QuerySet:
    return _matching(policy.citizens_for(user), query)


def _matching(qs: QuerySet, query: str) -> QuerySet:
    """A full CPR, a birth date (ddmmyy) or up to four name parts, each in a first or last name."""
    q = (query or "").strip()
    if not q:
        return qs.none()
    digits = re.sub(r"[\s-]", "", q)
    if digits.isdigit():
        if len(digits) == 10:
            return qs.filter(cpr=digits)
        if len(digits) == 6:
            return qs.filter(cpr__startswith=digits)
        return qs.none()
    for token in q.split()[:4]:
        qs = qs.filter(Q(first_name__icontains=token) | Q(last_name__icontains=token))
    return qs


# --- The audit search's look-up (registered in core.audit_lookup by CitizensConfig.ready) ---


def audit_find(user, query: str, limit: int) -> list[int]:
    """The ids of the citizens an administrator may look up in the audit trail."""
    return list(_matching(policy.audit_subjects(user), query).order_by("pk").values_list("pk", flat=True)[:limit])


def audit_names(user, ids: Iterable[int]) -> dict[int, str]:
    rows = policy.audit_subjects(user).filter(pk__in=list(ids)).values_list("pk", "first_name", "last_name")
    return {pk: f"{first} {last}".strip() for pk, first, last in rows}
