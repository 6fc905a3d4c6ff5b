"""The course evaluation: personal links sent once after the last session, answered without
login on an accessible form, one anonymous answer per link, free text never logged."""

import datetime as dt
import io
import logging
import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from samplan.courses import evaluation
from samplan.courses.models import Course, Enrolment, EvaluationInvite, EvaluationResponse, Session, Term


def make_course(school, partners, *, days_from_today: int, number=1, slug="foraar"):
    term = Term.objects.get_or_create(slug=slug, defaults={"school": school, "name": "Forår"})[0]
    course = Course.objects.create(
        term=term,
        number=number,
        title="Styr livet",
        owner=partners["Lyngby-Taarbæk"],
        place="Fuglevad Mølle",
        max_participants=10,
    )
    last = timezone.localdate() + dt.timedelta(days=days_from_today)
    Session.objects.create(course=course, date=last - dt.timedelta(days=7), starts=dt.time(10), ends=dt.time(15))
    Session.objects.create(course=course, date=last, starts=dt.time(10), ends=dt.time(15))
    for i, status in enumerate(["confirmed", "confirmed", "waitlisted", "cancelled"]):
        Enrolment.objects.create(
            course=course,
            name=f"Deltager {i}",
            email=f"deltager{i}@example.invalid",
            home_partner=partners["Gentofte"],
            roles=["citizen"],
            status=status,
            confirmed_at=timezone.now() if status == "confirmed" else None,
        )
    return course


@pytest.fixture
def ended(school, partners):
    return make_course(school, partners, days_from_today=-1)


