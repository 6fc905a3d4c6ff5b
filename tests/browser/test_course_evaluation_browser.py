"""A participant answers the course evaluation from the e-mail link (no login), with the
keyboard-accessible form, and a manager reads the shared report; axe-clean at 375 px."""

import datetime as dt
import re

from django.utils import timezone

from samplan.core.models import Role
from samplan.courses import evaluation
from samplan.courses.models import Course, Enrolment, EvaluationResponse, School, Session, Term
from samplan.demo import pilot
from tests.browser.conftest import axe_violations, describe, login
from tests.factories import PASSWORD, make_org, make_user


def _invite():
    school = School.objects.create(name="Skole på Tværs", email="kontakt@skole.example.invalid", phone="24 98 38 88")
    partners = pilot.ensure_partners(school)
    pilot.build_pilot_2018(school, partners)
    term = Term.objects.create(school=school, name="Forår", slug="foraar")
    course = Course.objects.create(
        term=term, number=1, title="I gang igen", owner=partners["Gladsaxe"], place="Ungehuset", max_participants=10
    )
    Session.objects.create(
        course=course, date=timezone.localdate() - dt.timedelta(days=1), starts=dt.time(12, 30), ends=dt.time(15)
    )
    Enrolment.objects.create(
        course=course,
        name="Kursist",
        email="kursist@example.invalid",
        roles=["citizen"],
        status=Enrolment.Status.CONFIRMED,
        home_partner=partners["Gladsaxe"],
    )
    evaluation.send_evaluations(course)
    return course.enrolments.get().evaluation_invite


def _tick(group, label):
    """DKFDS draws its own boxes over visually hidden inputs: click the label, as a user does."""
    group.locator("label").filter(has_text=re.compile(f"^{re.escape(label)}$")).click()
    assert group.get_by_label(label, exact=True).is_checked()


def test_participant_answers_and_manager_reads_report(page, live_server):
    invite = _invite()
    page.goto(f"/kurser/evaluering/{invite.token}/")
    assert axe_violations(page) == [], describe(axe_violations(page))
    page.get_by_role("button", name="Send mine svar").click()  # nothing filled in
    assert page.locator(".alert-error").is_visible()
    roles = page.get_by_role("group", name="Jeg deltager som")
    _tick(roles, "Patient/borger")
    _tick(roles, "Pårørende")
    _tick(page.get_by_role("group", name="Hvad er din bopælskommune?"), "Gladsaxe Kommune")
    _tick(page.get_by_role("group", name="Deltager du i andre tilbud i din bopælskommune?"), "Nej")
    _tick(page.get_by_role("group", name="Modtager du behandling i Region Hovedstadens Psykiatri?"), "Ja")
    page.get_by_label("Hvad motiverede dig til at deltage?").fill("At møde andre")
    for name in ("Samspillet med andre kursister", "Forståelse og færdigheder", "Forandringer i mit liv"):
        _tick(page.get_by_role("group", name=name), "I høj grad")
    page.set_viewport_size({"width": 375, "height": 800})
    assert axe_violations(page) == [], describe(axe_violations(page))
    page.get_by_role("button", name="Send mine svar").click()
    page.get_by_role("heading", name="Tak for dine svar").wait_for()
    answers = EvaluationResponse.objects.filter(course=invite.enrolment.course).get().answers
    assert answers["roles"] == ["citizen", "relative"] and answers["outcome_change"] == "high"

    manager = make_user(Role.MANAGER, make_org())
    login(page, live_server, manager.username, PASSWORD)
    page.goto("/kurser/rapport/?term=efteraar-2018")
    assert page.locator("#report-home tfoot").inner_text().split() == ["I", "alt", "4", "14", "2", "24", "16", "60"]
    assert axe_violations(page) == [], describe(axe_violations(page))
    page.set_viewport_size({"width": 1280, "height": 900})
    assert axe_violations(page) == [], describe(axe_violations(page))
