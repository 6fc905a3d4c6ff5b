"""Issue 4's journey end to end with the real two-factor login on Min side: the citizen
edits their wishes, rates the five CHIME items twice and sees both points; the caseworker
sees the new plan version and its diff; the citizen withdraws a relative's consent to see
the plan and the relative's next request is refused."""

from django.test import override_settings
from playwright.sync_api import expect

from samplan.citizens.models import NetworkMember
from samplan.consent import services as consent
from samplan.consent.models import ConsentEvent
from samplan.core.models import Role
from samplan.plans import services as plans
from samplan.questionnaires.builtin import CHIME_ITEMS, install_chime
from tests.factories import PASSWORD, make_citizen, make_org, make_user, walk_case

from .conftest import login, login_citizen

KEYS = [k for k, *_ in CHIME_ITEMS]


@override_settings(SAMPLAN_PORTAL_REQUIRE_2FA=True)
def test_citizen_journey_on_min_side(page, live_server):
    install_chime()
    org = make_org()
    cw = make_user(Role.CASEWORKER, org, username="sagsbehandler")
    me = make_user(Role.CITIZEN, org, username="borger")
    sister_login = make_user(Role.RELATIVE, org, username="soester")
    citizen = make_citizen(org, caseworker=cw, user=me, first_name="Maja")
    walk_case(cw, citizen, org, until="accepted")
    plans.update_wishes(cw, plans.get_or_create_plan(citizen, cw), "Jeg vil gerne bo i min egen lejlighed.")
    sister = NetworkMember.objects.create(citizen=citizen, user=sister_login, name="Lise", relation="Søster")
    consent.give(cw, sister, ConsentEvent.Kind.SEE_PLAN)

    # The relative can see the plan while consent stands.
    login_citizen(page, live_server, sister_login)
    response = page.goto(f"/borgere/{citizen.pk}/plan/")
    assert response.status == 200
    page.context.clear_cookies()

    # The citizen: password + code, then the wishes in their own words.
    login_citizen(page, live_server, me)
    page.goto("/mit/plan/")
    page.get_by_text("Skriv om dit liv og dine ønsker").click()
    page.locator("#id_wishes-wishes").fill("Jeg drømmer om at blive gartner.")
    page.locator("#wishes button[type=submit]").click()
    expect(page.locator("#wishes-text")).to_contain_text("blive gartner")

    # Two CHIME ratings, both points in the chart.
    for values in ([3, 4, 5, 4, 3], [6, 7, 6, 5, 8]):
        page.goto("/mit/trivsel/ny/")
        for key, value in zip(KEYS, values, strict=True):
            page.locator(f"input[name={key}][value='{value}']").check()
        with page.expect_navigation():
            page.get_by_role("button", name="Gem mine svar").click()
    chart = page.locator("svg#chime-chart")
    for key in KEYS:
        expect(chart.locator(f"[data-item={key}]")).to_have_count(2)

    # Withdraw the sister's consent to see the plan.
    page.goto("/mit/samtykke/")
    page.get_by_role("button", name="Træk tilbage for Lise – må se min plan").click()
    expect(page.get_by_role("button", name="Giv samtykke for Lise – må se min plan")).to_be_visible()
    assert consent.current(sister, ConsentEvent.Kind.SEE_PLAN) is False
    page.context.clear_cookies()

    # The caseworker sees the citizen's new version and its diff.
    login(page, live_server, cw.username, PASSWORD)
    page.goto(f"/borgere/{citizen.pk}/plan/versioner/")
    newest = page.locator("tbody tr").first
    expect(newest).to_contain_text("ændrede 'Mit liv og mine ønsker'")
    newest.get_by_role("link").click()
    page.wait_for_url("**/plan/forskel/**")
    expect(page.locator("table.samplan-diff ins").first).to_contain_text("blive gartner")
    page.context.clear_cookies()

    # The relative's next request is refused.
    login_citizen(page, live_server, sister_login)
    response = page.goto(f"/borgere/{citizen.pk}/plan/")
    assert response.status == 403