@pytest.fixture
def invite(ended, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        evaluation.send_evaluations(ended)
    return EvaluationInvite.objects.filter(enrolment__course=ended).order_by("pk").first()


def _run_command(capture):
    with capture(execute=True):
        call_command("send_course_evaluations", stdout=io.StringIO())


def test_links_are_sent_once_after_the_last_session(school, partners, ended, django_capture_on_commit_callbacks):
    upcoming = make_course(school, partners, days_from_today=3, number=2)
    cancelled = make_course(school, partners, days_from_today=-2, number=3)
    cancelled.status = Course.Status.CANCELLED
    cancelled.save()
    _run_command(django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mail.outbox) == ["deltager0@example.invalid", "deltager1@example.invalid"]
    ended.refresh_from_db()
    assert ended.evaluation_sent_at is not None
    assert EvaluationInvite.objects.count() == 2  # confirmed only; not the waitlist, not the upcoming course
    message = mail.outbox[0]
    invite = EvaluationInvite.objects.get(enrolment__email=message.to[0])
    assert settings.SAMPLAN_BASE_URL + reverse("evaluation-answer", args=[invite.token]) in message.body
    assert "Styr livet" in message.subject and "anonyme" in message.body
    mail.outbox.clear()
    _run_command(django_capture_on_commit_callbacks)
    assert mail.outbox == [] and EvaluationInvite.objects.count() == 2
    assert evaluation.send_evaluations(ended) == 0
    with pytest.raises(ValidationError):
        evaluation.send_evaluations(upcoming)
    with pytest.raises(ValidationError):
        evaluation.send_evaluations(cancelled)


def test_course_ends_with_the_last_sessions_end_time(school, partners):
    course = make_course(school, partners, days_from_today=0)
    last = timezone.localdate()
    tz = timezone.get_current_timezone()
    assert not evaluation.course_ended(course, dt.datetime.combine(last, dt.time(14, 59), tzinfo=tz))
    assert evaluation.course_ended(course, dt.datetime.combine(last, dt.time(15), tzinfo=tz))


def test_answer_page_is_an_accessible_form_without_login(client, invite):
    response = client.get(reverse("evaluation-answer", args=[invite.token]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kursus 1: Styr livet" in html  # which course: filled in from the link
    assert html.count("<fieldset") >= 7  # roles, home, 2 × ja/nej, 3 outcome items
    for text in (
        "Jeg deltager som",
        "Hvad er din bopælskommune?",
        "Region Hovedstadens Psykiatri",
        "Anden kommune",
        "Samspillet med andre kursister",
        "Forståelse og færdigheder",
        "Forandringer i mit liv",
        "I meget lav grad",
        "I nogen grad",
        "I meget høj grad",
        "Hvad motiverede dig til at deltage?",
        "Hvordan fik du kendskab til kurset?",
        "Modtager du behandling i Region Hovedstadens Psykiatri?",
    ):
        assert text in html, text
    assert 'class="form-checkbox"' in html and 'class="form-radio"' in html  # DKFDS draws the boxes
    assert 'aria-describedby="id_other_offers_which_helptext"' in html and 'id="id_other_offers_which_helptext"' in html
    # Every radio and checkbox has a label.
    for input_id in re.findall(r'<input type="(?:radio|checkbox)"[^>]* id="([^"]+)"', html):
        assert f'for="{input_id}"' in html, input_id
    assert "style=" not in html


def _answers(partners, **extra):
    data = {
        "roles": ["citizen", "relative"],
        "home": str(partners["Gentofte"].pk),
        "other_offers": "yes",
        "other_offers_which": "Gå-gruppe",
        "rhp_treatment": "no",
        "motivation": "Møde andre",
        "heard_of": "En folder på biblioteket",
        "outcome_interaction": "high",
        "outcome_understanding": "very_high",
        "outcome_change": "some",
    }
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


def test_bad_answer_keeps_the_data_and_says_what_is_missing(client, invite, partners):
    url = reverse("evaluation-answer", args=[invite.token])
    response = client.post(
        url, _answers(partners, outcome_change=None, rhp_treatment="maybe", motivation="Jeg ville gerne lære noget nyt")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Vælg et svar ved »Forandringer i mit liv«." in html
    assert "Vælg et af svarene ved »Modtager du behandling i Region Hovedstadens Psykiatri?«." in html
    assert "Jeg ville gerne lære noget nyt" in html  # the typed text is kept
    assert re.search(r'value="relative"[^>]*checked', html)  # and the ticks
    assert re.search(r'value="very_high"[^>]*checked', html)
    assert not EvaluationResponse.objects.exists()
    invite.refresh_from_db()
    assert invite.answered_at is None

    assert client.post(url, {}).status_code == 400  # an empty form is refused, not an error
    response = client.post(url, _answers(partners, roles=[], motivation="x" * (evaluation.MAX_TEXT + 1)))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Vælg mindst én af mulighederne ved »Jeg deltager som«." in html
    assert f"Svaret ved »Hvad motiverede dig til at deltage?« må højst være {evaluation.MAX_TEXT} tegn." in html


def test_one_anonymous_answer_per_link(client, invite, partners):
    url = reverse("evaluation-answer", args=[invite.token])
    response = client.post(url, _answers(partners))
    assert response.status_code == 200 and "Tak for dine svar" in response.content.decode()
    response = EvaluationResponse.objects.get()
    assert response.course == invite.enrolment.course
    assert response.answers["version"] == evaluation.VERSION
    assert response.answers["roles"] == ["citizen", "relative"] and response.answers["outcome_change"] == "some"
    assert response.answers["other_offers_which"] == "Gå-gruppe"
    text = str(response.answers)
    assert invite.enrolment.name not in text and invite.enrolment.email not in text  # not linked to the person
    invite.refresh_from_db()
    answered = timezone.localtime(invite.answered_at)
    assert (answered.hour, answered.minute, answered.second) == (0, 0, 0)  # the day only, not the time
    again = client.get(url)
    assert "Tak, du har allerede svaret" in again.content.decode()
    client.post(url, _answers(partners, motivation="Andet svar"))
    assert EvaluationResponse.objects.count() == 1
    with pytest.raises(evaluation.AlreadyAnswered):
        evaluation.submit(invite, _answers(partners))


def test_which_offers_only_counts_after_yes(invite, partners):
    evaluation.submit(invite, _answers(partners, other_offers="no", other_offers_which="Café"))
    assert "other_offers_which" not in EvaluationResponse.objects.get().answers


def test_unknown_link_is_404(client, db):
    import uuid

    assert client.get(reverse("evaluation-answer", args=[uuid.uuid4()])).status_code == 404


def test_free_text_is_not_logged(client, invite, partners, caplog):
    secret = "Hemmelig fritekst om min behandling"
    url = reverse("evaluation-answer", args=[invite.token])
    with caplog.at_level(logging.DEBUG):
        client.post(url, _answers(partners, roles=[], motivation=secret))  # refused (400 is logged by Django)
        client.post(url, _answers(partners, heard_of=secret))
    assert EvaluationResponse.objects.count() == 1
    assert caplog.records  # something was logged (the bad request) …
    assert secret not in caplog.text  # … but never the free text


def test_questionnaire_item_keys_are_stable():
    assert [i.key for i in evaluation.ITEMS[1]] == [
        "course",
        "roles",
        "home",
        "other_offers",
        "other_offers_which",
        "rhp_treatment",
        "motivation",
        "heard_of",
        "outcome_interaction",
        "outcome_understanding",
        "outcome_change",
    ]
    assert [v for v, _ in evaluation.SCALE_CHOICES] == ["very_low", "low", "some", "high", "very_high"]
