"""E-mails of the recovery school, sent by the database task worker after the change commits."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.urls import reverse

from . import ics
from .models import Enrolment


def _dates(course) -> list[str]:
    return [f"  {s.date:%d.%m.%Y} kl. {s.starts:%H.%M}–{s.ends:%H.%M}" for s in course.sessions.all()]


def enrolment_link(enrolment) -> str:
    return settings.SAMPLAN_BASE_URL + reverse("enrolment-manage", args=[enrolment.token])


def build_enrolment_mail(enrolment: Enrolment, event: str) -> EmailMessage:
    course = enrolment.course
    school = course.term.school
    title = f"kursus {course.number}: {course.title}"
    body = [f"Kære {enrolment.name}", ""]
    attach = None
    if event == "confirmed":
        subject = f"Du er tilmeldt {title}"
        body += [f"Tak for din tilmelding. Du har fået en plads på {title}.", "", "Kursusgange:", *_dates(course),
                 "", f"Sted: {course.place}{', ' + course.address if course.address else ''}",
                 "", "Kalenderfilen med alle kursusgange er vedhæftet."]
        attach = "PUBLISH"
    elif event == "promoted":
        subject = f"Du har fået en plads på {title}"
        body += [f"Der er blevet en plads ledig, og du er rykket fra ventelisten ind på {title}.", "", "Kursusgange:",
                 *_dates(course), "", "Kalenderfilen med alle kursusgange er vedhæftet."]
        attach = "PUBLISH"
    elif event == "waitlisted":
        subject = f"Du er på venteliste til {title}"
        body += [f"Kurset er fuldt, så du er skrevet på ventelisten til {title}.",
                 "Bliver der en plads ledig, får du den automatisk i den rækkefølge, I er tilmeldt, og du får besked."]
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
    body += ["", "Kurserne er gratis og kræver ikke visitation.", "", "Venlig hilsen", school.name]
    if school.phone:
        body.append(f"Tlf. {school.phone}")
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
