"""An anonymous visitor searches the offer catalogue, filters, and opens an offer — with
HTMX and without JavaScript. axe finds no serious or critical issues on the search page
and the offer page at desktop (1280 px) and phone (375 px) widths."""

from decimal import Decimal

from playwright.sync_api import expect

from samplan.catalogue.models import Offer
from tests.factories import make_org
from tests.test_catalogue import make_offer, target_group

from .conftest import axe_violations, describe


def build_catalogue():
    org = make_org()
    make_offer(
        org,
        "Kursus i recovery",
        kind=Offer.Kind.COURSE,
        open_access=True,
        area="Lyngby",
        summary="Lær om recovery sammen med andre",
        groups=[target_group("Angst")],
        access_note="Tilmeld dig på skolens side",
        languages="dansk, engelsk",
        accessibility="Niveaufri adgang",
    )
    make_offer(
        org,
        "Pårørendegruppe for forældre",
        kind=Offer.Kind.RELATIVES,
        open_access=True,
        area="Virum",
        summary="Mød andre forældre",
    )
    make_offer(
        org,
        "Recoverycafé Lyngby",
        kind=Offer.Kind.CAFE,
        open_access=True,
        area="Lyngby",
        price_kr=Decimal("20"),
        summary="Kaffe og fællesskab",
        address="Lyngby Hovedgade 10",
        postcode="2800",
        city="Kgs. Lyngby",
        opening_hours="Tirsdag og torsdag 14–17",
        phone="45 00 00 00",
    )
    make_offer(
        org,
        "Bostøtte efter §85",
        kind=Offer.Kind.MUNICIPAL,
        legal_basis="§85",
        area="Hele kommunen",
        access_note="Kontakt Myndighed",
    )
    return org


def assert_clean(page, what):
    violations = axe_violations(page)
    assert not violations, f"{what}:\n{describe(violations)}"


def test_visitor_searches_filters_and_opens_an_offer(page, live_server):
    build_catalogue()
    page.goto("/tilbud/")
    expect(page.get_by_role("heading", name="Tilbud og kurser", level=1)).to_be_visible()
    expect(page.locator("#catalogue-count")).to_contain_text("4 tilbud")
    assert_clean(page, "search page at 1280 px")

    # Danish stemming: "kurser" finds "Kursus i recovery" (HTMX swaps the results, the URL follows).
    page.get_by_label("Søg efter tilbud").fill("kurser")
    page.get_by_role("button", name="Søg", exact=True).click()
    expect(page.locator("#catalogue-count")).to_contain_text("1 tilbud for »kurser«")
    expect(page).to_have_url(f"{live_server.url}/tilbud/?q=kurser")

    # Filters: everything in Lyngby without visitation, then only cafés.
    page.get_by_label("Søg efter tilbud").fill("")
    page.get_by_role("button", name="Søg", exact=True).click()
    expect(page.locator("#catalogue-count")).to_contain_text("4 tilbud")
    page.get_by_label("Lyngby (2)").check()
    expect(page.locator("#catalogue-count")).to_contain_text("2 tilbud")
    page.get_by_label("Café og værested (1)").check()
    expect(page.locator("#catalogue-count")).to_contain_text("1 tilbud")
    expect(page.get_by_label("Lyngby (1)")).to_be_checked()
    assert "kind=cafe" in page.url and "area=Lyngby" in page.url
    assert_clean(page, "search page with filters at 1280 px")

    page.get_by_role("link", name="Recoverycafé Lyngby").click()
    expect(page.get_by_role("heading", name="Recoverycafé Lyngby", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text("Kræver ikke visitation.")
    expect(page.locator("main")).to_contain_text("20 kr.")
    expect(page.locator("main")).to_contain_text("Tirsdag og torsdag 14–17")
    assert_clean(page, "offer page at 1280 px")

    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    assert_clean(page, "offer page at 375 px")
    page.go_back()
    expect(page.locator("#catalogue-count")).to_contain_text("1 tilbud")
    assert_clean(page, "search page at 375 px")
    page.goto("/tilbud/")
    assert_clean(page, "unfiltered search page at 375 px")


def test_search_and_filters_work_without_javascript(browser, live_server):
    build_catalogue()
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url, locale="da-DK")
    try:
        page = context.new_page()
        page.goto("/tilbud/")
        page.get_by_label("Søg efter tilbud").fill("pårørende")
        with page.expect_navigation():
            page.get_by_role("button", name="Søg", exact=True).click()
        expect(page.locator("#catalogue-count")).to_contain_text("1 tilbud for »pårørende«")
        expect(page.get_by_role("link", name="Pårørendegruppe for forældre")).to_be_visible()
        page.goto("/tilbud/")
        page.get_by_label("Gratis (3)").check()
        page.get_by_label("Hele kommunen (1)").check()
        with page.expect_navigation():
            page.get_by_role("button", name="Vis resultater").click()
        expect(page.locator("#catalogue-count")).to_contain_text("1 tilbud")
        page.get_by_role("link", name="Bostøtte efter §85").click()
        expect(page.locator("main")).to_contain_text("Kræver visitation.")
        expect(page.locator("main")).to_contain_text("Gratis")
    finally:
        context.close()
