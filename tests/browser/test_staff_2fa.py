"""Staff two-factor login in a real browser (SAMPLAN_STAFF_REQUIRE_2FA): first-time setup
with the QR code, then password + code; axe clean on the code page at 1280 and 375 px."""

import base64

from django_otp.plugins.otp_totp.models import TOTPDevice

from samplan.core.models import Role
from tests.factories import PASSWORD, make_org, make_users
from tests.test_portal import code_now, wrong_code

from .conftest import assert_axe_clean, fill_code


def _password_step(page, live_server, user, target="/arbejdsliste/"):
    page.goto(live_server.url + target)
    assert "/login/" in page.url
    form = page.locator("form:has(#id_username)")
    form.locator("#id_username").fill(user.username)
    form.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert "/login/kode/" in page.url


def test_staff_sets_up_the_app_and_logs_in_with_a_code(page, live_server, settings):
    settings.SAMPLAN_STAFF_REQUIRE_2FA = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    users = make_users(make_org())
    cw = users[Role.CASEWORKER]

    # First login: the QR code and the key, confirmed with a code from the app.
    _password_step(page, live_server, cw)
    main = page.locator("main")
    assert "Tilføj Samplan til din godkendelsesapp" in main.inner_text()
    assert page.locator("main svg[role=img]").count() == 1
    assert_axe_clean(page, "first-time setup /login/kode/")
    # Nothing is stored until the first code comes: the app's key is the one on the page.
    assert not TOTPDevice.objects.filter(user=cw).exists()
    secret = page.locator("main figcaption code").inner_text().strip()
    shown = TOTPDevice(key=base64.b32decode(secret + "=" * (-len(secret) % 8)).hex())
    page.locator("#id_code").fill(code_now(shown))
    with page.expect_navigation():
        page.locator("form:has(#id_code) button[type=submit]").click()
    assert page.url.rstrip("/").endswith("/arbejdsliste")
    device = TOTPDevice.objects.get(user=cw)
    assert device.confirmed and device.key == shown.key

    # Log out; the next login asks for the code only.
    page.locator("form[action='/logout/'] button").first.click()
    page.wait_for_url("**/login/**")
    _password_step(page, live_server, cw)
    assert "Skriv din kode" in page.locator("main").inner_text()
    page.locator("#id_code").fill(wrong_code(device))
    with page.expect_navigation():
        page.locator("form:has(#id_code) button[type=submit]").click()
    assert "/login/kode/" in page.url
    assert "Koden er forkert" in page.locator("main").inner_text()
    assert page.locator("#id_code[aria-invalid=true]").count() == 1
    assert_axe_clean(page, "code step with an error /login/kode/")
    fill_code(page, device)
    assert page.url.rstrip("/").endswith("/arbejdsliste")
