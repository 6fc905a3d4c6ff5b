"""Access requests: register (deadline 7 working days), export in the background worker,
audited download, the letter draft that sends it."""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from samplan.cases.models import Case
from samplan.core import audit
from samplan.core import pdf as core_pdf
from samplan.core.errors import DomainError
from samplan.core.locking import save_if_unchanged
from samplan.core.models import AuditEvent
from samplan.core.workdays import add_working_days
from samplan.inbox import services as inbox
from samplan.inbox.models import Task
from samplan.letters import services as letter_services
from samplan.letters.models import Kind

from . import export
from .models import DEADLINE_WORKING_DAYS, AccessExport, AccessRequest

PDF_VARIANT = "pdf/ua-1"


def deadline_for(received_on: dt.date) -> dt.date:
    return add_working_days(received_on, DEADLINE_WORKING_DAYS)


@transaction.atomic
def register_request(
    user, citizen, *, received_on: dt.date, from_whom: str, representative_name: str = "", note: str = ""
) -> AccessRequest:
    if received_on > timezone.localdate():
        raise DomainError("Datoen kan ikke ligge i fremtiden.", code="future")
    if from_whom == AccessRequest.FromWhom.REPRESENTATIVE and not representative_name.strip():
        raise DomainError("Skriv repræsentantens navn.", code="representative_name")
    request = AccessRequest.objects.create(
        municipality_id=citizen.municipality_id,
        citizen=citizen,
        received_on=received_on,
        from_whom=from_whom,
        representative_name=representative_name.strip() if from_whom == AccessRequest.FromWhom.REPRESENTATIVE else "",
        note=note.strip(),
        deadline=deadline_for(received_on),
        registered_by=user,
    )
    audit.record(
        user,
        AuditEvent.Action.CREATE,
        request,
        after={"received_on": received_on.isoformat(), "deadline": request.deadline.isoformat()},
    )
    if citizen.caseworker is not None:  # the deadline is the caseworker's task until the letter is made
        inbox.ensure_task(
            citizen.caseworker,
            kind=Task.Kind.ACCESS_REQUEST,
            title=f"Besvar anmodning om aktindsigt: {citizen.full_name}",
            due=request.deadline,
            url=reverse("access-request-detail", args=[request.pk]),
            citizen=citizen,
            key=task_key(request),
        )
    return request


def task_key(request: AccessRequest) -> str:
    return f"access_request:{request.pk}"


@transaction.atomic
def request_export(user, request: AccessRequest, expected_version: int | None) -> AccessRequest:
    """Queue the export for the background worker (after commit). Asking again while one is
    being made is allowed: a worker that stopped must not leave the request stuck, and a
    second export is only one more append-only row."""
    before = request.status
    request.status = AccessRequest.Status.GENERATING
    save_if_unchanged(request, expected_version, ["status"], what="Anmodningen")
    audit.record(user, AuditEvent.Action.TRANSITION, request, before={"status": before}, after={"status": request.status})
    from .tasks import generate_export

    request_id = request.pk
    transaction.on_commit(lambda: generate_export.enqueue(request_id))
    return request


def render_pdf(citizen, data: dict, generated_at) -> bytes:
    from weasyprint import HTML

    sections = [(key, label, data.get(key, [])) for key, label in export.SECTIONS]
    html = core_pdf.render_html(
        "access_requests/export_pdf.html", {"citizen": citizen, "sections": sections, "generated_at": generated_at}
    )
    return HTML(string=html, base_url=core_pdf.settings.SAMPLAN_BASE_URL + "/").write_pdf(pdf_variant=PDF_VARIANT)


@transaction.atomic
def generate(request_id: int) -> AccessExport | None:
    """Build the export (the worker's task): JSON and PDF, stored on a new AccessExport."""
    request = AccessRequest.objects.select_for_update().select_related("citizen").filter(pk=request_id).first()
    if request is None:
        return None
    citizen = request.citizen
    data = export.build(citizen)
    now = timezone.now()
    payload = {"citizen_id": citizen.pk, "generated_at": now.isoformat(), "sections": data}
    made = AccessExport.objects.create(request=request, citizen=citizen, data=payload, pdf=render_pdf(citizen, data, now))
    request.status = AccessRequest.Status.READY if request.letter_id is None else AccessRequest.Status.LETTER
    save_if_unchanged(request, None, ["status"], what="Anmodningen")
    audit.record(
        None, AuditEvent.Action.CREATE, made, citizen=citizen, after={"sections": sorted(k for k, v in data.items() if v)}
    )
    return made


def read_export(user, made: AccessExport, kind: str) -> bytes:
    """The stored export's bytes, with an audit row of who downloaded which format."""
    audit.record_read(user, made, citizen=made.citizen, after={"format": kind})
    if kind == "pdf":
        return bytes(made.pdf)
    import json

    return json.dumps(made.data, ensure_ascii=False, indent=2).encode()


@transaction.atomic
def make_letter(user, request: AccessRequest, expected_version: int | None):
    """A draft letter of the kind "aktindsigt" on the citizen's newest case; the letter says
    the report is enclosed / can be fetched (the PDF is not attached to the letter)."""
    if request.letter_id is not None:
        raise DomainError("Der er allerede lavet et brev til anmodningen.", code="duplicate")
    if not request.exports.exists():
        raise DomainError("Lav udtrækket, før brevet laves.", code="no_export")
    case = Case.objects.filter(citizen=request.citizen).order_by("-opened_at", "-pk").first()
    if case is None:
        raise DomainError("Borgeren har ingen sag at knytte brevet til.", code="no_case")
    letter = letter_services.create_letter(user, case, kind=Kind.ACCESS_TO_FILES)
    request.letter, request.status = letter, AccessRequest.Status.LETTER
    save_if_unchanged(request, expected_version, ["letter", "status"], what="Anmodningen")
    audit.record(user, AuditEvent.Action.UPDATE, request, after={"letter": letter.pk})
    inbox.close_tasks(task_key(request), user)
    return letter


def open_deadlines(municipality=None) -> list[tuple]:
    """(owner, due, request, title, url, key) for every request without a letter yet; the
    owner is the citizen's caseworker."""
    qs = AccessRequest.objects.exclude(status=AccessRequest.Status.LETTER).select_related("citizen__caseworker")
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    return [
        (
            r.citizen.caseworker,
            r.deadline,
            r,
            "Besvar anmodning om aktindsigt",
            reverse("access-request-detail", args=[r.pk]),
            task_key(r),
        )
        for r in qs
    ]
