"""E-mails for the course evaluation and the brochure reminder, sent by the task worker
after the change commits."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.urls import reverse

from .models import BrochureReminder, EvaluationInvite


def evaluation_link(invite: EvaluationInvite) -> str:
    return settings.SAMPLAN_BASE_URL + reverse("evaluation-answer", args=[invite.token])


def brochure_link(term) -> str:
    return settings.SAMPLAN_BASE_URL + reverse("course-brochure", args=[term.slug])


def _signature(school) -> list[str]:
    lines = ["", "Venlig hilsen", school.name]
    if school.phone:
        lines.append(f"Tlf. {school.phone}")
    return lines


def build_evaluation_mail(invite: EvaluationInvite) -> EmailMessage:
    enrolment = invite.enrolment
    course = enrolment.course
    school = course.term.school
    title = f"kursus {course.number}: {course.title}"
    body = [
        f"Kære {enrolment.name}", "",
        f"Tak fordi du deltog på {title}.",
        "Vi vil gerne høre, hvad du fik ud af kurset. Det tager omkring fem minutter at svare.", "",
        f"Svar her: {evaluation_link(invite)}", "",
        "Dine svar er anonyme: de gemmes uden dit navn og din e-mail, og ingen kan se, hvad du har svaret.",
        "Linket er personligt og kan bruges én gang.",
        *_signature(school),
    ]
    return EmailMessage(f"Hvordan var {title}?", "\n".join(body), settings.DEFAULT_FROM_EMAIL, [enrolment.email])


@task()
def send_evaluation_invite(invite_id: int) -> bool:
    invite = (EvaluationInvite.objects.select_related("enrolment__course__term__school")
              .filter(pk=invite_id, answered_at__isnull=True).first())
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
            f"Kære {user.get_full_name() or user.username}", "",
            f"Det første kursus i {term.name} starter {first_date:%d.%m.%Y}, om cirka fem uger.",
            "Kursusfolderen er klar. Se den igennem, og del den med borgere, pårørende, medarbejdere og frivillige:",
            brochure_link(term), "",
            f"{partner.name} er kursusansvarlig for:", *lines, "",
            "Er der fejl i datoer, sted eller beskrivelse, så ret kurset i kursusadministrationen.",
            *_signature(term.school),
        ]
        messages.append(EmailMessage(f"Kursusfolderen til {term.name} er klar", "\n".join(body),
                                     settings.DEFAULT_FROM_EMAIL, [user.email]))
    return messages


@task()
def send_brochure_reminder(reminder_id: int, first_date_iso: str) -> int:
    """One e-mail to each member of the partner who has an e-mail address."""
    import datetime as dt

    reminder = BrochureReminder.objects.select_related("term__school", "partner").filter(pk=reminder_id).first()
    if reminder is None:
        return 0
    recipients = list(reminder.partner.members.filter(is_active=True).exclude(email="").order_by("pk"))
    messages = build_brochure_reminders(reminder, dt.date.fromisoformat(first_date_iso), recipients)
    for message in messages:
        message.send()
    return len(messages)
