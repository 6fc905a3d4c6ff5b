"""Issue 13 point 4 in a browser: a follow-up records the level now and the goal's attainment,
and the citizen overview's trend per goal shows them; the report of grants ending within
60 days; axe at 1280 and 375 px on the follow-up page, the overview and the report."""

import dataclasses
import datetime as dt

from django.utils import timezone

from samplan.cases import services
from samplan.core.models import Role
from samplan.plans import services as plans
from tests.factories import PASSWORD, grant_spec, make_citizen, walk_case

from .conftest import assert_axe_clean, login


def test_a_follow_up_measures_the_goal_and_the_overview_shows_the_trend(page, live_server, org, users):
    cw = users[Role.CASEWORKER]
    out = walk_case(cw, make_citizen(org, caseworker=cw), org, until="accepted")
    plans.add_status_note(users[Role.PROVIDER_STAFF], out["order"], text="Handler ind med følge hver uge.")
    fu, goal = out["grant"].follow_ups.get(), out["grant"].goals.get()
    login(page, live_server, cw.username, PASSWORD)
    page.goto(f"{live_server.url}/opfoelgninger/{fu.pk}/")
    assert "Handler ind med følge hver uge." in page.locator("#provider-status").inner_text()
    facts = page.locator(f"#goal-{goal.pk}")
    assert "1 – Let problem" in facts.locator("[data-target-level]").inner_text()
    assert facts.locator("[data-last-level]").inner_text().startswith("3 (udredning")
    assert_axe_clean(page, "Opfølgning med indsatsmål")

    # Sent without a level: the error is shown and the chosen attainment is kept.
    facts.get_by_label("Delvist opnået").check()
    page.get_by_label("Fortsæt indsatsen").check()
    page.get_by_role("button", name="Gem opfølgning").click()
    assert "Angiv funktionsevneniveauet nu for indsatsmålet." in page.content()
    assert page.locator(f"#goal-{goal.pk}").get_by_label("Delvist opnået").is_checked()

    page.locator(f"#goal-{goal.pk}").get_by_label("Funktionsevneniveau nu").select_option("2")
    with page.expect_navigation():
        page.get_by_role("button", name="Gem opfølgning").click()
    assert "Opfølgningen er registreret." in page.content()
    row = page.locator("#goal-trend-table tbody tr").first
    assert "2 (delvist opnået)" in row.inner_text() and "3 (udredning)" in row.inner_text()
    assert page.locator("#goal-chart .samplan-chart-point").count() == 2
    assert_axe_clean(page, "Borgeroverblik med funktionsevne pr. indsatsmål")


def test_the_report_of_grants_ending_within_60_days(page, live_server, org, users):
    cw = users[Role.CASEWORKER]
    out = walk_case(cw, make_citizen(org, caseworker=cw), org, until="granted")
    today = timezone.localdate()
    spec = dataclasses.replace(
        grant_spec(org, out["condition"], start=today - dt.timedelta(days=100)), end_date=today + dt.timedelta(days=20)
    )
    grant = services.create_grant(cw, out["decision"], spec)
    login(page, live_server, cw.username, PASSWORD)
    page.goto(f"{live_server.url}/rapporter/bevillinger-der-udloeber/")
    row = page.locator("#grants-ending-report tbody tr").first
    assert grant.case.case_number in row.inner_text() and "20" in row.inner_text()
    assert_axe_clean(page, "Bevillinger, der udløber")
