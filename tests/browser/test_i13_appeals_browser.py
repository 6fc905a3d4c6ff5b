"""An appeal in a browser: registered from the case page, not upheld at the reconsideration,
forwarded to Ankestyrelsen and decided there; the access request's pages too. Axe at 1280
and 375 px on every new page."""

from samplan.core.models import Role
from tests.factories import PASSWORD, make_citizen, walk_case

from .conftest import assert_axe_clean, login


def test_appeal_through_reconsideration_to_ankestyrelsen(page, live_server, org, users):
    cw = users[Role.CASEWORKER]
    citizen = make_citizen(org, caseworker=cw)
    case = walk_case(cw, citizen, org, until="order")["case"]
    login(page, live_server, cw.username, PASSWORD)
    page.goto(f"{live_server.url}/sager/{case.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Registrér klage").click()
    assert_axe_clean(page, "Ny klage")
    page.get_by_label("En repræsentant").check()
    page.get_by_label("Repræsentantens navn").fill("Advokat Hansen")
    page.get_by_label("Hvad går klagen ud på").fill("Borgeren mener, at 20 timer er for lidt.")
    with page.expect_navigation():
        page.get_by_role("button", name="Registrér klage").click()
    assert "Klagen er registreret." in page.content()
    assert page.get_by_text("Modtaget – genvurderes").count() == 1
    assert_axe_clean(page, "Klage (modtaget)")

    page.get_by_label("Afgørelsen fastholdes (klagen sendes til Ankestyrelsen)").check()
    page.get_by_label("Begrundelse").fill("Behovet er dækket af de bevilgede timer.")
    with page.expect_navigation():
        page.get_by_role("button", name="Gem genvurdering").click()
    assert page.get_by_text("Fastholdt – sendes til Ankestyrelsen").count() == 1
    with page.expect_navigation():
        page.get_by_role("button", name="Registrér afsendelse").click()
    assert "Klagen er sendt til Ankestyrelsen." in page.content()
    assert_axe_clean(page, "Klage (sendt)")
    page.get_by_label("Hjemvist").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Gem afgørelsen").click()
    assert page.get_by_text("Afgjort af Ankestyrelsen").count() == 1
    assert page.locator(".samplan-timeline li").count() == 4
    assert_axe_clean(page, "Klage (afgjort)")

    page.goto(f"{live_server.url}/klager/")
    assert page.get_by_text("Ingen åbne klager.").count() == 1
    assert_axe_clean(page, "Åbne klager")


def test_access_request_pages(page, live_server, org, users):
    cw = users[Role.CASEWORKER]
    citizen = make_citizen(org, caseworker=cw)
    walk_case(cw, citizen, org, until="order")
    login(page, live_server, cw.username, PASSWORD)
    page.goto(f"{live_server.url}/borgere/{citizen.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Registrér anmodning om aktindsigt").click()
    assert_axe_clean(page, "Ny anmodning om aktindsigt")
    with page.expect_navigation():
        page.get_by_role("button", name="Registrér anmodning").click()
    assert "Anmodningen om aktindsigt er registreret." in page.content()
    with page.expect_navigation():
        page.get_by_role("button", name="Lav udtræk").click()
    assert page.get_by_role("link", name="rapport (PDF)").count() == 1
    assert_axe_clean(page, "Aktindsigt (udtræk klar)")
    with page.expect_navigation():
        page.get_by_role("button", name="Lav brev om aktindsigt").click()
    assert page.get_by_text("Svar på din anmodning om aktindsigt").count() >= 1
