"""The recovery school's course pages (DOMAIN.md §9): public enrolment with places, overbooking
and a waitlist, the personal link, promotion when a place frees, cancellation below the
minimum at the deadline, calendar files, and partner staff who see only their own
participants' contact data."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from samplan.core.models import AuditEvent, Role
from samplan.courses import services
from samplan.courses.models import Attendance, Course, Enrolment, Partner, School, Session, Teacher, Term
from tests.factories import make_user

TODAY = timezone.localdate()


@pytest.fixture
def school(db):
    school = School.objects.create(name="Skole på Tværs", email="skole@example.invalid", phone="45 00 00 00")
    partners = {
        key: Partner.objects.create(school=school, name=name, order=n)
        for n, (key, name) in enumerate((("a", "Albertslund Kommune"), ("b", "Ballerup Kommune"), ("c", "Region Hovedstaden")))
    }
    term = Term.objects.create(school=school, name="Forår 2026", slug="foraar-2026")
    return {"school": school, "term": term, **partners}


def make_course(
    school,
    *,
    owner="c",
    number=None,
    title="Recovery og hverdagsliv",
    max_participants=2,
    overbooking=0,
    min_participants=0,
    sessions=3,
    opens=None,
    closes=None,
    deadline=None,
    term=None,
):
    term = term or school["term"]
    number = number or (Course.objects.filter(term=term).count() + 1)
    course = Course.objects.create(
        term=term,
        number=number,
        title=title,
        subtitle="Et kursus om at komme videre",
        owner=school[owner],
        description="Vi taler om håb og mestring.",
        topics="Håb\nMestring\nNetværk",
        place="Kulturhuset",
        address="Stationsvej 1, 2800 Kgs. Lyngby",
        max_participants=max_participants,
        overbooking=overbooking,
        min_participants=min_participants,
        registration_opens=opens,
        registration_closes=closes,
        minimum_deadline=deadline,
    )
    for i in range(sessions):
        Session.objects.create(course=course, date=TODAY + dt.timedelta(days=30 + 7 * i), starts=dt.time(13), ends=dt.time(16))
    Teacher.objects.create(
        course=course, name="Mette Erfaring", competence=Teacher.Competence.LIVED_EXPERIENCE, organisation="Recoveryskolen"
    )
    Teacher.objects.create(
        course=course, name="Jens Fag", competence=Teacher.Competence.PROFESSIONAL, organisation="Psykiatrisk Center"
    )
    return course


def staff_of(org, partner):
    user = make_user(Role.PROVIDER_STAFF, org)
    partner.members.add(user)
    return user


def form_data(email, *, name="Kim Deltager", municipality="other", roles=("citizen",), phone="40 00 00 00"):
    return {"name": name, "email": email, "phone": phone, "municipality": municipality, "roles": list(roles)}


def enrol_http(client, course, email, capture, **kw):
    with capture(execute=True):
        return client.post(reverse("course-enrol", args=[course.pk]), form_data(email, **kw))


def recipients():
    return sorted(address for m in mail.outbox for address in m.to)


def ics_of(message):
    calendars = [a for a in message.attachments if a[2].startswith("text/calendar")]
    assert len(calendars) == 1, message.attachments
    filename, content, _ = calendars[0]
    assert filename.endswith(".ics")
    return Calendar.from_ical(content)


# --- Public pages -------------------------------------------------------------------------


def test_course_list_and_page_are_public_and_show_the_facts(client, school):
    course = make_course(school, max_participants=2, overbooking=1)
    make_course(school, title="Aflyst kursus")
    services.cancel_course(Course.objects.get(title="Aflyst kursus"), reason="Underviseren er syg")
    response = client.get(reverse("course-list"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Recovery og hverdagsliv" in text and "3 ledige pladser" in text and "Aflyst" in text
    assert "Gratis" in text and "Kræver ikke visitation" in text and "Kulturhuset" in text

    response = client.get(reverse("course-detail", args=[course.pk]))
    text = response.content.decode()
    assert response.status_code == 200
    for expected in (
        "Håb",
        "Mestring",
        "Kulturhuset",
        "Mette Erfaring – erfaringskompetence, Recoveryskolen",
        "Jens Fag – fagprofessionel, Psykiatrisk Center",
        "Højst 2",
        "Gratis",
        "Kræver ikke visitation",
        'name="roles"',
        "Anden kommune",
        "Albertslund Kommune",
        "Region Hovedstaden",
        "csrfmiddlewaretoken",
    ):
        assert expected in text, expected
    assert text.count("kl. 13.00–16.00") == 3


def test_terms_are_listed_newest_first(client, school):
    make_course(school, title="Forårskursus")
    newer = Term.objects.create(school=school["school"], name="Efterår 2026", slug="efteraar-2026")
    make_course(school, title="Efterårskursus", term=newer)
    text = client.get(reverse("course-list")).content.decode()
    assert text.index("Efterår 2026") < text.index("Forår 2026")
    assert text.index("Efterårskursus") < text.index("Forårskursus")


def test_enrolment_is_confirmed_until_places_with_overbooking_are_taken_then_waitlisted(
    client, school, django_capture_on_commit_callbacks
):
    course = make_course(school, max_participants=2, overbooking=1)
    for n in range(1, 4):
        response = enrol_http(
            client,
            course,
            f"deltager{n}@example.invalid",
            django_capture_on_commit_callbacks,
            name=f"Deltager {n}",
            municipality=str(school["b"].pk),
            roles=("relative", "staff"),
        )
        assert response.status_code == 302
        page = client.get(response["Location"])
        assert "Du er tilmeldt" in page.content.decode()
    for n in (4, 5):
        response = enrol_http(
            client, course, f"deltager{n}@example.invalid", django_capture_on_commit_callbacks, name=f"Deltager {n}"
        )
        page = client.get(response["Location"]).content.decode()
        assert f"Du er på venteliste som nr. {n - 3}" in page
    statuses = list(course.enrolments.order_by("id").values_list("status", flat=True))
    assert statuses == ["confirmed"] * 3 + ["waitlisted"] * 2
    first = course.enrolments.order_by("id").first()
    assert first.home_partner == school["b"] and first.roles == ["relative", "staff"]
    assert [m.subject.startswith("Du er tilmeldt") for m in mail.outbox] == [True, True, True, False, False]
    assert all(m.subject.startswith("Du er på venteliste") for m in mail.outbox[3:])
    # The public pages now say the course is full, and never who is on it.
    for url in (reverse("course-list"), reverse("course-detail", args=[course.pk])):
        text = client.get(url).content.decode()
        assert "Fuldt – venteliste" in text
        assert "Deltager 1" not in text and "deltager1@example.invalid" not in text and "40 00 00 00" not in text
    assert "Skriv mig på ventelisten" in client.get(reverse("course-detail", args=[course.pk])).content.decode()


def test_confirmation_mail_has_a_calendar_file_with_one_event_per_session(client, school, django_capture_on_commit_callbacks):
    course = make_course(school, sessions=4)
    response = enrol_http(client, course, "ida@example.invalid", django_capture_on_commit_callbacks, name="Ida")
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["ida@example.invalid"]
    enrolment = Enrolment.objects.get(email="ida@example.invalid")
    assert str(enrolment.token) in message.body
    events = ics_of(message).walk("VEVENT")
    starts = sorted(e.decoded("dtstart") for e in events)
    expected = [dt.datetime.combine(s.date, s.starts) for s in course.sessions.order_by("date")]
    assert len(events) == 4
    assert [s.replace(tzinfo=None) for s in starts] == expected
    assert len({str(e["uid"]) for e in events}) == 4
    assert all("Kulturhuset" in str(e["location"]) for e in events)


def test_form_errors_are_danish_and_keep_what_was_typed(client, school):
    course = make_course(school)
    response = client.post(
        reverse("course-enrol", args=[course.pk]),
        {"name": "Sofie Hansen", "email": "ikke-en-mail", "phone": "40 11 22 33", "municipality": ""},
    )
    text = response.content.decode()
    assert response.status_code == 400
    assert "Skriv en gyldig e-mailadresse" in text and "Vælg din kommune." in text
    assert "Vælg mindst én af mulighederne" in text
    assert 'value="Sofie Hansen"' in text and 'value="40 11 22 33"' in text and 'value="ikke-en-mail"' in text
    assert not Enrolment.objects.exists()
    assert client.get(reverse("course-enrol", args=[course.pk])).status_code == 405


def test_registration_window_closed_is_refused_in_danish(client, school):
    closed = make_course(school, closes=TODAY - dt.timedelta(days=1))
    not_yet = make_course(school, opens=TODAY + dt.timedelta(days=5), title="Senere kursus")
    response = client.post(reverse("course-enrol", args=[closed.pk]), form_data("sen@example.invalid", name="Sen Sørensen"))
    text = response.content.decode()
    assert response.status_code == 400
    assert "Tilmeldingsfristen er overskredet." in text
    response = client.post(reverse("course-enrol", args=[not_yet.pk]), form_data("tidlig@example.invalid"))
    assert response.status_code == 400
    assert f"Tilmeldingen åbner {not_yet.registration_opens:%d.%m.%Y}." in response.content.decode()
    assert not Enrolment.objects.exists()
    # The page shows why instead of the form.
    text = client.get(reverse("course-detail", args=[closed.pk])).content.decode()
    assert "tilmeldingsfristen er overskredet" in text and 'name="email"' not in text


def test_duplicate_email_is_refused(client, school, django_capture_on_commit_callbacks):
    course = make_course(school)
    assert enrol_http(client, course, "dobbelt@example.invalid", django_capture_on_commit_callbacks).status_code == 302
    response = enrol_http(client, course, "DOBBELT@example.invalid", django_capture_on_commit_callbacks, name="Igen")
    assert response.status_code == 400
    assert "Der er allerede en tilmelding med denne e-mail til kurset." in response.content.decode()
    assert 'value="Igen"' in response.content.decode()
    assert course.enrolments.count() == 1


def test_cancelling_by_personal_link_promotes_the_first_on_the_waitlist(client, school, django_capture_on_commit_callbacks):
    course = make_course(school, max_participants=1)
    enrol_http(client, course, "forst@example.invalid", django_capture_on_commit_callbacks, name="Først")
    enrol_http(client, course, "anden@example.invalid", django_capture_on_commit_callbacks, name="Anden")
    enrol_http(client, course, "tredje@example.invalid", django_capture_on_commit_callbacks, name="Tredje")
    first, second, third = course.enrolments.order_by("id")
    assert [first.status, second.status, third.status] == ["confirmed", "waitlisted", "waitlisted"]
    # The second's personal link shows their place and nobody else.
    page = client.get(reverse("enrolment-manage", args=[second.token])).content.decode()
    assert "Du er på venteliste som nr. 1" in page
    assert "forst@example.invalid" not in page and "Tredje" not in page
    mail.outbox.clear()

    url = reverse("enrolment-manage", args=[first.token])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "cancel"})
    assert response.status_code == 302
    first.refresh_from_db(), second.refresh_from_db(), third.refresh_from_db()
    assert (first.status, second.status, third.status) == ("cancelled", "confirmed", "waitlisted")
    assert "Du er afmeldt" in client.get(url).content.decode()
    assert "Du er tilmeldt" in client.get(reverse("enrolment-manage", args=[second.token])).content.decode()
    assert "Du er på venteliste som nr. 1" in client.get(reverse("enrolment-manage", args=[third.token])).content.decode()
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {"forst@example.invalid", "anden@example.invalid"}
    promoted = by_recipient["anden@example.invalid"]
    assert promoted.subject.startswith("Du har fået en plads")
    assert len(ics_of(promoted).walk("VEVENT")) == course.sessions.count()
    assert by_recipient["forst@example.invalid"].subject.startswith("Du er afmeldt")
    # Cancelling twice changes nothing; an unknown link is missing.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "cancel"})
    assert Enrolment.objects.filter(status="confirmed").count() == 1
    assert client.get(reverse("enrolment-manage", args=["00000000-0000-4000-8000-000000000000"])).status_code == 404


def test_below_minimum_at_the_deadline_is_cancelled_and_everyone_is_told(school, django_capture_on_commit_callbacks):
    low = make_course(school, max_participants=2, min_participants=4, deadline=TODAY)
    enough = make_course(school, max_participants=3, min_participants=1, deadline=TODAY, title="Nok deltagere")
    later = make_course(
        school, max_participants=2, min_participants=4, deadline=TODAY + dt.timedelta(days=3), title="Senere frist"
    )
    with django_capture_on_commit_callbacks(execute=True):
        for n, course in enumerate((low, low, low, enough, later)):
            services.enrol(course, name=f"P{n}", email=f"p{n}@example.invalid", roles=["citizen"])
    assert list(low.enrolments.values_list("status", flat=True)) == ["confirmed", "confirmed", "waitlisted"]
    mail.outbox.clear()

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("course_deadlines", stdout=out)
    assert "Aflyst: kursus" in out.getvalue() and "Recovery og hverdagsliv" in out.getvalue()
    assert "1 kursus aflyst." in out.getvalue()
    assert recipients() == ["p0@example.invalid", "p1@example.invalid", "p2@example.invalid"]
    assert all("er aflyst" in m.subject and services.MINIMUM_REASON in m.body for m in mail.outbox)
    low.refresh_from_db()
    assert low.status == Course.Status.CANCELLED
    assert set(low.enrolments.values_list("status", flat=True)) == {Enrolment.Status.COURSE_CANCELLED}
    assert Course.objects.get(pk=enough.pk).status == Course.Status.PLANNED
    assert Course.objects.get(pk=later.pk).status == Course.Status.PLANNED
    # Idempotent: a second run cancels and sends nothing.
    mail.outbox.clear()
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("course_deadlines", stdout=out)
    assert "0 kurser aflyst." in out.getvalue() and not mail.outbox
    # Later on, the other course's deadline comes.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("course_deadlines", "--date", (TODAY + dt.timedelta(days=3)).isoformat(), stdout=io.StringIO())
    assert recipients() == ["p4@example.invalid"]


# --- Partner staff ------------------------------------------------------------------------


@pytest.fixture
def partners_world(org, school, django_capture_on_commit_callbacks):
    """A participant living in B enrolled on a course owned by C; staff of A, B and C."""
    course_c = make_course(school, owner="c", title="Regionens kursus")
    course_a = make_course(school, owner="a", title="Albertslunds kursus")
    with django_capture_on_commit_callbacks(execute=True):
        from_b = services.enrol(
            course_c,
            name="Birgit Ballerup",
            email="birgit@example.invalid",
            phone="51 23 45 67",
            home_partner=school["b"],
            roles=["citizen", "volunteer"],
        )
        from_a = services.enrol(
            course_c,
            name="Anders Albertslund",
            email="anders@example.invalid",
            phone="52 00 00 00",
            home_partner=school["a"],
            roles=["relative"],
        )
    return {
        "course_c": course_c,
        "course_a": course_a,
        "from_b": from_b,
        "from_a": from_a,
        "staff_a": staff_of(org, school["a"]),
        "staff_b": staff_of(org, school["b"]),
        "staff_c": staff_of(org, school["c"]),
        "outsider": make_user(Role.CASEWORKER, org),
    }


def _as(client, user):
    client.force_login(user)
    return client


def test_partner_a_cannot_see_partner_bs_participants(client, partners_world):
    w = partners_world
    manage_c = reverse("course-manage", args=[w["course_c"].pk])
    _as(client, w["staff_a"])
    assert client.get(manage_c).status_code in (403, 404)
    admin = client.get(reverse("course-admin")).content.decode()
    assert "Albertslunds kursus" in admin  # A's own course
    assert "birgit@example.invalid" not in admin and "51 23 45 67" not in admin and "Birgit" not in admin
    # A sees its own resident on C's course.
    assert "anders@example.invalid" in admin and "Regionens kursus" in admin
    # A cannot act on C's course either.
    assert client.post(
        reverse("course-enrolment-cancel", args=[w["course_c"].pk]), {"enrolment": w["from_b"].pk}
    ).status_code in (403, 404)
    assert client.post(reverse("course-cancel", args=[w["course_c"].pk]), {"reason": "Nej"}).status_code in (403, 404)
    assert Enrolment.objects.get(pk=w["from_b"].pk).status == Enrolment.Status.CONFIRMED
    assert Course.objects.get(pk=w["course_c"].pk).status == Course.Status.PLANNED

    _as(client, w["staff_b"])
    admin = client.get(reverse("course-admin")).content.decode()
    section = admin[admin.index("Vores deltagere på andre kurser") :]
    assert "Birgit Ballerup" in section and "birgit@example.invalid" in section and "51 23 45 67" in section
    assert "anders@example.invalid" not in admin
    assert client.get(manage_c).status_code in (403, 404)

    _as(client, w["staff_c"])
    response = client.get(manage_c)
    text = response.content.decode()
    assert response.status_code == 200
    assert "birgit@example.invalid" in text and "51 23 45 67" in text and "anders@example.invalid" in text
    assert "Patient/borger, Frivillig" in text and "Ballerup Kommune" in text


def test_staff_without_partner_membership_are_refused(client, org, users, partners_world):
    w = partners_world
    for user in (w["outsider"], users[Role.MANAGER], users[Role.CITIZEN], users[Role.RELATIVE]):
        _as(client, user)
        assert client.get(reverse("course-admin")).status_code == 403, user.role
        assert client.get(reverse("course-manage", args=[w["course_c"].pk])).status_code == 404, user.role
    client.logout()
    response = client.get(reverse("course-admin"))
    assert response.status_code == 302 and "/login/" in response["Location"]
    # Being staff of a partner is what counts, not the role.
    citizen = users[Role.CITIZEN]
    Partner.objects.get(name="Region Hovedstaden").members.add(citizen)
    _as(client, citizen)
    assert client.get(reverse("course-admin")).status_code == 403


def test_viewing_participants_is_audited_once_per_page(client, partners_world):
    w = partners_world
    # One course's participants: the course is the object; a list across courses has none.
    reads = AuditEvent.objects.filter(action=AuditEvent.Action.READ, object_type__in=["courses.Course", "courses.Enrolment"])
    _as(client, w["staff_c"])
    before = reads.count()
    client.get(reverse("course-manage", args=[w["course_c"].pk]))
    assert reads.count() == before + 1
    event = reads.order_by("-id").first()
    assert event.username == w["staff_c"].username and event.object_id == str(w["course_c"].pk)
    assert event.object_type == "courses.Course"
    _as(client, w["staff_b"])
    client.get(reverse("course-admin"))
    assert reads.count() == before + 2
    assert reads.order_by("-id").first().after["enrolments"] == [w["from_b"].pk]


def test_owner_cancels_an_enrolment_and_the_next_is_promoted(client, school, org, django_capture_on_commit_callbacks):
    course = make_course(school, owner="c", max_participants=1)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.enrol(course, name="Først", email="f@example.invalid", roles=["staff"])
        waiting = services.enrol(course, name="Venter", email="v@example.invalid", roles=["leader"])
    mail.outbox.clear()
    _as(client, staff_of(org, school["c"]))
    page = client.get(reverse("course-manage", args=[course.pk])).content.decode()
    assert "Venter" in page[page.index('id="venteliste"') :]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("course-enrolment-cancel", args=[course.pk]), {"enrolment": first.pk})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Enrolment.Status.CONFIRMED
    assert recipients() == ["f@example.invalid", "v@example.invalid"]
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.TRANSITION, object_type="courses.Enrolment", object_id=str(first.pk)
    ).exists()
    assert "Venter har fået pladsen" in client.get(response["Location"]).content.decode()


def test_owner_cancels_the_course_with_a_reason(client, school, org, django_capture_on_commit_callbacks):
    course = make_course(school, owner="c", max_participants=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.enrol(course, name="A", email="a@example.invalid", roles=["citizen"])
        services.enrol(course, name="B", email="b@example.invalid", roles=["citizen"])
    mail.outbox.clear()
    _as(client, staff_of(org, school["c"]))
    url = reverse("course-cancel", args=[course.pk])
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 400 and "Skriv en begrundelse for aflysningen." in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "Lokalet er lukket"})
    assert response.status_code == 302
    assert recipients() == ["a@example.invalid", "b@example.invalid"]
    assert all("Lokalet er lukket" in m.body for m in mail.outbox)
    confirmed_mail = next(m for m in mail.outbox if m.to == ["a@example.invalid"])
    assert all(str(e["status"]) == "CANCELLED" for e in ics_of(confirmed_mail).walk("VEVENT"))
    assert "Aflyst" in client.get(reverse("course-list")).content.decode()
    assert client.post(url, {"reason": "Igen"}).status_code == 400  # already cancelled


def test_attendance_and_completion_are_recorded_and_audited(client, school, org, django_capture_on_commit_callbacks):
    course = make_course(school, owner="c", max_participants=3, sessions=3)
    with django_capture_on_commit_callbacks(execute=True):
        came = services.enrol(course, name="Kom altid", email="k@example.invalid", roles=["citizen"])
        once = services.enrol(course, name="Kom en gang", email="e@example.invalid", roles=["relative"])
    staff = staff_of(org, school["c"])
    _as(client, staff)
    s1, s2, s3 = course.sessions.order_by("date")
    url = reverse("course-attendance", args=[course.pk, s1.pk])
    page = client.get(url).content.decode()
    assert "Kom altid" in page and "Kom en gang" in page
    assert client.post(url, {"present": [came.pk, once.pk]}).status_code == 302
    for session in (s2, s3):
        client.post(reverse("course-attendance", args=[course.pk, session.pk]), {"present": [came.pk, "x"]})
    assert Attendance.objects.filter(enrolment=came, present=True).count() == 3
    assert Attendance.objects.filter(enrolment=once, present=True).count() == 1
    assert Attendance.objects.filter(enrolment=once, present=False).count() == 2
    assert AuditEvent.objects.filter(object_type="courses.Session", username=staff.username).count() == 3
    # The page ticks who came and suggests completion for more than half the sessions.
    assert (
        f'value="{came.pk}" id="present-{came.pk}" checked'
        in client.get(reverse("course-attendance", args=[course.pk, s2.pk])).content.decode()
    )
    manage = client.get(reverse("course-manage", args=[course.pk])).content.decode()
    assert "3 af 3" in manage and "1 af 3" in manage
    assert manage.count("Forslag: gennemført") == 1 and manage.count("Forslag: ikke gennemført") == 1

    response = client.post(reverse("course-completion", args=[course.pk]), {"apply": "suggestions"})
    assert response.status_code == 302
    came.refresh_from_db(), once.refresh_from_db()
    assert came.completed and not once.completed
    # The owner may decide otherwise than the suggestion.
    client.post(reverse("course-completion", args=[course.pk]), {"completed": [came.pk, once.pk]})
    once.refresh_from_db()
    assert once.completed
    updates = AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE, object_type="courses.Course")
    assert updates.count() == 2
    # Another partner's staff cannot record anything.
    _as(client, staff_of(org, school["a"]))
    assert client.post(url, {"present": []}).status_code in (403, 404)
    assert client.post(reverse("course-completion", args=[course.pk]), {}).status_code in (403, 404)
    assert Attendance.objects.filter(session=s1, present=True).count() == 2


# --- Query counts -------------------------------------------------------------------------


def _fill(course, n, partner):
    now = timezone.now()
    sessions = list(course.sessions.all())
    for i in range(n):
        status = Enrolment.Status.CONFIRMED if i < course.places else Enrolment.Status.WAITLISTED
        e = Enrolment.objects.create(
            course=course,
            name=f"N{i}",
            email=f"n{i}-{course.pk}@example.invalid",
            home_partner=partner if i % 2 else None,
            roles=["citizen", "staff"],
            status=status,
            confirmed_at=now if status == "confirmed" else None,
        )
        if status == "confirmed":
            Attendance.objects.create(enrolment=e, session=sessions[i % len(sessions)], present=True)


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_course_list_and_manage_queries_do_not_grow(client, school, org, django_assert_max_num_queries):
    small = [make_course(school, owner="c", max_participants=3, number=n) for n in (1, 2)]
    large_term = Term.objects.create(school=school["school"], name="Efterår 2026", slug="efteraar-2026")
    large = [make_course(school, owner="c", max_participants=30, number=n, term=large_term) for n in (1, 2)]
    for course in small:
        _fill(course, 5, school["b"])
    staff = staff_of(org, school["c"])
    few_list = _count(client, reverse("course-list"))
    _as(client, staff)
    few_manage = _count(client, reverse("course-manage", args=[small[0].pk]))
    for course in large:
        _fill(course, 40, school["b"])
    many_manage = _count(client, reverse("course-manage", args=[large[0].pk]))
    client.logout()
    many_list = _count(client, reverse("course-list"))
    assert few_list == many_list, (few_list, many_list)
    assert few_manage == many_manage, (few_manage, many_manage)
    with django_assert_max_num_queries(3):
        client.get(reverse("course-list"))
    _as(client, staff)
    with django_assert_max_num_queries(10):
        client.get(reverse("course-manage", args=[large[0].pk]))


def test_pages_stay_danish_when_the_browser_asks_for_english(client, school):
    # The screens are Danish only: dates must not switch language inside a Danish page.
    course = make_course(school, sessions=0)
    Session.objects.create(course=course, date=dt.date(TODAY.year + 1, 2, 3), starts=dt.time(10), ends=dt.time(12))
    body = client.get("/kurser/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "februar" in body and "February" not in body
