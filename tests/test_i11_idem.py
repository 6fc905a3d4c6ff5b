"""Issue 11, point 5: no duplicates. A page's form token and the API's Idempotency-Key make a
create happen once per submit; database constraints (one active grant version per decision
and service, one active order per grant) stop a second even without them, also in a race."""

import datetime as dt
import re
import uuid

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from samplan.cases import services
from samplan.cases.models import ActiveGrantService, Case, FollowUp, Grant, Inquiry, Order
from samplan.core import idempotency
from samplan.core.models import Role, SubmitRecord
from samplan.plans.models import Agreement
from samplan.standards.loader import load_standards
from samplan.standards.models import QualityStandard
from tests.factories import PASSWORD, grant_spec, make_citizen, make_user, walk_case

API = "/api/v1"
TOKEN_RE = re.compile(r'<input type="hidden" name="form_token" value="([0-9a-f]{32})">')


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _token_of(response) -> str:
    found = TOKEN_RE.findall(response.content.decode())
    assert found, "the form carries no form_token"
    return found[0]


@pytest.fixture
def cw(users):
    return users[Role.CASEWORKER]


@pytest.fixture
def citizen(org, users, cw):
    return make_citizen(org, caseworker=cw, user=users[Role.CITIZEN], coordinator=users[Role.COORDINATOR], first_name="Ida")


# --- Pages: the form token ------------------------------------------------------------------


def test_inquiry_form_sent_twice_makes_one_inquiry_and_one_case(client, cw, citizen):
    _login(client, cw)
    url = reverse("inquiry-create", args=[citizen.pk])
    records_before = SubmitRecord.objects.count()
    token = _token_of(client.get(url))
    assert SubmitRecord.objects.count() == records_before  # a GET stores nothing
    data = {"source": "citizen", "reason": "Brug for hjælp", "received_at": "2026-01-05T10:00", "form_token": token}

    first = client.post(url, data)
    second = client.post(url, data)

    case = Case.objects.get(citizen=citizen)  # exactly one
    assert Inquiry.objects.filter(case__citizen=citizen).count() == 1
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == reverse("case-detail", args=[case.pk])
    page = client.get(second["Location"]).content.decode()
    assert "Formularen var allerede sendt; der er ikke oprettet en ny." in page
    record = SubmitRecord.objects.get(key=token)
    assert (record.user, record.object_type, record.object_id) == (cw, "cases.Inquiry", str(case.inquiry.pk))


def test_a_refused_form_can_be_sent_again_with_its_token(client, cw, citizen):
    """A refused submit created nothing, so its claim is rolled back: the corrected form
    (same token) creates, and only then does the token replay."""
    _login(client, cw)
    url = reverse("inquiry-create", args=[citizen.pk])
    token = uuid.uuid4().hex
    refused = client.post(url, {"source": "citizen", "reason": "", "received_at": "2026-01-05T10:00", "form_token": token})
    assert refused.status_code == 400 and not SubmitRecord.objects.filter(key=token).exists()
    data = {"source": "citizen", "reason": "Brug for hjælp", "received_at": "2026-01-05T10:00", "form_token": token}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert Case.objects.filter(citizen=citizen).count() == 1


def test_without_a_token_the_form_still_works_unprotected(client, cw, citizen):
    _login(client, cw)
    url = reverse("inquiry-create", args=[citizen.pk])
    data = {"source": "citizen", "reason": "Brug for hjælp", "received_at": "2026-01-05T10:00"}
    assert client.post(url, data).status_code == client.post(url, data).status_code == 302
    assert Case.objects.filter(citizen=citizen).count() == 2


def test_agreement_form_sent_twice_makes_one_agreement(client, org, cw, citizen):
    walk_case(cw, citizen, org, until="grant")
    _login(client, cw)
    token = _token_of(client.get(reverse("plan-detail", args=[citizen.pk])))
    url = reverse("plan-agreement-add", args=[citizen.pk])
    data = {"agreement-who": "Ida", "agreement-what": "Ringer til lægen", "form_token": token}

    first = client.post(url, data)
    second = client.post(url, data)

    assert Agreement.objects.filter(plan__citizen=citizen).count() == 1
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    # With HTMX the replay moves the whole page (the first result and the message).
    third = client.post(url, data, headers={"HX-Request": "true"})
    assert third["HX-Redirect"] == first["Location"]
    assert Agreement.objects.filter(plan__citizen=citizen).count() == 1


