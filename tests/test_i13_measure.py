"""Issue 13 point 4: the follow-up that measures — per goal the functioning level now and
whether the goal is met, the provider's latest status note and the last measured level on
the form, the trend per goal on the citizen overview, and the report of grants ending
within 60 days."""

import dataclasses
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from rest_framework.test import APIClient

from samplan.cases import services
from samplan.cases.measures import MeasurementSpec
from samplan.cases.models import Assessment, FollowUp, GoalMeasurement, Grant
from samplan.core import policy
from samplan.core.models import AuditEvent, Role
from samplan.plans import services as plans
from tests.factories import PASSWORD, grant_spec, make_citizen, make_user, walk_case

TODAY = timezone.localdate


def _short(day: dt.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


@pytest.fixture
def cw(users):
    return users["caseworker"]


def _accepted(org, cw, *, start=None, citizen=None):
    """A grant with one goal (assessed level 3, target 1), ordered and accepted."""
    return walk_case(cw, citizen or make_citizen(org, caseworker=cw), org, until="accepted", start=start)


def _measure(goal, level=2, attainment=GoalMeasurement.Attainment.PARTLY):
    return [MeasurementSpec(goal_id=goal.pk, level=level, attainment=attainment)]


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


# --- The service: one measurement per goal, in the follow-up's transaction ------------------------


def test_complete_follow_up_records_a_measurement_per_goal(org, cw):
    out = _accepted(org, cw)
    goal = out["grant"].goals.get()
    fu = out["grant"].follow_ups.get()
    services.complete_follow_up(
        cw, fu, result=FollowUp.Result.CONTINUE, done_at=TODAY(), measurements=_measure(goal, 2, "partly")
    )
    [m] = GoalMeasurement.objects.all()
    assert (m.follow_up_id, m.goal_id, m.level, m.attainment, m.measured_at) == (fu.pk, goal.pk, 2, "partly", TODAY())
    assert m.get_attainment_display() == "Delvist opnået"
    assert AuditEvent.objects.filter(object_type="cases.GoalMeasurement", object_id=str(m.pk), action="create").exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda goal: [], "for hvert indsatsmål"),
        (lambda goal: _measure(goal) * 2, "for hvert indsatsmål"),
        (lambda goal: [MeasurementSpec(goal_id=goal.pk + 999, level=1, attainment="met")], "hører ikke til"),
        (lambda goal: _measure(goal, level=5), "fra 0 til 4"),
        (lambda goal: _measure(goal, level=-1), "fra 0 til 4"),
        (lambda goal: _measure(goal, attainment="maybe"), "delvist opnået"),
    ],
)
def test_invalid_measurements_are_refused_and_nothing_is_saved(org, cw, change, message):
    out = _accepted(org, cw)
    goal = out["grant"].goals.get()
    fu = out["grant"].follow_ups.get()
    with pytest.raises(services.DomainError, match=message):
        services.complete_follow_up(cw, fu, result=FollowUp.Result.CONTINUE, done_at=TODAY(), measurements=change(goal))
    fu.refresh_from_db()
    assert fu.status == FollowUp.Status.PLANNED and not GoalMeasurement.objects.exists()


def test_a_measurement_is_never_changed_or_deleted(org, cw):
    out = _accepted(org, cw)
    fu = out["grant"].follow_ups.get()
    goal = out["grant"].goals.get()
    services.complete_follow_up(cw, fu, result=FollowUp.Result.CONTINUE, done_at=TODAY(), measurements=_measure(goal))
    m = GoalMeasurement.objects.get()
    m.level = 0
    with pytest.raises(PermissionError):
        m.save()
    with pytest.raises(PermissionError):
        GoalMeasurement.objects.filter(pk=m.pk).update(level=0)
    with pytest.raises(PermissionError):
        m.delete()
    assert GoalMeasurement.objects.get().level == 2


# --- The follow-up page -----------------------------------------------------------------------


def test_form_shows_status_note_target_and_last_measured_level(client, org, cw, users):
    out = _accepted(org, cw)
    fu = out["grant"].follow_ups.get()
    plans.add_status_note(users["provider_staff"], out["order"], text="Handler nu selv ind med følge.")
    _login(client, cw)
    body = client.get(reverse("follow-up", args=[fu.pk])).content.decode()
    status = body[body.index('id="provider-status"') : body.index("</section>", body.index('id="provider-status"'))]
    assert "Handler nu selv ind med følge." in status and org["provider"].name in status
    goal = out["grant"].goals.get()
    section = body[body.index(f'id="goal-{goal.pk}"') :]
    assert "1 – Let problem" in section[: section.index("</dl>")]  # the target level
    out["assessment"].refresh_from_db()
    assessed = timezone.localtime(out["assessment"].completed_at).date()
    assert f"3 (udredning {_short(assessed)})" in section
    assert f'name="level_{goal.pk}"' in section and f'name="attainment_{goal.pk}"' in section


