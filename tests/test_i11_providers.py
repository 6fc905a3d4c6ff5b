"""Providers see only their own (issue 11, point 9).

Provider staff see the citizen's card, their own orders, the grant (version) behind each
with its goals and follow-ups, and the shared plan — not the other providers' grants and
orders, the inquiries, assessments, conditions, decisions or other cases. The citizen here
has two grants, each ordered from a different provider."""

import dataclasses

import pytest
from django.test import Client
from django.urls import reverse

from samplan.cases import services
from samplan.cases.models import Assessment, Case, Decision, FollowUp, Grant, Inquiry, InterventionGoal, Order
from samplan.core import policy
from samplan.core.models import Role
from tests.factories import PASSWORD, grant_spec, make_citizen, make_user, walk_case

pytestmark = pytest.mark.django_db

OTHER_WISHES = "Jeg drømmer om at spille i et orkester igen"
OTHER_REASON = "Henvendelse fra egen læge om angst"
OTHER_JUSTIFICATION = "Særlig begrundelse for bostøtte fra Nettet"


@pytest.fixture
def world(org, users):
    cw = users[Role.CASEWORKER]
    citizen = make_citizen(org, caseworker=cw, first_name="Maja")
    ours = walk_case(cw, citizen, org, until="order")
    # A second case of the same citizen, granted and ordered from the other provider, with
    # texts that must not reach the first provider.
    inquiry = services.register_inquiry(cw, citizen, source="gp", reason=OTHER_REASON, received_at=ours["inquiry"].received_at)
    services.record_first_contact(cw, inquiry, ours["inquiry"].received_at)
    assessment = services.start_assessment(cw, inquiry.case)
    condition = services.set_condition(cw, assessment, theme=ours["condition"].theme, functioning_level=2)
    services.complete_assessment(cw, assessment, citizen_wishes=OTHER_WISHES, support_need=ours["assessment"].support_need)
    decision = services.make_decision(
        cw,
        inquiry.case,
        outcome=Decision.Outcome.GRANTED,
        legal_basis="§85",
        justification=OTHER_JUSTIFICATION,
        decided_at=ours["decision"].decided_at,
    )
    spec = dataclasses.replace(grant_spec(org, condition), offer=org["other_provider"])
    other_grant = services.create_grant(cw, decision, spec)
    other_order = services.create_order(cw, other_grant, purpose="Nettets formål", goals="Nettets mål")
    provider = users[Role.PROVIDER_STAFF]
    other_provider = make_user(Role.PROVIDER_STAFF, org, unit=org["other_provider"])
    return {
        "cw": cw,
        "citizen": citizen,
        "provider": provider,
        "other_provider": other_provider,
        "ours": ours,
        "other": {
            "case": inquiry.case,
            "inquiry": inquiry,
            "assessment": assessment,
            "decision": decision,
            "grant": other_grant,
            "order": other_order,
        },
        "org": org,
    }


