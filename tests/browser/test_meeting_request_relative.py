"""A relative asks for a network meeting on Min side (password + app code), with the citizen's
consent to be contacted; axe finds no serious or critical issues on the request page at
desktop and phone widths, also when the form comes back with an error."""

from playwright.sync_api import expect

from samplan.citizens.models import NetworkMember
from samplan.consent import services as consent
from samplan.core.models import Role
from samplan.meetings.models import NetworkMeeting
from tests.factories import make_citizen, make_org, make_user

from .conftest import assert_axe_clean, login_citizen


def test_relative_requests_a_network_meeting(page, live_server, settings):
    settings.SAMPLAN_PORTAL_REQUIRE_2FA = True
    org = make_org()
    caseworker = make_user(Role.CASEWORKER, org, username="sagsbehandler")
    citizen_user = make_user(Role.CITIZEN, org, username="borger")
    relative = make_user(Role.RELATIVE, org, username="paaroerende")
    citizen = make_citizen(org, caseworker=caseworker, user=citizen_user, first_name="Mette")
    mother = NetworkMember.objects.create(citizen=citizen, user=relative, name="Lise Hansen", relation="Mor")
    consent.give(citizen_user, mother, consent.Kind.CONTACT)

    login_citizen(page, live_server, relative)
    page.goto(live_server.url + "/mit/moeder/")
    assert_axe_clean(page, "/mit/moeder/ (relative)")
    with page.expect_navigation():
        page.get_by_role("link", name="Bed om et netværksmøde for Mette").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bed om et netværksmøde for Mette")
    assert_axe_clean(page, "request form")

    # A blank purpose (spaces get past the browser's own check) comes back with the error and
    # the chosen way to take part kept.
    page.get_by_label("Hvad skal mødet handle om?").fill("   ")
    page.get_by_label("Online").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Send anmodning").click()
    expect(page.locator("#form-errors")).to_be_visible()
    expect(page.get_by_label("Online")).to_be_checked()
    assert_axe_clean(page, "request form with an error")

    page.get_by_label("Hvad skal mødet handle om?").fill("Vi vil gerne tale om hverdagen sammen")
    with page.expect_navigation():
        page.get_by_role("button", name="Send anmodning").click()
    assert page.url.endswith("/mit/moeder/")
    expect(page.get_by_text("din anmodning om et netværksmøde for Mette er sendt")).to_be_visible()
    meeting = NetworkMeeting.objects.get()
    assert meeting.initiated_by == NetworkMeeting.InitiatedBy.RELATIVE and meeting.requested_by_member == mother
    assert meeting.participation == NetworkMeeting.Participation.ONLINE
