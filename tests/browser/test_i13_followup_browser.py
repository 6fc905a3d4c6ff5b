"""Issue 13 in a browser: a new order reaches the provider's inbox, the provider declines it
with a reason, and the caseworker is told in the inbox and sees it on the worklist;
the grant form's checkbox list filters; axe at 1280 and 375 px."""

from samplan.core.models import Role
from tests.factories import PASSWORD, make_citizen, walk_case

from .conftest import assert_axe_clean, login


def test_provider_declines_an_order_and_the_caseworker_sees_it(browser, live_server, org, users):
    cw, staff = users[Role.CASEWORKER], users[Role.PROVIDER_STAFF]
    out = walk_case(cw, make_citizen(org, caseworker=cw), org, until="order")
    order = out["order"]
    provider = browser.new_page()
    login(provider, live_server, staff.username, PASSWORD)
    # The new order is news in the provider's inbox, which leads to it.
    with provider.expect_navigation():
        provider.locator("#inbox-link").click()
    with provider.expect_navigation():
        provider.get_by_role("button", name=f"Ny bestilling: {order.citizen.full_name}.", exact=True).click()
    assert provider.url.endswith(f"/bestillinger/{order.pk}/")
    assert "periode" in provider.locator("#order-grant-period").inner_text()
    assert_axe_clean(provider, "Bestilling (tilbuddet)")
    provider.get_by_label("Begrundelse for afvisning").fill("Ingen ledig plads før til sommer")
    with provider.expect_navigation():
        provider.get_by_role("button", name="Afvis bestilling").click()
    # A declined order leaves the provider's list (and their access to the citizen).
    assert "Bestillingen er afvist. Sagsbehandleren kan se begrundelsen." in provider.content()
    assert f"/bestillinger/{order.pk}/" not in provider.content()
    assert_axe_clean(provider, "Bestillinger efter afvisning")

    caseworker = browser.new_page()
    login(caseworker, live_server, cw.username, PASSWORD)
    # The refusal is in the caseworker's inbox and leads to the case.
    assert caseworker.locator("#inbox-link .samplan-inbox-count").inner_text().startswith("1")
    with caseworker.expect_navigation():
        caseworker.locator("#inbox-link").click()
    declined = f"{order.provider} har afvist bestillingen til {order.citizen.full_name}."
    with caseworker.expect_navigation():
        caseworker.get_by_role("button", name=declined, exact=True).click()
    assert caseworker.url.endswith(f"/sager/{order.grant.case_id}/")
    caseworker.goto(f"{live_server.url}/arbejdsliste/")
    row = caseworker.locator("#order-answers + table tbody tr").first
    assert "Ingen ledig plads før til sommer" in row.inner_text()
    assert_axe_clean(caseworker, "Arbejdsliste med svar fra tilbud")


def test_the_grant_form_checkbox_list_filters(page, live_server, org, users):
    cw = users[Role.CASEWORKER]
    out = walk_case(cw, make_citizen(org, caseworker=cw), org, until="granted")
    login(page, live_server, cw.username, PASSWORD)
    page.goto(f"{live_server.url}/sager/{out['case'].pk}/bevilling/")
    box = page.locator("#id_secondary_target_groups_filter")
    assert box.is_visible()
    box.fill("angst")
    visible = page.locator("[data-checkbox-filter]:has(#id_secondary_target_groups_filter) .form-group-checkbox:visible")
    assert visible.count() == 1 and "Angst" in visible.first.inner_text()
    assert_axe_clean(page, "Opret bevilling (filtreret liste)")