def _client(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_overview_shows_the_provider_only_their_part(world):
    url = reverse("citizen-overview", args=[world["citizen"].pk])
    page = _client(world["provider"]).get(url)
    assert page.status_code == 200
    html = page.content.decode()
    # Their own order and the grant behind it, with its goals.
    assert "Støtte til indkøb" in html
    assert world["org"]["provider"].name in html
    assert "Indsatsmål:" in html
    # Nothing of the other provider's grant or order, nor of any case's inquiry, assessment
    # or decision (also not their own case's: the provider does not see cases).
    other_name = world["org"]["other_provider"].name
    for text in (other_name, "Nettets formål", OTHER_WISHES, OTHER_REASON, OTHER_JUSTIFICATION):
        assert text not in html, text
    for text in ("Ønsker støtte i hverdagen", "Jeg vil gerne kunne handle ind selv", "Behov for støtte", "Udredning"):
        assert text not in html, text
    assert world["ours"]["case"].case_number not in html
    assert reverse("case-detail", args=[world["ours"]["case"].pk]) not in html


def test_overview_still_shows_the_caseworker_everything(world):
    html = _client(world["cw"]).get(reverse("citizen-overview", args=[world["citizen"].pk])).content.decode()
    for text in (world["org"]["other_provider"].name, OTHER_WISHES, OTHER_REASON, OTHER_JUSTIFICATION):
        assert text in html, text
    assert world["other"]["case"].case_number in html


def test_api_grant_list_as_provider_has_only_their_grants(world):
    for who, mine, theirs in (
        ("provider", world["ours"]["grant"], world["other"]["grant"]),
        ("other_provider", world["other"]["grant"], world["ours"]["grant"]),
    ):
        response = _client(world[who]).get(reverse("api:grant-list"))
        assert response.status_code == 200
        ids = {row["id"] for row in response.json()["results"]}
        assert ids == {mine.pk} and theirs.pk not in ids, who
    cw_ids = {r["id"] for r in _client(world["cw"]).get(reverse("api:grant-list")).json()["results"]}
    assert {world["ours"]["grant"].pk, world["other"]["grant"].pk} <= cw_ids


def test_api_lists_of_the_rest_of_the_case_are_empty_for_the_provider(world):
    client = _client(world["provider"])
    for name in ("case-list", "inquiry-list", "assessment-list", "decision-list"):
        response = client.get(reverse(f"api:{name}"))
        assert response.status_code == 200
        assert response.json()["results"] == [], name
    orders = {r["id"] for r in client.get(reverse("api:order-list")).json()["results"]}
    assert orders == {world["ours"]["order"].pk}
    follow_ups = {r["id"] for r in client.get(reverse("api:follow-up-list")).json()["results"]}
    assert follow_ups == set(FollowUp.objects.filter(grant=world["ours"]["grant"]).values_list("pk", flat=True))
    assert follow_ups


@pytest.mark.parametrize("key", ["grant", "order", "case", "inquiry", "assessment", "decision"])
def test_api_details_of_the_other_provider_are_404(world, key):
    response = _client(world["provider"]).get(reverse(f"api:{key}-detail", args=[world["other"][key].pk]))
    assert response.status_code == 404
    assert response.json()["kode"] == "not_found"


def test_pages_of_the_rest_of_the_case_are_404_own_order_and_grant_reachable(world):
    client = _client(world["provider"])
    ours = world["ours"]
    assert client.get(reverse("assessment", args=[ours["assessment"].pk])).status_code == 404
    assert client.get(reverse("decision-letter", args=[ours["case"].pk])).status_code == 404
    assert client.get(reverse("case-detail", args=[ours["case"].pk])).status_code == 404
    assert client.get(reverse("grant-change", args=[world["other"]["grant"].pk])).status_code == 404
    # Their own: the order page (with the grant and its goals) and the grant through the API.
    order_page = client.get(reverse("order-detail", args=[ours["order"].pk]))
    assert order_page.status_code == 200
    assert ours["grant"].goals.first().goal_type.display in order_page.content.decode()
    assert client.get(reverse("api:grant-detail", args=[ours["grant"].pk])).status_code == 200
    # The grant is known but not theirs to change: 403, not 404.
    assert client.get(reverse("grant-change", args=[ours["grant"].pk])).status_code == 403


def test_policy_visible_and_can_for_provider_staff(world):
    provider, ours, other = world["provider"], world["ours"], world["other"]
    citizen = world["citizen"]
    assert list(policy.visible(provider, Grant.objects.all(), "case__citizen")) == [ours["grant"]]
    assert set(policy.visible(provider, InterventionGoal.objects.all(), "grant__case__citizen")) == set(ours["grant"].goals.all())
    assert list(policy.visible(provider, Order.objects.all())) == [ours["order"]]
    for model in (Case, Inquiry, Assessment, Decision):
        field = "citizen" if model is Case else "case__citizen"
        assert not policy.visible(provider, model.objects.all(), field).exists(), model
    assert policy.can(provider, policy.VIEW, citizen)
    assert policy.can(provider, policy.VIEW, ours["grant"])
    assert policy.decide(provider, policy.VIEW, other["grant"]).status == 404
    assert policy.decide(provider, policy.VIEW, ours["assessment"]).status == 404
    assert policy.decide(provider, policy.VIEW, ours["decision"]).status == 404
    assert policy.decide(provider, policy.WORK_CASE, ours["grant"]).status == 403
    assert not policy.knows_whole_case(provider) and policy.knows_whole_case(world["cw"])
    # The caseworker is unaffected.
    assert set(policy.visible(world["cw"], Grant.objects.all(), "case__citizen")) == {ours["grant"], other["grant"]}


def test_shared_plan_hides_the_other_providers_grant_from_the_provider(world):
    from samplan.plans import services as plans
    from samplan.plans.models import LifeDomain, PlanEffort

    cw, other = world["cw"], world["other"]
    plan = plans.get_or_create_plan(world["citizen"], cw)
    plans.add_goal(
        cw, plan, domain=LifeDomain.SOCIAL, citizen_wording="Spille musik igen", intervention_goal=other["grant"].goals.first()
    )
    plans.add_effort(
        cw, plan, title="Bostøtte i hjemmet", owner_kind=PlanEffort.OwnerKind.GRANT, grant=other["grant"], status="active"
    )
    url = reverse("plan-detail", args=[world["citizen"].pk])
    other_name = world["org"]["other_provider"].name
    mine = _client(world["provider"]).get(url).content.decode()
    # The shared plan's goal and effort are there, the other provider's grant behind them is not.
    assert "Spille musik igen" in mine and "Bostøtte i hjemmet" in mine
    assert other_name not in mine and "Indsatsmål (" not in mine
    full = _client(cw).get(url).content.decode()
    assert other_name in full and "Indsatsmål (" in full
