"""Changing a quality standard: always a new version, never an edit of an adopted one."""

from django.db import transaction
from django.db.models import Max

from samplan.core import audit
from samplan.core.models import AuditEvent

from .models import StandardVersion

# What an administrator may change in a new version (everything but identity and bookkeeping).
EDITABLE = [
    "title",
    "adopted_on",
    "revision_due",
    "min_age",
    "max_age",
    "target_group_text",
    "content",
    "exclusions",
    "citizen_summary",
    "visitation_required",
    "appeal_allowed",
    "scope_unit",
    "level_min",
    "level_max",
    "rules",
    "follow_up_first_months",
    "follow_up_every_months",
    "follow_up_during_and_end",
    "free_choice",
    "provider_rules",
    "unit_price",
    "citizen_payment",
]


@transaction.atomic
def new_version(user, standard, **changes) -> StandardVersion:
    """Copy the newest version, apply ``changes`` and save it as version n + 1. Grants made
    under earlier versions keep pointing at them (their rules and follow-up dates)."""
    latest = standard.versions.order_by("-version").first()
    unknown = set(changes) - set(EDITABLE) - {"target_groups"}
    if unknown:
        raise ValueError(f"Kan ikke ændre: {', '.join(sorted(unknown))}")
    data = {name: getattr(latest, name) for name in EDITABLE} if latest else {}
    target_groups = changes.pop("target_groups", None)
    data.update(changes)
    number = (standard.versions.aggregate(n=Max("version"))["n"] or 0) + 1
    version = StandardVersion.objects.create(standard=standard, version=number, created_by=user, **data)
    version.target_groups.set(target_groups if target_groups is not None else (latest.target_groups.all() if latest else []))
    after = audit.snapshot(version)
    audit.record(user, AuditEvent.Action.CREATE, version, after=after, before=audit.snapshot(latest) if latest else None)
    return version
