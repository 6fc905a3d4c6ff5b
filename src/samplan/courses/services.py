"""The recovery school's rules: enrolment with a fair last place, the waitlist, cancelling a
course below its minimum, attendance and completion. Views and the API only call these."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format

from samplan.core import audit, policy
from samplan.core.models import AuditEvent

from .models import Attendance, Course, Enrolment, ParticipantRole, Session, Teacher


def registration_state(course: Course, today: dt.date | None = None) -> tuple[bool, str]:
    """(open, reason in Danish when closed)."""
    today = today or timezone.localdate()
    if course.status == Course.Status.CANCELLED:
        return False, "Kurset er aflyst."
    if course.registration_opens and today < course.registration_opens:
        return False, f"Tilmeldingen åbner {date_format(course.registration_opens, 'SHORT_DATE_FORMAT')}."
    if course.registration_closes and today > course.registration_closes:
        return False, "Tilmeldingsfristen er overskredet."
    if "sessions" in getattr(course, "_prefetched_objects_cache", {}):
        # Lists prefetch the sessions: no query per course.
        first = min((s.date for s in course.sessions.all()), default=None)
    else:
        first = course.sessions.order_by("date").values_list("date", flat=True).first()
    if first is not None and today >= first and not course.registration_closes:
        return False, "Kurset er gået i gang."
    return True, ""


def with_counts(queryset):
    """Annotate courses with ``n_confirmed`` and ``n_waitlisted``."""
    return queryset.annotate(
        n_confirmed=Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.CONFIRMED), distinct=True),
        n_waitlisted=Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.WAITLISTED), distinct=True),
    )


def public_courses():
    """Courses as the public sees them (pages and API): confirmed and waitlisted counts
    (``n_confirmed``, ``n_waitlisted``), sessions and teachers prefetched, newest term first."""
    return (
        with_counts(Course.objects.select_related("term__school", "owner", "offer"))
        .prefetch_related(
            Prefetch("sessions", queryset=Session.objects.order_by("date", "starts")),
            Prefetch("teachers", queryset=Teacher.objects.order_by("id")),
        )
        .order_by("-term_id", "number")
    )


def public_state(course: Course) -> Course:
    """Set ``free``, ``registration_open`` and ``registration_reason`` as the public sees them
    (counts only; the course must carry ``n_confirmed`` as from ``public_courses``)."""
    course.free = course.free_places(course.n_confirmed)
    course.registration_open, course.registration_reason = registration_state(course)
    return course


def counts(course: Course) -> dict:
    """Confirmed, waitlisted and free places (one query)."""
    row = Enrolment.objects.filter(course=course).aggregate(
        confirmed=Count("id", filter=Q(status=Enrolment.Status.CONFIRMED)),
        waitlisted=Count("id", filter=Q(status=Enrolment.Status.WAITLISTED)),
    )
    row["free"] = course.free_places(row["confirmed"])
    return row


def _validate_roles(roles) -> list[str]:
    roles = list(dict.fromkeys(roles or []))
    unknown = [r for r in roles if r not in ParticipantRole.values]
    if unknown or not roles:
        raise ValidationError({"roles": "Vælg mindst én af mulighederne for, hvordan du deltager."})
    return roles


def enrol(
    course: Course,
    *,
    name: str,
    email: str,
    phone: str = "",
    home_partner=None,
    roles=(),
    citizen=None,
    today: dt.date | None = None,
) -> Enrolment:
    """Enrol on a course. The course row is locked for the count-and-insert, so two people
    asking for the last place at the same time get it one after the other: the first is
    confirmed, the second waitlisted (PostgreSQL: SELECT … FOR UPDATE; SQLite: the
    IMMEDIATE transaction already serialises writers)."""
    roles = _validate_roles(roles)
    if not name.strip() or not email.strip():
        raise ValidationError("Skriv dit navn og din e-mail.")
    if home_partner is not None and home_partner.school_id != course.term.school_id:
        raise ValidationError({"home_partner": "Vælg en kommune fra listen."})
    with transaction.atomic():
        locked = Course.objects.select_for_update().get(pk=course.pk)
        is_open, reason = registration_state(locked, today)
        if not is_open:
            raise ValidationError(reason)
        if Enrolment.objects.filter(
            course=locked, email__iexact=email.strip(), status__in=(Enrolment.Status.CONFIRMED, Enrolment.Status.WAITLISTED)
        ).exists():
            raise ValidationError({"email": "Der er allerede en tilmelding med denne e-mail til kurset."})
        confirmed = Enrolment.objects.filter(course=locked, status=Enrolment.Status.CONFIRMED).count()
        now = timezone.now()
        has_place = confirmed < locked.places
        enrolment = Enrolment.objects.create(
            course=locked,
            name=name.strip(),
            email=email.strip(),
            phone=phone.strip(),
            home_partner=home_partner,
            roles=roles,
            citizen=citizen,
            status=Enrolment.Status.CONFIRMED if has_place else Enrolment.Status.WAITLISTED,
            confirmed_at=now if has_place else None,
        )
        _notify(enrolment, "confirmed" if has_place else "waitlisted")
    return enrolment


def with_waitlist_position(queryset):
    """Annotate ``waitlist_position``: the place on the course's whole waitlist (first come,
    first served: created_at, then id), or None when not waitlisted. One subquery, so it
    counts those ahead even when the queryset shows only some of the course's enrolments."""
    ahead = (
        Enrolment.objects.filter(course_id=OuterRef("course_id"), status=Enrolment.Status.WAITLISTED)
        .filter(Q(created_at__lt=OuterRef("created_at")) | Q(created_at=OuterRef("created_at"), id__lt=OuterRef("id")))
        .order_by()
        .values("course_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return queryset.annotate(
        waitlist_position=Case(
            When(
                status=Enrolment.Status.WAITLISTED,
                then=Coalesce(Subquery(ahead, output_field=IntegerField()), Value(0)) + Value(1),
            ),
            default=None,
            output_field=IntegerField(),
        )
    )


def waitlist_position(enrolment: Enrolment) -> int | None:
    """The place of one enrolment on its course's waitlist (None when not waitlisted)."""
    if enrolment.status != Enrolment.Status.WAITLISTED:
        return None
    return with_waitlist_position(Enrolment.objects.filter(pk=enrolment.pk)).values_list("waitlist_position", flat=True).get()


def cancel_enrolment(enrolment: Enrolment, *, by=None) -> Enrolment | None:
    """The participant (by personal link) or the course owner cancels. A freed place goes to
    the first on the waitlist at once; returns the promoted enrolment, if any."""
    with transaction.atomic():
        Course.objects.select_for_update().get(pk=enrolment.course_id)
        enrolment = Enrolment.objects.get(pk=enrolment.pk)
        if enrolment.status not in (Enrolment.Status.CONFIRMED, Enrolment.Status.WAITLISTED):
            raise ValidationError("Tilmeldingen er allerede afmeldt.")
        enrolment.status = Enrolment.Status.CANCELLED
        enrolment.cancelled_at = timezone.now()
        enrolment.save(update_fields=["status", "cancelled_at"])
        if by is not None:
            audit.record(
                by, AuditEvent.Action.TRANSITION, enrolment, object_type="courses.Enrolment", after={"status": enrolment.status}
            )
        _notify(enrolment, "cancelled")
        return _promote(enrolment.course_id)


def _promote(course_id: int) -> Enrolment | None:
    """Fill free places from the waitlist, first come first served (caller holds the lock)."""
    course = Course.objects.get(pk=course_id)
    if course.status == Course.Status.CANCELLED:
        return None
    promoted = None
    confirmed = Enrolment.objects.filter(course=course, status=Enrolment.Status.CONFIRMED).count()
    for waiting in Enrolment.objects.filter(course=course, status=Enrolment.Status.WAITLISTED).order_by("created_at", "id"):
        if confirmed >= course.places:
            break
        waiting.status = Enrolment.Status.CONFIRMED
        waiting.confirmed_at = timezone.now()
        waiting.save(update_fields=["status", "confirmed_at"])
        _notify(waiting, "promoted")
        confirmed += 1
        promoted = promoted or waiting
    return promoted


def cancel_course(course: Course, *, reason: str, by=None) -> int:
    """Cancel the course and tell everyone enrolled or waiting; returns how many were told."""
    if not reason.strip():
        raise ValidationError({"reason": "Skriv en begrundelse for aflysningen."})
    with transaction.atomic():
        course = Course.objects.select_for_update().get(pk=course.pk)
        if course.status == Course.Status.CANCELLED:
            raise ValidationError("Kurset er allerede aflyst.")
        course.status = Course.Status.CANCELLED
        course.cancelled_at = timezone.now()
        course.cancel_reason = reason.strip()
        course.save(update_fields=["status", "cancelled_at", "cancel_reason"])
        affected = list(course.enrolments.filter(status__in=(Enrolment.Status.CONFIRMED, Enrolment.Status.WAITLISTED)))
        for enrolment in affected:
            enrolment.status = Enrolment.Status.COURSE_CANCELLED
            enrolment.save(update_fields=["status"])
            _notify(enrolment, "course_cancelled")
        if by is not None:
            audit.record(by, AuditEvent.Action.TRANSITION, course, object_type="courses.Course", after={"status": course.status})
    return len(affected)


MINIMUM_REASON = "Der er ikke tilmeldt nok deltagere til, at kurset kan holdes."


def apply_minimum_deadlines(today: dt.date | None = None) -> list[Course]:
    """On a course's minimum deadline: cancel it if fewer than the minimum are enrolled.
    Run daily (management command ``course_deadlines``); safe to run again."""
    today = today or timezone.localdate()
    due = Course.objects.filter(status=Course.Status.PLANNED, minimum_deadline__lte=today, min_participants__gt=0)
    cancelled = []
    for course in due:
        if counts(course)["confirmed"] < course.min_participants:
            cancel_course(course, reason=MINIMUM_REASON)
            cancelled.append(course)
    return cancelled


def record_attendance(user, session: Session, present_ids) -> int:
    """Mark who came to one session (the others as absent); course owners only. One
    upsert for all confirmed participants and one audit row on the session."""
    policy.require_course_manage(user, session.course)
    present_ids = {int(i) for i in present_ids}
    now = timezone.now()
    rows = [
        Attendance(enrolment_id=pk, session=session, present=pk in present_ids, recorded_by=user, recorded_at=now)
        for pk in session.course.enrolments.filter(status=Enrolment.Status.CONFIRMED).values_list("pk", flat=True)
    ]
    present = sorted(row.enrolment_id for row in rows if row.present)
    with transaction.atomic():
        Attendance.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["enrolment", "session"],
            update_fields=["present", "recorded_by", "recorded_at"],
        )
        audit.record(
            user,
            AuditEvent.Action.UPDATE,
            session,
            after={
                "attendance": True,
                "present": len(present),
                "present_enrolments": present,
                "absent_enrolments": sorted(row.enrolment_id for row in rows if not row.present),
            },
        )
    return len(present)


