"""Partshøring in the browser: the caseworker sends one from the case (its letter approved
and delivered by the outbox backend), the citizen answers on Min side, the caseworker sees
the answer and registers one more that came by letter, and the decision form lists it. No
serious or critical axe findings on the new pages at 1280 and 375 px."""

import pytest
from django.test import override_settings

from samplan.cases.models import Consultation
from samplan.core.models import Role
from samplan.letters.models import Letter
from tests.factories import PASSWORD, make_citizen, make_org, make_user, walk_case

from .conftest import assert_axe_clean, login, login_citizen


@pytest.fixture
def outbox(tmp_path):
    with override_settings(SAMPLAN_LETTER_BACKEND="outbox", SAMPLAN_LETTER_OUTBOX=str(tmp_path)):
        yield tmp_path


def test_caseworker_sends_and_citizen_answers(page, live_server, outbox, browser):
    org = make_org()
    cw = make_user(Role.CASEWORKER, org)
    citizen_user = make_user(Role.CITIZEN, org)
    citizen = make_citizen(org, caseworker=cw, first_name="Maja", user=citizen_user)
    case = walk_case(cw, citizen, org, until="awaiting_decision")["case"]

    login(page, live_server, cw.username, PASSWORD)
    page.goto(f"/sager/{case.pk}/")
    page.get_by_role("link", name="Send partshøring").click()
    page.wait_for_url("**/partshoering/ny/")
    assert_axe_clean(page, "Send partshøring")
    page.get_by_label("Oplysninger, afgørelsen vil bygge på").fill("Du har fortalt, at du selv handler ind hver uge.")
    page.get_by_role("button", name="Lav brevet").click()
    page.wait_for_url("**/breve/*/")
    assert "Du har fortalt, at du selv handler ind" in page.locator("#letter-preview").inner_text()
    page.get_by_role("button", name="Godkend og send").click()
    page.locator("#letter-pdf-link").wait_for()
    assert Letter.objects.get().status == Letter.Status.SENT
    consultation = Consultation.objects.get()
    assert consultation.sent_at is not None

    page.goto(f"/partshoeringer/{consultation.pk}/")
    assert "Borgeren har ikke svaret." in page.content()
    assert_axe_clean(page, "Partshøring (medarbejder)")

    citizen_page = browser.new_page(base_url=live_server.url)
    login_citizen(citizen_page, live_server, citizen_user)
    assert citizen_page.locator("#consultations-heading").is_visible()
    citizen_page.goto("/mit/partshoeringer/")
    assert_axe_clean(citizen_page, "Min side: partshøring")
    citizen_page.get_by_role("link", name="Svar på partshøringen").click()
    citizen_page.wait_for_url("**/mit/partshoeringer/*/svar/")
    assert_axe_clean(citizen_page, "Min side: svar på partshøring")
    citizen_page.get_by_label("Dit svar").fill("Jeg kan ikke handle ind uden hjælp.")
    citizen_page.get_by_role("button", name="Send svar").click()
    citizen_page.wait_for_url("**/mit/partshoeringer/")
    assert "Du har svaret" in citizen_page.content()
    citizen_page.close()

    page.goto(f"/partshoeringer/{consultation.pk}/")
    assert "Jeg kan ikke handle ind uden hjælp." in page.content()
    page.get_by_role("link", name="Registrér svar modtaget med brev").click()
    page.wait_for_url("**/svar/")
    assert_axe_clean(page, "Registrér svar")
    page.get_by_label("Borgerens svar").fill("Brev: jeg er uenig.")
    page.get_by_role("button", name="Gem svaret").click()
    page.wait_for_url(f"**/partshoeringer/{consultation.pk}/")
    assert "Brev: jeg er uenig." in page.content()

    page.goto(f"/sager/{case.pk}/afgoerelse/")
    assert page.locator("#decision-consultations").is_visible()
    assert_axe_clean(page, "Træf afgørelse med partshøring")
