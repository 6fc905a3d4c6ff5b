"""Quality standards at the moment of granting, through the real UI: §85 at 30 h/month is
refused for a citizen at functioning level 1 (with the reason), is Pakke 5 with no
justification needed at level 3, and a grant above the service level cannot be saved
without a justification — after which it appears in the deviation report."""

from playwright.sync_api import expect

from samplan.cases.models import Grant
from samplan.core.models import Role
from samplan.standards.loader import load_standards
from tests.factories import PASSWORD, make_citizen, make_org, make_user, walk_case

from .conftest import axe_violations, describe, login


def _granted_case(org, caseworker, level):
    out = walk_case(caseworker, make_citizen(org, caseworker=caseworker), org, until="granted")
    out["assessment"].conditions.filter(functioning_level__isnull=False).update(functioning_level=level)
    return out["case"]


def _propose(page, case, hours):
    page.goto(f"/sager/{case.pk}/bevilling/")
    page.get_by_label("Lovgrundlag").select_option("§85")
    page.get_by_label("Enhed").select_option("hours_month")
    page.get_by_label("Startdato").fill("2026-12-01")
    page.get_by_label("Omfang").fill(str(hours))
    page.get_by_label("Omfang").blur()


def test_85_evaluation_beside_the_form_and_deviation_report(page, live_server):
    org = make_org()
    load_standards(org["municipality"])
    caseworker = make_user(Role.CASEWORKER, org, username="sagsbehandler")
    low = _granted_case(org, caseworker, level=1)
    high = _granted_case(org, caseworker, level=3)
    login(page, live_server, caseworker.username, PASSWORD)

    _propose(page, low, 30)
    expect(page.locator("#eval-eligible")).to_contain_text("Ikke i målgruppen")
    expect(page.locator("#eval-eligible")).to_contain_text("niveau 2–4")

    _propose(page, high, 30)
    expect(page.locator("#eval-package")).to_contain_text("P5")
    expect(page.locator("#eval-level")).to_contain_text("Inden for serviceniveauet")
    expect(page.locator("#eval-justification")).to_have_text("Kræver ingen begrundelse.")
    violations = axe_violations(page)
    assert not violations, describe(violations)

    # Above the service level (65 h/month = 15 h/week): a justification is required.
    page.get_by_label("Omfang").fill("80")
    page.get_by_label("Omfang").blur()
    expect(page.locator("#eval-level")).to_contain_text("Over serviceniveauet")
    expect(page.locator("#eval-justification")).to_contain_text("kræver en skriftlig begrundelse")
    page.locator("input[name=services]").first.check()  # a checkbox list (issue 13)
    page.get_by_label("Tilbud / leverandør").select_option(label=org["provider"].name)
    page.get_by_label("Primær målgruppe").select_option(index=1)
    page.get_by_label("Måltype").select_option(index=1)
    page.get_by_label("Indsatsmålet retter sig mod (primær tilstand)").select_option(index=1)
    page.get_by_label("Mål for funktionsevneniveau").select_option("2")
    with page.expect_navigation():
        page.get_by_role("button", name="Gem bevilling").click()
    expect(page.locator("#form-errors")).to_contain_text("Skriv en begrundelse for afvigelsen")
    expect(page.get_by_label("Omfang")).to_have_value("80")
    assert not Grant.objects.filter(case=high).exists()

    page.get_by_label("Begrundelse for afvigelse fra kvalitetsstandarden").fill(
        "Udskrevet fra psykiatrisk afdeling; intensiv støtte i 3 måneder."
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Gem bevilling").click()
    grant = Grant.objects.get(case=high)
    assert grant.service_level == "above" and grant.package == "P5"

    page.goto("/rapporter/afvigelser/")
    expect(page.locator("#deviation-list")).to_contain_text("Udskrevet fra psykiatrisk afdeling")
    expect(page.locator("#deviation-list")).to_contain_text(high.case_number)
