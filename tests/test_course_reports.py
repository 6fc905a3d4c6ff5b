"""The recovery school's shared totals reproduce the seed's pilot (004 L8690–8756): 60
enrolled, 32 completed, the enrolment table by home municipality, and the waitlists."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from samplan.core.models import Role
from samplan.courses import reports, services
from samplan.courses.models import Attendance, Course, Enrolment, EvaluationResponse, Session, Term
from samplan.demo import pilot
from tests.factories import PASSWORD, make_user

AFTER_PILOT = dt.date(2019, 3, 1)
# The seed's table: title prefix -> (places, enrolled, Gladsaxe, Gentofte, Rudersdal, LTK, RHP)
SEED_TABLE = {
    "Mentalt velvære": (12, 13, [0, 2, 1, 10, 0]),
    "High Energy": (8, 8, [0, 3, 0, 5, 0]),
    "Styr livet": (20, 17, [1, 4, 0, 9, 3]),
    "I gang igen": (10, 8, [2, 4, 1, 0, 1]),
    "Guide til et godt hverdagsliv": (14, 14, [1, 1, 0, 0, 12]),
}


@pytest.fixture
def term(school, partners):
    return pilot.build_pilot_2018(school, partners)


def _row(report, prefix):
    return next(r for r in report["rows"] if r.course.title.startswith(prefix))


def test_pilot_report_reproduces_the_seed_table(term, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        report = reports.course_report(term, today=AFTER_PILOT)
    assert [label for _, label in report["home_columns"]] == ["Gladsaxe", "Gentofte", "Rudersdal", "Lyngby-Taarbæk", "RHP"]
    for prefix, (places, enrolled, homes) in SEED_TABLE.items():
        row = _row(report, prefix)
        assert (row.places, row.enrolled, row.home_counts) == (places, enrolled, homes), prefix
    t = report["totals"]
    assert t["home"] == [4, 14, 2, 24, 16]
    assert (t["courses"], t["enrolled"], t["completed"]) == (5, 60, 32)
    # 64 places in the table; the seed's "65 kursuspladser" counts Mentalt velvære's overbooked place.
    assert (t["places"], t["places_with_overbooking"]) == (64, 65)
    assert (_row(report, "High Energy").not_placed, _row(report, "Mentalt velvære").not_placed) == (3, 1)
    assert t["not_placed"] == t["waitlisted"] == 4
    assert t["responses"] == 27
    assert sum(t["roles"]) >= 60  # multi-select: every enrolled has at least one role


def test_pilot_answers_per_item(term):
    report = reports.course_report(term, today=AFTER_PILOT)
    answers = {a["item"].key: a for a in report["answers"]}
    roles = answers["roles"]
    assert roles["answered"] == 27 and roles["ticks"] == 28  # as in the seed: 27 replies, 28 ticks
    for key in ("outcome_interaction", "outcome_understanding", "outcome_change"):
        counts = answers[key]["counts"]
        assert [label for label, _ in counts] == [
            "I meget lav grad",
            "I lav grad",
            "I nogen grad",
            "I høj grad",
            "I meget høj grad",
        ]
        assert sum(n for _, n in counts) == 27
    home = dict(answers["home"]["counts"])
    assert sum(home.values()) == 27 and "Anden kommune" in home
    assert answers["motivation"]["free_text"] and "counts" not in answers["motivation"]
    assert 0 < answers["motivation"]["answered"] < 27


def test_pilot_is_consistent_and_built_once(school, partners, term):
    assert pilot.build_pilot_2018(school, list(partners.values())) == term
    assert Course.objects.filter(term=term).count() == 5
    assert Enrolment.objects.filter(course__term=term).count() == 64
    # Completion follows attendance as the school counts it (more than half the sessions).
    for e in Enrolment.objects.filter(course__term=term, status=Enrolment.Status.CONFIRMED).prefetch_related("attendances"):
        total = Session.objects.filter(course_id=e.course_id).count()
        present = sum(a.present for a in e.attendances.all())
        assert services.suggested_completion(total, present) == e.completed
    assert not Attendance.objects.filter(enrolment__status=Enrolment.Status.WAITLISTED).exists()
    assert not Enrolment.objects.filter(status=Enrolment.Status.WAITLISTED, confirmed_at__isnull=False).exists()
    assert all(e.email.endswith("@example.invalid") for e in Enrolment.objects.all())
    assert EvaluationResponse.objects.count() == 27


def test_enrolled_means_had_a_place_when_the_course_started(school, partners):
    term = Term.objects.create(school=school, name="Forår", slug="foraar")
    course = Course.objects.create(term=term, number=1, title="Kursus", owner=partners["RHP"], place="Sted", max_participants=2)
    start = dt.date(2030, 3, 1)
    Session.objects.create(course=course, date=start, starts=dt.time(10), ends=dt.time(12))
    Session.objects.create(course=course, date=start + dt.timedelta(days=7), starts=dt.time(10), ends=dt.time(12))
    tz = timezone.get_current_timezone()
    before = dt.datetime.combine(start - dt.timedelta(days=3), dt.time(9), tzinfo=tz)
    during = dt.datetime.combine(start + dt.timedelta(days=2), dt.time(9), tzinfo=tz)
    kw = {"course": course, "email": "x@example.invalid", "roles": ["citizen"]}
    Enrolment.objects.create(
        name="Har plads",
        status=Enrolment.Status.CONFIRMED,
        confirmed_at=before,
        completed=True,
        home_partner=partners["Gentofte"],
        **kw,
    )
    Enrolment.objects.create(
        name="Meldte fra før start", status=Enrolment.Status.CANCELLED, confirmed_at=before, cancelled_at=before, **kw
    )
    Enrolment.objects.create(
        name="Stoppede undervejs",
        status=Enrolment.Status.CANCELLED,
        confirmed_at=before,
        cancelled_at=during,
        home_partner=None,
        **kw,
    )
    Enrolment.objects.create(name="Venter", status=Enrolment.Status.WAITLISTED, **kw)
    Enrolment.objects.create(name="Gav op på ventelisten", status=Enrolment.Status.CANCELLED, cancelled_at=during, **kw)

    before_start = reports.course_report(term, today=start - dt.timedelta(days=1))
    row = before_start["rows"][0]
    assert (row.waitlisted, row.not_placed) == (1, 0)  # the course has not started: still a chance
    after = reports.course_report(term, today=start + dt.timedelta(days=10))
    row = after["rows"][0]
    assert (row.enrolled, row.completed, row.waitlisted, row.not_placed) == (2, 1, 1, 1)
    assert [label for _, label in after["home_columns"]][-1] == reports.OTHER_LABEL  # "Anden" appears when used
    assert after["totals"]["home"][-1] == 1

    # A cancelled course enrols nobody and offers no places.
    course.status = Course.Status.CANCELLED
    course.save()
    Enrolment.objects.filter(course=course, status__in=["confirmed", "waitlisted"]).update(status="course_cancelled")
    cancelled = reports.course_report(term, today=start + dt.timedelta(days=10))
    assert cancelled["totals"]["places"] == 0 and cancelled["totals"]["courses"] == 0
    assert cancelled["rows"][0].not_placed == 0


def _client(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_report_page_shows_totals_without_contact_data(client, org, term, django_assert_max_num_queries):
    manager = make_user(Role.MANAGER, org)
    _client(client, manager)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("course-report") + f"?term={term.slug}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mentalt velvære fremmer recovery" in html and "13 tilmeldte" in html
    assert "<td>24</td>" in html and "<td>60</td>" in html
    first = Enrolment.objects.filter(course__term=term).first()
    assert "example.invalid" not in html and first.name not in html and first.phone not in html
    assert "Café Stolpen" not in html  # free text is only counted
    assert "har skrevet et svar" in html
    # Without ?term the newest term with courses is shown.
    assert "Efterår 2018" in _client(client, manager).get(reverse("course-report")).content.decode()
    assert client.get(reverse("course-report") + "?term=findes-ikke").status_code == 404


def test_report_csv_has_the_seed_table(client, org, term):
    editor = make_user(Role.CATALOGUE_EDITOR, org)
    response = _client(client, editor).get(reverse("course-report-csv") + f"?term={term.slug}")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][6:] == ["Gladsaxe", "Gentofte", "Rudersdal", "Lyngby-Taarbæk", "RHP", "I alt"]
    assert rows[-1][1] == "I alt" and rows[-1][6:] == ["4", "14", "2", "24", "16", "60"]
    assert rows[-1][3:6] == ["64", "60", "32"]


def test_report_access(client, org, partners, term):
    assert client.get(reverse("course-report")).status_code == 302  # anonymous → login
    assert "/login/" in client.get(reverse("course-report"))["Location"]
    for role in (Role.CASEWORKER, Role.PROVIDER_STAFF, Role.CITIZEN, Role.RELATIVE, Role.OFFER_MAINTAINER):
        client.logout()
        assert _client(client, make_user(role, org)).get(reverse("course-report")).status_code == 403, role
        assert client.get(reverse("course-report-csv")).status_code == 403, role
    for role in (Role.MANAGER, Role.ADMIN, Role.CATALOGUE_EDITOR):
        client.logout()
        assert _client(client, make_user(role, org)).get(reverse("course-report")).status_code == 200, role
    # Staff of a partner see the shared totals, whatever their role.
    member = make_user(Role.PROVIDER_STAFF, org)
    partners["Gentofte"].members.add(member)
    client.logout()
    assert _client(client, member).get(reverse("course-report")).status_code == 200
