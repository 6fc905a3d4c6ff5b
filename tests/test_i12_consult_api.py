"""Partshøring on the API: the decision endpoint applies the § 19 rule, and
/api/v1/consultations/ reads with the pages' policy and audit."""

import datetime as dt

import pytest
from django.utils import timezone

from samplan.cases import consultations
from samplan.cases.models import Consultation, Decision
from samplan.core.models import AuditEvent, Role
from samplan.letters import services as letter_services
from tests.factories import make_citizen, make_user, walk_case
from tests.test_i12_docs import logged_in as api


@pytest.fixture
def world(org, users):
    cw = users[Role.CASEWORKER]
    citizen = make_citizen(org, caseworker=cw, user=users[Role.CITIZEN], coordinator=users[Role.COORDINATOR])
    case = walk_case(cw, citizen, org, until="awaiting_decision")["case"]
    deadline = timezone.localdate() + dt.timedelta(days=14)
    draft_letter = letter_services.start_consultation(cw, case, facts="Kladde", response_deadline=deadline)
    sent_letter = letter_services.start_consultation(cw, case, facts="Sendt", response_deadline=deadline)
    sent_letter = letter_services.approve_and_send(cw, sent_letter, expected_version=sent_letter.row_version)
    letter_services.record_delivery(sent_letter.pk, backend="outbox", receipt={"reference": "r"})
    return {
        "case": case,
        "citizen": citizen,
        "draft": Consultation.objects.get(pk=draft_letter.consultation_id),
        "sent": Consultation.objects.get(pk=sent_letter.consultation_id),
    }


def decision_body(world, **kw) -> dict:
    return {
        "case": world["case"].pk,
        "outcome": "refused",
        "legal_basis": "§85",
        "justification": "Behovet dækkes andetsteds",
        "decided_at": timezone.localdate().isoformat(),
    } | kw


def test_api_refusal_follows_the_same_rule(users, world):
    client = api(users[Role.CASEWORKER])
    refused = client.post("/api/v1/decisions/", decision_body(world), content_type="application/json")
    assert refused.status_code == 400 and "kræver partshøring" in refused.content.decode()
    waiting = client.post(
        "/api/v1/decisions/", decision_body(world, consultation=world["sent"].pk), content_type="application/json"
    )
    assert waiting.status_code == 400 and "ikke udløbet" in waiting.content.decode()
    consultations.answer_on_min_side(users[Role.CITIZEN], world["sent"], text="Mit svar")
    ok = client.post("/api/v1/decisions/", decision_body(world, consultation=world["sent"].pk), content_type="application/json")
    assert ok.status_code == 201, ok.content
    assert ok.json()["consultation"] == world["sent"].pk and ok.json()["partial"] is False


def test_api_partial_grant_with_reason(users, world):
    body = decision_body(world, outcome="granted", partial=True, consultation_not_needed_reason="Borgeren kender oplysningerne")
    response = api(users[Role.CASEWORKER]).post("/api/v1/decisions/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    d = Decision.objects.get(case=world["case"])
    assert d.partial and d.consultation_not_needed_reason == "Borgeren kender oplysningerne"


def test_api_full_grant_needs_no_consultation(users, world):
    body = decision_body(world, outcome="granted")
    assert api(users[Role.CASEWORKER]).post("/api/v1/decisions/", body, content_type="application/json").status_code == 201


@pytest.mark.parametrize(
    ("role", "draft", "sent"),
    [
        (Role.CASEWORKER, True, True),
        (Role.COORDINATOR, True, True),
        (Role.CITIZEN, False, True),
        (Role.PROVIDER_STAFF, False, False),
        (Role.MANAGER, False, False),
        (Role.RELATIVE, False, False),
    ],
)
def test_who_reads_which_consultation(users, world, role, draft, sent):
    client = api(users[role])
    ids = {row["id"] for row in client.get("/api/v1/consultations/").json()["results"]}
    assert (world["draft"].pk in ids) is draft
    assert (world["sent"].pk in ids) is sent
    assert client.get(f"/api/v1/consultations/{world['sent'].pk}/").status_code == (200 if sent else 404)


def test_other_unit_caseworker_and_other_citizen_see_none(org, world):
    other_cw = make_user(Role.CASEWORKER, org, unit=org["other_team"])
    other_citizen = make_user(Role.CITIZEN, org)
    make_citizen(org, user=other_citizen)
    for user in (other_cw, other_citizen):
        assert api(user).get(f"/api/v1/consultations/{world['sent'].pk}/").status_code == 404
        assert api(user).get("/api/v1/consultations/").json()["results"] == []


def test_reads_are_audited_with_the_citizen(users, world):
    client = api(users[Role.CASEWORKER])
    reads = AuditEvent.objects.filter(citizen_id_ref=world["citizen"].pk, object_type="cases.Consultation")
    before = reads.count()
    detail = client.get(f"/api/v1/consultations/{world['sent'].pk}/")
    assert detail.status_code == 200 and detail.json()["facts"] == "Sendt"
    assert reads.count() == before + 1
    client.get("/api/v1/consultations/", {"citizen": world["citizen"].pk})
    assert reads.count() == before + 2
