"""The term's brochure as a public PDF, and the reminder to the course owners five weeks
(35 days) before the first course starts — once per term and partner."""

import datetime as dt
import io

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from samplan.core.models import Role
from samplan.courses import brochure
from samplan.courses.models import BrochureReminder, Course, Session, Teacher, Term
from tests.factories import make_user


def make_term(school, partners, first: dt.date, slug="foraar-2019"):
    term = Term.objects.create(school=school, name="Forår 2019", slug=slug)
    velvaere = Course.objects.create(
        term=term,
        number=1,
        title="Mentalt velvære",
        subtitle="Velvære i hverdagen",
        owner=partners["Rudersdal"],
        description="Få øget viden og indsigt.",
        topics="Mestring i hverdagen\nNye roller og historier",
        place="Aktivitets- og Kompetencecentret",
        address="Rønnebærvej 19, 2840 Holte",
        max_participants=12,
    )
    for i in range(3):
        Session.objects.create(course=velvaere, date=first + dt.timedelta(days=7 * i), starts=dt.time(13), ends=dt.time(15))
    Teacher.objects.create(
        course=velvaere, name="A", competence=Teacher.Competence.LIVED_EXPERIENCE, organisation="Rudersdal Kommune"
    )
    Teacher.objects.create(
        course=velvaere, name="B", competence=Teacher.Competence.PROFESSIONAL, organisation="Rudersdal Kommune"
    )
    styr = Course.objects.create(
        term=term,
        number=3,
        title="Styr livet",
        owner=partners["Lyngby-Taarbæk"],
        place="Fuglevad Mølle",
        address="Møllevej 4, Lyngby",
        max_participants=20,
        description="Personcentreret planlægning.",
    )
    Session.objects.create(course=styr, date=first + dt.timedelta(days=16), starts=dt.time(10), ends=dt.time(15))
    return term, velvaere, styr


def _text(pdf_bytes) -> str:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(pdf_bytes)
    return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))


def test_brochure_is_a_public_pdf_with_every_course(client, school, partners):
    term, velvaere, styr = make_term(school, partners, dt.date(2019, 2, 12))
    cancelled = Course.objects.create(
        term=term,
        number=9,
        title="Aflyst kursus",
        owner=partners["RHP"],
        place="X",
        max_participants=5,
        status=Course.Status.CANCELLED,
    )
    response = client.get(reverse("course-brochure", args=[term.slug]))  # anonymous
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = _text(response.content)
    for expected in (
        "Mentalt velvære",
        "Styr livet",
        "Tirsdag 12. februar",
        "Tirsdag 26. februar",
        "Torsdag 28. februar",
        "13.00 – 15.00",
        "Rønnebærvej 19, 2840 Holte",
        "Kurserne er gratis",
        "Erfaringskompetence",
        "Fagprofessionel",
        "kontakt@skole.example.invalid",
        "24 98 38 88",
        "Kursusnummer og -navn",
        "Telefonnummer",
        "Din kommune",
        "Kurset består af 3 gange på hver 2 timer",
        "Gladsaxe, Gentofte, Rudersdal eller Lyngby-Taarbæk Kommune",
        "Region Hovedstadens Psykiatri",
        settings.SAMPLAN_BASE_URL + reverse("course-detail", args=[velvaere.pk]),
    ):
        assert expected in text, expected
    assert cancelled.title not in text
    # Served again from the cache while nothing changes; a change shows up at once.
    assert client.get(reverse("course-brochure", args=[term.slug])).content == response.content
    styr.title = "Styr livet med personcentreret planlægning"
    styr.save()
    assert "personcentreret planlægning" in _text(client.get(reverse("course-brochure", args=[term.slug])).content)


def test_brochure_of_unknown_term_is_404(client, db):
    assert client.get(reverse("course-brochure", args=["findes-ikke"])).status_code == 404


