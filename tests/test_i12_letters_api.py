"""Letters on the API and in the policy: who reads which letter, and every read audited."""

import pytest
from django.test import Client

from samplan.core import policy
from samplan.core.models import AuditEvent, Role
from samplan.letters import services
from samplan.letters.models import Kind, Letter
from tests.factories import PASSWORD, make_citizen, make_user, walk_case


@pytest.fixture
def letters(org, users):
    cw = users[Role.CASEWORKER]
    citizen = make_citizen(org, caseworker=cw, user=users[Role.CITIZEN], coordinator=users[Role.COORDINATOR])
    objs = walk_case(cw, citizen, org, until="order")
    draft = services.create_letter(cw, objs["case"], kind=Kind.GRANT)
    sent = services.create_letter(cw, objs["case"], kind=Kind.PARTIAL_GRANT)
    sent = services.approve_and_send(cw, sent, expected_version=sent.row_version)
    services.record_delivery(sent.pk, backend="outbox", receipt={"reference": "r"})
    sent.refresh_from_db()
    return {"draft": draft, "sent": sent, "citizen": citizen, "order": objs["order"]}


def api(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.mark.parametrize(
    ("role", "draft", "sent"),
    [
        (Role.CASEWORKER, True, True),
        (Role.COORDINATOR, True, True),
        (Role.COMMITTEE, True, True),
        (Role.CITIZEN, False, True),
        (Role.PROVIDER_STAFF, False, False),
        (Role.MANAGER, False, False),
        (Role.ADMIN, False, False),
        (Role.RELATIVE, False, False),
    ],
)
def test_view_letter_policy(users, letters, role, draft, sent):
    user = users[role]
    assert policy.can(user, policy.VIEW_LETTER, letters["draft"]) is draft
    assert policy.can(user, policy.VIEW_LETTER, letters["sent"]) is sent
    assert policy.can(user, policy.WRITE_LETTER, letters["draft"]) is (role == Role.CASEWORKER)


def test_provider_staff_do_not_know_letters_exist(users, letters):
    assert policy.decide(users[Role.PROVIDER_STAFF], policy.VIEW_LETTER, letters["sent"]).status == 404
    assert policy.decide(users[Role.CITIZEN], policy.VIEW_LETTER, letters["draft"]).status == 403


def test_letter_templates_are_the_administrators(users):
    assert [r for r in Role.values if policy.can(users[r], policy.MANAGE_LETTER_TEMPLATES)] == [Role.ADMIN]


def test_api_list_shows_the_citizen_only_sent_letters_and_audits(users, letters):
    ids = {row["id"] for row in api(users[Role.CITIZEN]).get("/api/v1/letters/").json()["results"]}
    assert ids == {letters["sent"].pk}
    rows = api(users[Role.CASEWORKER]).get("/api/v1/letters/", {"status": "draft"}).json()["results"]
    assert [r["id"] for r in rows] == [letters["draft"].pk] and rows[0]["has_pdf"] is False
    assert (
        AuditEvent.objects.filter(object_type="letters.Letter", action="search", citizen_id_ref=letters["citizen"].pk).count()
        == 2
    )


def test_api_pdf_download_is_audited(users, letters):
    before = AuditEvent.objects.filter(object_type="letters.Letter", action="read").count()
    response = api(users[Role.CITIZEN]).get(f"/api/v1/letters/{letters['sent'].pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content == bytes(letters["sent"].pdf)
    assert AuditEvent.objects.filter(object_type="letters.Letter", action="read").count() == before + 1


def test_api_draft_pdf_is_404_in_the_error_shape(users, letters):
    response = api(users[Role.CASEWORKER]).get(f"/api/v1/letters/{letters['draft'].pk}/pdf/")
    assert response.status_code == 404
    assert set(response.json()) >= {"kode", "besked"}


def test_api_other_municipality_caseworker_gets_404(org, users, letters):
    other = make_user(Role.CASEWORKER, org, unit=org["other_team"])
    assert api(other).get(f"/api/v1/letters/{letters['sent'].pk}/").status_code == 404
    assert Letter.objects.count() == 2
