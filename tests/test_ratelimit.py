"""Abuse protection of the public write endpoints without login (core/ratelimit.py): a
per-client limit on enrolment, cancel and evaluation POSTs and on the public enrolment API,
and a honeypot field that quietly drops robots' submissions. The client's address is never
kept: the cache key holds a keyed hash."""

import logging
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import RequestFactory, override_settings
from django.urls import reverse
from rest_framework import exceptions
from rest_framework.test import APIClient

from samplan.core import ratelimit
from samplan.core.rest.errors import exception_handler
from samplan.courses import evaluation
from samplan.courses.models import Enrolment, EvaluationInvite, EvaluationResponse, Partner, School, Term
from tests.test_course_evaluation import _answers
from tests.test_course_evaluation import make_course as make_ended_course
from tests.test_courses import form_data, make_course

IP = "203.0.113.7"
OTHER_IP = "198.51.100.23"
ENROL_MESSAGE = "Der er kommet for mange tilmeldinger fra din forbindelse på kort tid. Prøv igen senere eller ring til os."


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def rs(db):
    school = School.objects.create(name="Skole på Tværs", email="skole@example.invalid", phone="45 00 00 00")
    partners = {
        key: Partner.objects.create(school=school, name=name, order=n)
        for n, (key, name) in enumerate((("a", "Albertslund Kommune"), ("c", "Region Hovedstaden")))
    }
    term = Term.objects.create(school=school, name="Forår 2026", slug="foraar-2026")
    return {"school": school, "term": term, **partners}


@pytest.fixture
def course(rs):
    return make_course(rs, max_participants=20)


def post_enrol(client, course, email, ip=IP, **extra):
    return client.post(reverse("course-enrol", args=[course.pk]), {**form_data(email), **extra}, REMOTE_ADDR=ip)


def api_enrol(course, email, ip=IP):
    body = {"name": "Kim Deltager", "email": email, "roles": ["citizen"]}
    return APIClient().post(f"/api/v1/courses/{course.pk}/enrol/", body, format="json", REMOTE_ADDR=ip)


# --- The limit on the pages ---------------------------------------------------------------


@override_settings(SAMPLAN_PUBLIC_POSTS_PER_HOUR=3)
def test_fourth_enrolment_from_one_address_is_refused_and_another_address_is_not(
    client, course, django_capture_on_commit_callbacks, caplog
):
    caplog.set_level(logging.INFO)
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            assert post_enrol(client, course, f"kim{n}@example.invalid").status_code == 302
    sent = len(mail.outbox)
    assert Enrolment.objects.count() == 3 and sent == 3

    with django_capture_on_commit_callbacks(execute=True):
        refused = post_enrol(client, course, "kim3@example.invalid")
    assert refused.status_code == 429
    html = refused.content.decode()
    assert ENROL_MESSAGE in html
    assert f'href="{reverse("course-detail", args=[course.pk])}#tilmelding"' in html  # a way back to the form
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert "style=" not in html
    assert Enrolment.objects.count() == 3 and len(mail.outbox) == sent  # nothing made, nothing sent

    with django_capture_on_commit_callbacks(execute=True):
        assert post_enrol(client, course, "other@example.invalid", ip=OTHER_IP).status_code == 302
    assert Enrolment.objects.filter(email="other@example.invalid").exists()
    assert "ratelimit refused scope=enrol" in caplog.text
    assert IP not in caplog.text  # the address is never logged


