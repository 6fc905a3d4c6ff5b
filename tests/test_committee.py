"""The allocation committee (visitationsudvalget, DOMAIN.md §5, 004:L2116): grants beyond a
caseworker's competence wait for the committee, which approves (the grant takes effect),
rejects or returns them – on the pages and through the API, under the one access policy,
with every step in the audit trail."""

import dataclasses
import datetime as dt
import re
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from samplan.cases import services
from samplan.cases.models import CommitteeReview, FollowUp, Grant, Order
from samplan.core import policy
from samplan.core.models import AuditEvent, Role
from samplan.standards.models import CompetenceRule, QualityStandard, StandardVersion
from tests.factories import PASSWORD, grant_spec, make_citizen, make_org, make_user, walk_case

API = "/api/v1/committee/grants"
NOT_ACTIVE = "Der kan kun bestilles på en aktiv bevilling."


@pytest.fixture
def rule(org):
    """A caseworker may grant §85 up to 27 hours a month and may not deviate from the level."""
    return CompetenceRule.objects.create(
        municipality=org["municipality"], legal_basis="§85", max_scope=27, deviation_allowed=False
    )


@pytest.fixture
def citizen(org, users):
    return make_citizen(org, caseworker=users["caseworker"])


@pytest.fixture
def granted(org, users, citizen, rule):
    """A case with a decision to grant, ready for the grant."""
    return walk_case(users["caseworker"], citizen, org, until="granted")


def propose(org, users, granted, amount="30", **changes):
    spec = dataclasses.replace(grant_spec(org, granted["condition"], amount=amount), **changes)
    return services.create_grant(users["caseworker"], granted["decision"], spec)


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def review_page(client, grant, **data):
    return client.post(reverse("committee-review", args=[grant.pk]), data)


def reload(obj):
    return type(obj).objects.get(pk=obj.pk)


# --- The competence check at saving ----------------------------------------------------------


def test_beyond_competence_is_pending_and_not_in_force(org, users, granted):
    grant = propose(org, users, granted, amount="30")
    assert grant.status == Grant.Status.PENDING
    assert grant.evaluation["committee_reasons"] == ["Omfanget er over sagsbehandlerens kompetence (27 timer pr. måned)."]
    assert not FollowUp.objects.filter(grant=grant).exists()
    with pytest.raises(services.DomainError) as e:
        services.create_order(users["caseworker"], grant, purpose="Støtte", goals="Mål")
    assert NOT_ACTIVE in e.value.messages
    assert not Order.objects.filter(grant=grant).exists()


def test_within_competence_is_active_at_once(org, users, granted):
    grant = propose(org, users, granted, amount="20")
    assert grant.status == Grant.Status.ACTIVE
    assert grant.evaluation["committee_reasons"] == []
    assert FollowUp.objects.get(grant=grant).due_date == grant.start_date + relativedelta(months=3)
    assert services.create_order(users["caseworker"], grant, purpose="Støtte", goals="Mål").grant == grant


def test_the_grant_form_tells_the_caseworker_it_goes_to_the_committee(client, org, users, granted):
    grant = propose(org, users, granted)
    login(client, users["caseworker"])
    body = client.get(reverse("case-detail", args=[granted["case"].pk])).content.decode()
    assert "Afventer visitationsudvalget – bevillingen træder først i kraft, når den er godkendt" in body
    assert "Omfanget er over sagsbehandlerens kompetence (27 timer pr. måned)." in body
    assert reverse("order-create", args=[grant.pk]) not in body  # nothing to order yet
    assert reverse("committee-review", args=[grant.pk]) not in body  # not the caseworker's to review


# --- Who may review ----------------------------------------------------------------------------