def suggested_completion(sessions_total: int, present: int) -> bool:
    """Completed = came to most of the course (more than half the sessions), as the school counts it."""
    return sessions_total > 0 and present * 2 > sessions_total


def set_completions(user, course: Course, completed_ids) -> int:
    """The owner's decision for the whole course: the confirmed participants in
    ``completed_ids`` have completed it, the other confirmed participants have not (ids of
    anybody else are ignored). One policy check, one update and one audit row on the course
    listing the changed enrolments; returns how many changed."""
    policy.require_course_manage(user, course)
    completed_ids = {int(i) for i in completed_ids}
    now = timezone.now()
    changed = []
    for enrolment in course.enrolments.filter(status=Enrolment.Status.CONFIRMED).order_by("id"):
        wanted = enrolment.pk in completed_ids
        if wanted != enrolment.completed:
            enrolment.completed = wanted
            enrolment.completed_at = now if wanted else None
            changed.append(enrolment)
    if changed:
        with transaction.atomic():
            Enrolment.objects.bulk_update(changed, ["completed", "completed_at"])
            audit.record(
                user,
                AuditEvent.Action.UPDATE,
                course,
                after={
                    "completed": [e.pk for e in changed if e.completed],
                    "not_completed": [e.pk for e in changed if not e.completed],
                },
            )
    return len(changed)


def _notify(enrolment: Enrolment, event: str) -> None:
    """Queue the e-mail after the transaction commits (a rolled-back enrolment sends nothing)."""
    from . import tasks

    transaction.on_commit(lambda: tasks.send_enrolment_mail.enqueue(enrolment.pk, event))
