"""The term's printed brochure (kursusfolder) as a PDF, and the reminder to the course
owners five weeks before the first course starts (DOMAIN.md §9: "Brochure ready 5 weeks
before start")."""

import datetime as dt
import hashlib
from functools import partial

from django.core.cache import cache
from django.db import transaction
from django.db.models import Min, Prefetch, Q
from django.utils import timezone
from django.utils.formats import date_format, time_format

from samplan.core import pdf
from samplan.core.urls_util import absolute_url

from .models import BrochureReminder, Course, Partner, Session, Teacher, Term

REMINDER_DAYS = 35  # five weeks
REGISTRATION_FIELDS = ("Kursusnummer og -navn", "Dit navn", "E-mail", "Telefonnummer", "Din kommune")
CACHE_SECONDS = 600


def course_url(course: Course) -> str:
    """The course's public page."""
    return absolute_url("course-detail", course.pk)


def duration_text(starts: dt.time, ends: dt.time) -> str:
    minutes = (ends.hour * 60 + ends.minute) - (starts.hour * 60 + starts.minute)
    hours, rest = divmod(minutes, 60)
    if rest == 0:
        return f"{hours} time" if hours == 1 else f"{hours} timer"
    if rest == 30:
        return f"{hours}½ time"
    return f"{hours} t. {rest} min."


def session_lines(sessions) -> list[str]:
    """ "Tirsdag 12. februar", with the time on each line only when the times differ."""
    same = len({(s.starts, s.ends) for s in sessions}) <= 1
    lines = []
    for s in sessions:
        text = date_format(s.date, "l j. F").capitalize()
        if not same:
            text += f" kl. {time_format(s.starts)}–{time_format(s.ends)}"
        if s.place:
            text += f" ({s.place})"
        lines.append(text)
    return lines


def who_may_participate(partners) -> str:
    """ "Patient/borger, … i enten Gladsaxe, … eller Rudersdal Kommune eller i Region …"."""
    municipalities = [(p.short_name or p.name).removesuffix(" Kommune") for p in partners if p.kind == Partner.Kind.MUNICIPALITY]
    places = [_or(municipalities) + " Kommune"] if municipalities else []
    places += [p.name for p in partners if p.kind == Partner.Kind.REGION]
    if not places:
        return ""
    where = " eller i ".join(places)
    if len(municipalities) > 1 or len(places) > 1:
        where = f"enten {where}"
    return f"Patient/borger, medarbejder, leder, pårørende eller frivillig i {where}."


def _or(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " eller " + names[-1]


def brochure_context(term: Term) -> dict:
    courses = list(
        term.courses.filter(status=Course.Status.PLANNED)
        .select_related("owner")
        .prefetch_related(
            Prefetch("sessions", queryset=Session.objects.order_by("date", "starts")),
            Prefetch("teachers", queryset=Teacher.objects.order_by("id")),
        )
        .order_by("number")
    )
    partners = list(Partner.objects.filter(school_id=term.school_id))
    entries = []
    for course in courses:
        sessions = list(course.sessions.all())
        times = {(s.starts, s.ends) for s in sessions}
        teachers = list(course.teachers.all())
        competences = list(dict.fromkeys(t.get_competence_display() for t in teachers))
        entries.append(
            {
                "course": course,
                "topics": course.topic_list,
                "dates": session_lines(sessions),
                "time": f"{time_format(sessions[0].starts)} – {time_format(sessions[0].ends)}" if len(times) == 1 else "",
                "extent": (
                    f"Kurset består af {len(sessions)} {'gang' if len(sessions) == 1 else 'gange'} på hver "
                    f"{duration_text(*next(iter(times)))}"
                )
                if len(times) == 1
                else f"Kurset består af {len(sessions)} gange",
                "teachers": teachers,
                "competences": competences,
                "url": course_url(course),
            }
        )
    return {
        "term": term,
        "school": term.school,
        "entries": entries,
        "partners": partners,
        "who": who_may_participate(partners),
        "fields": REGISTRATION_FIELDS,
        "list_url": absolute_url("course-list"),
    }


def render_pdf(term: Term) -> bytes:
    """The PDF (core.pdf, as the plan PDF). The same brochure is served from the cache
    until something in it changes, so the public address is cheap to call."""
    html = pdf.render_html("courses/brochure_pdf.html", brochure_context(term))
    key = "course-brochure:" + hashlib.sha256(html.encode()).hexdigest()
    document = cache.get(key)
    if document is None:
        document = pdf.html_to_pdf(html)
        cache.set(key, document, CACHE_SECONDS)
    return document


# --- The reminder five weeks before ------------------------------------------------------


def first_dates(today: dt.date) -> dict[int, dt.date]:
    """Terms whose first (not cancelled) course starts within five weeks, and still ahead."""
    rows = (
        Term.objects.annotate(first=Min("courses__sessions__date", filter=Q(courses__status=Course.Status.PLANNED)))
        .filter(first__gt=today, first__lte=today + dt.timedelta(days=REMINDER_DAYS))
        .values_list("pk", "first")
    )
    return dict(rows)


def due_brochure_reminders(today: dt.date | None = None) -> list[tuple[Term, Partner, dt.date]]:
    """(term, partner, first session date) for each course-owning partner not yet reminded."""
    today = today or timezone.localdate()
    firsts = first_dates(today)
    if not firsts:
        return []
    done = set(BrochureReminder.objects.filter(term_id__in=firsts).values_list("term_id", "partner_id"))
    pairs = Course.objects.filter(term_id__in=firsts, status=Course.Status.PLANNED).values_list("term_id", "owner_id").distinct()
    wanted = sorted({p for p in pairs if p not in done})
    terms = Term.objects.select_related("school").in_bulk({t for t, _ in wanted})
    partners = Partner.objects.in_bulk({p for _, p in wanted})
    return [(terms[t], partners[p], firsts[t]) for t, p in wanted]


def send_brochure_reminders(today: dt.date | None = None) -> list[BrochureReminder]:
    """Remind each partner's staff once per term (run daily: ``send_brochure_reminders``).
    A partner with nobody to write to is not marked, so it is reminded once someone is added."""
    from . import tasks

    sent = []
    for term, partner, first in due_brochure_reminders(today):
        if not partner.members.filter(is_active=True).exclude(email="").exists():
            continue
        with transaction.atomic():
            reminder, created = BrochureReminder.objects.get_or_create(term=term, partner=partner)
            if created:
                transaction.on_commit(partial(tasks.send_brochure_reminder.enqueue, reminder.pk, first.isoformat()))
                sent.append(reminder)
    return sent
