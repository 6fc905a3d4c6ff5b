"""Min side in a real browser: password + app code, contact person, the access log, and
axe (no serious or critical findings) on desktop and phone widths."""

from samplan.core import audit
from samplan.core.models import Role
from tests.factories import make_citizen, make_org, make_users

from .conftest import assert_axe_clean, login_citizen


def test_citizen_logs_in_with_two_factors_and_sees_contact_and_access_log(page, live_server, settings):
    settings.SAMPLAN_PORTAL_REQUIRE_2FA = True
    org = make_org()
    users = make_users(org)
    cw, coordinator = users[Role.CASEWORKER], users[Role.COORDINATOR]
    coordinator.phone, coordinator.email = "45 99 88 77", "helle@example.invalid"
    coordinator.save()
    citizen = make_citizen(org, caseworker=cw, coordinator=coordinator, user=users[Role.CITIZEN])
    audit.record_read(cw, citizen)

    # Straight to a portal page: the login asks for the password and then the code.
    page.goto(live_server.url + "/mit/indsigt/")
    assert "/mit/log-ind/" in page.url
    login_citizen(page, live_server, users[Role.CITIZEN])

    page.goto(live_server.url + "/mit/")
    main = page.locator("main")
    assert "Din kontaktperson" in main.inner_text()
    assert coordinator.get_full_name() in main.inner_text()
    assert "45 99 88 77" in main.inner_text() and "helle@example.invalid" in main.inner_text()
    assert "Ingen planlagte møder" in main.inner_text() or "næste møde" in main.inner_text()
    assert_axe_clean(page, "/mit/")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("navigation", name="Min side").get_by_role("link", name="Hvem har set mine oplysninger").click()
    page.wait_for_url("**/mit/indsigt/")
    text = page.locator("main").inner_text()
    assert f"{cw.get_full_name()} (sagsbehandler)" in text and "så dine oplysninger" in text
    assert_axe_clean(page, "/mit/indsigt/")


def test_first_time_setup_page_is_accessible(page, live_server, settings):
    settings.SAMPLAN_PORTAL_REQUIRE_2FA = True
    org = make_org()
    users = make_users(org)
    make_citizen(org, caseworker=users[Role.CASEWORKER], user=users[Role.CITIZEN])
    page.goto(live_server.url + "/mit/log-ind/")
    assert_axe_clean(page, "/mit/log-ind/")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.locator("#id_username").fill(users[Role.CITIZEN].username)
    from tests.factories import PASSWORD

    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("form:has(#id_username) button[type=submit]").click()
    assert "/mit/log-ind/kode/" in page.url
    assert page.locator("svg.samplan-qr").is_visible()
    assert_axe_clean(page, "/mit/log-ind/kode/ (opsætning)")
