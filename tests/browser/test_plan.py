"""The citizen writes "Mit liv og mine ønsker" on /mit/plan/; the caseworker sees the new
version and its diff. No serious or critical axe findings on /mit/plan/ at 1280 and 375 px."""

from samplan.core.models import Role
from samplan.plans import services
from samplan.plans.models import LifeDomain
from tests.factories import PASSWORD, make_citizen, make_org, make_user, walk_case

from .conftest import axe_violations, describe, login


def test_citizen_edits_wishes_and_caseworker_sees_the_version(page, live_server):
    org = make_org()
    cw = make_user(Role.CASEWORKER, org)
    me = make_user(Role.CITIZEN, org)
    citizen = make_citizen(org, caseworker=cw, user=me, first_name="Maja")
    walk_case(cw, citizen, org, until="accepted")
    plan = services.get_or_create_plan(citizen, cw)
    services.update_wishes(cw, plan, "Jeg vil gerne bo i min egen lejlighed.")
    services.add_goal(cw, plan, domain=LifeDomain.SOCIAL, citizen_wording="Gå en tur med en ven hver uge")
    services.add_agreement(cw, plan, who="Maja", what="Ringer til gartnerskolen", responsible_is_citizen=True)

    login(page, live_server, me.username, PASSWORD)
    page.goto("/mit/plan/")
    assert page.locator("h1").inner_text() == "Min plan"
    serious = axe_violations(page)
    assert not serious, describe(serious)
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    serious = axe_violations(page)
    assert not serious, describe(serious)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_text("Skriv om dit liv og dine ønsker").click()
    page.locator("#id_wishes-wishes").fill("Jeg drømmer om at blive gartner og have en hund.")
    page.locator("#wishes button[type=submit]").click()
    page.locator("#wishes-text", has_text="blive gartner").wait_for()
    # The citizen marks their own agreement done.
    page.get_by_role("button", name="Markér som gjort").click()
    page.locator("#agreements .samplan-done").wait_for()

    page.context.clear_cookies()
    login(page, live_server, cw.username, PASSWORD)
    page.goto(f"/borgere/{citizen.pk}/plan/versioner/")
    rows = page.locator("tbody tr")
    assert rows.count() == 5
    first = rows.first.inner_text()
    assert "markerede aftalen" in first and me.get_full_name() in first
    assert f"{me.get_full_name()} ændrede 'Mit liv og mine ønsker'" in rows.nth(1).inner_text()
    rows.nth(1).get_by_role("link").click()
    page.wait_for_url("**/plan/forskel/**")
    assert "blive gartner" in page.locator("table.samplan-diff ins").first.inner_text()
    assert "lejlighed" in page.locator("table.samplan-diff del").first.inner_text()
