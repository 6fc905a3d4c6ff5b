"""The journal notes' API (issue 12, point 7): same policy and audit as the pages, If-Match
on PATCH, a locked note refused, addenda, idempotent creates, and the OpenAPI schema."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from samplan.core.models import AuditEvent, Role
from samplan.journal import services
from samplan.journal.models import JournalNote
from tests.factories import make_citizen, make_user, walk_case

API = "/api/v1/notes/"


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


@pytest.fixture
def world(org, users):
    cw = users[Role.CASEWORKER]
    citizen = make_citizen(org, caseworker=cw, user=users[Role.CITIZEN], coordinator=users[Role.COORDINATOR])
    objs = walk_case(cw, citizen, org, until="order")
    note = services.create_note(
        cw, citizen, kind="telefon", occurred_at=timezone.now() - dt.timedelta(hours=1), subject="Opkald", text="Første tekst"
    )
    return {"citizen": citizen, "note": note, **objs}


def test_patch_needs_if_match_and_refuses_a_stale_or_locked_note(users, world):
    cw = users[Role.CASEWORKER]
    note = world["note"]
    client = client_for(cw)
    url = f"{API}{note.pk}/"
    got = client.get(url)
    assert got.status_code == 200 and got["ETag"] == f'"{note.row_version}"'
    assert client.patch(url, {"text": "Uden version"}, format="json").status_code == 428
    ok = client.patch(url, {"text": "Anden tekst"}, format="json", HTTP_IF_MATCH=got["ETag"])
    assert ok.status_code == 200 and ok.json()["text"] == "Anden tekst"
    stale = client.patch(url, {"text": "Gammel"}, format="json", HTTP_IF_MATCH=got["ETag"])
    assert stale.status_code == 412 and stale.json()["aktuel"]["text"] == "Anden tekst"
    assert client.post(f"{url}lock/").status_code == 200
    locked = client.patch(url, {"text": "Efter lås"}, format="json", HTTP_IF_MATCH=f'"{note.row_version + 2}"')
    assert locked.status_code == 403
    assert set(locked.json()) >= {"kode", "besked"}
    assert JournalNote.objects.get(pk=note.pk).text == "Anden tekst"


def test_addendum_and_correction_keep_the_original(users, world):
    cw = users[Role.CASEWORKER]
    note = world["note"]
    client = client_for(cw)
    early = client.post(f"{API}{note.pk}/addenda/", {"kind": "rettelse", "text": "For tidligt"}, format="json")
    assert early.status_code == 403  # not locked yet: the author still edits it
    services.lock_note(cw, note)
    made = client.post(f"{API}{note.pk}/addenda/", {"kind": "rettelse", "text": "Rigtig tekst"}, format="json")
    assert made.status_code == 201
    body = client.get(f"{API}{note.pk}/").json()
    assert body["text"] == "Første tekst" and body["locked"] is True
    assert [(a["kind"], a["text"]) for a in body["addenda"]] == [("rettelse", "Rigtig tekst")]


def test_create_is_idempotent_and_filters_by_citizen_and_case(users, world):
    cw = users[Role.CASEWORKER]
    client = client_for(cw)
    body = {
        "citizen": world["citizen"].pk,
        "case": world["case"].pk,
        "kind": "hjemmebesoeg",
        "occurred_at": (timezone.now() - dt.timedelta(hours=2)).isoformat(),
        "subject": "Besøg",
        "text": "Hjemmebesøg.",
    }
    first = client.post(API, body, format="json", HTTP_IDEMPOTENCY_KEY="abc-1")
    again = client.post(API, body, format="json", HTTP_IDEMPOTENCY_KEY="abc-1")
    assert first.status_code == again.status_code == 201 and first.json()["id"] == again.json()["id"]
    assert JournalNote.objects.filter(subject="Besøg").count() == 1
    listed = client.get(API, {"case": world["case"].pk}).json()["results"]
    assert {n["id"] for n in listed} == set(JournalNote.objects.filter(case=world["case"]).values_list("pk", flat=True))
    assert first.json()["id"] in {n["id"] for n in listed}


def test_every_read_is_audited_with_the_citizen(users, world):
    cw = users[Role.CASEWORKER]
    client = client_for(cw)
    citizen = world["citizen"]
    rows = AuditEvent.objects.filter(citizen_id_ref=citizen.pk, action__in=[AuditEvent.Action.READ, AuditEvent.Action.SEARCH])
    before = rows.count()
    client.get(API, {"citizen": citizen.pk})
    client.get(f"{API}{world['note'].pk}/")
    assert rows.count() == before + 2


def test_other_provider_and_manager_get_404_and_no_text(org, users, world):
    diary = services.create_note(
        users[Role.PROVIDER_STAFF],
        world["citizen"],
        kind="dagbog",
        occurred_at=timezone.now() - dt.timedelta(hours=1),
        subject="Dagbog",
        text="Hemmelig dagbog",
    )
    other = make_user(Role.PROVIDER_STAFF, org, unit=org["other_provider"])
    for user in (other, users[Role.MANAGER]):
        client = client_for(user)
        assert client.get(f"{API}{diary.pk}/").status_code == 404
        assert "Hemmelig" not in client.get(API).content.decode()
    assert client_for(users[Role.PROVIDER_STAFF]).get(f"{API}{diary.pk}/").status_code == 200


def test_the_schema_has_the_notes(users):
    schema = client_for(users[Role.CASEWORKER]).get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    text = schema.content.decode()
    assert schema.status_code == 200
    for path in ("/api/v1/notes/", "/api/v1/notes/{id}/", "/api/v1/notes/{id}/lock/", "/api/v1/notes/{id}/addenda/"):
        assert path in text


def test_a_note_on_a_grant_belongs_to_its_case_and_an_unseen_grant_is_400(org, users, world):
    cw = users[Role.CASEWORKER]
    body = {
        "citizen": world["citizen"].pk,
        "grant": world["grant"].pk,
        "kind": "telefon",
        "occurred_at": (timezone.now() - dt.timedelta(hours=2)).isoformat(),
        "subject": "Om bevillingen",
        "text": "Tekst.",
    }
    made = client_for(cw).post(API, body, format="json")
    assert made.status_code == 201 and made.json()["case"] == world["case"].pk
    other = make_user(Role.CASEWORKER, org, unit=org["other_team"])
    refused = client_for(other).post(API, body, format="json")
    assert refused.status_code == 400 and set(refused.json()["fejl"]) >= {"citizen", "grant"}
