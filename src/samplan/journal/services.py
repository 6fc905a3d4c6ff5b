"""Journal notes: write, change (its author, until locked), lock, add to a locked note.

The audit trail records who wrote or changed which note and when, not the note's words:
the text is the journal itself, and the audit trail is read by administrators, who must
not read notes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from samplan.core import audit, policy
from samplan.core.errors import DomainError
from samplan.core.locking import EditConflict, save_if_unchanged
from samplan.core.models import AuditEvent

from .models import LOCKED_MESSAGE, JournalNote, NoteAddendum

# A note says when it happened: not ahead of the clock (a little slack for clocks that differ).
FUTURE_SLACK = dt.timedelta(minutes=5)
EDITABLE = ("kind", "occurred_at", "subject", "text", "shared_with_citizen")
# The objects a note may be tied to; each must be the citizen's own.
TIES = ("case", "grant", "order", "meeting", "follow_up")


def _meta(note: JournalNote, **extra: Any) -> dict:
    """What the audit trail keeps of a note: its kind and ties, never subject or text."""
    return {
        "kind": note.kind,
        "case_id": note.case_id,
        "provider_unit_id": note.provider_unit_id,
        "shared_with_citizen": note.shared_with_citizen,
        "row_version": note.row_version,
        **extra,
    }


def _citizen_id_of(obj) -> int | None:
    if hasattr(obj, "citizen_id"):
        return obj.citizen_id
    if hasattr(obj, "case"):
        return obj.case.citizen_id
    return None  # pragma: no cover


def _check(user, citizen, kind: str, occurred_at: dt.datetime, ties: dict) -> None:
    if kind == JournalNote.Kind.DIARY and policy.note_provider(user) is None:
        raise DomainError({"kind": "Dagbogsnotater skrives af medarbejdere hos tilbuddet."}, code="diary_for_provider")
    if occurred_at > timezone.now() + FUTURE_SLACK:
        raise DomainError({"occurred_at": "Tidspunktet kan ikke ligge i fremtiden."}, code="future")
    for name, obj in ties.items():
        if obj is not None and _citizen_id_of(obj) != citizen.pk:
            raise DomainError({name: "Notatet kan kun knyttes til borgerens egne sager."}, code="other_citizen")


@transaction.atomic
def create_note(
    user,
    citizen,
    *,
    kind: str,
    occurred_at: dt.datetime,
    subject: str,
    text: str,
    shared_with_citizen: bool = False,
    case=None,
    grant=None,
    order=None,
    meeting=None,
    follow_up=None,
) -> JournalNote:
    ties = {"case": case, "grant": grant, "order": order, "meeting": meeting, "follow_up": follow_up}
    _check(user, citizen, kind, occurred_at, ties)
    if case is None:
        # A note on a grant, order or follow-up belongs to that case too (the case page lists it).
        for obj in (grant, order, follow_up):
            if obj is not None:
                case = getattr(obj, "case", None) or getattr(getattr(obj, "grant", None), "case", None)
                break
    note = JournalNote(
        citizen=citizen,
        case=case,
        grant=grant,
        order=order,
        meeting=meeting,
        follow_up=follow_up,
        # A provider's note is that provider's (its staff and the caseworker read it).
        provider_unit_id=policy.note_provider(user),
        kind=kind,
        occurred_at=occurred_at,
        author=user,
        author_role=user.role,
        subject=subject.strip(),
        text=text,
        shared_with_citizen=shared_with_citizen,
    )
    note.full_clean()
    note.save()
    audit.record(user, AuditEvent.Action.CREATE, note, citizen=citizen, after=_meta(note))
    return note


@transaction.atomic
def change_note(user, note: JournalNote, expected_version: int | None, **fields: Any) -> JournalNote:
    """Change the note's own fields (its author, until locked; the policy decides who)."""
    if note.is_locked:
        raise DomainError(LOCKED_MESSAGE, code="locked")
    changes = {k: v for k, v in fields.items() if k in EDITABLE}
    _check(user, note.citizen, changes.get("kind", note.kind), changes.get("occurred_at", note.occurred_at), {})
    for name, value in changes.items():
        setattr(note, name, value)
    note.full_clean()
    before = note.row_version
    try:
        save_if_unchanged(note, expected_version, list(changes), what="Notatet")
    except EditConflict:
        note.refresh_from_db()  # the page shows the saved note beside what the user typed
        raise
    audit.record(user, AuditEvent.Action.UPDATE, note, before={"row_version": before}, after=_meta(note, fields=sorted(changes)))
    return note


@transaction.atomic
def lock_note(user, note: JournalNote) -> JournalNote:
    if note.is_locked:
        raise DomainError("Notatet er allerede låst.", code="locked")
    note.locked_at = timezone.now()
    save_if_unchanged(note, None, ["locked_at"], what="Notatet")
    audit.record(user, AuditEvent.Action.UPDATE, note, after=_meta(note, locked=True))
    return note


@transaction.atomic
def add_to_note(user, note: JournalNote, *, kind: str, text: str) -> NoteAddendum:
    """An addendum or a correction to a locked note; the note itself stays as it was."""
    if not note.is_locked:
        raise DomainError("Notatet er ikke låst endnu; forfatteren kan stadig rette det.", code="not_locked")
    addendum = NoteAddendum(note=note, kind=kind, text=text, author=user, author_role=user.role)
    addendum.full_clean()
    addendum.save()
    audit.record(user, AuditEvent.Action.CREATE, addendum, citizen=note.citizen, after={"note_id": note.pk, "kind": kind})
    return addendum


def search(notes: QuerySet, query: str) -> QuerySet:
    """Notes whose subject or text (or an addendum) holds every word of ``query``."""
    for word in query.split()[:10]:
        notes = notes.filter(Q(subject__icontains=word) | Q(text__icontains=word) | Q(addenda__text__icontains=word))
    return notes.distinct() if query.split() else notes


@dataclass(frozen=True)
class Tie:
    """A query parameter of the new-note page that ties the note to an object."""

    param: str
    field: str
    model: str


TIE_PARAMS = (
    Tie("sag", "case", "cases.Case"),
    Tie("bevilling", "grant", "cases.Grant"),
    Tie("bestilling", "order", "cases.Order"),
    Tie("moede", "meeting", "meetings.NetworkMeeting"),
    Tie("opfoelgning", "follow_up", "cases.FollowUp"),
)
