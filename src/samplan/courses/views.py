"""Pages of the recovery school (Skole på Tværs).

Public, without login: the course list, a course's page with the enrolment form, and the
participant's personal link (status, waitlist place, cancel). They show counts only, never
other participants. Partner staff (policy.partners_of) get the administration: their own
courses with participants' contact data, waitlist, cancellation, attendance and completion,
and their own residents on other partners' courses (policy.enrolments_visible). The rules
are in courses.services; every read of participants' data is audited."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from samplan.core import audit, policy, ratelimit
from samplan.core.steps import FAILED, apply

from . import services
from .forms import CancelCourseForm, EnrolmentForm
from .models import Attendance, Course, Enrolment, Session

ACTIVE = (Enrolment.Status.CONFIRMED, Enrolment.Status.WAITLISTED)


# --- Public pages -------------------------------------------------------------------------


def course_list(request):
    courses = [services.public_state(course) for course in services.public_courses()]
    return render(request, "courses/list.html", {"courses": courses})


def _public_course(pk):
    return services.public_state(get_object_or_404(services.public_courses(), pk=pk))


def _detail_page(request, course, form, status=200):
    return render(request, "courses/detail.html", {"course": course, "form": form, "topics": course.topic_list}, status=status)


def course_detail(request, pk):
    course = _public_course(pk)
    return _detail_page(request, course, EnrolmentForm(school=course.term.school))


def _back_to_course(request, pk):
    return reverse("course-detail", args=[pk]) + "#tilmelding"


@require_POST
@ratelimit.limit("enrol", back=_back_to_course)
def course_enrol(request, pk):
    course = _public_course(pk)
    if ratelimit.honeypot_filled(request):
        # A robot filled in the hidden field: nothing is saved or sent, and the page says nothing of it.
        return render(request, "courses/enrolment_received.html", {"course": course})
    form = EnrolmentForm(request.POST, school=course.term.school)
    enrolment = apply(form, lambda d: services.enrol(course, **form.service_kwargs()))
    if enrolment is FAILED:
        return _detail_page(request, course, form, status=400)
    # No personal data in the message: it waits in the browser's session until shown.
    messages.success(request, "Tak for din tilmelding. Vi har sendt en bekræftelse på e-mail.")
    return redirect("enrolment-manage", token=enrolment.token)


@never_cache
@ratelimit.limit("enrolment-manage")
def enrolment_manage(request, token):
    """The participant's personal link (from the e-mail): their own enrolment only."""
    enrolment = get_object_or_404(Enrolment.objects.select_related("course__term__school", "course__owner"), token=token)
    if request.method == "POST":
        if request.POST.get("action") == "cancel":
            try:
                services.cancel_enrolment(enrolment)
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(request, f"Du er nu afmeldt {enrolment.course.title}. Vi har sendt en bekræftelse på e-mail.")
        return redirect("enrolment-manage", token=enrolment.token)
    course = enrolment.course
    return render(
        request,
        "courses/enrolment.html",
        {
            "enrolment": enrolment,
            "course": course,
            "sessions": course.sessions.order_by("date", "starts"),
            "position": services.waitlist_position(enrolment),
            "active": enrolment.status in ACTIVE,
            "roles": enrolment.role_labels,
        },
    )


# --- Partner staff ------------------------------------------------------------------------


@login_required
def course_admin(request):
    user = request.user
    partners = policy.require_partner(user)
    courses = list(
        services.with_counts(policy.courses_managed_by(user).select_related("term", "owner"))
        .annotate(
            n_completed=Count(
                "enrolments", filter=Q(enrolments__status=Enrolment.Status.CONFIRMED, enrolments__completed=True), distinct=True
            )
        )
        .order_by("-term_id", "number")
    )
    for course in courses:
        course.free = course.free_places(course.n_confirmed)
    # Our own residents on courses other partners run: contact data only for our people.
    ours = list(
        policy.enrolments_visible(user)
        .filter(home_partner__in=partners)
        .exclude(course__owner__in=partners)
        .select_related("course__term", "course__owner", "home_partner")
        .order_by("-course__term_id", "course__number", "created_at", "id")
    )
    if ours:  # enrolments on several courses: no single object, so the type names what was listed
        audit.record_read(
            user, None, object_type="courses.Enrolment", after={"shown": "our_participants", "enrolments": [e.pk for e in ours]}
        )
    return render(request, "courses/admin.html", {"partners": partners, "courses": courses, "ours": ours})


