"""The inbox in a browser (issue 13): the committee returns a grant → the caseworker's header
badge counts it → the inbox shows it → opening it lands on the case → the caseworker changes
the grant → the committee approves → the inbox says so; axe at 1280 and 375 px
on /indbakke/, /opgaver/, /opgaver/ny/ and /administration/overdragelse/."""

import dataclasses

from samplan.cases import services
from samplan.cases.models import Grant
from samplan.core.models import Role
from samplan.standards.models import CompetenceRule
from tests.factories import PASSWORD, grant_spec, make_citizen, walk_case

from .conftest import assert_axe_clean, login


def test_committee_return_reaches_the_caseworkers_inbox(page, live_server, org, users):
    cw, committee = users[Role.CASEWORKER], users[Role.COMMITTEE]
    CompetenceRule.objects.create(municipality=org["municipality"], legal_basis="§85", max_scope=27, deviation_allowed=False)
    citizen = make_citizen(org, caseworker=cw, first_name="Birte")
    granted = walk_case(cw, citizen, org, until="granted")
    spec = dataclasses.replace(grant_spec(org, granted["condition"], amount="30"))
    grant = services.create_grant(cw, granted["decision"], spec)

    login(page, live_server, committee.username, PASSWORD)
    page.goto(f"{live_server.url}/visitationsudvalg/{grant.pk}/")
    page.get_by_label("Send retur").check()
    page.locator("#id_reason").fill("Omfanget skal begrundes bedre.")
    with page.expect_navigation():
        page.get_by_role("button", name="Gem afgørelse").click()
    page.context.clear_cookies()

    login(page, live_server, cw.username, PASSWORD)
    badge = page.locator("#inbox-link .samplan-inbox-count")
    assert badge.inner_text().startswith("1")
    with page.expect_navigation():
        page.locator("#inbox-link").click()
    text = f"Visitationsudvalget har sendt bevillingen til {citizen.full_name} retur."
    assert page.get_by_role("button", name=text, exact=True).count() == 1
    assert page.get_by_text("Ulæst", exact=True).count() == 1
    assert_axe_clean(page, "Indbakke")
    with page.expect_navigation():
        page.get_by_role("button", name=text, exact=True).click()
    assert page.url.endswith(f"/sager/{grant.case_id}/")
    assert page.locator("#inbox-link .samplan-inbox-count").count() == 0

    # The caseworker changes the returned grant (the form is prefilled, the justification too)
    # and sends it again; the committee approves; the caseworker's inbox says so.
    with page.expect_navigation():
        page.get_by_role("link", name="Ændr bevilling").first.click()
    page.get_by_label("Årsag til ændringen").fill("Omfanget er begrundet i lægeerklæringen.")
    with page.expect_navigation():
        page.get_by_role("button", name="Gem ny version").click()
    changed = Grant.objects.get(previous=grant)
    assert changed.status == Grant.Status.PENDING
    page.context.clear_cookies()

    login(page, live_server, committee.username, PASSWORD)
    page.goto(f"{live_server.url}/visitationsudvalg/{changed.pk}/")
    page.get_by_label("Godkend – bevillingen træder i kraft").check()
    page.locator("#id_reason").fill("Begrundelsen er tilstrækkelig.")
    with page.expect_navigation():
        page.get_by_role("button", name="Gem afgørelse").click()
    page.context.clear_cookies()

    login(page, live_server, cw.username, PASSWORD)
    assert page.locator("#inbox-link .samplan-inbox-count").inner_text().startswith("1")
    with page.expect_navigation():
        page.locator("#inbox-link").click()
    approved = f"Visitationsudvalget har godkendt bevillingen til {citizen.full_name}."
    assert page.get_by_role("button", name=approved, exact=True).count() == 1


def test_task_pages_and_handover_are_accessible(page, live_server, org, users):
    cw = users[Role.CASEWORKER]
    citizen = make_citizen(org, caseworker=cw, first_name="Carl")
    login(page, live_server, cw.username, PASSWORD)
    page.goto(f"{live_server.url}/opgaver/ny/")
    assert_axe_clean(page, "Ny opgave")
    page.get_by_label("Opgave").fill("Ring til Carl om boligen")
    page.get_by_label("Frist").fill("2030-01-15")
    page.get_by_label("Borger (valgfri)").select_option(str(citizen.pk))
    with page.expect_navigation():
        page.get_by_role("button", name="Opret opgave").click()
    assert page.get_by_role("link", name="Ring til Carl om boligen").count() == 1
    assert_axe_clean(page, "Mine opgaver")
    with page.expect_navigation():
        page.get_by_role("button", name="Markér som udført").click()
    assert page.get_by_text("Opgaven er markeret som udført.").count() == 1
    page.context.clear_cookies()

    login(page, live_server, users[Role.ADMIN].username, PASSWORD)
    page.goto(f"{live_server.url}/administration/overdragelse/")
    assert_axe_clean(page, "Overdragelse")
