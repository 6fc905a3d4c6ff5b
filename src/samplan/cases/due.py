"""``manage.py notify_due`` (daily): grants ending within 30 days, follow-ups and
case-processing deadlines within 7 days go to the caseworker's inbox, with the matching
automatic tasks; tasks whose object is done are closed. Idempotent (the notifications'
and tasks' keys) and bounded: a fixed number of queries however many rows are due."""

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from samplan.inbox import services as inbox
from samplan.inbox.models import Notification, Task

from .models import Case, FollowUp, Grant, Inquiry

GRANT_ENDING_DAYS = 30
DUE_SOON_DAYS = 7
OPEN_CASE = (Case.Status.INQUIRY, Case.Status.ASSESSMENT, Case.Status.AWAITING_DECISION)


@dataclass(frozen=True)
class DueResult:
    notified: int
    tasks_made: int
    tasks_closed: int


def _caseworker_id(case: Case) -> int | None:
    return case.caseworker_id or case.citizen.caseworker_id


def _day(value: dt.date | None) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""


def notify_due(today: dt.date | None = None) -> DueResult:
    today = today or timezone.localdate()
    notes: list[inbox.Note] = []
    tasks: list[inbox.TaskSpec] = []

    grants = Grant.objects.filter(
        status=Grant.Status.ACTIVE, end_date__gte=today, end_date__lte=today + dt.timedelta(days=GRANT_ENDING_DAYS)
    ).select_related("case__citizen")
    for grant in grants:
        owner = _caseworker_id(grant.case)
        if owner is not None:
            citizen = grant.case.citizen
            notes.append(
                inbox.Note(
                    owner,
                    Notification.Kind.GRANT_ENDING,
                    f"Bevillingen ({grant.legal_basis}) til {citizen.full_name} udløber {_day(grant.end_date)}.",
                    reverse("case-detail", args=[grant.case_id]),
                    citizen.pk,
                    f"grant_ending:{grant.pk}",
                )
            )

    follow_ups = FollowUp.objects.filter(
        status=FollowUp.Status.PLANNED, due_date__lte=today + dt.timedelta(days=DUE_SOON_DAYS)
    ).select_related("grant__case__citizen")
    for follow_up in follow_ups:
        case = follow_up.grant.case
        owner = _caseworker_id(case)
        if owner is None:
            continue
        citizen = case.citizen
        key, url = f"follow_up_due:{follow_up.pk}", reverse("follow-up", args=[follow_up.pk])
        text = f"Opfølgning for {citizen.full_name} senest {_day(follow_up.due_date)}."
        notes.append(inbox.Note(owner, Notification.Kind.FOLLOW_UP_DUE, text, url, citizen.pk, key))
        tasks.append(
            inbox.TaskSpec(
                owner,
                citizen.unit_id,
                Task.Kind.FOLLOW_UP_DUE,
                f"Opfølgning: {citizen.full_name}",
                follow_up.due_date,
                url,
                citizen.pk,
                key,
            )
        )

    inquiries = Inquiry.objects.filter(
        case__status__in=OPEN_CASE, deadline__isnull=False, deadline__lte=today + dt.timedelta(days=DUE_SOON_DAYS)
    ).select_related("case__citizen")
    for inquiry in inquiries:
        case = inquiry.case
        owner = _caseworker_id(case)
        if owner is None:
            continue
        citizen, deadline = case.citizen, inquiry.deadline
        if deadline is None:
            continue
        key, url = f"case_deadline:{case.pk}", reverse("case-detail", args=[case.pk])
        text = f"Sagsbehandlingsfristen for {citizen.full_name} (sag {case.case_number}) er {_day(inquiry.deadline)}."
        notes.append(inbox.Note(owner, Notification.Kind.CASE_DEADLINE_DUE, text, url, citizen.pk, key))
        tasks.append(
            inbox.TaskSpec(
                owner,
                citizen.unit_id,
                Task.Kind.CASE_DEADLINE,
                f"Afgørelse: {citizen.full_name}",
                deadline,
                url,
                citizen.pk,
                key,
            )
        )

    notified = inbox.notify_bulk(notes)
    made = inbox.ensure_tasks(tasks)
    return DueResult(notified, made, _close_done())


def _ids(keys: list[str]) -> dict[int, str]:
    return {int(k.rsplit(":", 1)[1]): k for k in keys if k.rsplit(":", 1)[1].isdigit()}


def _close_done() -> int:
    """Close the automatic tasks whose follow-up is no longer planned or whose case is decided."""
    open_keys = list(
        Task.objects.filter(status=Task.Status.OPEN, kind__in=[Task.Kind.FOLLOW_UP_DUE, Task.Kind.CASE_DEADLINE])
        .exclude(key="")
        .values_list("key", flat=True)
    )
    follow_ups = _ids([k for k in open_keys if k.startswith("follow_up_due:")])
    cases = _ids([k for k in open_keys if k.startswith("case_deadline:")])
    done = [
        follow_ups[pk]
        for pk in FollowUp.objects.filter(pk__in=follow_ups).exclude(status=FollowUp.Status.PLANNED).values_list("pk", flat=True)
    ]
    done += [cases[pk] for pk in Case.objects.filter(pk__in=cases).exclude(status__in=OPEN_CASE).values_list("pk", flat=True)]
    return inbox.close_tasks_many(done)
