"""The citizen rates the five CHIME items twice in the portal and sees both points per
item in the chart; the pages pass axe (no serious/critical) at desktop and phone widths."""

from samplan.core.models import Role
from samplan.questionnaires.builtin import CHIME_ITEMS, install_chime
from tests.factories import PASSWORD, make_citizen, make_org, make_user

from .conftest import axe_violations, describe, login

KEYS = [k for k, *_ in CHIME_ITEMS]


def _fill(page, values, comment=""):
    page.goto("/mit/trivsel/ny/")
    for key, value in zip(KEYS, values, strict=True):
        page.locator(f"input[name={key}][value='{value}']").check()
    if comment:
        page.get_by_label("Kommentar til »Håb og optimisme« (kan udelades)").fill(comment)
    with page.expect_navigation():
        page.get_by_role("button", name="Gem mine svar").click()
    assert page.url.endswith("/mit/trivsel/")


def test_citizen_rates_twice_and_sees_the_trend(page, live_server):
    install_chime()  # the live server's database is emptied between tests
    org = make_org()
    cw = make_user(Role.CASEWORKER, org)
    user = make_user(Role.CITIZEN, org)
    make_citizen(org, caseworker=cw, user=user)
    login(page, live_server, user.username, PASSWORD)

    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        for url in ("/mit/trivsel/", "/mit/trivsel/ny/"):
            page.goto(url)
            violations = axe_violations(page)
            assert not violations, f"{url} at {width}px:\n{describe(violations)}"
    page.set_viewport_size({"width": 1280, "height": 900})

    _fill(page, [3, 4, 5, 4, 3], comment="Det går op og ned")
    _fill(page, [6, 7, 6, 5, 8])
    assert page.locator("[role=alert]:not(:empty)").count() == 0  # base.html's error region is always there, empty
    chart = page.locator("svg#chime-chart")
    assert chart.is_visible()
    for key in KEYS:
        assert chart.locator(f"[data-item={key}]").count() == 2
    assert chart.locator("polyline").count() == 5
    table = page.locator("#chime-table")
    assert table.locator("tbody tr").count() == 2
    assert "Det går op og ned" in page.content()

    # The trend page with data, and the form with errors, still pass axe at both widths.
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/mit/trivsel/")
        violations = axe_violations(page)
        assert not violations, f"trend with data at {width}px:\n{describe(violations)}"
        page.goto("/mit/trivsel/ny/")
        with page.expect_navigation():
            page.get_by_role("button", name="Gem mine svar").click()
        assert page.locator("#form-errors").is_visible()
        violations = axe_violations(page)
        assert not violations, f"form with errors at {width}px:\n{describe(violations)}"


def test_caseworker_fills_in_with_the_citizen_and_sees_it_on_the_overview(page, live_server):
    install_chime()
    org = make_org()
    cw = make_user(Role.CASEWORKER, org)
    citizen = make_citizen(org, caseworker=cw)
    login(page, live_server, cw.username, PASSWORD)
    page.goto(f"/borgere/{citizen.pk}/trivsel/")
    for key, value in zip(KEYS, [2, 3, 4, 5, 6], strict=True):
        page.locator(f"input[name={key}][value='{value}']").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Gem svarene").click()
    assert page.locator("svg#chime-chart [data-item=hope]").count() == 1
    assert "Udfyldt sammen med" in page.content()
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        for url in (f"/borgere/{citizen.pk}/trivsel/", f"/borgere/{citizen.pk}/"):
            page.goto(url)
            violations = axe_violations(page)
            assert not violations, f"{url} at {width}px:\n{describe(violations)}"
    assert page.get_by_role("heading", name="Trivsel og funktionsevne over tid").is_visible()
