"""E-mails of the recovery school (enrolment, evaluation invite, brochure reminder), sent by
the database task worker after the change commits."""

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.utils.formats import date_format, time_format

from samplan.core.urls_util import absolute_url

from . import ics
from .models import BrochureReminder, Enrolment, EvaluationInvite


def signature(school) -> list[str]:
    """The closing lines of every e-mail from the school."""
    lines = ["", "Venlig hilsen", school.name]
    if school.phone:
        lines.append(f"Tlf. {school.phone}")
    return lines


def _dates(course) -> list[str]:
    return [
        f"  {date_format(s.date, 'SHORT_DATE_FORMAT')} kl. {time_format(s.starts)}–{time_format(s.ends)}"
        for s in course.sessions.all()
    ]


def enrolment_link(enrolment) -> str:
    return absolute_url("enrolment-manage", enrolment.token)


def build_enrolment_mail(enrolment: Enrolment, event: str) -> EmailMessage:
    course = enrolment.course
    school = course.term.school
    title = f"kursus {course.number}: {course.title}"
    body = [f"Kære {enrolment.name}", ""]
    attach = None
    if event == "confirmed":
        subject = f"Du er tilmeldt {title}"
        body += [
            f"Tak for din tilmelding. Du har fået en plads på {title}.",
            "",
            "Kursusgange:",
            *_dates(course),
            "",
            f"Sted: {course.place}{', ' + course.address if course.address else ''}",
            "",
            "Kalenderfilen med alle kursusgange er vedhæftet.",
        ]
        attach = "PUBLISH"
    elif event == "promoted":
        subject = f"Du har fået en plads på {title}"
        body += [
            f"Der er blevet en plads ledig, og du er rykket fra ventelisten ind på {title}.",
            "",
            "Kursusgange:",
            *_dates(course),
            "",
            "Kalenderfilen med alle kursusgange er vedhæftet.",
        ]
        attach = "PUBLISH"
    elif event == "waitlisted":
        subject = f"Du er på venteliste til {title}"
        body += [
            f"Kurset er fuldt, så du er skrevet på ventelisten til {title}.",
            "Bliver der en plads ledig, får du den automatisk i den rækkefølge, I er tilmeldt, og du får besked.",
        ]
    elif event == "cancelled":
        subject = f"Du er afmeldt {title}"
        body += [f"Du er nu afmeldt {title}."]
        if enrolment.confirmed_at:
            attach = "CANCEL"
    elif event == "course_cancelled":
        subject = f"{title[0].upper()}{title[1:]} er aflyst"
        body += [f"Vi må desværre aflyse {title}.", f"Begrundelse: {course.cancel_reason}"]
        if enrolment.confirmed_at:
            attach = "CANCEL"
    else:
        raise ValueError(event)
    if event not in ("cancelled", "course_cancelled"):
        body += ["", f"Se eller afmeld din tilmelding her: {enrolment_link(enrolment)}"]
    body += ["", "Kurserne er gratis og kræver ikke visitation.", *signature(school)]
    message = EmailMessage(subject, "\n".join(body), settings.DEFAULT_FROM_EMAIL, [enrolment.email])
    if attach:
        message.attach("kursus.ics", ics.build(course, attach), f"text/calendar; method={attach}")
    return message


@task()
def send_enrolment_mail(enrolment_id: int, event: str) -> bool:
    enrolment = Enrolment.objects.select_related("course__term__school").filter(pk=enrolment_id).first()
    if enrolment is None:
        return False
    build_enrolment_mail(enrolment, event).send()
    return True


# --- Evaluation and brochure reminder ------------------------------------------------------


def evaluation_link(invite: EvaluationInvite) -> str:
    return absolute_url("evaluation-answer", invite.token)


def brochure_link(term) -> str:
    return absolute_url("course-brochure", term.slug)


def build_evaluation_mail(invite: EvaluationInvite) -> EmailMessage:
    enrolment = invite.enrolment
    course = enrolment.course
    school = course.term.school
    title = f"kursus {course.number}: {course.title}"
    body = [
        f"Kære {enrolment.name}",
        "",
        f"Tak fordi du deltog på {title}.",
        "Vi vil gerne høre, hvad du fik ud af kurset. Det tager omkring fem minutter at svare.",
        "",
        f"Svar her: {evaluation_link(invite)}",
        "",
        "Dine svar er anonyme: de gemmes uden dit navn og din e-mail, og ingen kan se, hvad du har svaret.",
        "Linket er personligt og kan bruges én gang.",
        *signature(school),
    ]
    return EmailMessage(f"Hvordan var {title}?", "\n".join(body), settings.DEFAULT_FROM_EMAIL, [enrolment.email])


@task()
def send_evaluation_invite(invite_id: int) -> bool:
    invite = (
        EvaluationInvite.objects.select_related("enrolment__course__term__school")
        .filter(pk=invite_id, answered_at__isnull=True)
        .first()
    )
    if invite is None:
        return False
    build_evaluation_mail(invite).send()
    return True


def build_brochure_reminders(reminder: BrochureReminder, first_date, recipients) -> list[EmailMessage]:
    term, partner = reminder.term, reminder.partner
    courses = [c for c in term.courses.all() if c.owner_id == partner.pk and c.status == c.Status.PLANNED]
    lines = [f"  Kursus {c.number}: {c.title}" for c in courses]
    messages = []
    for user in recipients:
        body = [
            f"Kære {user.get_full_name() or user.username}",
            "",
            f"Det første kursus i {term.name} starter {date_format(first_date, 'SHORT_DATE_FORMAT')}, om cirka fem uger.",
            "Kursusfolderen er klar. Se den igennem, og del den med borgere, pårørende, medarbejdere og frivillige:",
            brochure_link(term),
            "",
            f"{partner.name} er kursusansvarlig for:",
            *lines,
            "",
            "Er der fejl i datoer, sted eller beskrivelse, så ret kurset i kursusadministrationen.",
            *signature(term.school),
        ]
        messages.append(
            EmailMessage(f"Kursusfolderen til {term.name} er klar", "\n".join(body), settings.DEFAULT_FROM_EMAIL, [user.email])
        )
    return messages


@task()
def send_brochure_reminder(reminder_id: int, first_date_iso: str) -> int:
    """One e-mail to each member of the partner who has an e-mail address."""
    reminder = BrochureReminder.objects.select_related("term__school", "partner").filter(pk=reminder_id).first()
    if reminder is None:
        return 0
    recipients = list(reminder.partner.members.filter(is_active=True).exclude(email="").order_by("pk"))
    messages = build_brochure_reminders(reminder, dt.date.fromisoformat(first_date_iso), recipients)
    for message in messages:
        message.send()
    return len(messages)
