"""The recovery school's JSON API (samplan.courses.api): public courses and enrolment without
login, and partner staff's enrolments with contact data under the same access rules as the
pages (policy.enrolments_visible), audited."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from samplan.core.models import AuditEvent, Role
from samplan.courses import services
from samplan.courses.models import Course, Enrolment, Partner, School, Term
from tests.factories import make_user
from tests.test_courses import make_course, staff_of

API = "/api/v1"
TODAY = timezone.localdate()


@pytest.fixture
def rs(db):
    """A school with partners A, B and C (C the region) and one term."""
    school = School.objects.create(name="Skole på Tværs", email="skole@example.invalid")
    partners = {
        key: Partner.objects.create(school=school, name=name, order=n)
        for n, (key, name) in enumerate((("a", "Albertslund Kommune"), ("b", "Ballerup Kommune"), ("c", "Region Hovedstaden")))
    }
    term = Term.objects.create(school=school, name="Forår 2026", slug="foraar-2026")
    return {"school": school, "term": term, **partners}


def body(email, *, name="Kim Deltager", home_partner=None, roles=("citizen",), phone="40 00 00 00"):
    return {"name": name, "email": email, "phone": phone, "home_partner": home_partner, "roles": list(roles)}


def enrol(client, course, data, capture=None):
    url = f"{API}/courses/{course.pk}/enrol/"
    if capture is None:
        return client.post(url, data, format="json")
    with capture(execute=True):
        return client.post(url, data, format="json")


# --- Public courses -----------------------------------------------------------------------


def test_course_list_and_detail_are_public_and_show_no_participants(rs, django_capture_on_commit_callbacks):
    course = make_course(rs, owner="c", max_participants=2, overbooking=1)
    other_term = Term.objects.create(school=rs["school"], name="Efterår 2026", slug="efteraar-2026")
    later = make_course(rs, owner="a", title="Håb og hverdag", term=other_term)
    with django_capture_on_commit_callbacks(execute=True):
        services.enrol(
            course,
            name="Birgit Hemmelig",
            email="birgit@example.invalid",
            phone="51 23 45 67",
            home_partner=rs["b"],
            roles=["citizen"],
        )
    client = APIClient()
    response = client.get(f"{API}/courses/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=60"
    data = response.json()
    assert data["count"] == 2
    assert [r["id"] for r in data["results"]] == [later.pk, course.pk]  # newest term first
    text = response.content.decode()
    for secret in ("Birgit", "birgit@example.invalid", "51 23 45 67", "token"):
        assert secret not in text

    row = next(r for r in data["results"] if r["id"] == course.pk)
    assert row["title"] == "Recovery og hverdagsliv" and row["subtitle"] == "Et kursus om at komme videre"
    assert row["number"] == course.number and row["owner"] == "Region Hovedstaden"
    assert row["term"] == {"id": rs["term"].pk, "name": "Forår 2026", "slug": "foraar-2026"}
    assert row["place"] == "Kulturhuset" and row["address"] == "Stationsvej 1, 2800 Kgs. Lyngby"
    assert row["topics"] == ["Håb", "Mestring", "Netværk"]
    assert len(row["sessions"]) == 3
    assert row["sessions"][0] == {
        "date": (TODAY + dt.timedelta(days=30)).isoformat(),
        "starts": "13:00:00",
        "ends": "16:00:00",
        "place": "",
    }
    assert row["teachers"] == [
        {
            "name": "Mette Erfaring",
            "competence": "lived_experience",
            "competence_label": "Erfaringskompetence",
            "organisation": "Recoveryskolen",
        },
        {
            "name": "Jens Fag",
            "competence": "professional",
            "competence_label": "Fagprofessionel",
            "organisation": "Psykiatrisk Center",
        },
    ]
    assert (row["min_participants"], row["max_participants"], row["overbooking"], row["places"]) == (0, 2, 1, 3)
    assert row["counts"] == {"confirmed": 1, "waitlisted": 0, "free": 2}
    assert row["status"] == "planned" and row["status_label"] == "Planlagt"
    assert row["registration_open"] is True and row["registration_reason"] == ""
    assert row["page_url"].endswith(f"/kurser/{course.pk}/")

    # Filter by term.
    only = client.get(f"{API}/courses/", {"term": "efteraar-2026"}).json()
    assert [r["id"] for r in only["results"]] == [later.pk]
    assert client.get(f"{API}/courses/", {"term": "findes-ikke"}).json()["count"] == 0

    # The detail has the same facts; a closed or cancelled course says why.
    detail = client.get(f"{API}/courses/{course.pk}/").json()
    assert detail == row
    services.cancel_course(course, reason="Underviseren er syg")
    detail = client.get(f"{API}/courses/{course.pk}/").json()
    assert detail["status"] == "cancelled" and detail["cancel_reason"] == "Underviseren er syg"
    assert detail["registration_open"] is False and detail["registration_reason"] == "Kurset er aflyst."
    assert "Birgit" not in client.get(f"{API}/courses/{course.pk}/").content.decode()
    missing = client.get(f"{API}/courses/999999/")
    assert missing.status_code == 404 and missing.json()["kode"] == "not_found"


def test_public_api_ignores_a_stale_token(rs):
    make_course(rs)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token udløbet-eller-forkert")
    assert client.get(f"{API}/courses/").status_code == 200


def _fill(course, n):
    for i in range(n):
        Enrolment.objects.create(
            course=course,
            name=f"N{i}",
            email=f"n{i}-{course.pk}@example.invalid",
            roles=["staff"],
            status=Enrolment.Status.CONFIRMED if i < course.places else Enrolment.Status.WAITLISTED,
        )


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.json()


def test_course_list_queries_do_not_grow_with_courses(rs, django_assert_max_num_queries):
    client = APIClient()
    for n in range(1, 4):
        _fill(make_course(rs, number=n, max_participants=3), 5)
    few, data = _queries(client, f"{API}/courses/")
    assert data["count"] == 3
    for n in range(4, 16):
        _fill(make_course(rs, number=n, max_participants=3), 5)
    many, data = _queries(client, f"{API}/courses/")
    assert data["count"] == 15 and all(r["counts"] == {"confirmed": 3, "waitlisted": 2, "free": 0} for r in data["results"])
    assert few == many, (few, many)
    with django_assert_max_num_queries(4):  # count, courses with counts, sessions, teachers
        client.get(f"{API}/courses/")


# --- Public enrolment ---------------------------------------------------------------------


def test_enrol_by_api_confirms_until_full_then_waitlists(rs, django_capture_on_commit_callbacks):
    course = make_course(rs, max_participants=1, overbooking=1)
    # An anonymous JSON client that enforces CSRF like a browser: no token is needed.
    client = APIClient(enforce_csrf_checks=True)
    results = []
    for n in range(3):
        response = enrol(
            client,
            course,
            body(f"deltager{n}@example.invalid", home_partner=rs["a"].pk, roles=["citizen", "relative"]),
            django_capture_on_commit_callbacks,
        )
        assert response.status_code == 201, response.content
        assert response["Cache-Control"] == "no-store"
        results.append(response.json())
    assert [r["status"] for r in results] == ["confirmed", "confirmed", "waitlisted"]
    assert [r["waitlist_position"] for r in results] == [None, None, 1]
    assert results[2]["status_label"] == "På venteliste"
    third = Enrolment.objects.get(token=results[2]["token"])
    assert third.email == "deltager2@example.invalid" and third.home_partner == rs["a"]
    assert third.roles == ["citizen", "relative"] and third.phone == "40 00 00 00"
    assert results[2]["manage_url"].endswith(f"/kurser/tilmelding/{third.token}/")
    # Everyone got the e-mail, as with the page.
    assert sorted(a for m in mail.outbox for a in m.to) == [f"deltager{n}@example.invalid" for n in range(3)]
    counts = APIClient().get(f"{API}/courses/{course.pk}/").json()["counts"]
    assert counts == {"confirmed": 2, "waitlisted": 1, "free": 0}


def test_enrol_errors_are_danish_in_the_error_shape(rs, django_capture_on_commit_callbacks):
    course = make_course(rs)
    elsewhere = Partner.objects.create(school=School.objects.create(name="En anden skole"), name="Fremmed Kommune")
    client = APIClient()

    response = enrol(client, course, {})
    assert response.status_code == 400
    error = response.json()
    assert error["kode"] == "invalid" and error["besked"] == "De indsendte oplysninger er ugyldige."
    assert error["fejl"]["roles"] == ["Vælg mindst én af mulighederne for, hvordan du deltager."]
    assert error["fejl"]["name"] == ["Skriv dit navn."] and error["fejl"]["email"] == ["Skriv din e-mail."]

    error = enrol(client, course, body("kim@example.invalid", roles=[])).json()
    assert error["fejl"] == {"roles": ["Vælg mindst én af mulighederne for, hvordan du deltager."]}
    error = enrol(client, course, body("kim@example.invalid", roles=["astronaut"])).json()
    assert error["fejl"] == {"roles.0": ["Vælg blandt mulighederne på listen."]}
    error = enrol(client, course, body("ikke-en-adresse", phone="ring til mig")).json()
    assert error["fejl"] == {
        "email": ["Skriv en gyldig e-mailadresse, fx navn@eksempel.dk."],
        "phone": ["Skriv telefonnummeret med tal, fx 45 12 34 56."],
    }
    error = enrol(client, course, body("kim@example.invalid", home_partner=elsewhere.pk)).json()
    assert error["fejl"] == {"home_partner": ["Vælg en kommune fra listen."]}
    # The English browser gets Danish too.
    response = client.post(f"{API}/courses/{course.pk}/enrol/", {"name": "Kim"}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["fejl"]["email"] == ["Skriv din e-mail."]
    assert not Enrolment.objects.exists()

    # The same e-mail twice is refused by the service, on the field.
    assert enrol(client, course, body("dobbelt@example.invalid"), django_capture_on_commit_callbacks).status_code == 201
    response = enrol(client, course, body("DOBBELT@example.invalid"), django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert response.json()["fejl"] == {"email": ["Der er allerede en tilmelding med denne e-mail til kurset."]}
    # JSON only: an HTML form post (what a cross-site form could send) is not accepted.
    form = {"name": "Kim", "email": "form@example.invalid", "roles": ["staff"]}
    response = client.post(f"{API}/courses/{course.pk}/enrol/", form)  # multipart, as a form
    assert response.status_code == 415 and response.json()["kode"] == "unsupported_media_type"
    assert Enrolment.objects.count() == 1


def test_closed_registration_is_refused(rs):
    client = APIClient()
    closed = make_course(rs, closes=TODAY - dt.timedelta(days=1))
    response = enrol(client, closed, body("sent@example.invalid"))
    assert response.status_code == 400
    assert response.json()["besked"] == "Tilmeldingsfristen er overskredet."
    assert response.json()["fejl"] == {"non_field_errors": ["Tilmeldingsfristen er overskredet."]}
    not_yet = make_course(rs, opens=TODAY + dt.timedelta(days=3))
    assert enrol(client, not_yet, body("tidlig@example.invalid")).json()["besked"].startswith("Tilmeldingen åbner")
    cancelled = make_course(rs)
    services.cancel_course(cancelled, reason="Aflyst")
    assert enrol(client, cancelled, body("aflyst@example.invalid")).json()["besked"] == "Kurset er aflyst."
    assert enrol(client, Course(pk=999999), body("x@example.invalid")).status_code == 404
    assert not Enrolment.objects.exists()


# --- Partner staff ------------------------------------------------------------------------


@pytest.fixture
def world(org, rs, django_capture_on_commit_callbacks):
    """C's course with a resident of B and one of A; A's own course with a participant from elsewhere."""
    course_c = make_course(rs, owner="c", title="Regionens kursus")
    course_a = make_course(rs, owner="a", title="Albertslunds kursus")
    with django_capture_on_commit_callbacks(execute=True):
        from_b = services.enrol(
            course_c,
            name="Birgit Ballerup",
            email="birgit@example.invalid",
            phone="51 23 45 67",
            home_partner=rs["b"],
            roles=["citizen", "volunteer"],
        )
        from_a = services.enrol(
            course_c,
            name="Anders Albertslund",
            email="anders@example.invalid",
            phone="52 00 00 00",
            home_partner=rs["a"],
            roles=["relative"],
        )
        on_a = services.enrol(course_a, name="Olga Udefra", email="olga@example.invalid", roles=["staff"])
    return {
        "course_c": course_c,
        "course_a": course_a,
        "from_b": from_b,
        "from_a": from_a,
        "on_a": on_a,
        "staff_a": staff_of(org, rs["a"]),
        "staff_b": staff_of(org, rs["b"]),
        "staff_c": staff_of(org, rs["c"]),
        "outsider": make_user(Role.CASEWORKER, org),
    }


def _as(user):
    client = APIClient()
    client.force_login(user)
    return client


def _ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_partner_staff_see_only_the_enrolments_the_policy_allows(world, users):
    w = world
    url = f"{API}/course-enrolments/"
    # The owner of C's course sees all of its participants, with contact data.
    staff_c = _as(w["staff_c"])
    response = staff_c.get(url)
    assert _ids(response) == {w["from_b"].pk, w["from_a"].pk}
    assert response["Cache-Control"] == "no-store"
    birgit = next(r for r in response.json()["results"] if r["id"] == w["from_b"].pk)
    assert birgit["email"] == "birgit@example.invalid" and birgit["phone"] == "51 23 45 67"
    assert birgit["home_partner"] == w["from_b"].home_partner_id and birgit["home_partner_name"] == "Ballerup Kommune"
    assert birgit["roles"] == ["citizen", "volunteer"] and birgit["role_labels"] == ["Patient/borger", "Frivillig"]
    assert birgit["course"] == w["course_c"].pk and birgit["course_title"] == "Regionens kursus"
    assert birgit["course_owner"] == "Region Hovedstaden" and birgit["term"] == "foraar-2026"
    assert birgit["status"] == "confirmed" and birgit["waitlist_position"] is None
    assert "token" not in birgit  # the personal link stays the participant's
    # A: its own course, and its own resident on C's course — never B's resident.
    staff_a = _as(w["staff_a"])
    assert _ids(staff_a.get(url)) == {w["on_a"].pk, w["from_a"].pk}
    assert _ids(staff_a.get(url, {"course": w["course_c"].pk})) == {w["from_a"].pk}
    assert "birgit@example.invalid" not in staff_a.get(url).content.decode()
    assert staff_a.get(f"{url}{w['from_b'].pk}/").status_code == 404
    assert staff_a.get(f"{url}{w['from_a'].pk}/").json()["email"] == "anders@example.invalid"
    # B: only its resident.
    assert _ids(_as(w["staff_b"]).get(url)) == {w["from_b"].pk}
    assert _as(w["staff_b"]).get(f"{url}{w['on_a'].pk}/").status_code == 404
    # Staff of no partner, citizens and managers: an empty list and 404s.
    for user in (w["outsider"], users[Role.CITIZEN], users[Role.MANAGER]):
        client = _as(user)
        assert _ids(client.get(url)) == set(), user.role
        assert client.get(f"{url}{w['from_b'].pk}/").status_code == 404, user.role
    # Anonymous: not logged in.
    anonymous = APIClient()
    assert anonymous.get(url).status_code == 401
    assert anonymous.get(f"{url}{w['from_b'].pk}/").status_code == 401
    # A bad filter is a Danish 400.
    error = staff_c.get(url, {"course": "abc"}).json()
    assert error["fejl"] == {"course": ["Angiv kurset som et heltal (kursets id)."]}


def test_waitlist_position_counts_the_whole_waitlist(org, rs, django_capture_on_commit_callbacks):
    course = make_course(rs, owner="c", max_participants=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.enrol(course, name="Plads", email="p@example.invalid", roles=["staff"])
        services.enrol(course, name="Venter Først", email="v1@example.invalid", roles=["staff"], home_partner=rs["a"])
        second = services.enrol(course, name="Venter Anden", email="v2@example.invalid", roles=["staff"], home_partner=rs["b"])
    # B sees only its resident, but at its true place on the course's waitlist.
    rows = _as(staff_of(org, rs["b"])).get(f"{API}/course-enrolments/").json()["results"]
    assert [(r["id"], r["status"], r["waitlist_position"]) for r in rows] == [(second.pk, "waitlisted", 2)]
    rows = _as(staff_of(org, rs["c"])).get(f"{API}/course-enrolments/", {"course": course.pk}).json()["results"]
    assert [r["waitlist_position"] for r in rows] == [None, 1, 2]


def test_reading_enrolments_is_audited_once_per_request(world):
    w = world
    reads = AuditEvent.objects.filter(action=AuditEvent.Action.READ, object_type__in=["courses.Course", "courses.Enrolment"])
    before = reads.count()
    staff_c = _as(w["staff_c"])
    staff_c.get(f"{API}/course-enrolments/", {"course": w["course_c"].pk})
    assert reads.count() == before + 1
    event = reads.order_by("-id").first()
    assert event.username == w["staff_c"].username and event.channel == "api"
    assert event.object_type == "courses.Course" and event.object_id == str(w["course_c"].pk)
    assert sorted(event.after["enrolments"]) == sorted([w["from_b"].pk, w["from_a"].pk])

    _as(w["staff_b"]).get(f"{API}/course-enrolments/")
    assert reads.count() == before + 2
    event = reads.order_by("-id").first()
    assert event.object_id == "" and event.after["enrolments"] == [w["from_b"].pk]

    staff_c.get(f"{API}/course-enrolments/{w['from_b'].pk}/")
    assert reads.count() == before + 3
    event = reads.order_by("-id").first()
    assert event.object_id == str(w["from_b"].pk) and event.username == w["staff_c"].username
    # Nothing shown, nothing read: an empty list and a refused detail write no row.
    _as(w["outsider"]).get(f"{API}/course-enrolments/")
    _as(w["staff_a"]).get(f"{API}/course-enrolments/{w['from_b'].pk}/")
    assert reads.count() == before + 3


def test_enrolment_list_queries_do_not_grow(org, rs):
    staff = staff_of(org, rs["c"])
    client = _as(staff)
    course = make_course(rs, owner="c", max_participants=3)
    _fill(course, 3)
    few, data = _queries(client, f"{API}/course-enrolments/")
    assert data["count"] == 3
    _fill(make_course(rs, owner="c", max_participants=3), 15)
    many, data = _queries(client, f"{API}/course-enrolments/")
    assert data["count"] == 18
    assert few == many, (few, many)


def test_schema_documents_the_courses_api(users):
    client = APIClient()
    client.force_login(users[Role.CASEWORKER])
    paths = client.get(f"{API}/schema/", {"format": "json"}).json()["paths"]
    for path in ("/api/v1/courses/", "/api/v1/courses/{id}/", "/api/v1/course-enrolments/", "/api/v1/course-enrolments/{id}/"):
        assert "get" in paths[path], path
    enrol_op = paths["/api/v1/courses/{id}/enrol/"]["post"]
    assert list(enrol_op["requestBody"]["content"]) == ["application/json"]
    assert "201" in enrol_op["responses"] and "400" in enrol_op["responses"]
