"""Issue 13 point 3: the provider accepts, proposes a start date or declines an order with a
reason, through the pages and the API; the order page shows the grant's whole period, the
citizen's contact data and the goals; the caseworker sees the answer."""

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from samplan.cases import services
from samplan.cases.models import Order
from samplan.core.locking import EditConflict
from samplan.core.models import AuditEvent
from tests.factories import PASSWORD, make_citizen, walk_case


@pytest.fixture
def cw(users):
    return users["caseworker"]


@pytest.fixture
def staff(users):
    return users["provider_staff"]


@pytest.fixture
def out(org, cw):
    return walk_case(cw, make_citizen(org, caseworker=cw), org, until="order")


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_decline_needs_a_reason_and_is_audited(out, staff):
    order = out["order"]
    with pytest.raises(services.DomainError) as e:
        services.decline_order(staff, order, reason="  ")
    assert e.value.messages == ["Skriv hvorfor tilbuddet afviser bestillingen."]
    services.decline_order(staff, order, reason="Ingen ledig plads før til sommer", version=order.row_version)
    order.refresh_from_db()
    assert (order.status, order.response_reason) == (Order.Status.DECLINED, "Ingen ledig plads før til sommer")
    assert order.responded_at is not None
    event = AuditEvent.objects.filter(object_type="cases.Order", object_id=str(order.pk)).latest("id")
    assert event.after["status"] == "declined" and event.before["status"] == "sent"


def test_a_declined_grant_can_be_ordered_again(out, cw, staff):
    services.decline_order(staff, out["order"], reason="Fuldt booket")
    again = services.create_order(cw, out["grant"], purpose="Støtte", goals="Mål")
    assert again.status == Order.Status.SENT


def test_propose_a_start_within_the_grant_then_accept(out, staff):
    order = out["order"]
    grant = order.grant
    with pytest.raises(services.DomainError):
        services.propose_order_start(staff, order, proposed_start=grant.start_date - dt.timedelta(days=1))
    services.propose_order_start(staff, order, proposed_start=grant.start_date + dt.timedelta(days=14), reason="Ferie")
    order.refresh_from_db()
    assert (order.status, order.proposed_start) == (Order.Status.PROPOSED, grant.start_date + dt.timedelta(days=14))
    services.accept_order(staff, order)
    assert Order.objects.get(pk=order.pk).status == Order.Status.ACCEPTED


def test_a_stale_version_is_an_edit_conflict(out, staff):
    order = out["order"]
    stale = order.row_version
    services.propose_order_start(staff, order, proposed_start=order.grant.start_date, version=stale)
    fresh = Order.objects.get(pk=order.pk)
    with pytest.raises(EditConflict):
        services.decline_order(staff, fresh, reason="Alligevel ikke", version=stale)


def test_order_page_shows_period_contact_and_goals_and_declines(client, out, staff, cw):
    order = out["order"]
    citizen = order.citizen
    _login(client, staff)
    body = client.get(reverse("order-detail", args=[order.pk])).content.decode()
    assert "periode " in body and "uden slutdato" in body
    assert citizen.phone in body and citizen.email in body
    goal = order.grant.goals.get()
    assert f"mod niveau {goal.target_level}" in body
    r = client.post(reverse("order-decline", args=[order.pk]), {"decline-reason": "", "decline-version": order.row_version})
    assert r.status_code == 400
    assert "Dette felt er påkrævet." in r.content.decode() or "skal udfyldes" in r.content.decode()
    r = client.post(
        reverse("order-decline", args=[order.pk]), {"decline-reason": "Ingen ledig plads", "decline-version": order.row_version}
    )
    assert (r.status_code, r["Location"]) == (302, reverse("provider-orders"))
    assert Order.objects.get(pk=order.pk).status == Order.Status.DECLINED
    # The caseworker sees the answer on the case page and the worklist.
    client.logout()
    _login(client, cw)
    case_page = client.get(reverse("case-detail", args=[out["case"].pk])).content.decode()
    assert "afvist af tilbuddet" in case_page and "Ingen ledig plads" in case_page
    assert reverse("order-create", args=[order.grant_id]) in case_page  # free to order again
    worklist = client.get(reverse("worklist")).content.decode()
    answers = worklist[worklist.index('id="order-answers"') : worklist.index('id="inquiries"')]
    assert "Ingen ledig plads" in answers and "Afvist af tilbuddet" in answers


def test_a_stale_page_form_is_a_conflict_409(client, out, staff):
    order = out["order"]
    stale = order.row_version
    services.propose_order_start(staff, order, proposed_start=order.grant.start_date, version=stale)
    _login(client, staff)
    r = client.post(reverse("order-decline", args=[order.pk]), {"decline-reason": "Nej", "decline-version": stale})
    assert r.status_code == 409
    assert Order.objects.get(pk=order.pk).status == Order.Status.PROPOSED


def test_the_order_form_is_prefilled_from_the_grants_goals(client, org, cw):
    granted = walk_case(cw, make_citizen(org, caseworker=cw), org, until="grant")
    _login(client, cw)
    body = client.get(reverse("order-create", args=[granted["grant"].pk])).content.decode()
    goal = granted["grant"].goals.get()
    assert f"{goal.goal_type.display}: {goal.condition.theme.display} fra niveau 3 mod niveau {goal.target_level}" in body


def test_api_propose_and_decline(out, staff, cw):
    order = out["order"]
    api = APIClient()
    api.force_login(staff)
    url = f"/api/v1/orders/{order.pk}"
    r = api.post(f"{url}/decline/", {"reason": ""}, format="json")
    assert r.status_code == 400
    start = order.grant.start_date + dt.timedelta(days=7)
    r = api.post(f"{url}/propose/", {"proposed_start": start.isoformat(), "reason": "Ferie"}, format="json")
    assert r.status_code == 200, r.json()
    assert (r.json()["status"], r.json()["proposed_start"]) == ("proposed", start.isoformat())
    r = api.post(f"{url}/decline/", {"reason": "Nej"}, format="json", HTTP_IF_MATCH='"0"')
    assert r.status_code == 412
    r = api.post(f"{url}/decline/", {"reason": "Ingen plads"}, format="json", HTTP_IF_MATCH=r["ETag"])
    assert r.status_code == 200 and r.json()["response_reason"] == "Ingen plads"
    # The caseworker may read the answer but not give it.
    cw_api = APIClient()
    cw_api.force_login(cw)
    assert cw_api.get(f"{url}/").json()["status"] == "declined"
    assert cw_api.post(f"{url}/decline/", {"reason": "x"}, format="json").status_code == 403
