"""The golden path through the real pages (HTTP), plus form behaviour on bad input."""

import re

import pytest
from django.urls import reverse

from samplan.cases.models import Case, FollowUp, Grant, Order
from samplan.citizens.models import Citizen
from samplan.core.models import AuditEvent
from samplan.terminology import ffb
from tests.factories import PASSWORD, make_citizen, walk_case


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_golden_path_through_pages(client, org, users):
    cw = users["caseworker"]
    login(client, cw)
    r = client.post(
        reverse("citizen-create"),
        {
            "first_name": "Mette",
            "last_name": "Fiktiv",
            "cpr": "650390-1234",
            "phone": "40404040",
            "email": "",
            "address": "Testvej 1",
            "postcode": "2800",
            "city": "Kgs. Lyngby",
            "acting_municipality": org["municipality"].pk,
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    citizen = Citizen.objects.get(last_name="Fiktiv")
    assert citizen.is_substitute_cpr
    r = client.post(
        reverse("inquiry-create", args=[citizen.pk]),
        {"source": "citizen", "reason": "Har brug for hjælp til økonomi", "received_at": "2026-01-05T10:00"},
    )
    assert r.status_code == 302
    case = Case.objects.get(citizen=citizen)
    r = client.post(reverse("case-first-contact", args=[case.pk]), {"first_contact_at": "2026-01-06T09:00"})
    assert r.status_code == 302
    r = client.post(reverse("assessment-start", args=[case.pk]))
    assessment = case.assessments.get()
    assert r.status_code == 302
    ad = ffb.branch(ffb.ACTIVITY_PARTICIPATION, leaves_only=True).first()
    # Missing level on an A&D theme: refused with the Danish rule, typed text kept.
    r = client.post(
        reverse("assessment-condition", args=[assessment.pk]),
        {"add_condition": "1", "theme": ad.pk, "functioning_level": "", "description": "Svært ved at åbne post", "version": "0"},
    )
    assert r.status_code == 400
    body = r.content.decode()
    assert "Angiv funktionsevneniveau" in body and "Svært ved at åbne post" in body
    r = client.post(
        reverse("assessment-condition", args=[assessment.pk]),
        {"add_condition": "1", "theme": ad.pk, "functioning_level": "3", "description": "x", "version": "0"},
    )
    assert r.status_code == 302
    support = ffb.children(ffb.SUPPORT_NEED).first()
    r = client.post(
        reverse("assessment-complete", args=[assessment.pk]),
        {
            "complete": "1",
            "citizen_wishes": "Jeg vil klare mine regninger selv",
            "resources": "",
            "support_need": support.pk,
            "version": "1",
        },
    )
    assert r.status_code == 302
    r = client.post(
        reverse("decision-create", args=[case.pk]),
        {"outcome": "granted", "legal_basis": "§85", "justification": "Behov for støtte", "decided_at": "2026-01-20"},
    )
    assert r.status_code == 302
    condition = assessment.conditions.get()
    grant_data = {
        "legal_basis": "§85",
        "services": [ffb.branch(ffb.SERVICES, leaves_only=True).first().pk],
        "offer": org["provider"].pk,
        "scope_amount": "12",
        "scope_unit": "hours_month",
        "start_date": "2026-02-01",
        "end_date": "",
        "primary_target_group": ffb.branch(ffb.TARGET_GROUPS, leaves_only=True).first().pk,
        "goal_type": ffb.children(ffb.GOAL_TYPES).first().pk,
        "goal_condition": condition.pk,
        "target_level": "2",
        "goal_description": "Betale regninger",
    }
    r = client.post(reverse("grant-create", args=[case.pk]), grant_data)
    assert r.status_code == 302, r.content.decode()[:3000]
    grant = Grant.objects.get(case=case)
    assert FollowUp.objects.get(grant=grant).due_date.isoformat() == "2026-05-01"
    r = client.post(
        reverse("order-create", args=[grant.pk]), {"purpose": "Økonomistøtte", "goals": "Betaler selv regninger inden 3 måneder"}
    )
    assert r.status_code == 302
    order = Order.objects.get(grant=grant)
    r = client.get(reverse("case-detail", args=[case.pk]))
    assert r.status_code == 200 and "Bevilget" in r.content.decode()

    client.logout()
    login(client, users["provider_staff"])
    r = client.get(reverse("provider-orders"))
    assert "Økonomistøtte" in r.content.decode()
    r = client.post(reverse("order-accept", args=[order.pk]))
    order.refresh_from_db()
    assert order.status == Order.Status.ACCEPTED


def test_bad_submit_keeps_input_and_shows_danish_error(client, org, users):
    login(client, users["caseworker"])
    r = client.post(
        reverse("citizen-create"),
        {"first_name": "Ole", "last_name": "Beholdt", "cpr": "310290-1234", "acting_municipality": org["municipality"].pk},
    )
    assert r.status_code == 400
    body = r.content.decode()
    assert "gyldig dato" in body
    assert 'value="Beholdt"' in body and 'value="310290-1234"' in body


def test_citizen_overview_reads_are_audited_once(client, org, users):
    cw = users["caseworker"]
    citizen = make_citizen(org, caseworker=cw)
    walk_case(cw, citizen, org, until="order")
    login(client, cw)
    before = AuditEvent.objects.filter(action="read", citizen_id_ref=citizen.pk).count()
    r = client.get(reverse("citizen-overview", args=[citizen.pk]))
    assert r.status_code == 200
    assert AuditEvent.objects.filter(action="read", citizen_id_ref=citizen.pk).count() == before + 1
    assert citizen.cpr not in r.content.decode()
    assert citizen.masked_cpr in r.content.decode()


def test_reveal_cpr_is_logged(client, org, users):
    cw = users["caseworker"]
    citizen = make_citizen(org, caseworker=cw)
    login(client, cw)
    r = client.post(reverse("citizen-reveal-cpr", args=[citizen.pk]))
    assert f"{citizen.cpr[:6]}-{citizen.cpr[6:]}" in r.content.decode()
    assert (
        AuditEvent.objects.filter(action=AuditEvent.Action.REVEAL_CPR, citizen_id_ref=citizen.pk, username=cw.username).count()
        == 1
    )


@pytest.mark.parametrize("query", ["Søgbar", "søgb", "CPR"])
def test_search_by_name_or_cpr(client, org, users, query):
    cw = users["caseworker"]
    citizen = make_citizen(org, caseworker=cw, first_name="Søgbar")
    login(client, cw)
    q = f"{citizen.cpr[:6]}-{citizen.cpr[6:]}" if query == "CPR" else query
    r = client.post(reverse("citizen-search"), {"q": q})
    assert r.status_code == 200
    assert re.search(rf'href="/borgere/{citizen.pk}/"', r.content.decode())


def test_search_is_audited_without_the_query_text(client, org, users):
    cw = users["caseworker"]
    citizen = make_citizen(org, caseworker=cw)
    login(client, cw)
    client.post(reverse("citizen-search"), {"q": citizen.cpr})
    row = AuditEvent.objects.get(action=AuditEvent.Action.SEARCH, username=cw.username)
    assert row.after == {"results": 1}
    assert citizen.cpr not in str(row.after) + row.path


def test_provider_sees_only_its_own_orders_for_a_shared_citizen(client, org, users):
    """A citizen with orders to two providers: each provider sees only its own order."""
    from samplan.cases import services
    from tests.factories import grant_spec

    cw = users["caseworker"]
    citizen = make_citizen(org, caseworker=cw)
    out = walk_case(cw, citizen, org, until="order")
    second = walk_case(cw, citizen, org, until="granted")
    spec = grant_spec(org, second["condition"])
    spec.offer = org["other_provider"]
    grant = services.create_grant(cw, second["decision"], spec)
    other_order = services.create_order(cw, grant, purpose="Bostøtte", goals="Klarer selv rengøring")
    login(client, users["provider_staff"])
    assert client.get(reverse("order-detail", args=[out["order"].pk])).status_code == 200
    assert client.get(reverse("order-detail", args=[other_order.pk])).status_code == 404
    assert "Bostøtte" not in client.get(reverse("provider-orders")).content.decode()
    api = client.get("/api/v1/orders/").json()
    ids = {o["id"] for o in api["results"]}
    assert out["order"].pk in ids and other_order.pk not in ids


def test_admin_searches_the_audit_trail_by_citizen_and_action(client, org, users):
    cw = users["caseworker"]
    citizen = make_citizen(org, caseworker=cw, first_name="Logget")
    other = make_citizen(org, caseworker=cw)
    login(client, cw)
    client.get(reverse("citizen-overview", args=[citizen.pk]))
    client.get(reverse("citizen-overview", args=[other.pk]))
    client.logout()
    login(client, users["admin"])
    r = client.get(reverse("audit-log"), {"borger": citizen.pk, "handling": "read"})
    assert r.status_code == 200
    page = r.context["page"]
    assert page.paginator.count == 1
    row = page.object_list[0]
    assert (row.citizen_id_ref, row.username, row.action) == (citizen.pk, cw.username, "read")
    assert "Logget" not in r.content.decode()  # the log names ids, not the citizen


def test_manager_sees_figures_without_names(client, org, users):
    cw = users["caseworker"]
    for stage in ("inquiry", "contacted", "order"):
        walk_case(cw, make_citizen(org, caseworker=cw, first_name="Hemmelig"), org, until=stage)
    login(client, users["manager"])
    r = client.get(reverse("aggregates"))
    assert r.status_code == 200
    figures = r.context["figures"]
    assert dict(figures["cases_by_status"])["Henvendelse modtaget"] == 2
    assert figures["active_grants"] == 1
    assert figures["median_days_to_first_contact"] == 1.0
    assert "Hemmelig" not in r.content.decode()


def test_follow_up_and_grant_change_through_pages(client, org, users):
    import datetime as dt

    cw = users["caseworker"]
    citizen = make_citizen(org, caseworker=cw)
    out = walk_case(cw, citizen, org, until="order", start=dt.date(2026, 1, 5))
    login(client, cw)
    first = FollowUp.objects.get(grant=out["grant"])
    goal = out["grant"].goals.get()  # issue 13: the follow-up measures each goal
    measured = {f"level_{goal.pk}": "2", f"attainment_{goal.pk}": "partly"}
    r = client.post(
        reverse("follow-up", args=[first.pk]), {"result": "continue", "done_at": "2026-03-20", "note": "Går godt", **measured}
    )
    assert r.status_code == 302
    yearly = FollowUp.objects.get(grant=out["grant"], status=FollowUp.Status.PLANNED)
    assert (yearly.kind, yearly.due_date.isoformat()) == (FollowUp.Kind.YEARLY, "2027-03-20")
    # Changing the grant: the form starts from the current version; a new version is saved.
    r = client.get(reverse("grant-change", args=[out["grant"].pk]))
    data = {k: v for k, v in r.context["form"].initial.items() if v not in (None, "")}
    data.update(scope_amount="20", start_date="2026-04-01", change_reason="Mere støtte til økonomi")
    r = client.post(reverse("grant-change", args=[out["grant"].pk]), data)
    assert r.status_code == 302, r.content.decode()[:2000]
    v2 = Grant.objects.get(previous=out["grant"])
    assert (v2.version, str(v2.scope_amount)) == (2, "20.00")
    assert FollowUp.objects.get(grant=v2).due_date.isoformat() == "2026-07-01"
    # Without a reason the change is refused and the typed values stay.
    r = client.post(reverse("grant-change", args=[v2.pk]), data | {"change_reason": "", "scope_amount": "31"})
    assert r.status_code == 400 and 'value="31"' in r.content.decode()
