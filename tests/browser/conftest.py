"""Playwright fixtures for browser tests against pytest-django's ``live_server``.

Chromium is Debian's /usr/bin/chromium (installed by ``make browser``); tests never
download a browser. Every test in tests/browser is marked ``browser``.

Usage::

    def test_something(page, live_server, users):
        login(page, live_server, users["caseworker"].username, PASSWORD)
        page.goto("/borgere/")           # base_url is live_server.url
        assert axe_violations(page) == []
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an asyncio loop in the test thread, so Django's async-safety
# check would refuse ORM calls from the test; the calls are in fact synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

HERE = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("SAMPLAN_CHROMIUM", "/usr/bin/chromium")
AXE_JS = HERE.parent.parent / "src" / "samplan" / "static" / "vendor" / "axe-core" / "axe.min.js"
AXE_URL = "/static/vendor/axe-core/axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    # A hook in a sub-directory conftest sees every collected item; mark only ours.
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} is missing: run `make browser` (apt-get install chromium)"
        if os.environ.get("SAMPLAN_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK", base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def login(page, live_server, username, password):
    """Log in through the real form at /login/; fails the test if the login is refused.
    When staff need a second factor (SAMPLAN_STAFF_REQUIRE_2FA; off in the test settings),
    the code step /login/kode/ is filled with the current code of the user's app (a
    confirmed device is created for the user if they have none)."""
    page.goto(live_server.url + "/login/")
    form = page.locator("form:has(#id_username)")
    form.locator("#id_username").fill(username)
    form.locator("#id_password").fill(password)
    with page.expect_navigation():
        form.locator("button[type=submit], input[type=submit]").first.click()
    if page.url.split("?")[0].rstrip("/").endswith("/login"):
        pytest.fail(f"login as {username!r} was refused")
    if "/login/kode/" in page.url:
        from samplan.core.models import User
        from samplan.core.twofactor import confirmed_device, ensure_confirmed_device

        user = User.objects.get(username=username)
        device = confirmed_device(user)
        if device is None:  # the page created an unconfirmed one: confirm it with its code
            device = user.totpdevice_set.order_by("id").first() or ensure_confirmed_device(user)
        fill_code(page, device)
        if "/login/" in page.url:
            pytest.fail(f"the code step for {username!r} was refused")
    return page


def fill_code(page, device):
    """Type the current code of ``device`` into the code step and send it."""
    from samplan.demo.management.commands.totp_code import current_code

    device.refresh_from_db()
    page.locator("#id_code").fill(current_code(device))
    with page.expect_navigation():
        page.locator("form:has(#id_code) button[type=submit]").click()


def axe_violations(page, impacts=("serious", "critical"), options=None):
    """Run axe-core on the current page and return violations with the given impacts.

    axe is loaded from the live server's own static files when possible, which the
    Content-Security-Policy (script-src 'self') allows; Playwright's add_script_tag(path=...)
    inlines the script and is used only for pages not served by the live server."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        if page.url.startswith("http"):
            origin = "/".join(page.url.split("/")[:3])
            page.add_script_tag(url=origin + AXE_URL)
        else:
            page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("async (options) => await axe.run(document, options || {})", options)
    violations = result["violations"]
    if impacts:
        violations = [v for v in violations if v.get("impact") in impacts]
    return violations


def describe(violations):
    """Readable summary for assertion messages."""
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}" for v in violations)


def login_citizen(page, live_server, user, password=None):
    """Log a citizen or relative in on Min side: /mit/log-ind/ (password) and then the code
    step (/mit/log-ind/kode/) with the current TOTP code of their app, computed here from the
    device key. A confirmed device is created for the user if they have none."""
    import time

    from django_otp.oath import totp

    from samplan.portal.twofactor import ensure_confirmed_device
    from tests.factories import PASSWORD

    device = ensure_confirmed_device(user)
    page.goto(live_server.url + "/mit/log-ind/")
    form = page.locator("form:has(#id_username)")
    form.locator("#id_username").fill(user.get_username())
    form.locator("#id_password").fill(password or PASSWORD)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    if "/mit/log-ind/kode/" not in page.url:
        pytest.fail(f"the password step for {user.get_username()!r} was refused")
    device.refresh_from_db()
    step_now = int(time.time() - device.t0) // device.step
    target = max(step_now + device.drift, device.last_t + 1)  # a code works once
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=target - step_now)
    page.locator("#id_code").fill(f"{code:0{device.digits}d}")
    with page.expect_navigation():
        page.locator("form:has(#id_code) button[type=submit]").click()
    if "/mit/log-ind/" in page.url:
        pytest.fail(f"the code step for {user.get_username()!r} was refused")
    return page


def assert_axe_clean(page, where, widths=((1280, 900), (375, 800))):
    """No serious or critical axe findings at each width (desktop and phone); ends at 1280 px."""
    for width, height in widths:
        page.set_viewport_size({"width": width, "height": height})
        violations = axe_violations(page)
        assert violations == [], f"{where} at {width}px:\n{describe(violations)}"
    page.set_viewport_size({"width": 1280, "height": 900})
