"""Citizen search by name or CPR, always within what the policy lets the user see."""

import re

from django.db.models import Q, QuerySet

from samplan.core import policy


def search_citizens(user, query: str) -> QuerySet:
    qs = policy.citizens_for(user)
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
