"""The appeal's steps. Each checks the current status, saves with the version the user saw
(``save_if_unchanged``), appends an ``AppealEvent`` and writes the audit trail."""

import datetime as dt
import statistics

from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from samplan.core import audit
from samplan.core.errors import DomainError
from samplan.core.locking import save_if_unchanged
from samplan.core.models import AuditEvent
from samplan.inbox import services as inbox
from samplan.inbox.models import Task

from .models import RECONSIDERATION_DAYS, Appeal, AppealEvent

NO_APPEAL_ROUTE = "Afgørelsen kan ikke påklages (der er ingen klageadgang)."
FUTURE = "Datoen kan ikke ligge i fremtiden."
WRONG_STEP = "Klagen er ikke på det trin."


def reconsideration_due(received_on: dt.date) -> dt.date:
    """Four weeks from receipt (retssikkerhedsloven § 66)."""
    return received_on + dt.timedelta(days=RECONSIDERATION_DAYS)


def _check_date(on: dt.date, not_before: dt.date, what: str) -> None:
    if on > timezone.localdate():
        raise DomainError(FUTURE, code="future")
    if on < not_before:
        raise DomainError(f"Datoen kan ikke ligge før {what}.", code="too_early")


def _event(user, appeal: Appeal, kind: str, on: dt.date, summary: str = "") -> AppealEvent:
    event = AppealEvent.objects.create(appeal=appeal, kind=kind, on=on, summary=summary[:300], by=user, role=user.role)
    _sync_task(appeal)
    return event


STEPS = ("reconsider", "forward")


def _deadline(appeal: Appeal) -> tuple | None:
    """(owner, due, appeal, title, url, key) while the municipality must act on the appeal:
    reconsider it, or forward it, within four weeks of receipt."""
    if appeal.status not in (Appeal.Status.RECEIVED, Appeal.Status.MAINTAINED):
        return None
    step = "reconsider" if appeal.status == Appeal.Status.RECEIVED else "forward"
    title = "Genvurdér klage" if step == "reconsider" else "Send klage til Ankestyrelsen"
    url = reverse("appeal-detail", args=[appeal.pk])
    return (appeal.citizen.caseworker, appeal.reconsideration_due, appeal, title, url, f"appeal:{appeal.pk}:{step}")


def _sync_task(appeal: Appeal) -> None:
    """The caseworker's task follows the appeal's step: a done step's task is closed."""
    current = _deadline(appeal)
    done = [f"appeal:{appeal.pk}:{step}" for step in STEPS]
    inbox.close_tasks_many(key for key in done if current is None or current[5] != key)
    if current is not None and current[0] is not None:
        owner, due, _, title, url, key = current
        inbox.ensure_task(
            owner,
            kind=Task.Kind.APPEAL_RECONSIDERATION,
            title=f"{title}: {appeal.citizen.full_name}",
            due=due,
            url=url,
            citizen=appeal.citizen,
            key=key,
        )


@transaction.atomic
def register_appeal(
    user, decision, *, received_on: dt.date, from_whom: str, representative_name: str = "", summary: str
) -> Appeal:
    if decision is None:
        raise DomainError("Sagen har ingen afgørelse, der kan klages over.", code="no_decision")
    if decision.appeal_deadline is None:
        raise DomainError(NO_APPEAL_ROUTE, code="no_appeal")
    _check_date(received_on, decision.decided_at, "afgørelsen")
    if from_whom == Appeal.FromWhom.REPRESENTATIVE and not representative_name.strip():
        raise DomainError("Skriv repræsentantens navn.", code="representative_name")
    if not summary.strip():
        raise DomainError("Skriv kort, hvad klagen går ud på.", code="summary")
    case = decision.case
    appeal = Appeal.objects.create(
        municipality_id=case.municipality_id,
        citizen_id=case.citizen_id,
        decision=decision,
        received_on=received_on,
        from_whom=from_whom,
        representative_name=representative_name.strip() if from_whom == Appeal.FromWhom.REPRESENTATIVE else "",
        summary=summary.strip(),
        reconsideration_due=reconsideration_due(received_on),
        registered_by=user,
    )
    _event(user, appeal, AppealEvent.Kind.REGISTERED, received_on)
    audit.record(user, AuditEvent.Action.CREATE, appeal, after={"decision": decision.pk, "received_on": received_on.isoformat()})
    return appeal


def _step(user, appeal: Appeal, expected_version: int | None, allowed: tuple, fields: list[str], before_status: str) -> None:
    if before_status not in allowed:
        raise DomainError(WRONG_STEP, code="invalid_transition")
    save_if_unchanged(appeal, expected_version, fields, what="Klagen")
    audit.record(
        user,
        AuditEvent.Action.TRANSITION,
        appeal,
        before={"status": before_status},
        after={"status": appeal.status, "fields": sorted(fields)},
    )


