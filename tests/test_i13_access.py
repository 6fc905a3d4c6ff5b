"""Access requests (issue 13 point 6): the 7-working-day deadline, the export made by the
background worker with every kind of record about the citizen (and nothing about another),
the PDF text, audited downloads, the letter draft, and a bounded number of queries."""

import dataclasses
import datetime as dt
import io
import json

import pypdfium2
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samplan.access_requests import export, services
from samplan.access_requests.models import AccessExport, AccessRequest
from samplan.cases import services as case_services
from samplan.citizens.models import NetworkMember
from samplan.consent import services as consent_services
from samplan.consent.models import ConsentEvent
from samplan.core import audit
from samplan.core.errors import DomainError
from samplan.core.models import AuditEvent, Role
from samplan.journal import services as journal
from samplan.journal.models import JournalNote
from samplan.letters import services as letters
from samplan.letters.models import Kind, Letter
from samplan.meetings import services as meetings
from samplan.plans import services as plans
from samplan.questionnaires import services as questionnaires
from tests.factories import PASSWORD, grant_spec, make_citizen, walk_case
from tests.test_i12_docs import pdf_bytes, upload


def client_for(user) -> Client:
    c = Client()
    assert c.login(username=user.username, password=PASSWORD)
    return c


def pdf_text(data: bytes) -> str:
    document = pypdfium2.PdfDocument(io.BytesIO(bytes(data)))
    return "\n".join(page.get_textpage().get_text_range() for page in document)


def note(user, citizen, subject: str) -> JournalNote:
    return journal.create_note(
        user,
        citizen,
        kind=JournalNote.Kind.PHONE,
        occurred_at=timezone.now() - dt.timedelta(hours=1),
        subject=subject,
        text="Samtale.",
    )


def fill(org, users, citizen, tag: str) -> dict:
    """Every kind of record about ``citizen``, made through the services; ``tag`` marks texts."""
    cw = users[Role.CASEWORKER]
    objs = walk_case(cw, citizen, org, until="order")
    spec = dataclasses.replace(grant_spec(org, objs["condition"], amount="25"), change_reason=f"Mere støtte {tag}")
    objs["grant2"] = case_services.change_grant(cw, objs["grant"], spec)
    plan = plans.get_or_create_plan(citizen, cw)
    objs["goal"] = plans.add_goal(cw, plan, domain="home", citizen_wording=f"Klare indkøb {tag}")
    n = note(cw, citizen, f"Opkald {tag}")
    journal.lock_note(cw, n)
    objs["addendum"] = journal.add_to_note(cw, n, kind="tilfoejelse", text=f"Tilføjelse {tag}")
    objs["note"] = n
    objs["document"] = upload(cw, citizen, pdf_bytes(), title=f"Lægeerklæring {tag}")
    objs["letter"] = letters.create_letter(cw, objs["case"], kind="grant")
    member = NetworkMember.objects.create(citizen=citizen, name=f"Søster {tag}", relation="Søster")
    objs["consent"] = consent_services.give(cw, member, ConsentEvent.Kind.SEE_PLAN)
    version = questionnaires.current_version()
    answers = {i.key: (7, "") for i in questionnaires.items_of(version)}
    objs["response"] = questionnaires.submit_response(cw, citizen, version, answers, channel="staff", with_staff=True)
    objs["meeting"] = meetings.request_meeting(cw, citizen, purpose=f"Overblik {tag}")
    audit.record_read(cw, citizen)
    return objs


@pytest.fixture
def world(org, users):
    cw = users[Role.CASEWORKER]
    citizen = make_citizen(org, caseworker=cw, user=users[Role.CITIZEN], first_name="Astrid")
    other = make_citizen(org, caseworker=cw, first_name="Bertram", last_name="Andenborger")
    objs = fill(org, users, citizen, "ASTRID")
    fill(org, users, other, "BERTRAM")
    return cw, citizen, other, objs


def test_deadline_is_seven_working_days():
    # Wed 23 Dec 2026: 24-27 closed, 28, 29, 30, (31, 1 Jan, weekend) 4, 5, 6, 7 January.
    assert services.deadline_for(dt.date(2026, 12, 23)) == dt.date(2027, 1, 7)
    assert services.deadline_for(dt.date(2027, 3, 22)) == dt.date(2027, 4, 5)  # across Easter