def test_committee_sees_the_whole_municipality_caseworker_only_the_unit(org, users, citizen):
    other_team = make_citizen(org, unit=org["other_team"])
    elsewhere = make_citizen(make_org(code="0159", name="Gladsaxe Kommune"))
    committee_sees = set(policy.citizens_for(users["committee"]).values_list("pk", flat=True))
    assert {citizen.pk, other_team.pk} <= committee_sees and elsewhere.pk not in committee_sees
    caseworker_sees = set(policy.citizens_for(users["caseworker"]).values_list("pk", flat=True))
    assert citizen.pk in caseworker_sees and other_team.pk not in caseworker_sees
    no_municipality = make_user(Role.COMMITTEE, org)
    no_municipality.municipality = None
    no_municipality.save()
    assert not policy.citizens_for(no_municipality).exists()


def test_only_the_committee_reviews_and_the_committee_does_not_work_cases(org, users, granted):
    grant = propose(org, users, granted)
    assert policy.can(users["committee"], policy.REVIEW_GRANT, grant)
    assert policy.has_capability(users["committee"], policy.REVIEW_GRANTS)
    assert not policy.can(users["committee"], policy.WORK_CASE, grant)
    assert not policy.can(users["committee"], policy.REVIEW_GRANT, granted["case"])  # grants only
    for role in Role.values:
        if role != Role.COMMITTEE:
            assert not policy.can(users[role], policy.REVIEW_GRANT, grant), role
            assert not policy.has_capability(users[role], policy.REVIEW_GRANTS), role
    gladsaxe = make_org(code="0159", name="Gladsaxe Kommune")
    assert not policy.can(make_user(Role.COMMITTEE, gladsaxe), policy.REVIEW_GRANT, grant)


def test_caseworker_is_refused_the_queue_and_the_review(client, org, users, granted):
    grant = propose(org, users, granted)
    login(client, users["caseworker"])
    assert client.get(reverse("committee-queue")).status_code == 403
    assert client.get(reverse("committee-review", args=[grant.pk])).status_code == 403
    assert review_page(client, grant, outcome="approved", reason="Godkendt af mig selv").status_code == 403
    assert reload(grant).status == Grant.Status.PENDING
    assert not CommitteeReview.objects.exists()


def test_committee_of_another_municipality_does_not_find_the_grant(client, org, users, granted):
    grant = propose(org, users, granted)
    login(client, make_user(Role.COMMITTEE, make_org(code="0159", name="Gladsaxe Kommune")))
    assert grant.case.case_number not in client.get(reverse("committee-queue")).content.decode()
    assert client.get(reverse("committee-review", args=[grant.pk])).status_code == 404
    assert review_page(client, grant, outcome="approved", reason="x").status_code == 404
    assert reload(grant).status == Grant.Status.PENDING


def test_committee_member_lands_on_the_queue_with_a_nav_link(client, users):
    login(client, users["committee"])
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("committee-queue")
    assert f'href="{reverse("committee-queue")}"' in client.get(reverse("committee-queue")).content.decode()
    client.logout()
    login(client, users["caseworker"])
    assert f'href="{reverse("committee-queue")}"' not in client.get(reverse("worklist")).content.decode()


# --- The queue -----------------------------------------------------------------------------------


def test_queue_lists_pending_grants_of_the_municipality_oldest_first(client, org, users, citizen, granted):
    first = propose(org, users, granted, amount="30")
    # A second pending grant, from another team's caseworker and citizen of the municipality.
    other_cw = make_user(Role.CASEWORKER, org, unit=org["other_team"])
    other = walk_case(other_cw, make_citizen(org, unit=org["other_team"], caseworker=other_cw), org, until="granted")
    second = services.create_grant(other_cw, other["decision"], grant_spec(org, other["condition"], amount="40"))
    in_force = propose(org, users, walk_case(users["caseworker"], citizen, org, until="granted"), amount="10")
    assert (first.status, second.status, in_force.status) == (Grant.Status.PENDING, Grant.Status.PENDING, Grant.Status.ACTIVE)

    login(client, users["committee"])
    response = client.get(reverse("committee-queue"))
    assert response.status_code == 200
    body = response.content.decode()
    rows = re.findall(r'<tr id="pending-(\d+)"', body)
    assert rows == [str(first.pk), str(second.pk)]
    for grant in (first, second):
        assert reverse("committee-review", args=[grant.pk]) in body
        assert reverse("case-detail", args=[grant.case_id]) in body and grant.case.case_number in body
        assert reverse("citizen-overview", args=[grant.case.citizen_id]) in body
    assert "30 timer pr. måned" in body and "40 timer pr. måned" in body
    assert body.count("Omfanget er over sagsbehandlerens kompetence (27 timer pr. måned).") == 2
    assert timezone.localdate().strftime("%d.%m.%Y") in body


