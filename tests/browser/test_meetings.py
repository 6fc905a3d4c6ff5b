"""Network meetings in the browser: the citizen proposes topics and picks participants on
Min side, the caseworker schedules, and the invited relative sees the invitation and agenda
but not the plan; axe finds no serious or critical issues on the meeting pages."""

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from samplan.citizens.models import NetworkMember
from samplan.consent import services as consent
from samplan.core.models import Role
from samplan.meetings import services
from samplan.meetings.models import NetworkMeeting
from tests.factories import PASSWORD, make_citizen, make_org, make_user

from .conftest import axe_violations, describe, login


def _axe(page, what):
    violations = axe_violations(page)
    assert not violations, f"{what}:\n{describe(violations)}"


def _send(page, button: str) -> None:
    """Submit a meeting form: HTMX posts it to the action's own URL and swaps the meeting in
    place (no navigation); wait until the swap is done and the status message is shown."""
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.get_by_role("button", name=button).click()
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")
    expect(page.locator("#messages [role=status]")).to_be_visible()


def test_citizen_chooses_caseworker_schedules_relative_sees_invitation(page, live_server):
    org = make_org()
    caseworker = make_user(Role.CASEWORKER, org, username="sagsbehandler")
    citizen_user = make_user(Role.CITIZEN, org, username="borger")
    relative_user = make_user(Role.RELATIVE, org, username="paaroerende")
    citizen = make_citizen(org, caseworker=caseworker, user=citizen_user, first_name="Mette")
    mother = NetworkMember.objects.create(
        citizen=citizen, user=relative_user, name="Lise Hansen", relation="Mor", email="lise@example.invalid"
    )
    friend = NetworkMember.objects.create(citizen=citizen, name="Jonas Lund", relation="Ven", email="jonas@example.invalid")
    doctor = NetworkMember.objects.create(
        citizen=citizen, name="Psykiater Berg", relation="Psykiater", email="berg@region.example", kind=NetworkMember.Kind.REGION
    )
    for member in (mother, friend, doctor):
        consent.give(citizen_user, member, consent.Kind.INVITE)
    meeting = services.request_meeting(caseworker, citizen, purpose="Samle trådene om bolig og behandling")

    login(page, live_server, citizen_user.username, PASSWORD)
    page.goto(f"/mit/moeder/{meeting.pk}/")
    for topic in ("Min bolig", "Min medicin"):
        page.get_by_label("Hvad vil du gerne tale om?").fill(topic)
        _send(page, "Tilføj emne")
    for name in ("Lise Hansen", "Jonas Lund", "Psykiater Berg"):
        page.get_by_label(name, exact=False).check()
    _send(page, "Gem deltagere")
    expect(page.locator("ol")).to_contain_text("Min bolig")
    _axe(page, "citizen's meeting page")
    page.goto("/mit/moeder/")
    _axe(page, "citizen's meeting list")
    assert meeting.participants.filter(member__isnull=False).count() == 3

    page.context.clear_cookies()
    login(page, live_server, caseworker.username, PASSWORD)
    page.goto(f"/moeder/{meeting.pk}/")
    _send(page, "Tilføj mig som deltager")
    start = timezone.localtime(timezone.now() + dt.timedelta(days=7)).replace(hour=10, minute=0, second=0, microsecond=0)
    page.get_by_label("Starter").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Slutter").fill((start + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Sted").fill("Rådhuset, mødelokale 2")
    _send(page, "Planlæg og send invitationer")
    expect(page.get_by_text("Tværsektorielt møde")).to_be_visible()
    _axe(page, "caseworker's meeting page")
    meeting.refresh_from_db()
    assert meeting.status == NetworkMeeting.Status.SCHEDULED and meeting.cross_sector

    page.context.clear_cookies()
    login(page, live_server, relative_user.username, PASSWORD)
    page.goto(f"/mit/moeder/{meeting.pk}/")
    expect(page.get_by_text("Du er inviteret til netværksmødet.")).to_be_visible()
    expect(page.locator("ol")).to_contain_text("Min bolig")
    expect(page.locator("ol")).to_contain_text("Min medicin")
    _axe(page, "relative's meeting page")
    response = page.goto(f"/borgere/{citizen.pk}/plan/")
    assert response.status == 403
