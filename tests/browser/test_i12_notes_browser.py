"""Journal notes in a browser: from the citizen overview (keyboard shortcut link) to a saved
phone note, locked, corrected with the original kept visible; axe at 1280 and 375 px."""

from samplan.core.models import Role
from tests.factories import PASSWORD, make_citizen

from .conftest import assert_axe_clean, login


def test_write_lock_and_correct_a_note(page, live_server, org, users):
    cw = users[Role.CASEWORKER]
    citizen = make_citizen(org, caseworker=cw)
    login(page, live_server, cw.username, PASSWORD)
    page.goto(f"{live_server.url}/borgere/{citizen.pk}/")
    link = page.locator("#new-note")
    assert link.get_attribute("accesskey") == "n"
    with page.expect_navigation():
        link.click()
    assert_axe_clean(page, "Nyt notat")
    page.get_by_label("Emne").fill("Telefon om bolig")
    page.locator("#id_text").fill("Borgeren ringede om huslejen.")
    with page.expect_navigation():
        page.get_by_role("button", name="Gem notat").click()
    assert "Notatet er gemt." in page.content()
    assert_axe_clean(page, "Notat (kan rettes)")
    with page.expect_navigation():
        page.get_by_role("button", name="Lås notatet").click()
    page.get_by_label("Rettelse").check()
    page.locator("#id_text").fill("Det var vandregningen, ikke huslejen.")
    with page.expect_navigation():
        page.get_by_role("button", name="Gem", exact=True).click()
    assert page.locator("del", has_text="Borgeren ringede om huslejen.").count() == 1
    assert page.get_by_text("Det var vandregningen, ikke huslejen.").count() == 1
    assert_axe_clean(page, "Notat (rettet)")
    page.goto(f"{live_server.url}/borgere/{citizen.pk}/notater/?q=vandregningen")
    assert page.get_by_role("link", name="Telefon om bolig").count() == 1
    assert_axe_clean(page, "Notater (søgning)")
