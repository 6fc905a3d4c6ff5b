"""Case-processing deadlines per § and follow-up schedules taken from each grant's standard."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from samplan.cases import services
from samplan.cases.models import FollowUp
from samplan.standards.loader import load_standards
from samplan.standards.models import CaseDeadline
from samplan.terminology import ffb
from tests.factories import PASSWORD, ad_theme, grant_spec, make_citizen, walk_case

D = dt.date


@pytest.fixture
def ltk(org):
    load_standards(org["municipality"])
    return org


@pytest.fixture
def cw(users):
    return users["caseworker"]


def _received(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


def test_inquiry_gets_the_deadline_of_the_section_applied_for(ltk, cw):
    days = CaseDeadline.objects.get(municipality=ltk["municipality"], legal_basis="§85").days
    citizen = make_citizen(ltk, caseworker=cw)
    inquiry = services.register_inquiry(
        cw, citizen, source="citizen", reason="Støtte", received_at=_received(D(2026, 3, 2)), applied_for="§85"
    )
    assert inquiry.deadline == D(2026, 3, 2) + dt.timedelta(days=days)
    unknown = services.register_inquiry(cw, citizen, source="citizen", reason="Ved ikke", received_at=_received(D(2026, 3, 2)))
    assert unknown.deadline is None


def test_worklist_sorts_by_deadline_and_shows_days_left(client, ltk, cw):
    today = timezone.localdate()
    CaseDeadline.objects.filter(municipality=ltk["municipality"], legal_basis="§100").update(days=28)
    late = make_citizen(ltk, caseworker=cw, first_name="Senere")
    soon = make_citizen(ltk, caseworker=cw, first_name="Snart")
    services.register_inquiry(
        cw, late, source="citizen", reason="x", received_at=_received(today - dt.timedelta(days=1)), applied_for="§85"
    )
    services.register_inquiry(
        cw, soon, source="citizen", reason="x", received_at=_received(today - dt.timedelta(days=25)), applied_for="§100"
    )
    assert client.login(username=cw.username, password=PASSWORD)
    r = client.get(reverse("worklist"))
    rows = [i.case.citizen.first_name for i in r.context["inquiries"]]
    assert rows == ["Snart", "Senere"]
    assert r.context["inquiries"][0].days_to_deadline == 3
    assert "3 dage tilbage" in r.content.decode()


def _decided_case(cw, citizen, received: dt.date, decided: dt.date):
    """An inquiry for §85 received and decided on the given days, through the services."""
    inquiry = services.register_inquiry(
        cw, citizen, source="citizen", reason="x", received_at=_received(received), applied_for="§85"
    )
    services.record_first_contact(cw, inquiry, _received(received) + dt.timedelta(hours=2))
    assessment = services.start_assessment(cw, inquiry.case)
    services.set_condition(cw, assessment, theme=ad_theme(), functioning_level=3)
    services.complete_assessment(cw, assessment, citizen_wishes="x", support_need=ffb.children(ffb.SUPPORT_NEED).first())
    services.make_decision(cw, inquiry.case, outcome="granted", legal_basis="§85", justification="x", decided_at=decided)


def test_compliance_report_per_section_and_month(client, ltk, cw, users):
    CaseDeadline.objects.filter(municipality=ltk["municipality"], legal_basis="§85").update(days=30)
    citizen = make_citizen(ltk, caseworker=cw)
    # On time (15 days), on time (28 days), late (45 days): all decided in January 2026.
    for received, decided in [(D(2026, 1, 5), D(2026, 1, 20)), (D(2026, 1, 2), D(2026, 1, 30)), (D(2025, 12, 1), D(2026, 1, 15))]:
        _decided_case(cw, citizen, received, decided)
    assert client.login(username=users["manager"].username, password=PASSWORD)
    report = client.get(reverse("report-deadlines")).context["report"]
    [row] = [r for r in report["rows"] if r["legal_basis"] == "§85"]
    assert (row["month"].month, row["total"], row["on_time"], row["late"], row["percent"]) == (1, 3, 2, 1, 67)


def test_102_is_followed_up_during_and_at_the_end(ltk, cw):
    out = walk_case(cw, make_citizen(ltk, caseworker=cw), ltk, until="granted")
    spec = grant_spec(ltk, out["condition"], amount="10", legal_basis="§102", start=D(2026, 1, 1))
    spec.scope_unit, spec.end_date = "hours_total", D(2026, 3, 2)
    grant = services.create_grant(cw, out["decision"], spec)
    planned = list(grant.follow_ups.values_list("kind", "due_date"))
    assert planned == [(FollowUp.Kind.DURING, D(2026, 1, 31)), (FollowUp.Kind.END, D(2026, 3, 2))]
    during = grant.follow_ups.get(kind=FollowUp.Kind.DURING)
    services.complete_follow_up(cw, during, result=FollowUp.Result.CONTINUE, done_at=D(2026, 1, 30))
    # No yearly follow-up is added: the end follow-up is still planned.
    assert list(grant.follow_ups.filter(status="planned").values_list("kind", flat=True)) == [FollowUp.Kind.END]


@pytest.mark.parametrize("basis", ["§82a", "§82c", "§82d"])
def test_82_has_no_follow_up(ltk, cw, basis):
    out = walk_case(cw, make_citizen(ltk, caseworker=cw), ltk, until="granted")
    spec = grant_spec(ltk, out["condition"], amount="5", legal_basis=basis)
    spec.scope_unit = "hours_total"
    grant = services.create_grant(cw, out["decision"], spec)
    assert not grant.follow_ups.exists()


def test_yearly_interval_comes_from_the_grants_own_version(ltk, cw, users):
    from decimal import Decimal

    from samplan.standards.models import QualityStandard
    from samplan.standards.services import new_version

    out = walk_case(cw, make_citizen(ltk, caseworker=cw), ltk, until="granted")
    grant = services.create_grant(cw, out["decision"], grant_spec(ltk, out["condition"], amount="10", start=D(2026, 1, 10)))
    # A later version follows up every 6 months; the old grant keeps its 12.
    new_version(
        users["admin"],
        QualityStandard.objects.get(municipality=ltk["municipality"], key="§85"),
        adopted_on=D(2026, 1, 1),
        follow_up_every_months=6,
        level_min=Decimal("1"),
    )
    first = grant.follow_ups.get()
    services.complete_follow_up(cw, first, result=FollowUp.Result.CONTINUE, done_at=D(2026, 3, 1))
    assert grant.follow_ups.get(status="planned").due_date == D(2027, 3, 1)
