"""Issue 13's grant defects: §100 banding against the unrounded sum, the competence reason's
unit, §97's target-group exclusion in the evaluation (service, page, API), the target level
not preselected, and a returned grant's change form keeping the deviation justification."""

import dataclasses
import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from samplan.calculators import services as calc
from samplan.cases import services
from samplan.cases.forms import GrantForm
from samplan.cases.models import Grant
from samplan.standards.competence import committee_reasons
from samplan.standards.loader import load_standards
from samplan.standards.models import CompetenceRule
from samplan.standards.rules import Evaluation, Proposal, evaluate
from samplan.terminology import ffb
from tests.factories import PASSWORD, grant_spec, make_citizen, walk_case
from tests.test_calculators import EXTRA_COST_RULES

# --- §100: the threshold sees the unrounded sum --------------------------------------------------


def test_555_99_a_month_is_below_the_yearly_threshold_and_paid_nothing():
    result = calc.extra_cost_payment([("Medicin", Decimal("555.99"))], EXTRA_COST_RULES)
    assert Decimal("555.99") * 12 == Decimal("6671.88")
    assert (result.band, result.payment_kr_month, result.eligible) == ("below", 0, False)
    assert result.exact_total == Decimal("555.99")


def test_556_a_month_is_the_threshold_and_paid_the_first_band():
    result = calc.extra_cost_payment([("Medicin", Decimal("556.00"))], EXTRA_COST_RULES)
    assert (result.band, result.payment_kr_month, result.eligible) == ("1", 1053, True)


# --- The competence reason names its unit --------------------------------------------------------


def test_the_scope_competence_reason_names_the_unit(org):
    CompetenceRule.objects.create(municipality=org["municipality"], legal_basis="§85", max_scope=27)
    reasons = committee_reasons(org["municipality"], "§85", Decimal("30"), "hours_week", Evaluation(), None)
    assert reasons == ["Omfanget er over sagsbehandlerens kompetence (27 timer pr. uge)."]


# --- §97 excludes reduced function due to mental illness or social causes ------------------------


@pytest.fixture
def cw(users):
    return users["caseworker"]


@pytest.fixture
def granted(org, cw):
    load_standards(org["municipality"])
    return walk_case(cw, make_citizen(org, caseworker=cw), org, until="granted")


def _group(display):
    return ffb.branch(ffb.TARGET_GROUPS).get(display=display)


def _start():
    return dt.date(2026, 1, 15)


def _proposal(out, group):
    citizen = out["case"].citizen
    return Proposal(
        citizen=citizen,
        legal_basis="§97",
        scope_amount=Decimal("15"),
        scope_unit="hours_month",
        start_date=_start(),
        assessment=out["assessment"],
        primary_target_group=group,
        other_grants=services.other_active_grants(citizen),
    )


def test_companion_support_for_anxiety_is_outside_the_target_group(granted):
    ev = evaluate(_proposal(granted, _group("Angst")))
    assert ev.eligible is False
    assert ev.needs_justification is True
    assert "Den primære målgruppe »Angst« hører under »Psykiske vanskeligheder«, som Ledsagerordning ikke omfatter." in ev.reasons


@pytest.mark.parametrize("display", ["Social isolation", "Alkoholmisbrug"])
def test_companion_support_for_a_social_problem_is_outside_the_target_group(granted, display):
    ev = evaluate(_proposal(granted, _group(display)))
    assert ev.eligible is False and "Socialt problem" in ev.reasons[-1]


def test_companion_support_for_reduced_mobility_is_within(granted):
    ev = evaluate(_proposal(granted, _group("Mobilitetsnedsættelse")))
    assert (ev.eligible, ev.reasons, ev.service_level) == (True, [], "within")


def test_a_primary_group_not_listed_by_the_standard_is_a_signal(granted):
    ev = evaluate(_proposal(granted, _group("Hørenedsættelse")))
    assert ev.eligible is True
    assert any("»Hørenedsættelse« er ikke blandt standardens målgrupper" in s for s in ev.signals)


def test_the_grant_api_evaluation_takes_the_target_group(granted, cw):
    api = APIClient()
    api.force_login(cw)
    body = {
        "case": granted["case"].pk,
        "legal_basis": "§97",
        "scope_amount": "15",
        "scope_unit": "hours_month",
        "start_date": "2026-01-15",
        "primary_target_group": _group("Angst").pk,
    }
    r = api.post("/api/v1/grants/evaluate/", body, format="json")
    assert r.status_code == 200, r.json()
    assert r.json()["eligible"] is False and r.json()["needs_justification"] is True
    assert "»Psykiske vanskeligheder«" in r.json()["reasons"][0]
    r = api.post("/api/v1/grants/evaluate/", body | {"primary_target_group": _group("Synsnedsættelse").pk}, format="json")
    assert (r.json()["eligible"], r.json()["reasons"]) == (True, [])