@override_settings(SAMPLAN_PUBLIC_POSTS_PER_HOUR=1)
def test_gets_are_never_counted(client, course, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = Enrolment.objects.get(token=_token_of(post_enrol(client, course, "kim@example.invalid", ip=OTHER_IP)))
    manage = reverse("enrolment-manage", args=[enrolment.token])
    for _ in range(5):
        assert client.get(reverse("course-detail", args=[course.pk]), REMOTE_ADDR=IP).status_code == 200
        assert client.get(reverse("course-list"), REMOTE_ADDR=IP).status_code == 200
        assert client.get(manage, REMOTE_ADDR=IP).status_code == 200
        assert APIClient().get(f"/api/v1/courses/{course.pk}/", REMOTE_ADDR=IP).status_code == 200
    assert post_enrol(client, course, "kim2@example.invalid").status_code == 302  # the first POST is still free


def _token_of(response):
    assert response.status_code == 302, response.content.decode()[:500]
    return re.search(r"/kurser/tilmelding/([0-9a-f-]{36})/", response["Location"]).group(1)


@override_settings(SAMPLAN_PUBLIC_POSTS_PER_HOUR=1)
def test_the_personal_links_cancel_is_limited(client, course, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = Enrolment.objects.get(token=_token_of(post_enrol(client, course, "a@example.invalid", ip=OTHER_IP)))
        second = services_enrol(course, "b@example.invalid")
        response = client.post(reverse("enrolment-manage", args=[first.token]), {"action": "cancel"}, REMOTE_ADDR=IP)
        assert response.status_code == 302
        refused = client.post(reverse("enrolment-manage", args=[second.token]), {"action": "cancel"}, REMOTE_ADDR=IP)
    assert refused.status_code == 429
    assert "for mange afmeldinger" in refused.content.decode()
    assert f'href="{reverse("enrolment-manage", args=[second.token])}"' in refused.content.decode()
    assert "no-cache" in refused["Cache-Control"]  # still a personal page
    second.refresh_from_db()
    assert second.status == Enrolment.Status.CONFIRMED


def services_enrol(course, email):
    from samplan.courses import services

    return services.enrol(course, name="Kim", email=email, roles=["citizen"])


@override_settings(SAMPLAN_PUBLIC_POSTS_PER_HOUR=1)
def test_evaluation_answers_are_limited(client, school, partners, django_capture_on_commit_callbacks):
    ended = make_ended_course(school, partners, days_from_today=-1)
    with django_capture_on_commit_callbacks(execute=True):
        evaluation.send_evaluations(ended)
    first, second = EvaluationInvite.objects.filter(enrolment__course=ended).order_by("pk")[:2]
    assert client.post(reverse("evaluation-answer", args=[first.token]), _answers(partners), REMOTE_ADDR=IP).status_code == 200
    refused = client.post(reverse("evaluation-answer", args=[second.token]), _answers(partners), REMOTE_ADDR=IP)
    assert refused.status_code == 429
    assert "for mange svar" in refused.content.decode()
    assert EvaluationResponse.objects.count() == 1
    # Each form counts on its own: the same address is not refused elsewhere.
    assert (
        client.post(reverse("course-enrol", args=[ended.pk]), form_data("x@example.invalid"), REMOTE_ADDR=IP).status_code != 429
    )


@override_settings(SAMPLAN_PUBLIC_POSTS_PER_HOUR=2)
def test_a_forged_forwarded_for_does_not_escape_the_limit(client, course):
    for n in range(2):
        assert (
            client.post(
                reverse("course-enrol", args=[course.pk]),
                form_data(f"k{n}@example.invalid"),
                REMOTE_ADDR=IP,
                HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",
            ).status_code
            == 302
        )
    assert (
        client.post(
            reverse("course-enrol", args=[course.pk]),
            form_data("k9@example.invalid"),
            REMOTE_ADDR=IP,
            HTTP_X_FORWARDED_FOR="10.0.0.99",
        ).status_code
        == 429
    )


def test_client_address_behind_trusted_proxies():
    factory = RequestFactory()
    request = factory.post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"1.2.3.4, {IP}")
    with override_settings(SAMPLAN_TRUSTED_PROXY_COUNT=0):
        assert ratelimit.client_ip(request) == "10.0.0.1"  # the header is ignored
    with override_settings(SAMPLAN_TRUSTED_PROXY_COUNT=1):
        assert ratelimit.client_ip(request) == IP  # what our proxy saw, not the client's own claim
    with override_settings(SAMPLAN_TRUSTED_PROXY_COUNT=2):
        assert ratelimit.client_ip(request) == "1.2.3.4"
    with override_settings(SAMPLAN_TRUSTED_PROXY_COUNT=1):
        garbage = factory.post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="nonsense")
        assert ratelimit.client_ip(garbage) == "10.0.0.1"
    # IPv6 counts per /64: one subscriber cannot rotate through their own network.
    a = factory.post("/", REMOTE_ADDR="2001:db8:1:2::1")
    b = factory.post("/", REMOTE_ADDR="2001:db8:1:2:ffff::9")
    assert ratelimit.client_ip(a) == ratelimit.client_ip(b) == "2001:db8:1:2::/64"


# --- The public API --------------------------------------------------------------------------


