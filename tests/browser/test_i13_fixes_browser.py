"""Issue 13 point 7 in a browser: the caseworker corrects a citizen's master data, and
changes and removes an open assessment's conditions with HTMX while only the latest
message shows; axe at 1280 and 375 px."""

from samplan.cases.models import Condition
from samplan.citizens.models import Citizen
from samplan.core.models import Role
from tests.factories import PASSWORD, make_citizen, walk_case

from .conftest import assert_axe_clean, login


def test_master_data_are_corrected_from_the_overview(page, live_server, org, users):
    cw = users[Role.CASEWORKER]
    citizen = make_citizen(org, caseworker=cw)
    login(page, live_server, cw.username, PASSWORD)
    page.goto(f"{live_server.url}/borgere/{citizen.pk}/")
    with page.expect_navigation():
        page.locator("#edit-master-data").click()
    assert_axe_clean(page, "Ret stamdata")
    page.get_by_label("Adresse").fill("Ny Vej 2")
    page.get_by_label("Telefon").fill("41223344")
    with page.expect_navigation():
        page.get_by_role("button", name="Gem stamdata").click()
    assert "Stamdata er gemt." in page.content() and "Ny Vej 2" in page.content()
    assert Citizen.objects.get(pk=citizen.pk).phone == "41223344"


def test_conditions_are_changed_and_removed_without_piling_banners(page, live_server, org, users):
    cw = users[Role.CASEWORKER]
    out = walk_case(cw, make_citizen(org, caseworker=cw), org, until="assessment")
    condition = out["condition"]
    other = Condition.objects.exclude(pk=condition.pk).get(assessment=out["assessment"])
    login(page, live_server, cw.username, PASSWORD)
    page.goto(f"{live_server.url}/udredninger/{out['assessment'].pk}/")
    assert_axe_clean(page, "Udredning (ret tilstande)")
    page.locator("#conditions details summary").first.click()
    page.locator(f"#id_c{condition.pk}-description").fill("Handler selv ind med støtte")
    page.locator(f"#id_c{condition.pk}-functioning_level").select_option("2")
    page.get_by_role("button", name="Gem rettelse").first.click()
    page.locator("#messages", has_text="er rettet.").wait_for()
    assert page.get_by_text("Handler selv ind med støtte").count() >= 1
    page.get_by_role("button", name=f"Fjern {other.theme.display}").click()
    page.locator("#messages", has_text="er fjernet.").wait_for()
    assert page.locator("#messages .alert").count() == 1  # the latest message only
    assert not Condition.objects.filter(pk=other.pk).exists()
    assert Condition.objects.get(pk=condition.pk).functioning_level == 2
    assert_axe_clean(page, "Udredning (efter rettelser)")
    page.reload()
    assert page.locator("#messages .alert").count() == 0  # none waited in the session
