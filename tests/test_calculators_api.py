"""The calculators' API gives the same numbers as the services (and the page) for the same
inputs, under the same access policy, audit and error shape as the rest of /api/v1/."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from samplan.calculators import services as calc
from samplan.calculators.models import CompanionUsage, ExtraCostCalculation
from samplan.cases import services as case_services
from samplan.cases.models import Order
from samplan.core.models import AuditEvent, Role
from tests.factories import PASSWORD, make_citizen, make_user, walk_case
from tests.test_calculators import COMPANION_RULES, EXTRA_COST_RULES, _extra_cost_post, extra_costs_version, make_companion_grant

API = "/api/v1"
D = dt.date


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


@pytest.fixture
def cw(users):
    return users[Role.CASEWORKER]


@pytest.fixture
def citizen(org, cw):
    return make_citizen(org, caseworker=cw)


@pytest.fixture
def grant(org, cw, citizen):
    return make_companion_grant(cw, citizen, org, start=D(2025, 1, 15))


@pytest.fixture
def version100(org):
    return extra_costs_version(org)


def dec(value) -> Decimal:
    return Decimal(str(value))


# --- §97 --------------------------------------------------------------------------------------------

USAGES = [("2025-02-20", "20"), ("2025-04-01", "7.5"), ("2025-07-15", "30")]


@pytest.mark.parametrize("on", ["2025-01-14", "2025-01-15", "2025-06-15", "2025-07-14", "2025-07-15", "2025-08-15", "2026-01-15"])
def test_ledger_api_matches_the_service(cw, grant, on):
    api = client_for(cw)
    for used_on, hours in USAGES:
        r = api.post(
            f"{API}/companion-usages/", {"grant": grant.pk, "used_on": used_on, "hours": hours, "note": "x"}, format="json"
        )
        assert r.status_code == 201, r.json()
    r = api.get(f"{API}/companion-ledgers/{grant.pk}/", {"on": on})
    assert r.status_code == 200, r.json()
    data = r.json()
    expected = calc.companion_balance(
        D(2025, 1, 15),
        [(D.fromisoformat(u), dec(h)) for u, h in USAGES],
        D.fromisoformat(on),
        COMPANION_RULES,
    )
    got = (dec(data["available"]), dec(data["accrued_total"]), dec(data["used_total"]), dec(data["lapsed_total"]))
    assert got == (expected.available, expected.accrued_total, expected.used_total, expected.lapsed_total)
    if expected.next_lapse:
        assert (D.fromisoformat(data["next_lapse"]["date"]), dec(data["next_lapse"]["hours"])) == expected.next_lapse
    else:
        assert data["next_lapse"] is None
    service = calc.companion_ledger(grant, D.fromisoformat(on))
    assert [(line["date"], line["kind"], dec(line["hours"]), dec(line["balance"])) for line in data["lines"]] == [
        (line.day.isoformat(), line.kind, line.hours, line.balance) for line in service.lines
    ]
    assert (data["grant"], data["citizen"], data["on"], dec(data["hours_per_month"]), data["saving_months"]) == (
        grant.pk,
        grant.case.citizen_id,
        on,
        15,
        6,
    )


def test_ledger_defaults_to_today_and_audits_one_read(cw, grant):
    api = client_for(cw)
    before = AuditEvent.objects.count()
    r = api.get(f"{API}/companion-ledgers/{grant.pk}/")
    assert r.status_code == 200 and r.json()["on"] == calc.timezone.localdate().isoformat()
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.object_type, event.object_id, event.channel) == ("read", "cases.Grant", str(grant.pk), "api")


def test_ledger_bad_date_and_wrong_grant(org, cw, citizen, grant):
    api = client_for(cw)
    r = api.get(f"{API}/companion-ledgers/{grant.pk}/", {"on": "15-01-2025"})
    assert r.status_code == 400 and r.json()["kode"] == "invalid" and "on" in r.json()["fejl"]
    other = walk_case(cw, make_citizen(org, caseworker=cw), org, until="grant")["grant"]  # §85
    assert api.get(f"{API}/companion-ledgers/{other.pk}/").status_code == 404


def test_usage_refused_above_the_balance_in_the_error_shape(cw, grant):
    r = client_for(cw).post(
        f"{API}/companion-usages/", {"grant": grant.pk, "used_on": "2025-02-20", "hours": "31"}, format="json"
    )
    assert r.status_code == 400
    body = r.json()
    assert body["kode"] == "invalid" and body["besked"].startswith("Der er kun 30 timer til rådighed den 20.02.2025")
    assert body["fejlkoder"] == {"non_field_errors": ["insufficient_hours"]}
    assert not CompanionUsage.objects.exists()


def test_usage_list_and_retrieve(cw, grant):
    api = client_for(cw)
    usage = calc.record_companion_usage(cw, grant, D(2025, 2, 20), Decimal(2), "Frisør")
    r = api.get(f"{API}/companion-usages/", {"grant": grant.pk})
    assert r.status_code == 200 and [row["id"] for row in r.json()["results"]] == [usage.pk]
    r = api.get(f"{API}/companion-usages/{usage.pk}/")
    assert r.status_code == 200 and (r.json()["hours"], r.json()["note"]) == ("2.00", "Frisør")


def test_others_get_404_and_cannot_record(org, users, cw, citizen, grant):
    usage = calc.record_companion_usage(cw, grant, D(2025, 2, 20), Decimal(2))
    outsiders = [make_user(Role.CASEWORKER, org, unit=org["other_team"]), users[Role.PROVIDER_STAFF], users[Role.COORDINATOR]]
    for user in outsiders:
        api = client_for(user)
        assert api.get(f"{API}/companion-ledgers/{grant.pk}/").status_code == 404, user.role
        assert api.get(f"{API}/companion-usages/{usage.pk}/").status_code == 404, user.role
        assert api.get(f"{API}/companion-usages/").json()["results"] == []
        r = api.post(f"{API}/companion-usages/", {"grant": grant.pk, "used_on": "2025-02-21", "hours": "1"}, format="json")
        assert r.status_code == 400 and r.json()["fejlkoder"]["grant"] == ["does_not_exist"], user.role
    # The committee sees the citizen but may not record.
    committee = client_for(users[Role.COMMITTEE])
    assert committee.get(f"{API}/companion-ledgers/{grant.pk}/").status_code == 200
    r = committee.post(f"{API}/companion-usages/", {"grant": grant.pk, "used_on": "2025-02-21", "hours": "1"}, format="json")
    assert r.status_code == 403 and r.json()["kode"] == "permission_denied"
    assert CompanionUsage.objects.count() == 1


def test_provider_with_an_order_for_the_citizen_sees_what_the_policy_allows(org, users, cw, citizen, grant):
    walk_case(cw, citizen, org, until="order")
    assert Order.objects.filter(citizen=citizen, provider=org["provider"]).exists()
    api = client_for(users[Role.PROVIDER_STAFF])
    # An order for another grant of the citizen does not show them the §97 grant (issue 11, 9).
    assert api.get(f"{API}/companion-ledgers/{grant.pk}/").status_code == 404
    r = api.post(f"{API}/companion-usages/", {"grant": grant.pk, "used_on": "2025-02-21", "hours": "1"}, format="json")
    assert r.status_code == 400  # an unknown grant is an invalid choice; its existence does not leak
    # Ordered from their provider, the grant's ledger is theirs to read, not to write.
    case_services.create_order(cw, grant, purpose="Ledsagelse", goals="Ture ud af huset")
    assert api.get(f"{API}/companion-ledgers/{grant.pk}/").status_code == 200
    r = api.post(f"{API}/companion-usages/", {"grant": grant.pk, "used_on": "2025-02-21", "hours": "1"}, format="json")
    assert r.status_code == 403


# --- §100 -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("amounts", [["555"], ["556"], ["1561.49"], ["1561.50"], ["2602"], ["2603"], ["1000", "1000", "1000.40"]])
def test_extra_cost_api_matches_the_service_and_the_page(client, cw, citizen, version100, amounts):
    items = [{"label": f"Udgift {i}", "kr_month": a} for i, a in enumerate(amounts)]
    body = {"citizen": citizen.pk, "items": items, "application_received": "2025-02-03", "calculated_on": "2025-03-01"}
    r = client_for(cw).post(f"{API}/extra-cost-calculations/", body, format="json")
    assert r.status_code == 201, r.json()
    data = r.json()
    expected = calc.extra_cost_payment([(i["label"], dec(i["kr_month"])) for i in items], EXTRA_COST_RULES)
    assert (dec(data["monthly_total"]), data["band"], dec(data["payment_kr_month"]), data["eligible"]) == (
        expected.monthly_total,
        expected.band,
        expected.payment_kr_month,
        expected.eligible,
    )
    assert data["documentation_required"] == expected.documentation_required
    assert (data["decision_deadline"], data["recalculation_allowed_from"]) == ("2025-03-03", "2026-03-02")
    assert data["standard_version"] == version100.pk and [dec(i["kr_month"]) for i in data["items"]] == [dec(a) for a in amounts]
    # The page, given the same input, stores the same numbers.
    assert client.login(username=cw.username, password=PASSWORD)
    r = client.post(reverse("extra-costs", args=[citizen.pk]), _extra_cost_post([(i["label"], i["kr_month"]) for i in items]))
    assert r.status_code == 302
    api_row, page_row = ExtraCostCalculation.objects.order_by("id")
    fields = ["monthly_total", "band", "payment_kr_month", "decision_deadline", "recalculation_allowed_from", "items"]
    assert [getattr(api_row, f) for f in fields] == [getattr(page_row, f) for f in fields]


def test_extra_cost_on_demand_lock_through_the_api(cw, citizen, version100):
    api = client_for(cw)
    body = {
        "citizen": citizen.pk,
        "items": [{"label": "Medicin", "kr_month": "700"}],
        "application_received": "2025-03-01",
        "calculated_on": "2025-03-01",
    }
    assert api.post(f"{API}/extra-cost-calculations/", body, format="json").status_code == 201
    again = body | {"calculated_on": "2026-03-01", "application_received": "2026-03-01", "on_demand": True}
    r = api.post(f"{API}/extra-cost-calculations/", again, format="json")
    assert r.status_code == 400
    assert (
        r.json()["besked"]
        == "Tilskuddet blev senest fastsat den 01.03.2025. Borgeren kan tidligst kræve det fastsat på ny den 02.03.2026."
    )
    assert r.json()["fejlkoder"] == {"non_field_errors": ["recalculation_locked"]}
    r = api.post(
        f"{API}/extra-cost-calculations/",
        again | {"calculated_on": "2026-03-02", "application_received": "2026-03-02"},
        format="json",
    )
    assert r.status_code == 201 and r.json()["on_demand"] is True


@pytest.mark.parametrize(
    "body, field",
    [
        ({"items": []}, "items"),
        ({"items": [{"label": "x", "kr_month": "-1"}]}, "items.0.kr_month"),
        ({"items": [{"label": "x", "kr_month": "1"}] * 9}, "items"),
        ({"application_received": "i går"}, "application_received"),
    ],
)
def test_extra_cost_input_errors_use_the_error_shape(cw, citizen, version100, body, field):
    base = {"citizen": citizen.pk, "items": [{"label": "Medicin", "kr_month": "700"}], "application_received": "2025-03-01"}
    r = client_for(cw).post(f"{API}/extra-cost-calculations/", base | body, format="json")
    assert r.status_code == 400 and r.json()["kode"] == "invalid", r.json()
    messages = [m for key, ms in r.json()["fejl"].items() if key.startswith(field) for m in ms]
    assert messages and not any(m.startswith("Ensure") for m in messages), r.json()  # Danish
    assert not ExtraCostCalculation.objects.exists()


def test_extra_cost_list_retrieve_and_access(org, users, cw, citizen, version100):
    c = calc.calculate_extra_costs(
        cw, citizen, items=[("Medicin", Decimal(700))], application_received=D(2025, 3, 1), calculated_on=D(2025, 3, 1)
    )
    api = client_for(cw)
    r = api.get(f"{API}/extra-cost-calculations/", {"citizen": citizen.pk})
    assert r.status_code == 200 and [row["id"] for row in r.json()["results"]] == [c.pk]
    assert AuditEvent.objects.filter(action="search", object_type="calculators.ExtraCostCalculation").count() == 1
    r = api.get(f"{API}/extra-cost-calculations/{c.pk}/")
    assert r.status_code == 200 and r.json()["band_label"] == "Standardbeløb 1" and r.json()["payment_kr_month"] == "1053.00"
    assert (
        AuditEvent.objects.filter(action="read", object_type="calculators.ExtraCostCalculation", object_id=str(c.pk)).count() == 1
    )
    body = {"citizen": citizen.pk, "items": [{"label": "Medicin", "kr_month": "700"}], "application_received": "2025-03-01"}
    for user in (make_user(Role.CASEWORKER, org, unit=org["other_team"]), users[Role.PROVIDER_STAFF]):
        other = client_for(user)
        assert other.get(f"{API}/extra-cost-calculations/{c.pk}/").status_code == 404
        assert other.get(f"{API}/extra-cost-calculations/").json()["results"] == []
        r = other.post(f"{API}/extra-cost-calculations/", body, format="json")
        assert r.status_code == 400 and r.json()["fejlkoder"]["citizen"] == ["does_not_exist"]
    committee = client_for(users[Role.COMMITTEE])
    assert committee.get(f"{API}/extra-cost-calculations/{c.pk}/").status_code == 200
    assert committee.post(f"{API}/extra-cost-calculations/", body, format="json").status_code == 403
    assert ExtraCostCalculation.objects.count() == 1


def test_schema_documents_the_calculators(cw):
    r = client_for(cw).get(f"{API}/schema/", {"format": "json"})
    paths = r.json()["paths"]
    assert "get" in paths["/api/v1/companion-ledgers/{id}/"]
    assert "post" in paths["/api/v1/companion-usages/"] and "post" in paths["/api/v1/extra-cost-calculations/"]
    assert "get" in paths["/api/v1/extra-cost-calculations/{id}/"]