def test_form_without_a_status_note_says_so(client, org, cw):
    fu = _accepted(org, cw)["grant"].follow_ups.get()
    _login(client, cw)
    assert "Tilbuddet har ikke skrevet et statusnotat endnu." in client.get(reverse("follow-up", args=[fu.pk])).content.decode()


def test_posting_the_form_records_levels_and_attainment(client, org, cw):
    out = _accepted(org, cw)
    fu, goal = out["grant"].follow_ups.get(), out["grant"].goals.get()
    _login(client, cw)
    response = client.post(
        reverse("follow-up", args=[fu.pk]),
        {"result": "continue", "done_at": TODAY().isoformat(), f"level_{goal.pk}": "1", f"attainment_{goal.pk}": "met"},
    )
    assert response.status_code == 302
    [m] = GoalMeasurement.objects.all()
    assert (m.follow_up_id, m.level, m.attainment) == (fu.pk, 1, "met")


def test_a_missing_level_keeps_what_was_typed_and_saves_nothing(client, org, cw):
    out = _accepted(org, cw)
    fu, goal = out["grant"].follow_ups.get(), out["grant"].goals.get()
    _login(client, cw)
    response = client.post(
        reverse("follow-up", args=[fu.pk]),
        {"result": "continue", "done_at": TODAY().isoformat(), "note": "Godt forløb", f"attainment_{goal.pk}": "partly"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Angiv funktionsevneniveauet nu for indsatsmålet." in body
    assert "Godt forløb" in body
    partly = body[body.index('value="partly"') - 120 : body.index('value="partly"') + 120]
    assert "checked" in partly  # the chosen attainment is kept
    fu.refresh_from_db()
    assert fu.status == FollowUp.Status.PLANNED and not GoalMeasurement.objects.exists()


def test_the_next_follow_up_shows_the_previous_measurement_as_last_measured(client, org, cw):
    out = _accepted(org, cw, start=TODAY() - dt.timedelta(days=40))
    fu, goal = out["grant"].follow_ups.get(), out["grant"].goals.get()
    done = TODAY() - dt.timedelta(days=10)
    services.complete_follow_up(cw, fu, result=FollowUp.Result.CONTINUE, done_at=done, measurements=_measure(goal, 2))
    nxt = FollowUp.objects.get(grant=out["grant"], status=FollowUp.Status.PLANNED)
    _login(client, cw)
    body = client.get(reverse("follow-up", args=[nxt.pk])).content.decode()
    assert f"2 (opfølgning {_short(done)})" in body


def test_a_changed_grant_keeps_the_goals_last_measurement(org, cw):
    """A goal of a new grant version is the same goal (same type, same condition)."""
    from samplan.cases.measures import goal_rows

    out = _accepted(org, cw, start=TODAY() - dt.timedelta(days=40))
    fu, goal = out["grant"].follow_ups.get(), out["grant"].goals.get()
    services.complete_follow_up(cw, fu, result=FollowUp.Result.CONTINUE, done_at=TODAY(), measurements=_measure(goal, 1))
    spec = dataclasses.replace(grant_spec(org, out["condition"], start=TODAY()), change_reason="Flere timer")
    new = services.change_grant(cw, Grant.objects.get(pk=out["grant"].pk), spec)
    [row] = goal_rows(new.follow_ups.get(status=FollowUp.Status.PLANNED))
    assert (row.last_level, row.last_source) == (1, "opfølgning")


# --- The API --------------------------------------------------------------------------------------


def test_api_completion_records_measurements_through_the_service(org, cw):
    out = _accepted(org, cw)
    fu, goal = out["grant"].follow_ups.get(), out["grant"].goals.get()
    api = APIClient()
    api.force_login(cw)

    def complete(*measurements):
        body = {"result": "continue", "done_at": TODAY().isoformat(), "measurements": list(measurements)}
        return api.post(f"/api/v1/follow-ups/{fu.pk}/complete/", body, format="json")

    bad = complete({"goal": goal.pk, "level": 9, "attainment": "met"})
    assert bad.status_code == 400 and not GoalMeasurement.objects.exists()
    missing = complete()
    assert missing.status_code == 400
    assert "for hvert indsatsmål" in str(missing.json())
    ok = complete({"goal": goal.pk, "level": 2, "attainment": "not_met"})
    assert ok.status_code == 200, ok.json()
    [row] = ok.json()["measurements"]
    assert (row["goal"], row["level"], row["attainment"], row["measured_at"]) == (goal.pk, 2, "not_met", TODAY().isoformat())


# --- The citizen overview: functioning level per goal over time ----------------------------------


def _with_follow_ups(org, cw, n: int):
    start = TODAY() - dt.timedelta(days=30 * (n + 1))
    out = _accepted(org, cw, start=start)
    # As in life, the assessment came before the grant (the factory completes it today).
    completed = timezone.make_aware(dt.datetime.combine(start - dt.timedelta(days=5), dt.time(10)))
    Assessment.objects.filter(pk=out["assessment"].pk).update(completed_at=completed)
    goal = out["grant"].goals.get()
    for i in range(n):
        fu = FollowUp.objects.get(grant=out["grant"], status=FollowUp.Status.PLANNED)
        services.complete_follow_up(
            cw,
            fu,
            result=FollowUp.Result.CONTINUE,
            done_at=start + dt.timedelta(days=30 * (i + 1)),
            measurements=_measure(goal, level=max(0, 3 - i), attainment="partly"),
        )
    return out


def test_overview_shows_the_level_per_goal_from_assessment_to_follow_ups(client, org, cw):
    out = _with_follow_ups(org, cw, 2)
    _login(client, cw)
    body = client.get(reverse("citizen-overview", args=[out["case"].citizen_id])).content.decode()
    table = body[body.index('id="goal-trend-table"') : body.index("</table>", body.index('id="goal-trend-table"'))]
    start = out["grant"].start_date
    assert _short(start + dt.timedelta(days=30)) in table and _short(start + dt.timedelta(days=60)) in table
    row = table[table.index("<tbody>") :]
    # target 1; assessment 3; then the follow-ups' 3 and 2
    cells = [c.split("<")[0].strip() for c in row.split("<td>")[1:]]
    assert cells == ["1", "3", "3", "2"]
    assert "(udredning)" in row and "(delvist opnået)" in row
    chart = body[body.index('id="goal-chart"') - 200 : body.index("</svg>", body.index('id="goal-chart"'))]
    assert 'role="img"' in chart and "<title" in chart and "<desc" in chart
    assert chart.count('class="samplan-chart-point"') == 3


def test_overview_trend_is_empty_without_goals_measured(client, org, cw):
    citizen = make_citizen(org, caseworker=cw)
    walk_case(cw, citizen, org, until="assessment")
    _login(client, cw)
    assert (
        "Ingen indsatsmål med funktionsevneniveau endnu."
        in client.get(reverse("citizen-overview", args=[citizen.pk])).content.decode()
    )


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_overview_queries_do_not_grow_with_follow_ups_and_goals(client, org, cw):
    small = _with_follow_ups(org, cw, 2)
    large = _with_follow_ups(org, cw, 10)
    _login(client, cw)
    a = _count(client, reverse("citizen-overview", args=[small["case"].citizen_id]))
    b = _count(client, reverse("citizen-overview", args=[large["case"].citizen_id]))
    assert a == b, f"{a} queries with 2 follow-ups, {b} with 10"


def test_provider_staff_see_measurements_but_not_the_assessment_level(client, org, cw, users):
    out = _with_follow_ups(org, cw, 2)
    _login(client, users["provider_staff"])
    body = client.get(reverse("citizen-overview", args=[out["case"].citizen_id])).content.decode()
    table = body[body.index('id="goal-trend-table"') : body.index("</table>", body.index('id="goal-trend-table"'))]
    assert "(delvist opnået)" in table and "(udredning)" not in table


# --- The report of grants ending within 60 days --------------------------------------------------


def _ending(org, cw, days: int, *, citizen=None):
    out = walk_case(cw, citizen or make_citizen(org, caseworker=cw), org, until="granted")
    spec = dataclasses.replace(
        grant_spec(org, out["condition"], start=TODAY() - dt.timedelta(days=100)), end_date=TODAY() + dt.timedelta(days=days)
    )
    return services.create_grant(cw, out["decision"], spec)


URL = "/rapporter/bevillinger-der-udloeber/"


def test_report_policy_per_role(users):
    allowed = {r for r in Role.values if policy.has_capability(users[r], policy.VIEW_GRANTS_ENDING)}
    assert allowed == {Role.CASEWORKER, Role.COORDINATOR, Role.MANAGER}


@pytest.mark.parametrize("role", [Role.COMMITTEE, Role.PROVIDER_STAFF, Role.ADMIN, Role.OFFER_MAINTAINER])
def test_report_is_refused_to_other_staff(client, users, role):
    _login(client, users[role])
    assert client.get(URL).status_code == 403


def test_caseworker_sees_own_citizens_grants_ending_within_60_days(client, org, cw):
    soon = _ending(org, cw, 59)
    later = _ending(org, cw, 61)
    other_cw = make_user(Role.CASEWORKER, org)
    not_mine = _ending(org, other_cw, 10)
    _login(client, cw)
    body = client.get(URL).content.decode()
    assert soon.case.case_number in body and soon.case.citizen.full_name in body
    assert later.case.case_number not in body and not_mine.case.case_number not in body
    assert AuditEvent.objects.filter(user_id_ref=cw.pk, citizen_id_ref=soon.case.citizen_id, action="read").exists()


def test_coordinator_sees_the_citizens_they_coordinate(client, org, cw, users):
    coordinated = _ending(org, cw, 20, citizen=make_citizen(org, caseworker=cw, coordinator=users["coordinator"]))
    other = _ending(org, cw, 20)
    _login(client, users["coordinator"])
    body = client.get(URL).content.decode()
    assert coordinated.case.case_number in body and other.case.case_number not in body


def test_leader_sees_the_units_grants_without_names(client, org, cw):
    leader = make_user(Role.MANAGER, org, unit=org["authority"])
    mine = _ending(org, cw, 30)
    other_cw = make_user(Role.CASEWORKER, org, unit=org["other_team"])
    other_unit = _ending(org, other_cw, 30, citizen=make_citizen(org, unit=org["other_team"], caseworker=other_cw))
    _login(client, leader)
    body = client.get(URL).content.decode()
    table = body[body.index('id="grants-ending-report"') :]
    assert "1 bevilling, der udløber" in table
    assert cw.get_full_name() in table and _short(mine.end_date) in table
    assert mine.case.citizen.full_name not in body and mine.case.case_number not in body
    assert other_unit.case.case_number not in body and other_cw.get_full_name() not in table


def test_leader_without_a_unit_sees_none(client, org, cw, users):
    _ending(org, cw, 30)
    _login(client, users["manager"])
    assert "Ingen bevillinger udløber inden for 60 dage." in client.get(URL).content.decode()


def test_report_queries_do_not_grow_with_rows(client, org, cw):
    _ending(org, cw, 30)
    _login(client, cw)
    small = _count(client, URL)
    for days in (5, 10, 40, 50):
        _ending(org, cw, days)
    assert _count(client, URL) == small


def test_leader_of_a_centre_sees_the_grants_of_its_teams(client, org, cw):
    from samplan.core.models import OrgUnit

    centre = OrgUnit.objects.create(municipality=org["municipality"], name="Center for Social Indsats", kind=OrgUnit.Kind.CENTRE)
    OrgUnit.objects.filter(pk=org["authority"].pk).update(parent=centre)
    leader = make_user(Role.MANAGER, org, unit=centre)
    grant = _ending(org, cw, 15)
    _login(client, leader)
    body = client.get(URL).content.decode()
    assert _short(grant.end_date) in body and grant.case.citizen.full_name not in body


def test_an_assessment_and_a_follow_up_on_one_day_are_two_columns(client, org, cw):
    out = _accepted(org, cw)
    fu, goal = out["grant"].follow_ups.get(), out["grant"].goals.get()
    services.complete_follow_up(cw, fu, result=FollowUp.Result.CONTINUE, done_at=TODAY(), measurements=_measure(goal, 2))
    _login(client, cw)
    body = client.get(reverse("citizen-overview", args=[out["case"].citizen_id])).content.decode()
    table = body[body.index('id="goal-trend-table"') : body.index("</table>", body.index('id="goal-trend-table"'))]
    row = table[table.index("<tbody>") :]
    assert [c.split("<")[0].strip() for c in row.split("<td>")[1:]] == ["1", "3", "2"]


def test_report_as_csv_has_the_same_rows_and_no_names_for_a_leader(client, org, cw):
    grant = _ending(org, cw, 25)
    _login(client, cw)
    rows = client.get(URL, {"format": "csv"}).content.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("Borger;Sag;Bevilling") and len(rows) == 2
    assert grant.case.case_number in rows[1] and rows[1].endswith(f"{grant.end_date.isoformat()};25")
    client.logout()
    _login(client, make_user(Role.MANAGER, org, unit=org["authority"]))
    rows = client.get(URL, {"format": "csv"}).content.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("Bevilling;") and len(rows) == 2
    assert grant.case.case_number not in rows[1] and grant.case.citizen.full_name not in rows[1]