def test_grant_form_sent_twice_makes_one_grant_and_one_set_of_follow_ups(client, org, cw, citizen):
    out = walk_case(cw, citizen, org, until="granted")
    _login(client, cw)
    url = reverse("grant-create", args=[out["case"].pk])
    spec = grant_spec(org, out["condition"])
    data = {
        "form_token": _token_of(client.get(url)),
        "legal_basis": "§85",
        "services": [spec.services[0].pk],
        "offer": org["provider"].pk,
        "scope_amount": "20",
        "scope_unit": spec.scope_unit,
        "start_date": timezone.localdate().isoformat(),
        "primary_target_group": spec.primary_target_group.pk,
        "goal_type": spec.goals[0].goal_type.pk,
        "target_level": 1,
        "goal_condition": out["condition"].pk,
    }
    first = client.post(url, data)
    assert first.status_code == 302, first.content.decode()[:3000]
    second = client.post(url, data)
    assert second.status_code == 302 and second["Location"] == first["Location"]
    grant = Grant.objects.get(case=out["case"])
    assert grant.status == Grant.Status.ACTIVE
    assert FollowUp.objects.filter(grant__case=out["case"]).count() == grant.follow_ups.count() > 0


def test_every_create_form_renders_a_fresh_hidden_token(client, org, users, cw, citizen):
    """Every create form covered carries the token, so browsers always send one."""
    load_standards(org["municipality"])
    out = walk_case(cw, citizen, org, until="order")
    pending = make_citizen(org, caseworker=cw, first_name="Karl")
    waiting = walk_case(cw, pending, org, until="granted")
    spec = grant_spec(org, waiting["condition"], amount="80")
    spec.deviation_justification = "Borgeren har brug for mere støtte i overgangen."
    pending_grant = services.create_grant(cw, waiting["decision"], spec)
    assert pending_grant.status == Grant.Status.PENDING
    undecided = walk_case(cw, make_citizen(org, caseworker=cw, first_name="Lise"), org, until="awaiting_decision")
    follow_up = out["grant"].follow_ups.first()
    standard = QualityStandard.objects.filter(municipality=org["municipality"]).first()
    pages = {
        cw: [
            reverse("citizen-create"),
            reverse("inquiry-create", args=[citizen.pk]),
            reverse("decision-create", args=[undecided["case"].pk]),
            reverse("grant-create", args=[out["case"].pk]),
            reverse("grant-change", args=[out["grant"].pk]),
            reverse("order-create", args=[out["grant"].pk]),
            reverse("follow-up", args=[follow_up.pk]),
            reverse("plan-detail", args=[citizen.pk]),
            reverse("meeting-create", args=[citizen.pk]),
            reverse("citizen-consents", args=[citizen.pk]),
            reverse("citizen-network", args=[citizen.pk]),
            reverse("citizen-recovery", kwargs={"citizen_pk": citizen.pk}),
            reverse("extra-costs", args=[citizen.pk]),
        ],
        users[Role.COMMITTEE]: [reverse("committee-review", args=[pending_grant.pk])],
        users[Role.CATALOGUE_EDITOR]: [reverse("catalogue-create")],
        users[Role.ADMIN]: [reverse("standard-new-version", args=[standard.pk])],
        users[Role.CITIZEN]: [reverse("my-recovery-new"), reverse("my-consents"), reverse("my-plan")],
    }
    for user, urls in pages.items():
        client.logout()
        _login(client, user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            first, again = _token_of(response), _token_of(client.get(url))
            assert first != again, url  # a fresh one per rendering
    assert not SubmitRecord.objects.exists()


# --- API: Idempotency-Key ------------------------------------------------------------------


def _api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def _grant_body(org, out, amount="20") -> dict:
    spec = grant_spec(org, out["condition"], amount=amount)
    return {
        "decision": out["decision"].pk,
        "legal_basis": "§85",
        "services": [s.pk for s in spec.services],
        "offer": org["provider"].pk,
        "scope_amount": amount,
        "scope_unit": spec.scope_unit,
        "start_date": timezone.localdate().isoformat(),
        "primary_target_group": spec.primary_target_group.pk,
        "goals": [{"goal_type": spec.goals[0].goal_type.pk, "target_level": 1, "condition": out["condition"].pk}],
    }


def _error_shape(body: dict) -> None:
    assert set(body) == {"kode", "besked", "fejl", "fejlkoder"}, body


def test_api_grant_twice_with_one_key_makes_one_grant_and_replays_the_response(org, cw, citizen):
    out = walk_case(cw, citizen, org, until="granted")
    api = _api(cw)
    body = _grant_body(org, out)
    headers = {"Idempotency-Key": str(uuid.uuid4())}

    first = api.post(f"{API}/grants/", body, format="json", headers=headers)
    second = api.post(f"{API}/grants/", body, format="json", headers=headers)

    assert first.status_code == second.status_code == 201, first.json()
    assert first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true" and not first.has_header("Idempotent-Replayed")
    assert Grant.objects.filter(decision=out["decision"]).count() == 1

    other = api.post(f"{API}/grants/", _grant_body(org, out, amount="25"), format="json", headers=headers)
    assert other.status_code == 422
    _error_shape(other.json())
    assert other.json()["kode"] == "idempotency_key_reused"
    assert Grant.objects.filter(decision=out["decision"]).count() == 1


def test_an_idempotency_key_is_per_user(org, cw, citizen):
    """Another user's identical key is theirs: nothing of the first user's is replayed."""
    out = walk_case(cw, citizen, org, until="granted")
    colleague = make_user(Role.CASEWORKER, org)
    key = {"Idempotency-Key": "faelles-noegle"}
    assert _api(cw).post(f"{API}/grants/", _grant_body(org, out), format="json", headers=key).status_code == 201
    other = _api(colleague).post(f"{API}/grants/", _grant_body(org, out), format="json", headers=key)
    assert other.status_code == 409 and other.json()["kode"] == "duplicate"  # refused by the rule, not replayed
    assert SubmitRecord.objects.filter(key="faelles-noegle").count() == 1


def test_a_malformed_idempotency_key_is_refused(org, cw, citizen):
    out = walk_case(cw, citizen, org, until="granted")
    r = _api(cw).post(f"{API}/grants/", _grant_body(org, out), format="json", headers={"Idempotency-Key": "x" * 101})
    assert r.status_code == 400
    _error_shape(r.json())
    assert "Idempotency-Key" in r.json()["fejl"]
    assert not Grant.objects.filter(decision=out["decision"]).exists()


def test_api_grant_twice_without_a_key_second_is_refused_409(org, cw, citizen):
    out = walk_case(cw, citizen, org, until="granted")
    api = _api(cw)
    first = api.post(f"{API}/grants/", _grant_body(org, out), format="json")
    assert first.status_code == 201, first.json()
    follow_ups = FollowUp.objects.filter(grant__decision=out["decision"]).count()

    second = api.post(f"{API}/grants/", _grant_body(org, out), format="json")

    assert second.status_code == 409
    _error_shape(second.json())
    assert second.json()["kode"] == "duplicate"
    assert "allerede en aktiv bevilling" in second.json()["besked"]
    assert Grant.objects.filter(decision=out["decision"], status=Grant.Status.ACTIVE).count() == 1
    assert Grant.objects.filter(decision=out["decision"]).count() == 1  # the refused one is rolled back
    assert FollowUp.objects.filter(grant__decision=out["decision"]).count() == follow_ups > 0


def test_api_order_twice_second_is_refused_409(org, cw, citizen):
    out = walk_case(cw, citizen, org, until="grant")
    api = _api(cw)
    body = {"grant": out["grant"].pk, "purpose": "Støtte", "goals": "Handler selv ind"}
    assert api.post(f"{API}/orders/", body, format="json").status_code == 201
    second = api.post(f"{API}/orders/", body, format="json")
    assert second.status_code == 409 and second.json()["kode"] == "duplicate"
    assert Order.objects.filter(grant=out["grant"]).count() == 1


def test_the_schema_documents_the_header_on_creates(client, cw):
    _login(client, cw)
    schema = client.get(f"{API}/schema/", headers={"Accept": "application/json"})
    assert schema.status_code == 200
    text = schema.content.decode()
    import json

    doc = json.loads(text) if text.lstrip().startswith("{") else None
    if doc is None:
        import yaml

        doc = yaml.safe_load(text)
    for path in ("/api/v1/grants/", "/api/v1/inquiries/", "/api/v1/orders/", "/api/v1/decisions/", "/api/v1/citizens/"):
        params = doc["paths"][path]["post"].get("parameters", [])
        header = [p for p in params if p["in"] == "header" and p["name"] == idempotency.HEADER]
        assert header and not header[0].get("required", False), path
        assert "422" in doc["paths"][path]["post"]["responses"], path


# --- The database's own rules -----------------------------------------------------------------


def test_the_database_refuses_a_second_active_grant_of_a_service_on_a_decision(org, cw, citizen):
    out = walk_case(cw, citizen, org, until="grant")
    slot = ActiveGrantService.objects.get(grant=out["grant"])
    with pytest.raises(IntegrityError), transaction.atomic():
        ActiveGrantService.objects.create(decision=slot.decision, service=slot.service, grant=out["grant"])


def test_the_database_refuses_a_second_active_order_on_a_grant(org, cw, citizen):
    out = walk_case(cw, citizen, org, until="order")
    with pytest.raises(IntegrityError), transaction.atomic():
        Order.objects.create(grant=out["grant"], citizen=citizen, provider=org["provider"], purpose="x", goals="y", created_by=cw)


def test_a_change_moves_the_service_to_the_new_version_and_ending_frees_it(org, cw, citizen):
    out = walk_case(cw, citizen, org, until="grant")
    spec = grant_spec(org, out["condition"], amount="25")
    spec.change_reason = "Mere støtte"
    new = services.change_grant(cw, out["grant"], spec)
    assert list(ActiveGrantService.objects.values_list("grant_id", flat=True)) == [new.pk]
    services.end_grant(cw, new, on=timezone.localdate())
    assert not ActiveGrantService.objects.exists()
    again = services.create_grant(cw, out["decision"], grant_spec(org, out["condition"], start=timezone.localdate()))
    assert again.status == Grant.Status.ACTIVE


def test_a_second_grant_of_the_service_is_a_conflict_for_the_service(org, cw, citizen):
    out = walk_case(cw, citizen, org, until="grant")
    with pytest.raises(services.ConflictError) as refused:
        services.create_grant(cw, out["decision"], grant_spec(org, out["condition"], start=timezone.localdate()))
    assert refused.value.code == "duplicate"
    assert Grant.objects.filter(decision=out["decision"]).count() == 1


def test_purge_deletes_old_records_only(cw):
    from django.core.management import call_command

    old = SubmitRecord.objects.create(user=cw, channel=SubmitRecord.Channel.WEB, key=uuid.uuid4().hex)
    SubmitRecord.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=40))
    new = SubmitRecord.objects.create(user=cw, channel=SubmitRecord.Channel.WEB, key=uuid.uuid4().hex)
    call_command("purge_submit_records", days=30)
    assert list(SubmitRecord.objects.values_list("pk", flat=True)) == [new.pk]


