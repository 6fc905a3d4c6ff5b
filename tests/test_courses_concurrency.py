"""Two people ask for the last free place at the same moment: exactly one gets it, the other
is waitlisted. Real concurrent transactions on PostgreSQL, each thread with its own
connection; services.enrol locks the course row (SELECT … FOR UPDATE) for the count and the
insert. Without that lock both transactions count the same free place (READ COMMITTED)
and the course is oversold — this test then fails."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from samplan.courses import services
from samplan.courses.models import Course, Enrolment, Partner, School, Session, Term

ROUNDS = 5

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs real concurrent transactions with row locks (PostgreSQL); SQLite serialises all writers anyway",
    ),
    pytest.mark.django_db(transaction=True),
]


def _course(n: int) -> Course:
    school = School.objects.get_or_create(name="Skole på Tværs")[0]
    owner = Partner.objects.get_or_create(school=school, name="Region Hovedstaden")[0]
    term = Term.objects.get_or_create(school=school, slug="samtidig", defaults={"name": "Samtidig"})[0]
    course = Course.objects.create(
        term=term, number=n, title=f"Sidste plads {n}", owner=owner, place="Kulturhuset", max_participants=2, overbooking=1
    )
    Session.objects.create(course=course, date=timezone.localdate() + dt.timedelta(days=20), starts=dt.time(10), ends=dt.time(12))
    # Two of the three places are taken: exactly one is free.
    now = timezone.now()
    for i in range(2):
        Enrolment.objects.create(
            course=course,
            name=f"Før {i}",
            email=f"foer{i}-{n}@example.invalid",
            roles=["citizen"],
            status=Enrolment.Status.CONFIRMED,
            confirmed_at=now,
        )
    return course


def _race(course: Course) -> tuple[list[Enrolment], list[BaseException]]:
    barrier = threading.Barrier(2, timeout=30)
    results: list[Enrolment] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker(i: int) -> None:
        try:
            barrier.wait()  # both threads call enrol at the same moment
            enrolment = services.enrol(
                Course.objects.get(pk=course.pk),
                name=f"Samtidig {i}",
                email=f"samtidig{i}-{course.pk}@example.invalid",
                roles=["citizen"],
            )
            with lock:
                results.append(enrolment)
        except BaseException as error:  # noqa: BLE001 - reported by the test below
            with lock:
                errors.append(error)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not any(t.is_alive() for t in threads), "an enrolment thread hung"
    return results, errors


def test_two_people_asking_for_the_last_place_at_once_get_one_place_and_one_waitlist():
    for n in range(1, ROUNDS + 1):
        course = _course(n)
        results, errors = _race(course)
        assert not errors, errors
        assert sorted(e.status for e in results) == [Enrolment.Status.CONFIRMED, Enrolment.Status.WAITLISTED], f"round {n}"
        confirmed = Enrolment.objects.filter(course=course, status=Enrolment.Status.CONFIRMED).count()
        assert confirmed == course.places, f"round {n}: {confirmed} confirmed for {course.places} places"
