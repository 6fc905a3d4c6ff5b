"""The JSON API under /api/v1/: the case spine end to end, access, audit, CPR, errors."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from samplan.cases.models import Assessment, Case, FollowUp, Grant, Order
from samplan.citizens.cpr import format_cpr, mask_cpr
from samplan.core.models import AuditEvent, Role
from samplan.terminology import ffb
from tests.factories import PASSWORD, ad_theme, cpr_for, make_citizen, make_user, other_theme, walk_case

API = "/api/v1"


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


def audit_rows(**filters):
    return AuditEvent.objects.filter(**filters)


# --- The whole spine -------------------------------------------------------------------


def test_whole_spine_through_the_api(org, users):
    cw = client_for(users[Role.CASEWORKER])
    now = timezone.now()

    # Citizen
    cpr = cpr_for(4242)
    r = cw.post(
        f"{API}/citizens/",
        {"first_name": "Bodil", "last_name": "Jensen", "cpr": format_cpr(cpr), "phone": "40404040"},
        format="json",
    )
    assert r.status_code == 201, r.json()
    citizen = r.json()
    assert citizen["cpr_masked"] == mask_cpr(cpr)
    assert "cpr" not in citizen and cpr not in r.content.decode() and format_cpr(cpr) not in r.content.decode()
    assert citizen["unit"] == org["authority"].pk and citizen["caseworker"] == users[Role.CASEWORKER].pk
    created = AuditEvent.objects.get(
        action=AuditEvent.Action.CREATE, object_type="citizens.Citizen", object_id=str(citizen["id"])
    )
    assert cpr not in str(created.after)

    # Inquiry and first contact
    r = cw.post(
        f"{API}/inquiries/",
        {
            "citizen": citizen["id"],
            "source": "gp",
            "reason": "Ønsker hjælp til struktur i hverdagen",
            "received_at": (now - dt.timedelta(days=5)).isoformat(),
        },
        format="json",
    )
    assert r.status_code == 201, r.json()
    inquiry = r.json()
    assert inquiry["case"]["status"] == Case.Status.INQUIRY and inquiry["citizen"] == citizen["id"]
    r = cw.post(
        f"{API}/inquiries/{inquiry['id']}/first-contact/", {"at": (now - dt.timedelta(days=4)).isoformat()}, format="json"
    )
    assert r.status_code == 200, r.json()
    assert r.json()["first_contact_at"] is not None
    case_id = inquiry["case"]["id"]

    # Assessment with an A&D condition (with level) and another theme (without)
    r = cw.post(f"{API}/assessments/", {"case": case_id}, format="json")
    assert r.status_code == 201, r.json()
    assessment = r.json()
    assert assessment["status"] == Assessment.Status.DRAFT and assessment["case"]["status"] == Case.Status.ASSESSMENT

    ad = cw.get(f"{API}/terminology/concepts/", {"branch": "activity_participation", "leaves": "true"}).json()["results"][0]
    assert ad["id"] == ad_theme().pk
    r = cw.post(
        f"{API}/assessments/{assessment['id']}/conditions/",
        {"theme": ad["id"], "functioning_level": 3, "description": "Svært ved indkøb"},
        format="json",
    )
    assert r.status_code == 200, r.json()
    condition = r.json()
    assert condition["functioning_level"] == 3 and condition["theme"]["id"] == ad["id"]
    r = cw.post(f"{API}/assessments/{assessment['id']}/conditions/", {"theme": other_theme().pk}, format="json")
    assert r.status_code == 200, r.json()
    assert r.json()["functioning_level"] is None

    support_need = cw.get(f"{API}/terminology/concepts/", {"branch": "support_need"}).json()["results"][0]
    r = cw.post(
        f"{API}/assessments/{assessment['id']}/complete/",
        {
            "citizen_wishes": "Jeg vil gerne selv kunne handle ind",
            "support_need": support_need["id"],
            "resources": "God søster",
        },
        format="json",
    )
    assert r.status_code == 200, r.json()
    assert r.json()["status"] == Assessment.Status.COMPLETED and len(r.json()["conditions"]) == 2

    # Decision
    r = cw.post(
        f"{API}/decisions/",
        {
            "case": case_id,
            "outcome": "granted",
            "legal_basis": "§85",
            "justification": "Behov for socialpædagogisk støtte",
            "decided_at": timezone.localdate().isoformat(),
        },
        format="json",
    )
    assert r.status_code == 201, r.json()
    decision = r.json()
    assert decision["appeal_deadline"] and "Ankestyrelsen" in decision["appeal_guidance"]
    assert decision["case"]["status"] == Case.Status.GRANTED

    # Grant with services, target groups and a goal on the A&D condition
    service = cw.get(f"{API}/terminology/concepts/", {"branch": "services", "leaves": "1"}).json()["results"][0]
    groups = cw.get(f"{API}/terminology/concepts/", {"branch": "target_groups", "leaves": "1"}).json()["results"]
    goal_type = cw.get(f"{API}/terminology/concepts/", {"branch": "goal_types"}).json()["results"][0]
    r = cw.post(
        f"{API}/grants/",
        {
            "decision": decision["id"],
            "legal_basis": "§85",
            "services": [service["id"]],
            "offer": org["provider"].pk,
            "scope_amount": "12.50",
            "scope_unit": "hours_month",
            "start_date": timezone.localdate().isoformat(),
            "primary_target_group": groups[0]["id"],
            "secondary_target_groups": [groups[1]["id"]],
            "goals": [
                {"goal_type": goal_type["id"], "target_level": 1, "condition": condition["id"], "description": "Handler selv ind"}
            ],
        },
        format="json",
    )
    assert r.status_code == 201, r.json()
    grant = r.json()
    assert grant["version"] == 1 and grant["status"] == Grant.Status.ACTIVE and grant["scope_amount"] == "12.50"
    assert [s["id"] for s in grant["services"]] == [service["id"]]
    assert grant["primary_target_group"]["id"] == groups[0]["id"]
    assert [g["id"] for g in grant["secondary_target_groups"]] == [groups[1]["id"]]
    assert grant["goals"][0]["condition"] == condition["id"] and grant["goals"][0]["goal_type"]["id"] == goal_type["id"]
    assert grant["offer"]["id"] == org["provider"].pk

    # The grant planned its first follow-up
    r = cw.get(f"{API}/follow-ups/", {"grant": grant["id"]})
    assert [f["kind"] for f in r.json()["results"]] == [FollowUp.Kind.FIRST]

    # Order, then the provider accepts it
    r = cw.post(
        f"{API}/orders/",
        {"grant": grant["id"], "purpose": "Støtte til indkøb", "goals": "Handler selv ind en gang om ugen"},
        format="json",
    )
    assert r.status_code == 201, r.json()
    order = r.json()
    assert order["status"] == Order.Status.SENT and order["provider"]["id"] == org["provider"].pk

    # The caseworker may not accept on the provider's behalf
    assert cw.post(f"{API}/orders/{order['id']}/accept/").status_code == 403

    provider = client_for(users[Role.PROVIDER_STAFF])
    assert ids(provider.get(f"{API}/orders/")) == [order["id"]]
    r = provider.post(f"{API}/orders/{order['id']}/accept/")
    assert r.status_code == 200, r.json()
    assert r.json()["status"] == Order.Status.ACCEPTED and r.json()["accepted_at"]
    # Provider staff see the citizen but may not work the case
    assert provider.get(f"{API}/citizens/{citizen['id']}/").status_code == 200
    r = provider.post(
        f"{API}/inquiries/",
        {
            "citizen": citizen["id"],
            "source": "provider",
            "reason": "x",
            "received_at": now.isoformat(),
        },
        format="json",
    )
    assert r.status_code == 403
    assert r.json()["kode"] == "permission_denied"

    # A changed grant is a new version; the accepted order follows it
    r = cw.post(
        f"{API}/grants/{grant['id']}/change/",
        {
            "legal_basis": "§85",
            "services": [service["id"]],
            "offer": org["provider"].pk,
            "scope_amount": "20",
            "scope_unit": "hours_month",
            "start_date": timezone.localdate().isoformat(),
            "primary_target_group": groups[0]["id"],
            "goals": [{"goal_type": goal_type["id"], "target_level": 2, "condition": condition["id"]}],
            "change_reason": "Større behov",
        },
        format="json",
    )
    assert r.status_code == 201, r.json()
    new = r.json()
    assert new["version"] == 2 and new["previous"] == grant["id"]
    assert cw.get(f"{API}/grants/{grant['id']}/").json()["status"] == Grant.Status.SUPERSEDED
    assert cw.get(f"{API}/orders/{order['id']}/").json()["grant"] == new["id"]

    # Follow-up on the new version: continue → a yearly follow-up is planned
    follow_up = cw.get(f"{API}/follow-ups/", {"grant": new["id"], "status": "planned"}).json()["results"][0]
    r = cw.post(
        f"{API}/follow-ups/{follow_up['id']}/complete/",
        {
            "result": "continue",
            "done_at": timezone.localdate().isoformat(),
            "note": "Går godt",
        },
        format="json",
    )
    assert r.status_code == 200, r.json()
    assert r.json()["status"] == FollowUp.Status.DONE
    kinds = [f["kind"] for f in cw.get(f"{API}/follow-ups/", {"grant": new["id"], "status": "planned"}).json()["results"]]
    assert kinds == [FollowUp.Kind.YEARLY]

    # Cases are readable too
    r = cw.get(f"{API}/cases/", {"citizen": citizen["id"]})
    assert [c["status"] for c in r.json()["results"]] == [Case.Status.GRANTED]


def test_follow_up_end_closes_case(org, users):
    caseworker = users[Role.CASEWORKER]
    out = walk_case(caseworker, make_citizen(org, caseworker=caseworker), org, until="accepted")
    fu = FollowUp.objects.get(grant=out["grant"])
    r = client_for(caseworker).post(
        f"{API}/follow-ups/{fu.pk}/complete/", {"result": "end", "done_at": timezone.localdate().isoformat()}, format="json"
    )
    assert r.status_code == 200, r.json()
    out["case"].refresh_from_db()
    assert out["case"].status == Case.Status.CLOSED


# --- Access ----------------------------------------------------------------------------


def test_other_provider_sees_nothing(org, users):
    caseworker = users[Role.CASEWORKER]
    citizen = make_citizen(org, caseworker=caseworker)
    out = walk_case(caseworker, citizen, org, until="order")
    order = out["order"]
    other = client_for(make_user(Role.PROVIDER_STAFF, org, unit=org["other_provider"]))
    assert other.get(f"{API}/citizens/{citizen.pk}/").status_code == 404
    r = other.get(f"{API}/orders/{order.pk}/")
    assert r.status_code == 404
    assert r.json() == {"kode": "not_found", "besked": "Ikke fundet.", "fejl": {}, "fejlkoder": {}}
    assert other.post(f"{API}/orders/{order.pk}/accept/").status_code == 404
    assert other.get(f"{API}/grants/{out['grant'].pk}/").status_code == 404
    assert ids(other.get(f"{API}/orders/")) == []
    assert ids(other.get(f"{API}/citizens/")) == []
    order.refresh_from_db()
    assert order.status == Order.Status.SENT
    # ... while the right provider sees them
    own = client_for(users[Role.PROVIDER_STAFF])
    assert ids(own.get(f"{API}/citizens/")) == [citizen.pk]


def test_caseworker_of_other_team_gets_404(org, users):
    caseworker = users[Role.CASEWORKER]
    citizen = make_citizen(org, caseworker=caseworker)
    out = walk_case(caseworker, citizen, org, until="contacted")
    other = client_for(make_user(Role.CASEWORKER, org, unit=org["other_team"]))
    assert other.get(f"{API}/citizens/{citizen.pk}/").status_code == 404
    assert (
        other.post(
            f"{API}/inquiries/{out['inquiry'].pk}/first-contact/", {"at": timezone.now().isoformat()}, format="json"
        ).status_code
        == 404
    )
    # An invisible id in the body is reported like a missing one
    r = other.post(f"{API}/assessments/", {"case": out["case"].pk}, format="json")
    assert r.status_code == 400
    assert r.json()["fejlkoder"] == {"case": ["does_not_exist"]}
    assert not Assessment.objects.exists()


def test_citizen_sees_only_self(org, users):
    me = make_citizen(org, user=users[Role.CITIZEN])
    someone = make_citizen(org)
    walk_case(users[Role.CASEWORKER], me, org, until="grant")
    out = walk_case(users[Role.CASEWORKER], someone, org, until="grant")
    client = client_for(users[Role.CITIZEN])
    assert ids(client.get(f"{API}/citizens/")) == [me.pk]
    assert client.get(f"{API}/citizens/{me.pk}/").status_code == 200
    assert client.get(f"{API}/citizens/{someone.pk}/").status_code == 404
    assert client.get(f"{API}/grants/{out['grant'].pk}/").status_code == 404
    assert [g["citizen"] for g in client.get(f"{API}/grants/").json()["results"]] == [me.pk]
    # May look but not work the case or reveal the CPR
    assert client.post(f"{API}/citizens/{me.pk}/reveal-cpr/").status_code == 403
    r = client.post(
        f"{API}/inquiries/",
        {"citizen": me.pk, "source": "citizen", "reason": "Hjælp", "received_at": timezone.now().isoformat()},
        format="json",
    )
    assert r.status_code == 403
    assert (
        client.post(f"{API}/citizens/", {"first_name": "A", "last_name": "B", "cpr": cpr_for(99)}, format="json").status_code
        == 403
    )
    # Terminology is for staff
    assert client.get(f"{API}/terminology/concepts/").status_code == 403


@pytest.mark.parametrize("role", [Role.MANAGER, Role.ADMIN, Role.RELATIVE])
def test_manager_admin_relative_get_no_citizen_data(org, users, role):
    caseworker = users[Role.CASEWORKER]
    citizen = make_citizen(org, caseworker=caseworker)
    out = walk_case(caseworker, citizen, org, until="order")
    client = client_for(users[role])
    for resource in ("citizens", "cases", "inquiries", "assessments", "decisions", "grants", "orders", "follow-ups"):
        r = client.get(f"{API}/{resource}/")
        assert r.status_code == 200 and r.json()["results"] == [], resource
    assert client.get(f"{API}/citizens/{citizen.pk}/").status_code == 404
    assert client.get(f"{API}/orders/{out['order'].pk}/").status_code == 404
    assert client.post(f"{API}/citizens/{citizen.pk}/reveal-cpr/").status_code == 404
    assert (
        client.post(f"{API}/citizens/", {"first_name": "A", "last_name": "B", "cpr": cpr_for(98)}, format="json").status_code
        == 403
    )
    expected = 403 if role == Role.RELATIVE else 200
    assert client.get(f"{API}/terminology/concepts/").status_code == expected


def test_unauthenticated_is_refused(org, users):
    make_citizen(org)
    r = APIClient().get(f"{API}/citizens/")
    assert r.status_code == 401
    assert r["WWW-Authenticate"].startswith("Token")
    assert r.json()["kode"] == "not_authenticated"
    assert APIClient().get(f"{API}/schema/").status_code == 401
    assert APIClient().get(f"{API}/terminology/concepts/").status_code == 401


def test_session_writes_need_csrf(org, users):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(users[Role.CASEWORKER])
    r = client.post(f"{API}/citizens/", {"first_name": "A", "last_name": "B", "cpr": cpr_for(97)}, format="json")
    assert r.status_code == 403
    assert r.json()["kode"] == "permission_denied" and "CSRF" in r.json()["besked"]


# --- Validation errors -------------------------------------------------------------------


def test_domain_error_is_400_with_danish_message(org, users):
    caseworker = users[Role.CASEWORKER]
    out = walk_case(caseworker, make_citizen(org, caseworker=caseworker), org, until="contacted")
    client = client_for(caseworker)
    assessment = client.post(f"{API}/assessments/", {"case": out["case"].pk}, format="json").json()
    theme = ad_theme()
    r = client.post(f"{API}/assessments/{assessment['id']}/conditions/", {"theme": theme.pk}, format="json")
    assert r.status_code == 400
    body = r.json()
    message = f"Angiv funktionsevneniveau (0–4) for »{theme.display}« (Aktivitet og deltagelse)."
    assert body == {
        "kode": "invalid",
        "besked": message,
        "fejl": {"non_field_errors": [message]},
        "fejlkoder": {"non_field_errors": ["level_required"]},
    }
    # and the other way round
    r = client.post(
        f"{API}/assessments/{assessment['id']}/conditions/", {"theme": other_theme().pk, "functioning_level": 2}, format="json"
    )
    assert r.status_code == 400 and r.json()["fejlkoder"] == {"non_field_errors": ["level_forbidden"]}
    # A refused transition
    r = client.post(
        f"{API}/assessments/{assessment['id']}/complete/",
        {"citizen_wishes": "x", "support_need": ffb.children(ffb.SUPPORT_NEED).first().pk},
        format="json",
    )
    assert r.status_code == 400
    assert r.json()["fejl"]["non_field_errors"] == ["Registrér mindst én tilstand, før udredningen afsluttes."]


def test_missing_fields_get_drf_danish_messages(org, users):
    citizen = make_citizen(org, caseworker=users[Role.CASEWORKER])
    r = client_for(users[Role.CASEWORKER]).post(f"{API}/inquiries/", {"citizen": citizen.pk, "source": "gp"}, format="json")
    assert r.status_code == 400
    body = r.json()
    assert body["kode"] == "invalid"
    assert body["besked"] == "De indsendte oplysninger er ugyldige."
    assert body["fejl"] == {"reason": ["Dette felt er påkrævet."], "received_at": ["Dette felt er påkrævet."]}
    assert body["fejlkoder"] == {"reason": ["required"], "received_at": ["required"]}


def test_messages_stay_danish_and_bad_filters_are_400(org, users):
    client = client_for(users[Role.CASEWORKER])
    r = client.post(f"{API}/inquiries/", {}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400
    assert r.json()["fejl"]["citizen"] == ["Dette felt er påkrævet."]
    r = client.get(f"{API}/grants/", {"citizen": "abc"})
    assert r.status_code == 400 and r.json()["fejl"] == {"citizen": ["Angiv et heltal."]}
    r = client.delete(f"{API}/citizens/1/")
    assert r.status_code == 405 and r.json()["kode"] == "method_not_allowed"


def test_nested_and_grant_errors(org, users):
    caseworker = users[Role.CASEWORKER]
    out = walk_case(caseworker, make_citizen(org, caseworker=caseworker), org, until="granted")
    client = client_for(caseworker)
    service = ffb.branch(ffb.SERVICES, leaves_only=True).first()
    group = ffb.branch(ffb.TARGET_GROUPS, leaves_only=True).first()
    base = {
        "decision": out["decision"].pk,
        "legal_basis": "§85",
        "services": [service.pk],
        "offer": org["provider"].pk,
        "scope_amount": "10",
        "scope_unit": "hours_week",
        "start_date": timezone.localdate().isoformat(),
        "primary_target_group": group.pk,
    }
    r = client.post(
        f"{API}/grants/",
        {**base, "goals": [{"goal_type": ffb.children(ffb.GOAL_TYPES).first().pk, "target_level": 1}]},
        format="json",
    )
    assert r.status_code == 400
    assert r.json()["fejl"] == {"goals.0.condition": ["Dette felt er påkrævet."]}
    # Several domain messages at once (services.create_grant collects them)
    r = client.post(
        f"{API}/grants/", {**base, "services": [], "offer": org["authority"].pk, "end_date": "2000-01-01"}, format="json"
    )
    assert r.status_code == 400
    assert r.json()["fejl"]["non_field_errors"] == [
        "Vælg mindst én ydelse.",
        "Slutdatoen kan ikke ligge før startdatoen.",
        "Vælg et tilbud eller en leverandør.",
    ]
    assert r.json()["besked"] == "De indsendte oplysninger er ugyldige."
    # Target groups must be FFB target groups, and not repeated
    r = client.post(
        f"{API}/grants/",
        {**base, "primary_target_group": service.pk, "secondary_target_groups": [group.pk, group.pk]},
        format="json",
    )
    assert r.status_code == 400
    assert r.json()["fejlkoder"] == {"primary_target_group": ["not_target_group"], "secondary_target_groups": ["duplicate"]}
    assert not Grant.objects.exists()


def test_invalid_cpr_and_duplicate(org, users):
    client = client_for(users[Role.CASEWORKER])
    r = client.post(f"{API}/citizens/", {"first_name": "A", "last_name": "B", "cpr": "123"}, format="json")
    assert r.status_code == 400
    assert r.json()["fejl"] == {"cpr": ["CPR-nummeret skal have 10 cifre (DDMMÅÅ-XXXX)."]}
    existing = make_citizen(org)
    r = client.post(f"{API}/citizens/", {"first_name": "A", "last_name": "B", "cpr": existing.cpr}, format="json")
    assert r.status_code == 400
    assert r.json()["fejlkoder"] == {"cpr": ["duplicate"]}
    assert existing.cpr not in r.content.decode()


# --- Audit and CPR -----------------------------------------------------------------------


def test_retrieve_writes_exactly_one_audit_row(org, users):
    caseworker = users[Role.CASEWORKER]
    citizen = make_citizen(org, caseworker=caseworker)
    out = walk_case(caseworker, citizen, org, until="grant")
    client = client_for(caseworker)
    before = AuditEvent.objects.count()
    assert client.get(f"{API}/citizens/{citizen.pk}/").status_code == 200
    assert AuditEvent.objects.count() == before + 1
    row = AuditEvent.objects.order_by("-id").first()
    assert (row.action, row.citizen_id_ref, row.object_type, row.channel, row.user_id_ref) == (
        AuditEvent.Action.READ,
        citizen.pk,
        "citizens.Citizen",
        "api",
        caseworker.pk,
    )
    assert row.path == f"{API}/citizens/{citizen.pk}/"

    before = AuditEvent.objects.count()
    assert client.get(f"{API}/grants/{out['grant'].pk}/").status_code == 200
    assert AuditEvent.objects.count() == before + 1
    row = AuditEvent.objects.order_by("-id").first()
    assert (row.action, row.citizen_id_ref, row.object_type) == (AuditEvent.Action.READ, citizen.pk, "cases.Grant")

    # A 404 writes nothing; a list writes one search row per citizen on the page
    before = AuditEvent.objects.count()
    assert client.get(f"{API}/grants/999999/").status_code == 404
    assert AuditEvent.objects.count() == before
    assert client.get(f"{API}/grants/").status_code == 200
    assert AuditEvent.objects.count() == before + 1
    row = AuditEvent.objects.order_by("-id").first()
    assert (row.action, row.citizen_id_ref, row.object_type) == (AuditEvent.Action.SEARCH, citizen.pk, "cases.Grant")
    assert row.after["ids"] == [out["grant"].pk]


def test_reveal_cpr_is_audited_and_only_place_with_full_number(org, users):
    caseworker = users[Role.CASEWORKER]
    citizen = make_citizen(org, caseworker=caseworker, first_name="Karen")
    client = client_for(caseworker)
    full, dashed = citizen.cpr, format_cpr(citizen.cpr)

    for url in (f"{API}/citizens/", f"{API}/citizens/{citizen.pk}/"):
        r = client.get(url)
        assert r.status_code == 200
        text = r.content.decode()
        assert full not in text and dashed not in text, url
        assert mask_cpr(full) in text
    for q in (dashed, full):
        r = client.post(f"{API}/citizens/search/", {"q": q}, format="json")
        assert r.status_code == 200
        text = r.content.decode()
        assert full not in text and dashed not in text, q
        assert mask_cpr(full) in text
    # Search by CPR stores neither the number nor its mask in the audit trail, only its kind
    search = AuditEvent.objects.filter(action=AuditEvent.Action.SEARCH).order_by("-id").first()
    assert search.after["q_kind"] == "cpr" and search.citizen_id_ref == citizen.pk
    assert citizen.cpr[6:] not in str(search.after)

    before = AuditEvent.objects.count()
    r = client.post(f"{API}/citizens/{citizen.pk}/reveal-cpr/")
    assert r.status_code == 200
    assert r.json() == {"id": citizen.pk, "cpr": dashed}
    assert r["Cache-Control"] == "no-store"
    assert AuditEvent.objects.count() == before + 1
    row = AuditEvent.objects.order_by("-id").first()
    assert (row.action, row.citizen_id_ref, row.user_id_ref) == (AuditEvent.Action.REVEAL_CPR, citizen.pk, caseworker.pk)


def test_citizen_search(org, users):
    caseworker = users[Role.CASEWORKER]
    karen = make_citizen(org, first_name="Karen", last_name="Blixen")
    hans = make_citizen(org, first_name="Hans", last_name="Andersen")
    other_unit = make_citizen(org, first_name="Karen", last_name="Skjult", unit=org["other_team"])
    client = client_for(caseworker)

    def search(q):
        return ids(client.post(f"{API}/citizens/search/", {"q": q}, format="json"))

    assert search("karen") == [karen.pk]
    assert search("Hans Andersen") == [hans.pk]
    assert search("blix kar") == [karen.pk]
    assert search(format_cpr(hans.cpr)) == [hans.pk]
    assert search(hans.cpr) == [hans.pk]
    assert search(hans.cpr[:6]) == [hans.pk]
    assert search(other_unit.cpr) == []
    assert search(hans.cpr[:9] + "0" if hans.cpr[9] != "0" else hans.cpr[:9] + "1") == []
    assert sorted(search("")) == sorted([karen.pk, hans.pk])


# --- Token auth --------------------------------------------------------------------------


def test_token_auth(org, users):
    cache.clear()  # throttle state
    caseworker = users[Role.CASEWORKER]
    citizen = make_citizen(org, caseworker=caseworker)
    r = APIClient().post(f"{API}/auth/token/", {"username": caseworker.username, "password": PASSWORD}, format="json")
    assert r.status_code == 200
    token = r.json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    r = client.get(f"{API}/citizens/")
    assert r.status_code == 200 and ids(r) == [citizen.pk]
    # Token clients are not subject to CSRF
    r = client.post(
        f"{API}/inquiries/",
        {"citizen": citizen.pk, "source": "gp", "reason": "Henvisning", "received_at": timezone.now().isoformat()},
        format="json",
    )
    assert r.status_code == 201, r.json()

    r = APIClient().post(f"{API}/auth/token/", {"username": caseworker.username, "password": "forkert"}, format="json")
    assert r.status_code == 400
    assert r.json()["fejl"]["non_field_errors"] == ["Kunne ikke logge ind med den angivne legitimation."]
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Token ikke-gyldig")
    r = bad.get(f"{API}/citizens/")
    assert r.status_code == 401 and r.json()["kode"] == "authentication_failed"


# --- Terminology ---------------------------------------------------------------------------


def test_terminology_lookup(org, users):
    client = client_for(users[Role.CASEWORKER])
    system = ffb.current_system()
    r = client.get(f"{API}/terminology/concepts/", {"branch": "services", "limit": 500})
    assert r.status_code == 200
    rows = r.json()["results"]
    services_root = ffb.root(ffb.SERVICES)
    assert rows and all(row["system"] == system.pk and row["system_version"] == system.version for row in rows)
    assert all(row["depth"] > services_root.depth for row in rows)
    assert {"id", "code", "display", "parent", "depth", "system", "system_version", "is_leaf"} <= set(rows[0])
    assert r.json()["count"] == ffb.branch(ffb.SERVICES).count()

    leaf = ffb.branch(ffb.SERVICES, leaves_only=True).first()
    r = client.get(f"{API}/terminology/concepts/", {"branch": "services", "q": leaf.display[:6].lower()})
    assert leaf.pk in ids(r)
    assert ids(client.get(f"{API}/terminology/concepts/", {"q": leaf.code})) == [leaf.pk]

    r = client.get(f"{API}/terminology/concepts/", {"branch": "nonsense"})
    assert r.status_code == 400 and "branch" in r.json()["fejl"]
    assert client.get(f"{API}/terminology/concepts/{leaf.pk}/").json()["is_leaf"] is True

    r = client.get(f"{API}/terminology/systems/")
    assert r.status_code == 200
    assert any(row["id"] == system.pk and row["concept_count"] > 0 for row in r.json()["results"])


# --- Query counts ----------------------------------------------------------------------------


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200
    return len(ctx.captured_queries)


def test_citizen_list_query_count_is_flat(org, users):
    caseworker = users[Role.CASEWORKER]
    client = client_for(caseworker)
    for _ in range(5):
        make_citizen(org, caseworker=caseworker)
    small = _count_queries(client, f"{API}/citizens/")
    for _ in range(45):
        make_citizen(org, caseworker=caseworker)
    large = _count_queries(client, f"{API}/citizens/")
    assert len(client.get(f"{API}/citizens/").json()["results"]) == 50
    assert small == large


def test_grant_list_query_count_is_flat(org, users):
    caseworker = users[Role.CASEWORKER]
    client = client_for(caseworker)
    for _ in range(5):
        walk_case(caseworker, make_citizen(org, caseworker=caseworker), org, until="grant")
    counts = {
        url: _count_queries(client, url)
        for url in (f"{API}/grants/", f"{API}/assessments/", f"{API}/inquiries/", f"{API}/orders/")
    }
    for _ in range(45):
        walk_case(caseworker, make_citizen(org, caseworker=caseworker), org, until="grant")
    assert len(client.get(f"{API}/grants/").json()["results"]) == 50
    for url, small in counts.items():
        assert _count_queries(client, url) == small, url