# --- A real race on PostgreSQL ----------------------------------------------------------------

THREADS = 10


def _race(send) -> list[tuple[int, dict | str | None]]:
    """THREADS callers ``send()`` at the same moment, each on its own connection."""
    import threading

    from django.db import connections

    barrier = threading.Barrier(THREADS, timeout=60)
    results: list[tuple[int, dict | str | None]] = []
    lock = threading.Lock()

    def worker() -> None:
        try:
            barrier.wait()
            outcome = send()
        except Exception as error:  # a server error the test client re-raised
            outcome = (500, repr(error))
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


ON_POSTGRES = pytest.mark.skipif(
    "postgresql" not in __import__("django.conf").conf.settings.DATABASES["default"]["ENGINE"],
    reason="real concurrent transactions need PostgreSQL; SQLite serialises all writers anyway",
)


@pytest.mark.postgres
@ON_POSTGRES
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("with_key", [False, True], ids=["no-key", "same-key"])
def test_ten_concurrent_grant_creates_make_one_grant_and_no_server_error(org, with_key):
    cw = make_user(Role.CASEWORKER, org)
    citizen = make_citizen(org, caseworker=cw, first_name="Race")
    out = walk_case(cw, citizen, org, until="granted")
    headers = {"Idempotency-Key": str(uuid.uuid4())} if with_key else {}

    body = _grant_body(org, out)

    def send():
        response = _api(cw).post(f"{API}/grants/", body, format="json", headers=headers)
        return response.status_code, response.json()

    results = _race(send)

    statuses = sorted(code for code, _ in results)
    grants = Grant.objects.filter(decision=out["decision"]).count()
    follow_ups = FollowUp.objects.filter(grant__decision=out["decision"]).count()
    print(
        f"\n{THREADS} concurrent POST /grants/ ({'same Idempotency-Key' if with_key else 'no key'}): "
        f"{grants} grant, {follow_ups} follow-ups, statuses {statuses}, "
        f"{sum(code >= 500 for code in statuses)} × 5xx"
    )
    assert grants == 1
    assert Grant.objects.filter(decision=out["decision"], status=Grant.Status.ACTIVE).count() == 1
    assert not [code for code in statuses if code >= 500], results
    assert len(results) == THREADS
    if with_key:
        assert statuses == [201] * THREADS
        # One response, replayed (as JSON: PostgreSQL's jsonb keeps no key order).
        assert all(body == results[0][1] for _, body in results)
    else:
        assert statuses == [201] + [409] * (THREADS - 1)
        assert all(body["kode"] == "duplicate" for code, body in results if code == 409)