@transaction.atomic
def reconsider(
    user, appeal: Appeal, expected_version: int | None, *, upheld: bool, on: dt.date, justification: str, new_grant=None
) -> Appeal:
    """The municipality's own reconsideration: medhold (a new decision in the citizen's
    favour, recorded here; a changed grant is linked) or maintained (to be forwarded)."""
    _check_date(on, appeal.received_on, "klagen blev modtaget")
    if not justification.strip():
        raise DomainError("Begrund genvurderingen.", code="justification")
    if new_grant is not None and (not upheld or new_grant.case_id != appeal.decision.case_id):
        raise DomainError("Den nye bevilling skal høre til sagen, og kun ved medhold.", code="new_grant")
    before = appeal.status
    appeal.status = Appeal.Status.UPHELD if upheld else Appeal.Status.MAINTAINED
    appeal.reconsidered_on, appeal.reconsideration, appeal.new_grant = on, justification.strip(), new_grant
    _step(
        user,
        appeal,
        expected_version,
        (Appeal.Status.RECEIVED,),
        ["status", "reconsidered_on", "reconsideration", "new_grant"],
        before,
    )
    _event(user, appeal, AppealEvent.Kind.UPHELD if upheld else AppealEvent.Kind.MAINTAINED, on, justification.strip())
    return appeal


@transaction.atomic
def forward(user, appeal: Appeal, expected_version: int | None, *, on: dt.date) -> Appeal:
    _check_date(on, appeal.reconsidered_on or appeal.received_on, "genvurderingen")
    before = appeal.status
    appeal.status, appeal.forwarded_on = Appeal.Status.FORWARDED, on
    _step(user, appeal, expected_version, (Appeal.Status.MAINTAINED,), ["status", "forwarded_on"], before)
    _event(user, appeal, AppealEvent.Kind.FORWARDED, on)
    return appeal


@transaction.atomic
def record_result(user, appeal: Appeal, expected_version: int | None, *, result: str, on: dt.date) -> Appeal:
    if result not in Appeal.Result.values:
        raise DomainError("Vælg Ankestyrelsens afgørelse.", code="result")
    _check_date(on, appeal.forwarded_on or appeal.received_on, "klagen blev sendt")
    before = appeal.status
    appeal.status, appeal.result, appeal.result_on = Appeal.Status.DECIDED, result, on
    _step(user, appeal, expected_version, (Appeal.Status.FORWARDED,), ["status", "result", "result_on"], before)
    _event(user, appeal, AppealEvent.Kind.DECIDED, on, Appeal.Result(result).label)
    return appeal


# --- Deadlines and figures ------------------------------------------------------------------


def open_deadlines(municipality=None) -> list[tuple]:
    """(owner, due, appeal, title, url, key) for every appeal the municipality must act on:
    reconsider or forward within four weeks of receipt. The owner is the citizen's
    caseworker; the key is stable per appeal and step, so a task can be closed by it."""
    qs = Appeal.objects.filter(status__in=[Appeal.Status.RECEIVED, Appeal.Status.MAINTAINED]).select_related(
        "citizen__caseworker"
    )
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    return [d for d in map(_deadline, qs) if d is not None]


def figures(municipality) -> dict:
    """Counts and durations only. "Medhold i alt" = medhold at the reconsideration plus
    Ankestyrelsen's ændret, hjemvist and ophævet; the share is of the appeals decided."""
    qs = Appeal.objects.filter(municipality=municipality)
    counts = qs.aggregate(
        total=Count("id"),
        open=Count("id", filter=Q(status__in=Appeal.OPEN_STATUSES)),
        upheld_locally=Count("id", filter=Q(status=Appeal.Status.UPHELD)),
        for_citizen=Count("id", filter=Q(status=Appeal.Status.DECIDED, result__in=Appeal.FOR_CITIZEN)),
        confirmed=Count("id", filter=Q(status=Appeal.Status.DECIDED, result=Appeal.Result.CONFIRMED)),
        overdue=Count("id", filter=Q(status=Appeal.Status.RECEIVED, reconsideration_due__lt=timezone.localdate())),
    )
    decided = counts["upheld_locally"] + counts["for_citizen"] + counts["confirmed"]
    upheld = counts["upheld_locally"] + counts["for_citizen"]
    pairs = qs.filter(reconsidered_on__isnull=False).values_list("received_on", "reconsidered_on")
    days = [(r - a).days for a, r in pairs if r is not None]
    return counts | {
        "decided": decided,
        "upheld": upheld,
        "share_upheld": round(100 * upheld / decided) if decided else None,
        "median_days_to_reconsideration": statistics.median(days) if days else None,
    }


def figures_section(municipality) -> dict:
    return {"template": "appeals/_figures.html", "appeals": figures(municipality)}
