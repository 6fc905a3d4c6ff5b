"""An anonymous visitor finds a recovery-school course through the catalogue search, enrols,
sees the confirmation and gets an e-mail with a calendar file of the sessions; the course
owner logs in and sees the enrolment. axe finds no serious or critical issues on the course
list, the course page and the confirmation at 1280 px and 375 px."""

import datetime as dt

from django.core import mail
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from samplan.catalogue.models import Offer
from samplan.core.models import Role
from samplan.courses.models import Course, Partner, School, Session, Teacher, Term
from tests.factories import PASSWORD, make_org, make_user
from tests.test_catalogue import make_offer

from .conftest import axe_violations, describe, login


def build_school():
    org = make_org()
    school = School.objects.create(name="Skole på Tværs", email="skole@example.invalid")
    region = Partner.objects.create(school=school, name="Region Hovedstaden")
    Partner.objects.create(school=school, name="Lyngby-Taarbæk Kommune")
    owner = make_user(Role.PROVIDER_STAFF, org)
    region.members.add(owner)
    term = Term.objects.create(school=school, name="Forår 2026", slug="foraar-2026")
    offer = make_offer(
        org, "Kursus i recovery og håb", kind=Offer.Kind.COURSE, open_access=True, summary="Lær om recovery sammen med andre"
    )
    course = Course.objects.create(
        term=term,
        number=1,
        title="Kursus i recovery og håb",
        owner=region,
        offer=offer,
        description="Vi lærer sammen.",
        topics="Håb\nNetværk",
        place="Kulturhuset",
        address="Stationsvej 1, 2800 Kgs. Lyngby",
        max_participants=12,
        min_participants=6,
    )
    start = timezone.localdate() + dt.timedelta(days=21)
    for i in range(3):
        Session.objects.create(course=course, date=start + dt.timedelta(days=7 * i), starts=dt.time(13), ends=dt.time(16))
    Teacher.objects.create(course=course, name="Mette", competence=Teacher.Competence.LIVED_EXPERIENCE, organisation="Skolen")
    Teacher.objects.create(course=course, name="Jens", competence=Teacher.Competence.PROFESSIONAL, organisation="Region")
    return course, owner


def assert_clean(page, what):
    violations = axe_violations(page)
    assert not violations, f"{what}:\n{describe(violations)}"


def assert_clean_at_both_widths(page, what):
    page.set_viewport_size({"width": 1280, "height": 900})
    assert_clean(page, f"{what} at 1280 px")
    page.set_viewport_size({"width": 375, "height": 800})
    assert_clean(page, f"{what} at 375 px")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_visitor_finds_a_course_enrols_and_the_owner_sees_it(page, live_server):
    course, owner = build_school()
    mail.outbox.clear()

    page.goto("/kurser/")
    expect(page.get_by_role("heading", name="Kurser i recoveryskolen", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text("12 ledige pladser")
    assert_clean_at_both_widths(page, "course list")

    # Found through the catalogue search, as a visitor would.
    page.goto("/tilbud/?q=recovery")
    page.get_by_role("link", name="Kursus i recovery og håb").click()
    page.get_by_role("link", name="Se kurset og tilmeld dig").click()
    expect(page.get_by_role("heading", name="Kursus i recovery og håb", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text("Mette – erfaringskompetence, Skolen")
    assert_clean_at_both_widths(page, "course page")

    # A bad submit keeps what was typed and says what is wrong, in Danish.
    page.get_by_label("Navn").fill("Sara Sørensen")
    page.get_by_role("button", name="Tilmeld mig").click()
    expect(page.locator("#form-errors")).to_contain_text("Skriv din e-mail.")
    expect(page.get_by_label("Navn")).to_have_value("Sara Sørensen")
    assert_clean_at_both_widths(page, "course page with errors")

    page.get_by_label("E-mail").fill("sara@example.invalid")
    page.get_by_label("Telefon").fill("40 12 34 56")
    page.get_by_label("Din kommune").select_option(label="Lyngby-Taarbæk Kommune")
    page.get_by_label("Pårørende").check()
    page.get_by_label("Frivillig").check()
    page.get_by_role("button", name="Tilmeld mig").click()
    expect(page.get_by_role("heading", name="Du er tilmeldt", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text("Pårørende, Frivillig")
    assert "/kurser/tilmelding/" in page.url
    assert_clean_at_both_widths(page, "confirmation")

    # The confirmation e-mail has a calendar file with the three sessions.
    (message,) = [m for m in mail.outbox if m.to == ["sara@example.invalid"]]
    assert message.subject.startswith("Du er tilmeldt")
    (ics,) = [a for a in message.attachments if a[0].endswith(".ics")]
    events = Calendar.from_ical(ics[1]).walk("VEVENT")
    assert sorted(e.decoded("dtstart").date() for e in events) == [s.date for s in course.sessions.order_by("date")]

    # The course owner sees the enrolment with contact data.
    login(page, live_server, owner.username, PASSWORD)
    page.goto("/kurser/administration/")
    page.get_by_role("link", name="Kursus 1: Kursus i recovery og håb").click()
    participants = page.locator("table", has=page.locator("caption", has_text="Deltagere med plads"))
    expect(participants).to_contain_text("Sara Sørensen")
    expect(participants).to_contain_text("sara@example.invalid")
    expect(participants).to_contain_text("Lyngby-Taarbæk Kommune")
    expect(page.locator("#count-confirmed")).to_contain_text("1 af 12")


def test_enrolment_and_cancelling_work_without_javascript(browser, live_server):
    course, _ = build_school()
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url, locale="da-DK")
    try:
        page = context.new_page()
        page.goto(f"/kurser/{course.pk}/")
        page.get_by_label("Navn").fill("Uden Script")
        page.get_by_label("E-mail").fill("uden@example.invalid")
        page.get_by_label("Din kommune").select_option(label="Anden kommune")
        page.get_by_label("Medarbejder").check()
        page.get_by_role("button", name="Tilmeld mig").click()
        expect(page.get_by_role("heading", name="Du er tilmeldt", level=1)).to_be_visible()
        page.get_by_role("button", name="Afmeld mig kurset").click()
        expect(page.get_by_role("heading", name="Du er afmeldt", level=1)).to_be_visible()
    finally:
        context.close()