def _managed_course(request, pk) -> Course:
    course = get_object_or_404(Course.objects.select_related("term", "owner"), pk=pk)
    policy.require_course_manage(request.user, course)
    return course


def _manage_page(request, course, cancel_form=None, status=200):
    sessions = list(
        course.sessions.annotate(
            n_present=Count("attendances", filter=Q(attendances__present=True)),
        ).order_by("date", "starts")
    )
    enrolments = list(
        services.with_waitlist_position(course.enrolments.select_related("home_partner"))
        .annotate(n_present=Count("attendances", filter=Q(attendances__present=True)))
        .order_by("created_at", "id")
    )
    confirmed, waitlisted, others = [], [], []
    for enrolment in enrolments:
        if enrolment.status == Enrolment.Status.CONFIRMED:
            enrolment.suggested = services.suggested_completion(len(sessions), enrolment.n_present)
            confirmed.append(enrolment)
        elif enrolment.status == Enrolment.Status.WAITLISTED:
            waitlisted.append(enrolment)
        else:
            others.append(enrolment)
    audit.record_read(request.user, course, after={"shown": "course_manage", "enrolments": [e.pk for e in enrolments]})
    return render(
        request,
        "courses/manage.html",
        {
            "course": course,
            "sessions": sessions,
            "confirmed": confirmed,
            "waitlisted": waitlisted,
            "others": others,
            "free": course.free_places(len(confirmed)),
            "cancel_form": cancel_form or CancelCourseForm(),
            "planned": course.status == Course.Status.PLANNED,
        },
        status=status,
    )


@login_required
def course_manage(request, pk):
    return _manage_page(request, _managed_course(request, pk))


@login_required
@require_POST
def course_cancel(request, pk):
    course = _managed_course(request, pk)
    form = CancelCourseForm(request.POST)
    told = apply(form, lambda d: services.cancel_course(course, reason=d["reason"], by=request.user))
    if told is FAILED:
        course.refresh_from_db()
        return _manage_page(request, course, cancel_form=form, status=400)
    messages.success(request, f"Kurset er aflyst. {told} tilmeldte og ventende har fået besked på e-mail.")
    return redirect("course-manage", pk=course.pk)


def _posted_ids(values) -> set[int]:
    return {int(v) for v in values if str(v).isdigit()}


@login_required
@require_POST
def course_enrolment_cancel(request, pk):
    course = _managed_course(request, pk)
    ids = _posted_ids([request.POST.get("enrolment", "")])
    enrolment = get_object_or_404(course.enrolments, pk=next(iter(ids), None))
    try:
        promoted = services.cancel_enrolment(enrolment, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        text = f"{enrolment.name} er afmeldt."
        if promoted is not None:
            text += f" {promoted.name} har fået pladsen fra ventelisten og har fået besked."
        messages.success(request, text)
    return redirect("course-manage", pk=course.pk)


@login_required
def course_attendance(request, pk, session_pk):
    course = _managed_course(request, pk)
    session = get_object_or_404(Session, pk=session_pk, course=course)
    if request.method == "POST":
        n = services.record_attendance(request.user, session, _posted_ids(request.POST.getlist("present")))
        messages.success(request, f"Fremmødet den {date_format(session.date, 'SHORT_DATE_FORMAT')} er gemt: {n} mødt.")
        return redirect("course-manage", pk=course.pk)
    participants = list(
        course.enrolments.filter(status=Enrolment.Status.CONFIRMED)
        .annotate(was_present=Exists(Attendance.objects.filter(enrolment=OuterRef("pk"), session=session, present=True)))
        .order_by("name", "id")
    )
    audit.record_read(
        request.user, course, after={"shown": "attendance", "session": session.pk, "enrolments": [e.pk for e in participants]}
    )
    return render(request, "courses/attendance.html", {"course": course, "session": session, "participants": participants})


@login_required
@require_POST
def course_completion(request, pk):
    course = _managed_course(request, pk)
    if request.POST.get("apply") == "suggestions":
        sessions_total = course.sessions.count()
        confirmed = course.enrolments.filter(status=Enrolment.Status.CONFIRMED).annotate(
            n_present=Count("attendances", filter=Q(attendances__present=True))
        )
        completed_ids = [e.pk for e in confirmed if services.suggested_completion(sessions_total, e.n_present)]
    else:
        completed_ids = _posted_ids(request.POST.getlist("completed"))
    changed = services.set_completions(request.user, course, completed_ids)
    messages.success(request, f"Gennemførelse er gemt ({changed} ændret).")
    return redirect("course-manage", pk=course.pk)