def test_duration_and_who_may_participate(partners):
    assert brochure.who_may_participate(partners.values()) == (
        "Patient/borger, medarbejder, leder, pårørende eller frivillig i enten Gladsaxe, Gentofte, Rudersdal eller "
        "Lyngby-Taarbæk Kommune eller i Region Hovedstadens Psykiatri."
    )
    assert brochure.who_may_participate([partners["Gentofte"]]).endswith("frivillig i Gentofte Kommune.")
    assert brochure.duration_text(dt.time(10), dt.time(12, 30)) == "2½ time"
    assert brochure.duration_text(dt.time(10), dt.time(15)) == "5 timer"
    assert brochure.duration_text(dt.time(10), dt.time(11)) == "1 time"


@pytest.fixture
def members(org, partners):
    """Two staff of Lyngby-Taarbæk (one without e-mail) and one of Rudersdal; Gentofte owns no course."""
    with_mail = make_user(Role.PROVIDER_STAFF, org)
    with_mail.email = "ltk@example.invalid"
    with_mail.save()
    no_mail = make_user(Role.PROVIDER_STAFF, org)
    rudersdal = make_user(Role.COORDINATOR, org)
    rudersdal.email = "rudersdal@example.invalid"
    rudersdal.save()
    gentofte = make_user(Role.PROVIDER_STAFF, org)
    gentofte.email = "gentofte@example.invalid"
    gentofte.save()
    partners["Lyngby-Taarbæk"].members.add(with_mail, no_mail)
    partners["Rudersdal"].members.add(rudersdal)
    partners["Gentofte"].members.add(gentofte)
    return with_mail, rudersdal


def test_reminder_five_weeks_before_the_first_course(school, partners, members, django_capture_on_commit_callbacks):
    today = dt.date(2030, 1, 1)
    term, _, _ = make_term(school, partners, today + dt.timedelta(days=36))
    assert brochure.due_brochure_reminders(today) == []
    with django_capture_on_commit_callbacks(execute=True):
        assert brochure.send_brochure_reminders(today) == []
    assert mail.outbox == []

    first = today + dt.timedelta(days=35)
    Session.objects.filter(course__term=term).update(date=first)  # the first session now exactly 35 days away
    due = brochure.due_brochure_reminders(today)
    assert sorted((t.slug, p.short_name, d) for t, p, d in due) == [
        (term.slug, "Lyngby-Taarbæk", first),
        (term.slug, "Rudersdal", first),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        sent = brochure.send_brochure_reminders(today)
    assert len(sent) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["ltk@example.invalid", "rudersdal@example.invalid"]
    message = next(m for m in mail.outbox if m.to == ["ltk@example.invalid"])
    assert settings.SAMPLAN_BASE_URL + reverse("course-brochure", args=[term.slug]) in message.body
    assert "Styr livet" in message.body and "Mentalt velvære" not in message.body  # the partner's own courses
    assert first.strftime("%d.%m.%Y") in message.body
    assert BrochureReminder.objects.filter(term=term).count() == 2

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert brochure.send_brochure_reminders(today + dt.timedelta(days=1)) == []  # never twice
    assert mail.outbox == []


def test_no_reminder_once_the_term_has_started_or_without_recipients(school, partners, django_capture_on_commit_callbacks):
    today = dt.date(2030, 1, 1)
    make_term(school, partners, today)  # starts today: not in the future
    assert brochure.due_brochure_reminders(today) == []
    make_term(school, partners, today + dt.timedelta(days=10), slug="senere")
    assert len(brochure.due_brochure_reminders(today)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert brochure.send_brochure_reminders(today) == []  # nobody to write to: not marked, tried again later
    assert not BrochureReminder.objects.exists()


def test_reminder_command(school, partners, members, django_capture_on_commit_callbacks):
    make_term(school, partners, timezone.localdate() + dt.timedelta(days=20))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_brochure_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == 2
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_brochure_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == 2
