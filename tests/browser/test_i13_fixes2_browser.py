"""Issue 13 in a browser: the caseworker adds provider staff and a consented relative to a
network meeting; the administrator searches the audit trail by CPR in a POST form. Axe at
1280 and 375 px on both pages."""

from django.urls import reverse

from samplan.citizens.models import NetworkMember
from samplan.consent import services as consent
from samplan.consent.models import ConsentEvent
from samplan.core.models import Role
from samplan.meetings import services
from tests.factories import PASSWORD, make_citizen, walk_case

from .conftest import assert_axe_clean, login


def test_staff_add_people_of_the_plan_and_network_to_a_meeting(page, live_server, org, users):
    cw, staff = users[Role.CASEWORKER], users[Role.PROVIDER_STAFF]
    citizen = make_citizen(org, caseworker=cw, user=users[Role.CITIZEN])
    walk_case(cw, citizen, org, until="order")
    sister = NetworkMember.objects.create(citizen=citizen, name="Mette Holm", relation="Søster")
    consent.give(users[Role.CITIZEN], sister, ConsentEvent.Kind.INVITE)
    meeting = services.request_meeting(cw, citizen, purpose="Samle trådene")
    login(page, live_server, cw.username, PASSWORD)
    page.goto(f"{live_server.url}{reverse('meeting-detail', args=[meeting.pk])}")
    assert_axe_clean(page, "Netværksmøde (tilføj deltagere)")
    page.get_by_label(f"{staff.get_full_name()} – Medarbejder hos tilbud").check()
    page.get_by_label("Mette Holm – Søster").check()
    page.get_by_role("button", name="Tilføj valgte").click()
    page.locator("#messages", has_text="Mødet er opdateret.").wait_for()
    assert meeting.participants.filter(user=staff).exists()
    assert meeting.participants.filter(member=sister).exists()
    assert_axe_clean(page, "Netværksmøde (efter tilføjelse)")


def test_the_administrator_searches_the_audit_trail_by_cpr(page, live_server, org, users):
    cw, admin = users[Role.CASEWORKER], users[Role.ADMIN]
    citizen = make_citizen(org, caseworker=cw, first_name="Karen")
    login(page, live_server, cw.username, PASSWORD)
    page.goto(f"{live_server.url}/borgere/{citizen.pk}/")
    page.context.clear_cookies()
    login(page, live_server, admin.username, PASSWORD)
    page.goto(f"{live_server.url}{reverse('audit-log')}")
    assert_axe_clean(page, "Adgangslog")
    page.get_by_label("Borger").fill(citizen.cpr)
    with page.expect_navigation():
        page.get_by_role("button", name="Søg", exact=True).click()
    assert citizen.cpr not in page.url
    assert f"Fundne borgere: Karen {citizen.last_name}" in page.content()
    assert page.locator("tbody td", has_text="Myndighedssagsbehandler").count() >= 1
    assert_axe_clean(page, "Adgangslog (søgt på CPR)")
    with page.expect_download() as download:
        page.get_by_role("button", name="Eksportér som CSV").click()
    assert download.value.suggested_filename == "adgangslog.csv"
