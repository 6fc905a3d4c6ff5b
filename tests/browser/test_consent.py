"""The citizen withdraws a relative's consent to see the plan on /mit/samtykke/ (HTMX swaps
the row, the history gains a row); axe finds no serious or critical issues at desktop and
phone widths."""

from playwright.sync_api import expect

from samplan.citizens.models import NetworkMember
from samplan.consent import services
from samplan.core import policy
from samplan.core.models import Role
from tests.factories import PASSWORD, make_citizen, make_org, make_user

from .conftest import axe_violations, describe, login


def test_citizen_withdraws_see_plan_and_history_shows_it(page, live_server):
    org = make_org()
    caseworker = make_user(Role.CASEWORKER, org)
    citizen_user = make_user(Role.CITIZEN, org, username="borger")
    relative_user = make_user(Role.RELATIVE, org, username="paaroerende")
    citizen = make_citizen(org, caseworker=caseworker, user=citizen_user, first_name="Mette")
    member = NetworkMember.objects.create(citizen=citizen, user=relative_user, name="Lise Hansen", relation="Mor")
    NetworkMember.objects.create(citizen=citizen, name="Lægehuset Sorgenfri", relation="Egen læge")
    services.give(citizen_user, member, services.Kind.CONTACT)
    services.give(citizen_user, member, services.Kind.SEE_PLAN)
    assert policy.relative_may(relative_user, citizen, policy.SEE_PLAN)

    login(page, live_server, citizen_user.username, PASSWORD)
    page.goto("/mit/samtykke/")
    expect(page.get_by_role("heading", name="Mit netværk og mine samtykker")).to_be_visible()
    violations = axe_violations(page)
    assert not violations, f"consent page at 1280 px:\n{describe(violations)}"
    history_rows = page.locator("#consent-history tbody tr")
    expect(history_rows).to_have_count(2)

    page.get_by_role("button", name="Træk tilbage for Lise Hansen – må se min plan").click()
    expect(page.locator("#consent-status")).to_contain_text("Lise Hansen må ikke længere se din plan")
    expect(history_rows).to_have_count(3)
    expect(history_rows.first).to_contain_text("Du trak samtykket tilbage: Lise Hansen (Mor) – må se min plan.")
    row = page.locator(f"#member-{member.pk}")
    expect(row.get_by_role("button", name="Giv samtykke for Lise Hansen – må se min plan")).to_be_visible()
    assert not policy.relative_may(relative_user, citizen, policy.SEE_PLAN)

    violations = axe_violations(page)
    assert not violations, f"consent page after the change:\n{describe(violations)}"
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    expect(history_rows).to_have_count(3)
    violations = axe_violations(page)
    assert not violations, f"consent page at 375 px:\n{describe(violations)}"
