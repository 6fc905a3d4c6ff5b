"""The recovery school's shared totals, as in the seed's mid-term evaluation (004 L8690–9108):
enrolled and completed per course, enrolment by home municipality and by role, waitlists,
places offered, and the answers to the questionnaire per item. Counts only — no names or
contact data, and free-text answers only as a count (they can identify a person).

**Enrolled** (*tilmeldte*) means: got a place and held it when the course started, i.e.

* status *Tilmeldt* (confirmed) — including those who completed and those who stayed away
  without cancelling, or
* status *Afmeldt* (cancelled) after having had a place, cancelled on or after the day of
  the first session (left during the course).

Not enrolled: the waitlist that never got a place, those who cancelled before the course
started (their place went to someone else) and everyone on a cancelled course.

A few queries load plain rows; the functions below them are pure."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Max, Min
from django.utils import timezone

from . import evaluation
from .models import Course, Enrolment, EvaluationResponse, ParticipantRole, Partner, Session, Term

OTHER_LABEL = "Anden"


@dataclass
class CourseRow:
    course: Course
    first_date: dt.date | None
    last_date: dt.date | None
    enrolled: int = 0
    completed: int = 0
    waitlisted: int = 0  # on the waitlist now
    not_placed: int = 0  # still on the waitlist after the course started: never got a place
    responses: int = 0
    by_home: Counter = field(default_factory=Counter)  # partner id or None ("Anden")
    by_role: Counter = field(default_factory=Counter)

    @property
    def cancelled(self) -> bool:
        return self.course.status == Course.Status.CANCELLED

    @property
    def places(self) -> int:
        return self.course.max_participants


def is_enrolled(status: str, confirmed_at, cancelled_at, first_date: dt.date | None) -> bool:
    if status == Enrolment.Status.CONFIRMED:
        return True
    if status == Enrolment.Status.CANCELLED and confirmed_at and cancelled_at and first_date:
        return timezone.localtime(cancelled_at).date() >= first_date
    return False


def summarise(courses, dates: dict, enrolments, responses_per_course: dict, today: dt.date) -> list[CourseRow]:
    """Pure: one row per course from plain enrolment rows (dicts with course_id, status,
    confirmed_at, cancelled_at, completed, home_partner_id, roles)."""
    rows = {c.pk: CourseRow(c, *dates.get(c.pk, (None, None)), responses=responses_per_course.get(c.pk, 0)) for c in courses}
    for e in enrolments:
        row = rows.get(e["course_id"])
        if row is None:
            continue
        if e["status"] == Enrolment.Status.WAITLISTED:
            row.waitlisted += 1
            if row.first_date and today >= row.first_date and not row.cancelled:
                row.not_placed += 1
        elif is_enrolled(e["status"], e["confirmed_at"], e["cancelled_at"], row.first_date):
            row.enrolled += 1
            row.completed += bool(e["completed"])
            row.by_home[e["home_partner_id"]] += 1
            for role in dict.fromkeys(e["roles"] or []):
                row.by_role[role] += 1
    return list(rows.values())


def totals(rows: list[CourseRow], columns: list) -> dict:
    held = [r for r in rows if not r.cancelled]
    home = Counter()
    role = Counter()
    for r in rows:
        home.update(r.by_home)
        role.update(r.by_role)
    return {
        "courses": len(held),
        "places": sum(r.course.max_participants for r in held),
        "places_with_overbooking": sum(r.course.places for r in held),
        "enrolled": sum(r.enrolled for r in rows),
        "completed": sum(r.completed for r in rows),
        "waitlisted": sum(r.waitlisted for r in rows),
        "not_placed": sum(r.not_placed for r in rows),
        "responses": sum(r.responses for r in rows),
        "home": [home.get(key, 0) for key, _ in columns],
        "roles": [role.get(value, 0) for value in ParticipantRole.values],
    }


def home_columns(partners, rows) -> list[tuple]:
    """(partner id or None, label): the partners in their order, then "Anden" when used."""
    columns = [(p.pk, p.short_name or p.name) for p in partners]
    if any(r.by_home.get(None) for r in rows):
        columns.append((None, OTHER_LABEL))
    return columns


def summarise_answers(responses: list[dict], partners) -> list[dict]:
    """Pure: per questionnaire item the number of answers and, for the closed questions,
    the count per choice. Free text is counted, never shown."""
    by_version = {}
    for answers in responses:
        by_version.setdefault(answers.get("version", evaluation.VERSION), []).append(answers)
    out = []
    for item in evaluation.ITEMS[evaluation.VERSION]:
        if item.kind == evaluation.COURSE:
            continue
        choices = evaluation.home_choices(partners) if item.key == "home" else item.choices
        counts, answered = Counter(), 0
        for version, group in by_version.items():
            if item not in evaluation.ITEMS.get(version, ()):
                continue
            for answers in group:
                value = answers.get(item.key)
                if value in (None, "", []):
                    continue
                answered += 1
                if item.kind == evaluation.MULTI:
                    counts.update(dict.fromkeys(value, 1))
                elif item.kind != evaluation.TEXT:
                    counts[value] += 1
        entry = {"item": item, "answered": answered, "of": len(responses), "free_text": item.kind == evaluation.TEXT}
        if not entry["free_text"]:
            entry["counts"] = [(label, counts.get(value, 0)) for value, label in choices]
            entry["ticks"] = sum(counts.values())
        out.append(entry)
    return out


def course_report(term: Term, today: dt.date | None = None) -> dict:
    """Everything on the report page for one term, in six queries."""
    today = today or timezone.localdate()
    courses = list(Course.objects.filter(term=term).select_related("owner").order_by("number"))
    ids = [c.pk for c in courses]
    dates = {
        r["course_id"]: (r["first"], r["last"])
        for r in Session.objects.filter(course_id__in=ids).values("course_id").annotate(first=Min("date"), last=Max("date"))
    }
    enrolments = list(
        Enrolment.objects.filter(course_id__in=ids).values(
            "course_id", "status", "confirmed_at", "cancelled_at", "completed", "home_partner_id", "roles"
        )
    )
    responses = list(EvaluationResponse.objects.filter(course_id__in=ids).values_list("course_id", "answers"))
    per_course = Counter(course_id for course_id, _ in responses)
    partners = list(Partner.objects.filter(school_id=term.school_id))
    rows = summarise(courses, dates, enrolments, per_course, today)
    columns = home_columns(partners, rows)
    for r in rows:
        r.home_counts = [r.by_home.get(key, 0) for key, _ in columns]
        r.role_counts = [r.by_role.get(value, 0) for value in ParticipantRole.values]
    return {
        "term": term,
        "rows": rows,
        "home_columns": columns,
        "roles": ParticipantRole.choices,
        "totals": totals(rows, columns),
        "answers": summarise_answers([a for _, a in responses], partners),
    }


def terms_with_courses():
    return Term.objects.annotate(n=Count("courses")).filter(n__gt=0).order_by("-id")


def enrolment_table_csv_rows(report: dict) -> list[list]:
    """The seed's table: courses × home municipality, with places and enrolled."""
    header = [
        "Kursusnummer",
        "Kursus",
        "Kursusansvarlig",
        "Pladser",
        "Tilmeldte",
        "Gennemført",
        *[label for _, label in report["home_columns"]],
        "I alt",
    ]
    out = [header]
    for r in report["rows"]:
        out.append(
            [
                r.course.number,
                r.course.title + (" (aflyst)" if r.cancelled else ""),
                str(r.course.owner),
                r.places,
                r.enrolled,
                r.completed,
                *r.home_counts,
                r.enrolled,
            ]
        )
    t = report["totals"]
    out.append(["", "I alt", "", t["places"], t["enrolled"], t["completed"], *t["home"], t["enrolled"]])
    return out
