"""Danish error pages in a real browser (issue 10 point 5): a relative whose consent is
withdrawn reloads the plan and reads why, with a way to Min side; the 404 page; an HTMX
action that meets a 404 shows the message in place. axe: no serious or critical findings at
1280 and 375 px."""

from playwright.sync_api import expect

from samplan.citizens.models import Citizen, NetworkMember
from samplan.consent import services as consent
from samplan.consent.models import ConsentEvent
from samplan.core.models import Role
from samplan.plans import services as plans
from tests.factories import PASSWORD, make_citizen, make_org, make_user

from .conftest import assert_axe_clean, login, login_citizen

NO_CONSENT = "Borgeren har ikke givet samtykke til, at du kan se planen."


def test_a_relative_whose_consent_is_withdrawn_sees_the_danish_explanation(page, live_server):
    org = make_org()
    caseworker = make_user(Role.CASEWORKER, org)
    citizen_user = make_user(Role.CITIZEN, org)
    relative = make_user(Role.RELATIVE, org)
    citizen = make_citizen(org, caseworker=caseworker, user=citizen_user, first_name="Maja")
    plans.get_or_create_plan(citizen, caseworker)
    member = NetworkMember.objects.create(citizen=citizen, user=relative, name="Lise", relation="Søster")
    consent.give(citizen_user, member, ConsentEvent.Kind.SEE_PLAN)

    login_citizen(page, live_server, relative)
    response = page.goto(f"/borgere/{citizen.pk}/plan/")
    assert response.status == 200

    consent.withdraw(citizen_user, member, ConsentEvent.Kind.SEE_PLAN)  # the citizen withdraws
    response = page.reload()
    assert response.status == 403
    expect(page.locator("html")).to_have_attribute("lang", "da")
    expect(page.get_by_role("heading", level=1)).to_have_text("Du har ikke adgang til siden")
    expect(page.locator("main")).to_contain_text(NO_CONSENT)
    expect(page.locator("main")).not_to_contain_text("Forbidden")
    back = page.get_by_role("link", name="Gå til Min side")
    expect(back).to_have_attribute("href", "/mit/")
    assert_axe_clean(page, "403 for a relative without consent")

    with page.expect_navigation():
        back.click()
    assert page.url.endswith("/mit/")


def test_the_404_page_is_axe_clean(page, live_server):
    response = page.goto("/findes-ikke-her/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Siden blev ikke fundet")
    expect(page.get_by_role("link", name="Se tilbud og kurser")).to_be_visible()
    assert_axe_clean(page, "404 for a visitor")


def test_an_htmx_action_that_meets_a_404_shows_the_message_in_place(page, live_server):
    org = make_org()
    caseworker = make_user(Role.CASEWORKER, org)
    citizen = make_citizen(org, caseworker=caseworker)
    member = NetworkMember.objects.create(citizen=citizen, name="Lise", relation="Søster")

    login(page, live_server, caseworker.username, PASSWORD)
    page.goto(f"/borgere/{citizen.pk}/samtykke/")
    row = page.locator(f"#member-{member.pk}")
    expect(row).to_be_visible()

    # Meanwhile the citizen moves to another team: the caseworker's next action is a 404.
    Citizen.objects.filter(pk=citizen.pk).update(unit=org["other_team"])
    row.get_by_role("button", name="Giv samtykke for Lise – må kontaktes").click()

    region = page.locator("#samplan-error")
    expect(region).to_have_attribute("role", "alert")
    expect(region).to_contain_text("Siden blev ikke fundet")
    expect(region.get_by_role("link", name="Gå til forsiden")).to_be_visible()
    expect(row).to_be_visible()  # the row stays as it was; no page inside the page
    expect(page.locator("h1")).to_have_count(1)
    assert not ConsentEvent.objects.filter(member=member).exists()
    assert_axe_clean(page, "consent page with the HTMX error message")
