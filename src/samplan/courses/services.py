"""The recovery school's rules: enrolment with a fair last place, the waitlist, cancelling a
course below its minimum, attendance and completion. Views and the API only call these."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from samplan.core import audit, policy
from samplan.core.models import AuditEvent

from .models import Attendance, Course, Enrolment, ParticipantRole, Session


def registration_state(course: Course, today: dt.date | None = None) -> tuple[bool, str]:
    """(open, reason in Danish when closed)."""
    today = today or timezone.localdate()
    if course.status == Course.Status.CANCELLED:
        return False, "Kurset er aflyst."
    if course.registration_opens and today < course.registration_opens:
        return False, f"Tilmeldingen åbner {course.registration_opens:%d.%m.%Y}."
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


def counts(course: Course) -> dict:
    """Confirmed, waitlisted and free places (one query)."""
    row = Enrolment.objects.filter(course=course).aggregate(
        confirmed=Count("id", filter=Q(status=Enrolment.Status.CONFIRMED)),
        waitlisted=Count("id", filter=Q(status=Enrolment.Status.WAITLISTED)),
    )
    row["free"] = max(course.places - row["confirmed"], 0)
    return row


def _validate_roles(roles) -> list[str]:
    roles = list(dict.fromkeys(roles or []))
    unknown = [r for r in roles if r not in ParticipantRole.values]
    if unknown or not roles:
        raise ValidationError({"roles": "Vælg mindst én af mulighederne for, hvordan du deltager."})
    return roles


def enrol(course: Course, *, name: str, email: str, phone: str = "", home_partner=None, roles=(), citizen=None,
          today: dt.date | None = None) -> Enrolment:
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
        if Enrolment.objects.filter(course=locked, email__iexact=email.strip(),
                                    status__in=(Enrolment.Status.CONFIRMED, Enrolment.Status.WAITLISTED)).exists():
            raise ValidationError({"email": "Der er allerede en tilmelding med denne e-mail til kurset."})
        confirmed = Enrolment.objects.filter(course=locked, status=Enrolment.Status.CONFIRMED).count()
        now = timezone.now()
        has_place = confirmed < locked.places
        enrolment = Enrolment.objects.create(
            course=locked, name=name.strip(), email=email.strip(), phone=phone.strip(), home_partner=home_partner,
            roles=roles, citizen=citizen,
            status=Enrolment.Status.CONFIRMED if has_place else Enrolment.Status.WAITLISTED,
            confirmed_at=now if has_place else None,
        )
        _notify(enrolment, "confirmed" if has_place else "waitlisted")
    return enrolment


def waitlist_position(enrolment: Enrolment) -> int | None:
    if enrolment.status != Enrolment.Status.WAITLISTED:
        return None
    return Enrolment.objects.filter(
        course_id=enrolment.course_id, status=Enrolment.Status.WAITLISTED,
    ).filter(Q(created_at__lt=enrolment.created_at) | Q(created_at=enrolment.created_at, id__lt=enrolment.id)).count() + 1


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
            audit.record(by, AuditEvent.Action.TRANSITION, enrolment, object_type="courses.Enrolment",
                         after={"status": enrolment.status})
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
            audit.record(by, AuditEvent.Action.TRANSITION, course, object_type="courses.Course",
                         after={"status": course.status})
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
    """Mark who came to one session (the others as absent); course owners only."""
    policy.require_course_manage(user, session.course)
    present_ids = {int(i) for i in present_ids}
    enrolments = session.course.enrolments.filter(status=Enrolment.Status.CONFIRMED)
    n = 0
    with transaction.atomic():
        for enrolment in enrolments:
            Attendance.objects.update_or_create(
                enrolment=enrolment, session=session,
                defaults={"present": enrolment.pk in present_ids, "recorded_by": user},
            )
            n += enrolment.pk in present_ids
        audit.record(user, AuditEvent.Action.UPDATE, session, object_type="courses.Attendance",
                     after={"session": session.pk, "present": n})
    return n


def suggested_completion(enrolment: Enrolment, sessions_total: int, present: int) -> bool:
    """Completed = came to most of the course (more than half the sessions), as the school counts it."""
    return sessions_total > 0 and present * 2 > sessions_total


def set_completed(user, enrolment: Enrolment, completed: bool) -> Enrolment:
    policy.require_course_manage(user, enrolment.course)
    if enrolment.status != Enrolment.Status.CONFIRMED:
        raise ValidationError("Kun deltagere med plads kan gennemføre kurset.")
    enrolment.completed = completed
    enrolment.completed_at = timezone.now() if completed else None
    enrolment.save(update_fields=["completed", "completed_at"])
    audit.record(user, AuditEvent.Action.UPDATE, enrolment, object_type="courses.Enrolment",
                 after={"completed": completed})
    return enrolment


def _notify(enrolment: Enrolment, event: str) -> None:
    """Queue the e-mail after the transaction commits (a rolled-back enrolment sends nothing)."""
    from . import tasks

    transaction.on_commit(lambda: tasks.send_enrolment_mail.enqueue(enrolment.pk, event))