def test_the_grant_form_evaluation_takes_the_target_group(client, granted, cw):
    assert client.login(username=cw.username, password=PASSWORD)
    data = {
        "evaluate": "1",
        "legal_basis": "§97",
        "scope_amount": "15",
        "scope_unit": "hours_month",
        "start_date": "2026-01-15",
        "primary_target_group": str(_group("Angst").pk),
    }
    body = client.post(reverse("grant-create", args=[granted["case"].pk]), data).content.decode()
    assert "hører under »Psykiske vanskeligheder«, som Ledsagerordning ikke omfatter." in body


def test_a_grant_for_anxiety_under_97_needs_a_justification(org, granted, cw):
    spec = dataclasses.replace(
        grant_spec(org, granted["condition"], amount="15", legal_basis="§97", start=_start()),
        primary_target_group=_group("Angst"),
    )
    with pytest.raises(services.DomainError) as e:
        services.create_grant(cw, granted["decision"], spec)
    assert any("begrund" in m.lower() for m in e.value.messages), e.value.messages
    grant = services.create_grant(cw, granted["decision"], dataclasses.replace(spec, deviation_justification="Konkret vurdering"))
    assert grant.evaluation["eligible"] is False


# --- The target level is a required choice without a preselection --------------------------------


def test_the_target_level_is_not_preselected(client, granted, cw):
    assert client.login(username=cw.username, password=PASSWORD)
    body = client.get(reverse("grant-create", args=[granted["case"].pk])).content.decode()
    select = re.search(r'<select name="target_level".*?</select>', body, re.S).group(0)
    assert '<option value="" selected>Vælg …</option>' in select
    assert 'value="0" selected' not in select
    form = GrantForm({}, municipality=granted["case"].municipality, assessment=granted["assessment"])
    assert "target_level" in form.errors


# --- A returned grant's change form keeps the deviation justification ----------------------------


def test_a_returned_grant_change_form_prefills_the_deviation_justification(client, org, users, granted, cw):
    # Deviations under §97 are the committee's: the grant goes there, and comes back.
    CompetenceRule.objects.update_or_create(
        municipality=org["municipality"], legal_basis="§97", defaults={"max_scope": None, "deviation_allowed": False}
    )
    spec = dataclasses.replace(
        grant_spec(org, granted["condition"], amount="15", legal_basis="§97", start=_start()),
        primary_target_group=_group("Angst"),
        deviation_justification="Borgeren har brug for mere støtte i en periode",
    )
    grant = services.create_grant(cw, granted["decision"], spec)
    assert grant.status == Grant.Status.PENDING
    services.review_grant(users["committee"], grant, outcome="returned", reason="Omfanget skal begrundes nærmere")
    assert client.login(username=cw.username, password=PASSWORD)
    body = client.get(reverse("grant-change", args=[grant.pk])).content.decode()
    textarea = re.search(r'<textarea name="deviation_justification".*?</textarea>', body, re.S).group(0)
    assert "Borgeren har brug for mere støtte i en periode" in textarea


# --- Services and secondary target groups are checkbox lists with a filter -----------------------


def test_services_and_target_groups_are_checkbox_lists_not_multi_selects(client, granted, cw):
    assert client.login(username=cw.username, password=PASSWORD)
    body = client.get(reverse("grant-create", args=[granted["case"].pk])).content.decode()
    assert '<select name="services"' not in body and '<select name="secondary_target_groups"' not in body
    assert body.count('type="checkbox" name="services"') == ffb.branch(ffb.SERVICES, leaves_only=True).count()
    leaves = ffb.branch(ffb.TARGET_GROUPS, leaves_only=True).count()
    assert body.count('type="checkbox" name="secondary_target_groups"') == leaves
    assert body.count("data-checkbox-filter-input") == 2  # a filter box each, hidden until the script shows it
    assert "Hold Ctrl nede" not in body
    assert "samplan/checkbox-filter.js" in body


def test_two_services_ticked_are_saved(client, org, granted, cw):
    assert client.login(username=cw.username, password=PASSWORD)
    two = list(ffb.branch(ffb.SERVICES, leaves_only=True)[:2])
    goal = granted["condition"]
    data = {
        "legal_basis": "§85",
        "services": [str(s.pk) for s in two],
        "offer": org["provider"].pk,
        "scope_amount": "10",
        "scope_unit": "hours_month",
        "start_date": "2026-01-15",
        "primary_target_group": str(_group("Angst").pk),
        "secondary_target_groups": [str(_group("Depression").pk)],
        "goal_type": ffb.children(ffb.GOAL_TYPES).first().pk,
        "goal_condition": goal.pk,
        "target_level": "1",
    }
    from samplan.core.idempotency import FIELD as FORM_FIELD

    body = client.get(reverse("grant-create", args=[granted["case"].pk])).content.decode()
    token = re.search(rf'name="{FORM_FIELD}" value="([^"]+)"', body)
    if token:
        data[FORM_FIELD] = token.group(1)
    r = client.post(reverse("grant-create", args=[granted["case"].pk]), data)
    assert r.status_code == 302, r.content.decode()[:3000]
    grant = Grant.objects.get(decision=granted["decision"])
    assert set(grant.services.all()) == set(two)