def test_export_over_http_holds_every_kind_of_record_and_nothing_else(world, django_capture_on_commit_callbacks):
    cw, citizen, other, objs = world
    c = client_for(cw)
    today = timezone.localdate()
    r = c.post(
        reverse("access-request-create", args=[citizen.pk]),
        {"received_on": today.isoformat(), "from_whom": "representative", "representative_name": "Advokat Holm"},
    )
    request = AccessRequest.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("access-request-detail", args=[request.pk])
    assert request.deadline == services.deadline_for(today) and request.representative_name == "Advokat Holm"

    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(reverse("access-request-generate", args=[request.pk]), {"version": request.row_version})
    assert r.status_code == 302
    made = AccessExport.objects.get()  # the task (immediate in tests) made it after commit
    request.refresh_from_db()
    assert request.status == AccessRequest.Status.READY

    body = c.get(reverse("access-export-json", args=[request.pk, made.pk]))
    assert body.status_code == 200 and body["Content-Type"].startswith("application/json")
    data = json.loads(body.content)["sections"]
    assert {key for key, _ in export.SECTIONS} == set(data)
    assert all(data[key] for key, _ in export.SECTIONS), [k for k, _ in export.SECTIONS if not data[k]]
    ids = lambda key: {row["id"] for row in data[key]}  # noqa: E731
    assert ids("master_data") == {citizen.pk}
    assert ids("cases") == {objs["case"].pk}
    assert ids("assessments") == {objs["assessment"].pk}
    assert objs["condition"].pk in {x["id"] for x in data["assessments"][0]["conditions"]}
    assert ids("decisions") == {objs["decision"].pk}
    assert ids("grants") == {objs["grant"].pk, objs["grant2"].pk}
    assert objs["goal"].pk in {g["id"] for g in data["plan"][0]["goals"]} and data["plan_versions"]
    # The first-contact note the spine writes, and the caseworker's note with its addendum.
    assert ids("notes") == set(JournalNote.objects.filter(citizen=citizen).values_list("pk", flat=True))
    [mine] = [n for n in data["notes"] if n["id"] == objs["note"].pk]
    assert [a["id"] for a in mine["addenda"]] == [objs["addendum"].pk]
    assert ids("documents") == {objs["document"].pk} and "storage_name" not in data["documents"][0]
    assert ids("letters") == {objs["letter"].pk}
    assert ids("consents") == {objs["consent"].pk}
    assert ids("self_ratings") == {objs["response"].pk} and data["self_ratings"][0]["answers"]
    assert ids("meetings") == {objs["meeting"].pk}
    assert {row["user"] for row in data["access_log"]} >= {cw.username}
    text = body.content.decode()
    assert "ASTRID" in text and "BERTRAM" not in text and "Andenborger" not in text
    assert citizen.cpr not in text  # masked

    pdf = c.get(reverse("access-export-pdf", args=[request.pk, made.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    words = pdf_text(pdf.content)
    for label in ("Aktindsigt", "Journalnotater", "Bevillinger", "Netværksmøder", "Hvem har set oplysningerne"):
        assert label in words
    assert "Opkald ASTRID" in words and "Lægeerklæring ASTRID" in words and "BERTRAM" not in words
    downloads = AuditEvent.objects.filter(object_type="access_requests.AccessExport", action="read", citizen_id_ref=citizen.pk)
    assert sorted(e.after["format"] for e in downloads) == ["json", "pdf"]

    r = c.post(reverse("access-request-letter", args=[request.pk]), {"version": request.row_version})
    assert r.status_code == 302
    request.refresh_from_db()
    assert request.status == AccessRequest.Status.LETTER
    letter = Letter.objects.get(pk=request.letter_id)
    assert letter.kind == Kind.ACCESS_TO_FILES and letter.status == Letter.Status.DRAFT and letter.citizen == citizen
    assert services.open_deadlines() == []


def test_export_queries_do_not_grow_with_the_records(org, users, world):
    cw, citizen, other, objs = world
    with CaptureQueriesContext(connection) as small:
        export.build(citizen)
    for i in range(4):
        note(cw, citizen, f"Ekstra {i}")
        walk_case(cw, citizen, org, until="order")
    with CaptureQueriesContext(connection) as large:
        data = export.build(citizen)
    assert len(data["notes"]) == JournalNote.objects.filter(citizen=citizen).count() >= 9 and len(data["cases"]) == 5
    assert len(large.captured_queries) == len(small.captured_queries)


def test_letter_needs_an_export_and_register_refuses_future(world):
    cw, citizen, other, objs = world
    request = services.register_request(cw, citizen, received_on=timezone.localdate(), from_whom="citizen")
    with pytest.raises(DomainError, match="udtrækket"):
        services.make_letter(cw, request, request.row_version)
    with pytest.raises(DomainError, match="fremtiden"):
        services.register_request(cw, citizen, received_on=timezone.localdate() + dt.timedelta(days=1), from_whom="citizen")
    [(owner, due, obj, title, url, key)] = services.open_deadlines()
    assert (owner, due, obj, key) == (cw, request.deadline, request, f"access_request:{request.pk}")


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.CASEWORKER, 200),
        (Role.COORDINATOR, 404),
        (Role.COMMITTEE, 403),
        (Role.CITIZEN, 403),
        (Role.PROVIDER_STAFF, 404),
        (Role.MANAGER, 404),
    ],
)
def test_policy_matrix_export_download(users, world, role, status):
    cw, citizen, other, objs = world
    request = services.register_request(cw, citizen, received_on=timezone.localdate(), from_whom="citizen")
    made = services.generate(request.pk)
    assert client_for(users[role]).get(reverse("access-export-json", args=[request.pk, made.pk])).status_code == status


def test_an_export_can_be_asked_for_again_while_one_is_pending(world, django_capture_on_commit_callbacks):
    cw, citizen, other, objs = world
    request = services.register_request(cw, citizen, received_on=timezone.localdate(), from_whom="citizen")
    services.request_export(cw, request, request.row_version)  # its task never ran (a stopped worker)
    request.refresh_from_db()
    assert request.status == AccessRequest.Status.GENERATING
    with django_capture_on_commit_callbacks(execute=True):
        services.request_export(cw, request, request.row_version)
    request.refresh_from_db()
    assert request.status == AccessRequest.Status.READY and request.exports.count() == 1