@override_settings(SAMPLAN_PUBLIC_POSTS_PER_HOUR=2)
def test_api_enrol_gets_a_json_429_in_the_error_shape(course, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert api_enrol(course, "a@example.invalid").status_code == 201
        assert api_enrol(course, "b@example.invalid").status_code == 201
    sent = len(mail.outbox)
    assert sent == 2
    with django_capture_on_commit_callbacks(execute=True):
        refused = api_enrol(course, "c@example.invalid")
    assert refused.status_code == 429
    assert refused["Content-Type"].startswith("application/json")
    assert refused.json() == {"kode": "throttled", "besked": ENROL_MESSAGE, "fejl": {}, "fejlkoder": {}}
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert Enrolment.objects.count() == 2 and len(mail.outbox) == sent
    assert APIClient().get("/api/v1/courses/", REMOTE_ADDR=IP).status_code == 200  # reads are not limited
    assert api_enrol(course, "d@example.invalid", ip=OTHER_IP).status_code == 201


@override_settings(SAMPLAN_PUBLIC_POSTS_PER_HOUR=2)
def test_page_and_api_share_the_enrolment_counter(client, course):
    assert post_enrol(client, course, "a@example.invalid").status_code == 302
    assert api_enrol(course, "b@example.invalid").status_code == 201
    assert api_enrol(course, "c@example.invalid").status_code == 429
    assert post_enrol(client, course, "d@example.invalid").status_code == 429


def test_drf_throttles_answer_in_danish():
    response = exception_handler(exceptions.Throttled(wait=90), {"view": None, "request": None})
    assert response.status_code == 429 and response["Retry-After"] == "90"
    assert response.data == {
        "kode": "throttled",
        "besked": "For mange forespørgsler på kort tid. Prøv igen om 2 minutter.",
        "fejl": {},
        "fejlkoder": {},
    }


# --- The honeypot ---------------------------------------------------------------------------


def test_the_honeypot_is_hidden_from_everyone(client, course):
    html = client.get(reverse("course-detail", args=[course.pk])).content.decode()
    box = re.search(r'<div class="d-none">(.*?)</div>\s*</div>', html, re.S)
    assert box, "the honeypot sits in a d-none box (display: none for screen readers too)"
    assert 'name="website"' in box.group(1) and 'for="id_website"' in box.group(1)
    assert "Udfyld ikke dette felt" in box.group(1)
    assert 'tabindex="-1"' in box.group(1) and 'autocomplete="off"' in box.group(1)
    assert html.count('name="website"') == 1
    assert "style=" not in html


def test_a_filled_honeypot_drops_the_enrolment_quietly(client, course, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_enrol(client, course, "robot@example.invalid", website="https://spam.example")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tak for din tilmelding" in html
    for telltale in ("Udfyld ikke", "website", "form-error", "robot", "spam"):
        assert telltale not in html, telltale
    assert not Enrolment.objects.exists()
    assert mail.outbox == []
    # An empty honeypot is an ordinary enrolment.
    with django_capture_on_commit_callbacks(execute=True):
        assert post_enrol(client, course, "kim@example.invalid", website="").status_code == 302
    assert Enrolment.objects.count() == 1 and len(mail.outbox) == 1


def test_a_filled_honeypot_drops_the_evaluation_answer_quietly(client, school, partners, django_capture_on_commit_callbacks):
    ended = make_ended_course(school, partners, days_from_today=-1)
    with django_capture_on_commit_callbacks(execute=True):
        evaluation.send_evaluations(ended)
    invite = EvaluationInvite.objects.filter(enrolment__course=ended).order_by("pk").first()
    url = reverse("evaluation-answer", args=[invite.token])
    page = client.get(url).content.decode()
    assert re.search(r'<div class="d-none">.*?name="website".*?</div>', page, re.S)
    response = client.post(url, _answers(partners, website="https://spam.example"))
    assert response.status_code == 200 and "Tak for dine svar" in response.content.decode()
    assert "Udfyld ikke" not in response.content.decode()
    assert not EvaluationResponse.objects.exists()
    invite.refresh_from_db()
    assert invite.answered_at is None
    # The real participant can still answer; the honeypot is never part of the answers.
    assert client.post(url, _answers(partners)).status_code == 200
    assert "website" not in EvaluationResponse.objects.get().answers


# --- No address is kept ---------------------------------------------------------------------


def test_the_cache_key_holds_no_address(client, course):
    key = ratelimit.cache_key("enrol", IP, 123)
    assert IP not in key and "203" not in key and key.startswith("ratelimit:enrol:123:")
    assert key != ratelimit.cache_key("enrol", OTHER_IP, 123) != ratelimit.cache_key("evaluation", IP, 123)

    post_enrol(client, course, "kim@example.invalid")
    api_enrol(course, "kim2@example.invalid")
    keys = [k for k in cache._cache if "ratelimit" in k]  # LocMemCache's stored keys (the test cache)
    assert keys
    for stored in keys:
        assert IP not in stored and IP.replace(".", "") not in stored


def test_a_broken_cache_lets_people_enrol(client, course, monkeypatch):
    class BrokenCache:
        def add(self, *args, **kwargs):
            raise ConnectionError("cache down")

    monkeypatch.setattr(ratelimit, "cache", BrokenCache())
    with override_settings(SAMPLAN_PUBLIC_POSTS_PER_HOUR=1):
        for n in range(3):
            assert post_enrol(client, course, f"k{n}@example.invalid").status_code == 302
