"""Hand-over (overdragelse): an administrator or leader moves all of one caseworker's
citizens, open cases and open tasks to another in one transaction — or, for a period,
records a stand-in (``inbox.Substitution``), during which the absent caseworker's
notifications are copied to the stand-in and their tasks show on the stand-in's list.

The permanent move is a fixed number of bulk UPDATEs and INSERTs, whatever the number of
citizens: one summary audit row (counts, from, to) plus one UPDATE row per moved citizen
(written in one INSERT), so each citizen's access log shows the move."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.urls import reverse

from samplan.citizens.models import Citizen
from samplan.core import audit, policy
from samplan.core.errors import DomainError
from samplan.core.models import AuditEvent, User
from samplan.inbox import services as inbox
from samplan.inbox.models import Notification, Substitution, Task

from .models import Case


@dataclass(frozen=True)
class HandoverResult:
    citizens: int
    cases: int
    tasks: int
    substitution: Substitution | None = None


def _name(user: User) -> str:
    return user.get_full_name() or user.get_username()


def _check(user, from_user: User, to_user: User) -> None:
    policy.require(user, policy.HANDOVER)
    allowed = set(policy.handover_users(user).filter(pk__in=[from_user.pk, to_user.pk]).values_list("pk", flat=True))
    if allowed != {from_user.pk, to_user.pk}:
        raise DomainError("Vælg to sagsbehandlere i din egen kommune.", code="invalid")
    if from_user.pk == to_user.pk:
        raise DomainError("Vælg to forskellige sagsbehandlere.", code="same_user")


@transaction.atomic
def hand_over(user, *, from_user: User, to_user: User) -> HandoverResult:
    """Move everything of ``from_user`` to ``to_user`` for good."""
    _check(user, from_user, to_user)
    citizens = Citizen.objects.filter(municipality_id=user.municipality_id, caseworker=from_user)
    moved = list(citizens.values_list("pk", "municipality_id"))
    # The receiver must see the citizens: they move to the receiver's unit as well.
    changes = {"caseworker": to_user}
    if to_user.unit_id:
        changes["unit_id"] = to_user.unit_id  # type: ignore[assignment]
    Citizen.objects.filter(pk__in=[pk for pk, _ in moved]).update(**changes)
    cases = (
        Case.objects.filter(municipality_id=user.municipality_id, caseworker=from_user)
        .exclude(status=Case.Status.CLOSED)
        .update(caseworker=to_user)
    )
    tasks = Task.objects.filter(owner=from_user, status=Task.Status.OPEN).update(
        owner=to_user, unit=to_user.unit, row_version=F("row_version") + 1
    )
    summary = {"from": from_user.pk, "to": to_user.pk, "citizens": len(moved), "cases": cases, "tasks": tasks}
    audit.record(user, AuditEvent.Action.UPDATE, object_type="cases.Handover", after=summary)
    audit.record_reads(
        user, moved, object_type="cases.Handover", action=AuditEvent.Action.UPDATE, after={"caseworker": to_user.pk}
    )
    inbox.notify(
        to_user,
        kind=Notification.Kind.HANDOVER,
        text=(
            f"{_name(user)} har overdraget {len(moved)} borgere, {cases} sager og {tasks} opgaver fra {_name(from_user)} til dig."
        ),
        url=reverse("worklist"),
    )
    return HandoverResult(len(moved), cases, tasks)


@transaction.atomic
def stand_in(user, *, from_user: User, to_user: User, starts: dt.date, ends: dt.date) -> HandoverResult:
    """``to_user`` stands in for ``from_user`` from ``starts`` to ``ends`` (both included)."""
    _check(user, from_user, to_user)
    if ends < starts:
        raise DomainError("Perioden skal slutte samme dag eller efter, den begynder.", code="invalid")
    substitution = Substitution.objects.create(absent=from_user, substitute=to_user, starts=starts, ends=ends, created_by=user)
    audit.record(
        user,
        AuditEvent.Action.CREATE,
        substitution,
        after={"from": from_user.pk, "to": to_user.pk, "starts": starts.isoformat(), "ends": ends.isoformat()},
    )
    inbox.notify(
        to_user,
        kind=Notification.Kind.HANDOVER,
        text=f"Du er stedfortræder for {_name(from_user)} {starts:%d.%m.%Y}–{ends:%d.%m.%Y}.",
        url=reverse("tasks"),
    )
    return HandoverResult(0, 0, 0, substitution)
