"""The citizen adds a friend in the inner circle on /mit/netvaerk/ and sees them in the
picture (on the inner ring) and in the list; axe finds no serious or critical issues at
desktop and phone widths."""

from playwright.sync_api import expect

from samplan.citizens.models import NetworkMember
from samplan.consent import services
from samplan.core.models import Role
from tests.factories import PASSWORD, make_citizen, make_org, make_user

from .conftest import axe_violations, describe, login


def test_citizen_adds_friend_in_inner_circle(page, live_server):
    org = make_org()
    caseworker = make_user(Role.CASEWORKER, org)
    citizen_user = make_user(Role.CITIZEN, org, username="borger")
    citizen = make_citizen(org, caseworker=caseworker, user=citizen_user, first_name="Mette")
    mother = services.add_member(citizen_user, citizen, name="Lise Hansen", relation="Mor", kind="relative", circle="inner")
    services.add_member(citizen_user, citizen, name="Lægehuset Sorgenfri", relation="Egen læge", kind="gp", circle="outer")
    services.give(citizen_user, mother, services.Kind.SEE_PLAN)

    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server, citizen_user.username, PASSWORD)
    page.goto(live_server.url + "/mit/netvaerk/")
    expect(page.get_by_role("heading", name="Mit netværk", exact=True)).to_be_visible()
    expect(page.locator("#network-map .samplan-netmap-member")).to_have_count(2)
    violations = axe_violations(page)
    assert not violations, f"network map at 1280 px:\n{describe(violations)}"

    page.get_by_label("Navn").fill("Sara Holm")
    page.get_by_label("Hvem er personen for dig").fill("Veninde")
    page.get_by_label("Hvilken slags person").select_option("friend")
    page.get_by_label("Tæt på", exact=True).check()
    page.get_by_label("Telefon").fill("30000000")
    page.get_by_role("button", name="Tilføj person").click()

    expect(page.get_by_text("Sara Holm er tilføjet til dit netværk.")).to_be_visible()
    member = NetworkMember.objects.get(citizen=citizen, name="Sara Holm")
    marker = page.locator(f"#netmap-member-{member.pk}")
    expect(marker).to_have_attribute("data-circle", "inner")
    expect(marker).to_contain_text("Sara Holm")
    expect(marker).to_contain_text("Veninde")
    row = page.locator(f"#network-row-{member.pk}")
    expect(row).to_contain_text("Ven")
    expect(row).to_contain_text("Tæt på")
    expect(row).to_contain_text("30000000")
    expect(row).to_contain_text("Ingen samtykker")
    expect(page.locator(f"#network-row-{mother.pk}")).to_contain_text("Må se min plan")
    violations = axe_violations(page)
    assert not violations, f"network map after adding:\n{describe(violations)}"

    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    expect(page.locator("#network-map .samplan-netmap-member")).to_have_count(3)
    violations = axe_violations(page)
    assert not violations, f"network map at 375 px:\n{describe(violations)}"