@pytest.mark.postgres
@ON_POSTGRES
@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_submits_of_one_inquiry_form_make_one_case(org):
    from django.test import Client

    cw = make_user(Role.CASEWORKER, org)
    citizen = make_citizen(org, caseworker=cw, first_name="Samtidig")
    url = reverse("inquiry-create", args=[citizen.pk])
    data = {"source": "citizen", "reason": "Brug for hjælp", "received_at": "2026-01-05T10:00", "form_token": uuid.uuid4().hex}

    def send():
        client = Client()
        client.force_login(cw)
        response = client.post(url, data)
        return response.status_code, response.get("Location")

    results = _race(send)

    cases = Case.objects.filter(citizen=citizen).count()
    print(f"\n{THREADS} concurrent submits of one inquiry form: {cases} case, statuses {sorted(c for c, _ in results)}")
    assert cases == 1
    assert [code for code, _ in results] == [302] * THREADS
    assert {location for _, location in results} == {reverse("case-detail", args=[Case.objects.get(citizen=citizen).pk])}


def test_the_database_refuses_a_second_draft_assessment_on_a_case(org, cw, citizen):
    out = walk_case(cw, citizen, org, until="assessment")
    with pytest.raises(IntegrityError), transaction.atomic():
        out["case"].assessments.create(assessed_by=cw)