@pytest.fixture
def standard(org):
    """§85 with a service level of at most 20 hours a month, packages and follow-up after 3 months."""
    qs = QualityStandard.objects.create(municipality=org["municipality"], key="§85", legal_bases=["§85"])
    return StandardVersion.objects.create(
        standard=qs,
        version=1,
        title="Socialpædagogisk støtte",
        adopted_on=dt.date(2019, 6, 1),
        revision_due=dt.date(2030, 1, 1),
        target_group_text="Voksne",
        content="Støtte i eget hjem",
        citizen_summary="Du kan få støtte.",
        scope_unit="hours_month",
        level_max=Decimal("20"),
        follow_up_first_months=3,
        follow_up_every_months=12,
        rules={"packages": [{"code": "P4", "label": "Pakke 4", "up_to": 27}, {"code": "P5", "label": "Pakke 5", "up_to": None}]},
    )


def test_queue_and_review_page_show_the_standard_and_the_justification(client, org, users, granted, standard):
    grant = propose(
        org, users, granted, amount="30", deviation_justification="Borgeren er netop udskrevet og har brug for ekstra støtte"
    )
    assert grant.status == Grant.Status.PENDING and grant.service_level == Grant.ServiceLevel.ABOVE and grant.package == "P5"
    assert "Afvigelser fra serviceniveauet afgøres af visitationsudvalget." in grant.evaluation["committee_reasons"]
    login(client, users["committee"])
    body = client.get(reverse("committee-queue")).content.decode()
    assert "Over serviceniveauet" in body and "P5" in body
    assert "Borgeren er netop udskrevet og har brug for ekstra støtte" in body
    assert "Afvigelser fra serviceniveauet afgøres af visitationsudvalget." in body

    before = AuditEvent.objects.filter(action=AuditEvent.Action.READ, object_type="cases.Grant", object_id=str(grant.pk)).count()
    response = client.get(reverse("committee-review", args=[grant.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert (
        AuditEvent.objects.filter(action=AuditEvent.Action.READ, object_type="cases.Grant", object_id=str(grant.pk)).count()
        == before + 1
    )
    for text in (
        "Socialpædagogisk støtte",
        "Over serviceniveauet",
        "30 timer pr. måned er over serviceniveauet på højst 20 timer pr. måned.",
        "Pakke 5",
        "Borgeren er netop udskrevet",
        "Omfanget er over sagsbehandlerens kompetence (27 timer pr. måned).",
        (grant.start_date + relativedelta(months=3)).strftime("%d.%m.%Y"),
        grant.services.get().display,
        grant.goals.get().goal_type.display,
        grant.target_groups.get().target_group.display,
        "Godkend",
        "Afvis",
        "Send retur",
    ):
        assert text in body, text

    r = review_page(client, grant, outcome="approved", reason="Udskrivningen begrunder den ekstra støtte")
    assert r.status_code == 302
    grant.refresh_from_db()
    assert grant.status == Grant.Status.ACTIVE
    # The standard decides the follow-up: first after 3 months.
    assert [f.due_date for f in grant.follow_ups.all()] == [grant.start_date + relativedelta(months=3)]


# --- Reviewing on the pages ----------------------------------------------------------------------


def test_approve_puts_the_grant_in_force(client, org, users, granted):
    start = timezone.localdate() - dt.timedelta(days=3)
    grant = propose(org, users, granted, start_date=start)
    assert grant.standard_version is None
    login(client, users["committee"])
    r = review_page(client, grant, outcome="approved", reason="Behovet er veldokumenteret")
    assert r.status_code == 302 and r["Location"] == reverse("committee-queue")
    page = client.get(r["Location"]).content.decode()
    assert f"Bevillingen på sag {grant.case.case_number} er godkendt og trådt i kraft." in page
    assert 'id="pending-' not in page

    grant.refresh_from_db()
    assert grant.status == Grant.Status.ACTIVE
    follow_up = FollowUp.objects.get(grant=grant)
    assert (follow_up.kind, follow_up.status, follow_up.due_date) == (
        FollowUp.Kind.FIRST,
        FollowUp.Status.PLANNED,
        start + relativedelta(months=3),
    )
    review = grant.reviews.get()
    assert (review.outcome, review.reason, review.reviewed_by) == ("approved", "Behovet er veldokumenteret", users["committee"])
    order = services.create_order(users["caseworker"], grant, purpose="Støtte i hjemmet", goals="Handler selv ind")
    assert order.status == Order.Status.SENT

    client.logout()
    login(client, users["caseworker"])
    body = client.get(reverse("case-detail", args=[grant.case_id])).content.decode()
    assert "Godkendt" in body and "Behovet er veldokumenteret" in body
    assert "Afventer visitationsudvalget" not in body


def test_reject_leaves_nothing_in_force(client, org, users, granted):
    grant = propose(org, users, granted)
    login(client, users["committee"])
    r = review_page(client, grant, outcome="rejected", reason="Behovet kan dækkes af et gruppeforløb")
    assert r.status_code == 302
    grant.refresh_from_db()
    assert grant.status == Grant.Status.REJECTED
    assert not FollowUp.objects.filter(grant=grant).exists()
    with pytest.raises(services.DomainError):
        services.create_order(users["caseworker"], grant, purpose="Støtte", goals="Mål")
    with pytest.raises(services.DomainError):  # a rejected grant is not changed; a new grant is proposed instead
        services.change_grant(
            users["caseworker"], grant, dataclasses.replace(grant_spec(org, granted["condition"]), change_reason="x")
        )
    client.logout()
    login(client, users["caseworker"])
    body = client.get(reverse("case-detail", args=[grant.case_id])).content.decode()
    assert "Afvist af visitationsudvalget" in body and "Behovet kan dækkes af et gruppeforløb" in body


def test_refused_review_keeps_what_was_typed(client, org, users, granted):
    grant = propose(org, users, granted)
    login(client, users["committee"])
    r = review_page(client, grant, outcome="", reason="Jeg mangler at vælge")
    assert r.status_code == 400
    body = r.content.decode()
    assert "Jeg mangler at vælge" in body and "Formularen kunne ikke gemmes" in body
    r = review_page(client, grant, outcome="returned", reason="   ")
    assert r.status_code == 400
    assert re.search(r'<input type="radio" name="outcome" value="returned"[^>]*\bchecked>', r.content.decode())
    assert reload(grant).status == Grant.Status.PENDING and not CommitteeReview.objects.exists()

    # Reviewed already (by another member, say): refused with the service's Danish message.
    services.review_grant(make_user(Role.COMMITTEE, org), grant, outcome="approved", reason="Godkendt")
    r = review_page(client, grant, outcome="rejected", reason="For sent")
    assert r.status_code == 400
    body = r.content.decode()
    assert "Bevillingen afventer ikke visitationsudvalget." in body and "For sent" in body
    assert 'id="review-closed"' in body
    assert reload(grant).status == Grant.Status.ACTIVE and CommitteeReview.objects.count() == 1


def test_return_change_and_approve_supersedes_the_grant_in_force(client, org, users, granted):
    cw, committee = users["caseworker"], users["committee"]
    v1 = propose(org, users, granted, amount="20")
    order = services.create_order(cw, v1, purpose="Støtte", goals="Mål")
    v1_follow_up = FollowUp.objects.get(grant=v1)

    # A change beyond the caseworker's competence waits; the version in force stays in force.
    v2 = services.change_grant(
        cw, v1, dataclasses.replace(grant_spec(org, granted["condition"], amount="35"), change_reason="Mere støtte")
    )
    assert (v2.status, v2.previous, reload(v1).status) == (Grant.Status.PENDING, v1, Grant.Status.ACTIVE)
    assert reload(v1_follow_up).status == FollowUp.Status.PLANNED and reload(order).grant == v1

    login(client, committee)
    body = client.get(reverse("committee-review", args=[v2.pk])).content.decode()
    assert 'id="in-force"' in body and "Version 1: 20 timer pr. måned" in body
    assert review_page(client, v2, outcome="returned", reason="Begrund de 35 timer, eller sæt omfanget ned").status_code == 302
    v2.refresh_from_db()
    assert v2.status == Grant.Status.RETURNED and reload(v1).status == Grant.Status.ACTIVE
    assert not FollowUp.objects.filter(grant=v2).exists()

    # The caseworker sees the reason and the way to change the returned grant.
    client.logout()
    login(client, cw)
    body = client.get(reverse("case-detail", args=[v2.case_id])).content.decode()
    assert "Sendt retur af visitationsudvalget" in body and "Begrund de 35 timer, eller sæt omfanget ned" in body
    assert reverse("grant-change", args=[v2.pk]) in body
    assert client.get(reverse("grant-change", args=[v2.pk])).status_code == 200

    v3 = services.change_grant(
        cw, v2, dataclasses.replace(grant_spec(org, granted["condition"], amount="30"), change_reason="Sat ned til 30 timer")
    )
    assert (v3.status, v3.version, v3.previous) == (Grant.Status.PENDING, 3, v2)
    body = client.get(reverse("case-detail", args=[v2.case_id])).content.decode()
    assert reverse("grant-change", args=[v2.pk]) not in body  # changed already: the new version is the one to follow

    services.review_grant(committee, v3, outcome="approved", reason="30 timer er rimeligt")
    v1.refresh_from_db(), v2.refresh_from_db(), v3.refresh_from_db()
    assert (v1.status, v2.status, v3.status) == (Grant.Status.SUPERSEDED, Grant.Status.RETURNED, Grant.Status.ACTIVE)
    assert reload(v1_follow_up).status == FollowUp.Status.CANCELLED
    assert FollowUp.objects.get(grant=v3, status=FollowUp.Status.PLANNED).due_date == v3.start_date + relativedelta(months=3)
    assert reload(order).grant == v3  # the provider keeps the citizen's order

    # The history is on the review page of the approved version too.
    client.logout()
    login(client, committee)
    body = client.get(reverse("committee-review", args=[v3.pk])).content.decode()
    assert "Begrund de 35 timer, eller sæt omfanget ned" in body and "30 timer er rimeligt" in body


def test_returned_new_grant_changed_and_approved(org, users, granted):
    grant = propose(org, users, granted, amount="40")
    services.review_grant(users["committee"], grant, outcome="returned", reason="For meget")
    again = services.change_grant(
        users["caseworker"],
        reload(grant),
        dataclasses.replace(grant_spec(org, granted["condition"], amount="28"), change_reason="Sat ned"),
    )
    assert again.status == Grant.Status.PENDING
    services.review_grant(users["committee"], again, outcome="approved", reason="OK")
    assert (reload(grant).status, reload(again).status) == (Grant.Status.RETURNED, Grant.Status.ACTIVE)
    assert FollowUp.objects.filter(grant=again, status=FollowUp.Status.PLANNED).count() == 1


@pytest.mark.parametrize("outcome, status", [("approved", "active"), ("rejected", "rejected"), ("returned", "returned")])
def test_every_review_is_audited(client, org, users, granted, outcome, status):
    grant = propose(org, users, granted)
    login(client, users["committee"])
    before = AuditEvent.objects.count()
    assert review_page(client, grant, outcome=outcome, reason="Begrundelse").status_code == 302
    rows = AuditEvent.objects.order_by("id")[before:]
    review = CommitteeReview.objects.get(grant=grant)
    created = [r for r in rows if r.object_type == "cases.CommitteeReview" and r.action == AuditEvent.Action.CREATE]
    assert len(created) == 1 and created[0].object_id == str(review.pk)
    assert created[0].username == users["committee"].username and created[0].role == Role.COMMITTEE
    assert created[0].citizen_id_ref == grant.case.citizen_id and created[0].channel == "web"
    assert created[0].after["outcome"] == outcome and created[0].after["reason"] == "Begrundelse"
    moved = [
        r
        for r in rows
        if r.object_type == "cases.Grant" and r.action == AuditEvent.Action.TRANSITION and r.object_id == str(grant.pk)
    ]
    assert len(moved) == 1 and moved[0].before["status"] == "pending" and moved[0].after["status"] == status


def test_case_page_queries_do_not_grow_with_reviews(client, org, users, citizen, rule):
    login(client, users["caseworker"])
    small = walk_case(users["caseworker"], citizen, org, until="granted")
    propose(org, users, small)

    large = walk_case(users["caseworker"], citizen, org, until="granted")
    grant = propose(org, users, large)
    for i in range(4):
        services.review_grant(users["committee"], grant, outcome="returned", reason=f"Retur {i}")
        grant = services.change_grant(
            users["caseworker"],
            grant,
            dataclasses.replace(grant_spec(org, large["condition"], amount=str(30 + i)), change_reason=f"Ændring {i}"),
        )
    services.review_grant(users["committee"], grant, outcome="approved", reason="Godkendt")

    def count(case):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("case-detail", args=[case.pk]))
        assert response.status_code == 200
        return len(ctx.captured_queries), response.content.decode()

    n_small, _ = count(small["case"])
    n_large, body = count(large["case"])
    assert body.count("Retur ") >= 4 and "Godkendt" in body
    assert n_small == n_large, f"case page: {n_small} queries with 1 grant, {n_large} with 5 versions and 5 reviews"


# --- The API -------------------------------------------------------------------------------------


def test_api_queue_and_approve(org, users, granted):
    grant = propose(org, users, granted)
    in_force = propose(org, users, walk_case(users["caseworker"], granted["case"].citizen, org, until="granted"), amount="10")
    api = api_for(users["committee"])

    r = api.get(f"{API}/")
    assert r.status_code == 200
    rows = r.json()["results"]
    assert [row["id"] for row in rows] == [grant.pk]  # the grant in force is not in the queue
    assert rows[0]["committee_reasons"] == ["Omfanget er over sagsbehandlerens kompetence (27 timer pr. måned)."]
    assert rows[0]["status"] == "pending" and rows[0]["citizen"] == grant.case.citizen_id
    search = AuditEvent.objects.filter(action=AuditEvent.Action.SEARCH, object_type="cases.Grant").latest("id")
    assert search.after["ids"] == [grant.pk] and search.channel == "api"

    r = api.get(f"{API}/{grant.pk}/")
    assert r.status_code == 200 and r.json()["evaluation"]["committee_reasons"]
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.READ, object_type="cases.Grant", object_id=str(grant.pk), channel="api"
    ).exists()
    assert api.get(f"{API}/{in_force.pk}/").status_code == 404

    r = api.post(f"{API}/{grant.pk}/review/", {"outcome": "approved", "reason": "Godkendt af udvalget"}, format="json")
    assert r.status_code == 201, r.json()
    assert r.json()["grant_status"] == "active" and r.json()["outcome"] == "approved" and r.json()["grant"] == grant.pk
    grant.refresh_from_db()
    assert grant.status == Grant.Status.ACTIVE
    assert FollowUp.objects.get(grant=grant).due_date == grant.start_date + relativedelta(months=3)
    assert (
        AuditEvent.objects.filter(object_type="cases.CommitteeReview", action=AuditEvent.Action.CREATE, channel="api").count()
        == 1
    )
    assert api.get(f"{API}/").json()["results"] == []
    # Reviewed grants leave the queue: a second review finds nothing.
    assert api.post(f"{API}/{grant.pk}/review/", {"outcome": "rejected", "reason": "x"}, format="json").status_code == 404


@pytest.mark.parametrize("outcome, status", [("rejected", Grant.Status.REJECTED), ("returned", Grant.Status.RETURNED)])
def test_api_reject_and_return(org, users, granted, outcome, status):
    grant = propose(org, users, granted)
    r = api_for(users["committee"]).post(f"{API}/{grant.pk}/review/", {"outcome": outcome, "reason": "Nej tak"}, format="json")
    assert r.status_code == 201 and r.json()["grant_status"] == status
    assert reload(grant).status == status and not FollowUp.objects.filter(grant=grant).exists()


def test_api_refuses_bad_input_in_danish(org, users, granted):
    grant = propose(org, users, granted)
    api = api_for(users["committee"])
    r = api.post(f"{API}/{grant.pk}/review/", {"outcome": "maybe", "reason": ""}, format="json")
    assert r.status_code == 400
    body = r.json()
    assert body["kode"] == "invalid" and {"outcome", "reason"} <= set(body["fejl"])
    assert reload(grant).status == Grant.Status.PENDING and not CommitteeReview.objects.exists()


def test_api_refuses_the_caseworker(org, users, granted):
    grant = propose(org, users, granted)
    api = api_for(users["caseworker"])
    assert api.get(f"{API}/").status_code == 403
    assert api.get(f"{API}/{grant.pk}/").status_code == 403
    r = api.post(f"{API}/{grant.pk}/review/", {"outcome": "approved", "reason": "Selvgodkendt"}, format="json")
    assert r.status_code == 403 and r.json()["kode"] == "permission_denied"
    assert reload(grant).status == Grant.Status.PENDING and not CommitteeReview.objects.exists()
    # The caseworker still sees the grant, waiting, among the case's grants.
    r = api.get(f"/api/v1/grants/{grant.pk}/")
    assert r.status_code == 200 and r.json()["status"] == "pending"


def test_api_committee_of_another_municipality_finds_nothing(org, users, granted):
    grant = propose(org, users, granted)
    api = api_for(make_user(Role.COMMITTEE, make_org(code="0159", name="Gladsaxe Kommune")))
    assert api.get(f"{API}/").json()["results"] == []
    assert api.get(f"{API}/{grant.pk}/").status_code == 404
    assert api.post(f"{API}/{grant.pk}/review/", {"outcome": "approved", "reason": "x"}, format="json").status_code == 404


def test_queue_queries_do_not_grow_with_rows(client, org, users, citizen, rule):
    login(client, users["committee"])
    api = api_for(users["committee"])

    def fill(n):
        for _ in range(n):
            propose(org, users, walk_case(users["caseworker"], citizen, org, until="granted"))

    def count(url, c):
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url).status_code == 200
        return len(ctx.captured_queries)

    fill(1)
    small = count(reverse("committee-queue"), client), count(f"{API}/", api)
    fill(9)
    assert client.get(reverse("committee-queue")).content.decode().count('<tr id="pending-') == 10
    large = count(reverse("committee-queue"), client), count(f"{API}/", api)
    assert small == large, f"queue (page, api): {small} queries with 1 grant, {large} with 10"
