"""Issue 11, point 6: every number, date and code is checked at the edge — the page form
(the refused form comes back with the Danish message and what was typed), the API (400 in
the error shape naming the field) and, where the rule is an invariant, the database."""

import datetime as dt
import json

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from samplan.cases.models import Grant, Inquiry
from samplan.citizens.models import Citizen
from samplan.core.models import Role
from samplan.meetings.models import NetworkMeeting
from samplan.plans import services as plan_services
from samplan.plans.models import Plan
from samplan.terminology import ffb
from tests.factories import PASSWORD, cpr_for, make_citizen, walk_case

API = "/api/v1"
THREE_MB = "æ" * (3 * 1024 * 1024 // 2)  # 3 MB as UTF-8 (two bytes a character)
RANGE = "Datoen skal ligge mellem 1. januar 2000 og"


@pytest.fixture
def world(org, users):
    cw = users[Role.CASEWORKER]
    citizen = make_citizen(org, caseworker=cw, coordinator=users[Role.COORDINATOR])
    out = walk_case(cw, citizen, org, until="granted")
    return {"cw": cw, "citizen": citizen, "org": org, **out}


def page_client(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def api_client(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def grant_form(world, **changes) -> dict:
    data = {
        "legal_basis": "§85",
        "services": [ffb.branch(ffb.SERVICES, leaves_only=True).first().pk],
        "offer": world["org"]["provider"].pk,
        "scope_amount": "12",
        "scope_unit": "hours_month",
        "start_date": timezone.localdate().isoformat(),
        "end_date": "",
        "primary_target_group": ffb.branch(ffb.TARGET_GROUPS, leaves_only=True).first().pk,
        "goal_type": ffb.children(ffb.GOAL_TYPES).first().pk,
        "goal_condition": world["condition"].pk,
        "target_level": "2",
        "goal_description": "Betale regninger",
        "assessed_hours_week": "",
    }
    return data | changes


def grant_json(world, **changes) -> dict:
    data = {
        "decision": world["decision"].pk,
        "legal_basis": "§85",
        "services": [ffb.branch(ffb.SERVICES, leaves_only=True).first().pk],
        "offer": world["org"]["provider"].pk,
        "scope_amount": "12",
        "scope_unit": "hours_month",
        "start_date": timezone.localdate().isoformat(),
        "primary_target_group": ffb.branch(ffb.TARGET_GROUPS, leaves_only=True).first().pk,
    }
    return data | changes


def evaluate_json(world, **changes) -> dict:
    data = {
        "case": world["case"].pk,
        "legal_basis": "§85",
        "scope_amount": "12",
        "scope_unit": "hours_month",
        "start_date": timezone.localdate().isoformat(),
    }
    return data | changes


# --- The page form: refused with status 400 (the project's answer to a refused form), the
# Danish message on the page and the typed value still in the field. ---------------------

# Taken once, at collection: the posted date and the one looked for in the page must be the
# same even when the run passes midnight (Copenhagen time) in between.
SIXTY_DAYS_AGO = timezone.localdate() - dt.timedelta(days=60)

PAGE_CASES = [
    # (id, url name, object for the URL, form data, Danish message, typed value as rendered)
    ("hours_-5", "grant-create", "case", lambda w: grant_form(w, assessed_hours_week="-5"), "negative", 'value="-5"'),
    ("hours_200", "grant-create", "case", lambda w: grant_form(w, assessed_hours_week="200"), "højst 168 timer", 'value="200"'),
    ("grant_1900", "grant-create", "case", lambda w: grant_form(w, start_date="1900-01-01"), RANGE, 'value="1900-01-01"'),
    (
        "scope_800_hours_month",
        "grant-create",
        "case",
        lambda w: grant_form(w, scope_amount="800"),
        "En måned har højst 744 timer.",
        'value="800"',
    ),
    (
        "inquiry_1800",
        "inquiry-create",
        "citizen",
        lambda w: {"source": "citizen", "reason": "Beholdt anledning", "received_at": "1800-01-01T10:00"},
        RANGE,
        "Beholdt anledning",
    ),
    (
        "decision_1900",
        "decision-create",
        "case",
        lambda w: {"outcome": "granted", "legal_basis": "§85", "justification": "Beholdt", "decided_at": "1900-05-01"},
        RANGE,
        'value="1900-05-01"',
    ),
    ("meeting_1999", "plan-meeting", "citizen", lambda w: {"meeting-next_meeting": "1999-06-01"}, RANGE, 'value="1999-06-01"'),
    (
        "meeting_last_year",
        "plan-meeting",
        "citizen",
        lambda w: {"meeting-next_meeting": SIXTY_DAYS_AGO.isoformat()},
        "Næste møde kan ikke ligge mere end 31 dage tilbage i tiden.",
        f'value="{SIXTY_DAYS_AGO.isoformat()}"',
    ),
    (
        "postcode_abcd",
        "citizen-create",
        None,
        lambda w: {
            "first_name": "Ole",
            "last_name": "Postnummer",
            "cpr": "650390-1234",
            "postcode": "abcd",
            "phone": "",
            "acting_municipality": w["org"]["municipality"].pk,
        },
        "Postnummeret skal være 4 cifre.",
        'value="abcd"',
    ),
    (
        "phone_letters",
        "citizen-create",
        None,
        lambda w: {
            "first_name": "Ole",
            "last_name": "Telefon",
            "cpr": "650390-1234",
            "phone": "ring mig op",
            "acting_municipality": w["org"]["municipality"].pk,
        },
        "Telefonnummeret må kun indeholde cifre og mellemrum",
        'value="ring mig op"',
    ),
    (
        "plan_text_3mb",
        "plan-wishes",
        "citizen",
        lambda w: {"wishes-wishes": THREE_MB},
        "Teksten må højst have 20.000 tegn (den har 1.572.864).",
        THREE_MB,
    ),
]


@pytest.mark.parametrize(
    ("url_name", "target", "data", "message", "typed"), [c[1:] for c in PAGE_CASES], ids=[c[0] for c in PAGE_CASES]
)
def test_page_form_refuses_and_keeps_input(client, world, url_name, target, data, message, typed):
    page_client(client, world["cw"])
    args = [world[target].pk] if target else []
    before = (Grant.objects.count(), Inquiry.objects.count(), Citizen.objects.count())
    response = client.post(reverse(url_name, args=args), data(world))
    body = response.content.decode()
    assert response.status_code == 400, body[:500]
    assert message in body
    assert typed in body
    assert (Grant.objects.count(), Inquiry.objects.count(), Citizen.objects.count()) == before
    assert Plan.objects.filter(citizen=world["citizen"], next_meeting__lt=dt.date(2000, 1, 1)).count() == 0


# --- The API: 400 in the documented error shape, naming the field ---------------------

API_CASES = [
    ("hours_-5", "grants/", lambda w: grant_json(w, assessed_hours_week="-5"), "assessed_hours_week"),
    ("grant_1900", "grants/", lambda w: grant_json(w, start_date="1900-01-01"), "start_date"),
    (
        "inquiry_1800",
        "inquiries/",
        lambda w: {"citizen": w["citizen"].pk, "source": "gp", "reason": "x", "received_at": "1800-01-01T10:00:00+01:00"},
        "received_at",
    ),
    (
        "decision_1900",
        "decisions/",
        lambda w: {
            "case": w["case"].pk,
            "outcome": "granted",
            "legal_basis": "§85",
            "justification": "x",
            "decided_at": "1900-01-01",
        },
        "decided_at",
    ),
    (
        "postcode_abcd",
        "citizens/",
        lambda w: {"first_name": "Ole", "last_name": "Post", "cpr": cpr_for(3999), "postcode": "abcd"},
        "postcode",
    ),
    (
        "grant_scope_200_hours_week",
        "grants/",
        lambda w: grant_json(w, scope_amount="200", scope_unit="hours_week"),
        "scope_amount",
    ),
    (
        "evaluate_scope_8_days_week",
        "grants/evaluate/",
        lambda w: evaluate_json(w, scope_amount="8", scope_unit="days_week"),
        "scope_amount",
    ),
    (
        "goal_target_level_7",
        "grants/",
        lambda w: grant_json(
            w,
            goals=[{"goal_type": ffb.children(ffb.GOAL_TYPES).first().pk, "target_level": 7, "condition": w["condition"].pk}],
        ),
        "goals.0.target_level",
    ),
    (
        "condition_level_-5",
        "assessments/{assessment}/conditions/",
        lambda w: {"theme": ffb.branch(ffb.ACTIVITY_PARTICIPATION, leaves_only=True).first().pk, "functioning_level": -5},
        "functioning_level",
    ),
    ("evaluate_-10h", "grants/evaluate/", lambda w: evaluate_json(w, assessed_hours_week="-10"), "assessed_hours_week"),
    (
        "evaluate_end_before_start",
        "grants/evaluate/",
        lambda w: evaluate_json(w, start_date="2026-03-01", end_date="2026-02-01"),
        "end_date",
    ),
    (
        "inquiry_text_3mb",
        "inquiries/",
        lambda w: {"citizen": w["citizen"].pk, "source": "gp", "reason": THREE_MB, "received_at": timezone.now().isoformat()},
        "reason",
    ),
]


@pytest.mark.parametrize(("path", "data", "field"), [c[1:] for c in API_CASES], ids=[c[0] for c in API_CASES])
def test_api_refuses_with_400_naming_the_field(world, path, data, field):
    before = (Grant.objects.count(), Inquiry.objects.count(), Citizen.objects.count())
    path = path.format(assessment=world["assessment"].pk)
    response = api_client(world["cw"]).post(
        f"{API}/{path}", json.dumps(data(world), ensure_ascii=False), content_type="application/json"
    )
    assert response.status_code == 400, response.content[:500]
    body = response.json()
    assert body["kode"] == "invalid"
    assert set(body) == {"kode", "besked", "fejl", "fejlkoder"}
    assert list(body["fejl"]) == [field], body["fejl"]
    assert all(isinstance(m, str) and m for m in body["fejl"][field])
    assert (Grant.objects.count(), Inquiry.objects.count(), Citizen.objects.count()) == before


def test_evaluate_messages_are_danish(world):
    client = api_client(world["cw"])
    hours = client.post(f"{API}/grants/evaluate/", evaluate_json(world, assessed_hours_week="-10"), format="json").json()
    assert hours["fejl"]["assessed_hours_week"] == ["Timer pr. uge kan ikke være negative."]
    period = client.post(
        f"{API}/grants/evaluate/", evaluate_json(world, start_date="2026-03-01", end_date="2026-02-01"), format="json"
    ).json()
    assert period["fejl"]["end_date"] == ["Slutdatoen kan ikke ligge før startdatoen."]
    assert period["fejlkoder"]["end_date"] == ["end_before_start"]


def test_a_valid_edge_value_is_accepted(world):
    response = api_client(world["cw"]).post(
        f"{API}/grants/evaluate/", evaluate_json(world, assessed_hours_week="168"), format="json"
    )
    assert response.status_code == 200, response.content[:500]


# --- The database: constraints stop what bypasses the edge -----------------------------

DB_CASES = [
    ("grant_hours_-5", lambda w: Grant.objects.filter(pk=w["grant"].pk).update(assessed_hours_week=-5)),
    ("grant_hours_169", lambda w: Grant.objects.filter(pk=w["grant"].pk).update(assessed_hours_week=169)),
    ("goal_target_level_7", lambda w: w["grant"].goals.update(target_level=7)),
    ("grant_scope_800_hours_month", lambda w: Grant.objects.filter(pk=w["grant"].pk).update(scope_amount=800)),
    ("grant_start_1900", lambda w: Grant.objects.filter(pk=w["grant"].pk).update(start_date=dt.date(1900, 1, 1))),
    (
        "inquiry_1800",
        lambda w: Inquiry.objects.filter(pk=w["inquiry"].pk).update(received_at=dt.datetime(1800, 1, 1, tzinfo=dt.UTC)),
    ),
    ("plan_meeting_1999", lambda w: Plan.objects.filter(pk=w["plan"].pk).update(next_meeting=dt.date(1999, 6, 1))),
    (
        "meeting_ends_before_start",
        lambda w: NetworkMeeting.objects.filter(pk=w["meeting"].pk).update(
            starts_at=timezone.now(), ends_at=timezone.now() - dt.timedelta(hours=1)
        ),
    ),
    (
        "meeting_next_1999",
        lambda w: NetworkMeeting.objects.filter(pk=w["meeting"].pk).update(next_meeting_at=dt.date(1999, 6, 1)),
    ),
]


@pytest.fixture
def stored(world):
    from samplan.cases import services
    from tests.factories import grant_spec

    grant = services.create_grant(world["cw"], world["decision"], grant_spec(world["org"], world["condition"]))
    plan = plan_services.get_or_create_plan(world["citizen"], world["cw"])
    meeting = NetworkMeeting.objects.create(citizen=world["citizen"], created_by=world["cw"])
    return world | {"grant": grant, "plan": plan, "meeting": meeting}


@pytest.mark.parametrize("write", [c[1] for c in DB_CASES], ids=[c[0] for c in DB_CASES])
def test_model_constraint_stops_a_direct_write(stored, write):
    with pytest.raises(IntegrityError), transaction.atomic():
        write(stored)
