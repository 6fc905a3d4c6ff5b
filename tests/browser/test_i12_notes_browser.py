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


def test_min_side_shows_the_shared_notes(page, live_server, org, users):
    import datetime as dt

    from django.utils import timezone

    from samplan.journal import services

    from .conftest import login_citizen

    cw = users[Role.CASEWORKER]
    citizen = make_citizen(org, caseworker=cw, user=users[Role.CITIZEN])
    services.create_note(
        cw,
        citizen,
        kind="moede",
        occurred_at=timezone.now() - dt.timedelta(hours=1),
        subject="Aftaler fra mødet",
        text="Vi ses igen om en måned.",
        shared_with_citizen=True,
    )
    login_citizen(page, live_server, users[Role.CITIZEN])
    page.goto(f"{live_server.url}/mit/notater/")
    assert page.get_by_role("heading", name="Aftaler fra mødet").count() == 1
    assert_axe_clean(page, "Notater delt med mig")
