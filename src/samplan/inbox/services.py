"""The inbox's API for the other apps: ``notify``/``notify_many`` (a notification, once per
key and recipient), ``ensure_task``/``close_tasks`` (automatic tasks, once per open key),
the hand-made task and marking things read or done.

Stand-ins (``Substitution``): while a period runs, a notification to the absent user is
also given to the substitute, and the absent user's tasks show on the substitute's own list
(``policy.tasks_visible``); the tasks themselves keep their owner. Texts name the citizen by
name only inside Samplan; nothing here logs a text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from samplan.core import audit
from samplan.core.errors import DomainError
from samplan.core.locking import save_if_unchanged
from samplan.core.models import AuditEvent, User

from .models import InboxSettings, Notification, Substitution, Task

TEXT_MAX = Notification._meta.get_field("text").max_length or 300


def substitutes_of(user_ids: Iterable[int], on: dt.date | None = None) -> dict[int, list[int]]:
    """{absent user id: [substitute ids]} for the stand-in periods running on ``on`` (one query)."""
    day = on or timezone.localdate()
    found: dict[int, list[int]] = {}
    rows = Substitution.objects.filter(absent_id__in=list(user_ids), starts__lte=day, ends__gte=day)
    for absent_id, substitute_id in rows.values_list("absent_id", "substitute_id"):
        found.setdefault(absent_id, []).append(substitute_id)
    return found


def absent_for(user, on: dt.date | None = None) -> QuerySet:
    """The ids of the users ``user`` stands in for today."""
    day = on or timezone.localdate()
    return Substitution.objects.filter(substitute_id=user.pk, starts__lte=day, ends__gte=day).values("absent_id")


@dataclass(frozen=True)
class Note:
    """One notification to make in bulk (``notify_bulk``)."""

    recipient_id: int
    kind: str
    text: str
    url: str
    citizen_id: int | None = None
    key: str = ""


def notify_bulk(notes: Sequence[Note]) -> int:
    """Make many notifications in a constant number of queries; the same key for the same
    recipient (already there or twice in ``notes``) makes one row. Stand-ins get a copy."""
    if not notes:
        return 0
    subs = substitutes_of({n.recipient_id for n in notes})
    rows: dict[tuple, Notification] = {}
    for note in notes:
        for recipient_id in [note.recipient_id, *subs.get(note.recipient_id, [])]:
            ident = (recipient_id, note.key) if note.key else (recipient_id, object())
            rows.setdefault(
                ident,
                Notification(
                    recipient_id=recipient_id,
                    kind=note.kind,
                    text=note.text[:TEXT_MAX],
                    url=note.url,
                    citizen_id=note.citizen_id,
                    key=note.key,
                ),
            )
    keyed = [row for row in rows.values() if row.key]
    if keyed:
        existing = set(
            Notification.objects.filter(
                recipient_id__in={r.recipient_id for r in keyed}, key__in={r.key for r in keyed}
            ).values_list("recipient_id", "key")
        )
        rows = {ident: row for ident, row in rows.items() if (row.recipient_id, row.key) not in existing}
    # ignore_conflicts: a concurrent run that made the same key first wins, quietly.
    Notification.objects.bulk_create(list(rows.values()), ignore_conflicts=True)
    return len(rows)


def _active_ids(recipients) -> list[int]:
    ids = [getattr(r, "pk", r) for r in recipients if r is not None]
    return list(User.objects.filter(pk__in=ids, is_active=True).values_list("pk", flat=True))


def notify(recipient, *, kind: str, text: str, url: str, citizen=None, key: str = "") -> Notification | None:
    """One notification to ``recipient`` (None when there is none to make: no recipient, an
    inactive one, or the key was given to them before). A stand-in gets a copy."""
    if recipient is None or not getattr(recipient, "is_active", True):
        return None
    if kind not in Notification.Kind.values:
        raise ValueError(f"unknown notification kind {kind!r}")
    if key and Notification.objects.filter(recipient=recipient, key=key).exists():
        return None
    try:
        with transaction.atomic():
            made = Notification.objects.create(
                recipient=recipient, kind=kind, text=text[:TEXT_MAX], url=url, citizen=citizen, key=key
            )
    except IntegrityError:  # the same key, made by a concurrent request
        return None
    subs = substitutes_of([recipient.pk]).get(recipient.pk, [])
    if subs:
        notify_bulk([Note(s, kind, text, url, getattr(citizen, "pk", None), key) for s in subs])
    return made


def notify_many(recipients, *, kind: str, text: str, url: str, citizen=None, key: str = "") -> int:
    """The same notification to each (active) recipient; returns how many were made."""
    if kind not in Notification.Kind.values:
        raise ValueError(f"unknown notification kind {kind!r}")
    citizen_id = getattr(citizen, "pk", None)
    return notify_bulk([Note(pk, kind, text, url, citizen_id, key) for pk in _active_ids(recipients)])


def ensure_task(owner, *, kind: str, title: str, due: dt.date, url: str, citizen=None, key: str, unit=None) -> Task:
    """The open task with ``key``, made for ``owner`` if there is none (idempotent on key)."""
    if kind not in Task.Kind.values:
        raise ValueError(f"unknown task kind {kind!r}")
    if not key:
        raise ValueError("an automatic task needs a key")
    found = Task.objects.filter(key=key, status=Task.Status.OPEN).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Task.objects.create(
                owner=owner,
                unit=unit if unit is not None else getattr(owner, "unit", None),
                kind=kind,
                title=title[:200],
                due=due,
                url=url,
                citizen=citizen,
                key=key,
            )
    except IntegrityError:  # made by a concurrent run
        return Task.objects.get(key=key, status=Task.Status.OPEN)


@dataclass(frozen=True)
class TaskSpec:
    """One automatic task to ensure in bulk (``ensure_tasks``)."""

    owner_id: int
    unit_id: int | None
    kind: str
    title: str
    due: dt.date
    url: str
    citizen_id: int | None
    key: str


def ensure_tasks(specs: Sequence[TaskSpec]) -> int:
    """``ensure_task`` for many in a constant number of queries; returns how many were made."""
    if not specs:
        return 0
    open_keys = set(Task.objects.filter(status=Task.Status.OPEN, key__in=[s.key for s in specs]).values_list("key", flat=True))
    new = {
        s.key: Task(
            owner_id=s.owner_id,
            unit_id=s.unit_id,
            kind=s.kind,
            title=s.title[:200],
            due=s.due,
            url=s.url,
            citizen_id=s.citizen_id,
            key=s.key,
        )
        for s in specs
        if s.key not in open_keys
    }
    Task.objects.bulk_create(list(new.values()), ignore_conflicts=True)
    return len(new)


def close_tasks(key: str, user=None) -> int:
    """Mark the open task(s) with ``key`` done (their object is done); returns how many."""
    return close_tasks_many([key], user)


def close_tasks_many(keys: Iterable[str], user=None) -> int:
    keys = [k for k in keys if k]
    if not keys:
        return 0
    return Task.objects.filter(key__in=keys, status=Task.Status.OPEN).update(
        status=Task.Status.DONE,
        done_at=timezone.now(),
        done_by=user if user is not None and user.is_authenticated else None,
        row_version=F("row_version") + 1,
    )


# --- What users do on the pages ------------------------------------------------------------


def mark_read(user, notification: Notification) -> None:
    Notification.objects.filter(pk=notification.pk, recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def mark_all_read(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


@transaction.atomic
def create_task(user, *, title: str, due: dt.date, owner, citizen=None) -> Task:
    """A task by hand, for the user or someone on their team (the view offers only those)."""
    if not title.strip():
        raise DomainError("Skriv, hvad opgaven går ud på.", code="required")
    task = Task.objects.create(
        owner=owner,
        unit=owner.unit,
        title=title.strip(),
        kind=Task.Kind.MANUAL,
        due=due,
        citizen=citizen,
        url=f"/borgere/{citizen.pk}/" if citizen is not None else "",
        created_by=user,
    )
    audit.record(user, AuditEvent.Action.CREATE, task, citizen=citizen, after={"kind": task.kind, "owner": owner.pk})
    if owner.pk != user.pk:
        name = f" om {citizen.full_name}" if citizen is not None else ""
        notify(
            owner, kind=Notification.Kind.TASK_ASSIGNED, text=f"Du har fået en ny opgave{name}.", url="/opgaver/", citizen=citizen
        )
    return task


@transaction.atomic
def complete_task(user, task: Task, version: int | None) -> Task:
    if task.status != Task.Status.OPEN:
        raise DomainError("Opgaven er allerede udført.", code="invalid_transition")
    task.status, task.done_at, task.done_by = Task.Status.DONE, timezone.now(), user
    save_if_unchanged(task, version, ["status", "done_at", "done_by"], what="Opgaven")
    audit.record(
        user, AuditEvent.Action.TRANSITION, task, citizen=task.citizen, before={"status": "open"}, after={"status": "done"}
    )
    return task


def set_daily_digest(user, on: bool) -> InboxSettings:
    settings, _ = InboxSettings.objects.update_or_create(user=user, defaults={"daily_digest": on})
    return settings


def wants_digest(user) -> bool:
    return InboxSettings.objects.filter(user=user, daily_digest=True).exists()


def digest_counts(user, since: dt.datetime) -> list[tuple[str, int]]:
    """(kind's Danish label, count) of the user's unread notifications since ``since``."""
    from django.db.models import Count

    rows = (
        Notification.objects.filter(recipient=user, read_at__isnull=True, created_at__gte=since)
        .values("kind")
        .annotate(n=Count("id"))
        .order_by("kind")
    )
    labels = dict(Notification.Kind.choices)
    return [(labels.get(r["kind"], r["kind"]), r["n"]) for r in rows]


def open_tasks_count(user) -> int:
    return Task.objects.filter(Q(owner=user), status=Task.Status.OPEN).count()