@pytest.mark.postgres
@ON_POSTGRES
@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_decisions_on_one_case_make_one_and_no_server_error(org):
    """Before, the second decision on the case (OneToOne) raised an IntegrityError: a 500."""
    cw = make_user(Role.CASEWORKER, org)
    out = walk_case(cw, make_citizen(org, caseworker=cw, first_name="Afgørelse"), org, until="awaiting_decision")
    body = {
        "case": out["case"].pk,
        "outcome": "granted",
        "legal_basis": "§85",
        "justification": "Behov for støtte",
        "decided_at": timezone.localdate().isoformat(),
    }

    def send():
        response = _api(cw).post(f"{API}/decisions/", body, format="json")
        return response.status_code, response.json()

    results = _race(send)

    statuses = sorted(code for code, _ in results)
    print(f"\n{THREADS} concurrent POST /decisions/ on one case: statuses {statuses}")
    assert Case.objects.get(pk=out["case"].pk).decision is not None
    assert not [code for code in statuses if code >= 500], results
    assert statuses.count(201) == 1 and len(statuses) == THREADS


def test_companion_usage_sent_twice_draws_the_hours_once(client, org, cw, citizen):
    from samplan.calculators.models import CompanionUsage
    from tests.test_calculators import make_companion_grant

    grant = make_companion_grant(cw, citizen, org)
    _login(client, cw)
    url = reverse("companion-ledger", args=[grant.pk])
    data = {"used_on": "2025-02-20", "hours": "1,5", "note": "Biograf", "form_token": _token_of(client.get(url))}
    assert client.post(url, data).status_code == client.post(url, data).status_code == 302
    assert CompanionUsage.objects.filter(grant=grant).count() == 1
