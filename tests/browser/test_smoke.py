"""Smoke tests for the browser harness: Chromium, live_server, static files, axe, login."""

import pytest

from samplan.core.models import Role
from tests.factories import PASSWORD, make_org, make_user

from .conftest import axe_violations, describe, login


def test_vendored_css_is_served(page, live_server):
    response = page.goto(live_server.url + "/static/vendor/dkfds/css/dkfds.min.css")
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/css")
    for asset in ["/static/vendor/htmx.min.js", "/static/vendor/dkfds/js/dkfds.min.js", "/static/vendor/axe-core/axe.min.js"]:
        assert page.request.get(live_server.url + asset).status == 200, asset


def test_css_fonts_and_images_load(page, live_server):
    """dkfds.min.css uses relative ../fonts and ../img URLs; the browser must get them."""
    failed = []
    page.on("requestfinished", lambda r: failed.append(r.url) if r.response().status >= 400 else None)
    page.on("requestfailed", lambda r: failed.append(r.url))
    # A same-origin page that only uses the vendored stylesheet.
    page.route(
        live_server.url + "/__smoke__",
        lambda route: route.fulfill(
            content_type="text/html",
            body='<!doctype html><html lang="da"><head><title>Smoke</title>'
            '<link rel="stylesheet" href="/static/vendor/dkfds/css/dkfds.min.css"></head>'
            "<body><h1>Samplan</h1><p>Tekst <strong>fed</strong></p></body></html>",
        ),
    )
    page.goto(live_server.url + "/__smoke__")
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => document.fonts.status === 'loaded'")
    family = page.evaluate("() => getComputedStyle(document.querySelector('p')).fontFamily")
    assert "IBM Plex Sans" in family
    assert page.evaluate("() => document.fonts.check('16px \"IBM Plex Sans\"')")
    assert failed == []


def test_axe_runs_under_the_content_security_policy(page, live_server):
    response = page.goto(live_server.url + "/findes-ikke/")
    assert response.status == 404
    assert "script-src" in response.headers.get("content-security-policy", "")
    everything = axe_violations(page, impacts=None)
    assert isinstance(everything, list)
    assert page.evaluate("() => typeof axe.version") == "string"
    serious = axe_violations(page)
    assert not serious, describe(serious)


def test_login_helper(page, live_server):
    org = make_org()
    user = make_user(Role.CASEWORKER, org)
    login(page, live_server, user.username, PASSWORD)
    assert any(c["name"] == "sessionid" for c in page.context.cookies())


def test_login_helper_reports_refused_login(page, live_server):
    with pytest.raises(pytest.fail.Exception, match="refused"):
        login(page, live_server, "ingen", "forkert-kodeord")
