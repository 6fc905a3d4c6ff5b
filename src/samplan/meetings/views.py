"""Network meeting pages: one URL and one short view per action.

Staff (``/moeder/<pk>/…``): the meeting page, and one POST URL each to plan or move it, cancel
it, add a psychiatry professional, add oneself, propose a topic and write the minutes. The
citizen and invited relatives (``/mit/moeder/<pk>/…``): the meeting page and one POST URL each
for a topic, the citizen's participants and way of taking part, and a relative's perspective.
Who may do what is the access policy's (fetched through ``policy.get_object``, 404/403);
what happens is the services'. A refused change shows the page again with the form, what was
typed and the Danish reason (400)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from samplan.citizens.models import Citizen, NetworkMember
from samplan.consent import services as consent
from samplan.core import audit, idempotency, policy
from samplan.core.models import AuditEvent
from samplan.core.steps import FAILED, apply, status_of
from samplan.portal.decorators import citizen_required

from . import forms, services
from .models import MeetingParticipant, NetworkMeeting

Read = AuditEvent.Action.READ
Invitation = MeetingParticipant.Invitation
MEETINGS = NetworkMeeting.objects.select_related("citizen", "requested_by_member__user")


def _participants(meeting):
    """Each participant with their INVITE consent (None for those who need none), with the
    consent state of the whole network read once."""
    state = consent.current_for(meeting.citizen)
    return [
        {
            "p": p,
            "consent": None if p.member_id is None else state.get(p.member_id, {}).get(consent.Kind.INVITE, False),
        }
        for p in meeting.participants.all()
    ]


def _chosen_members(meeting):
    """The network members currently chosen for the meeting (kept when staff add others)."""
    return [
        p.member
        for p in meeting.participants.filter(member__isnull=False)
        .select_related("member")
        .exclude(invitation_status=Invitation.CANCELLED)
    ]


# --- Staff -----------------------------------------------------------------------------


@login_required
@require_safe
def meeting_list(request, pk):
    citizen = policy.get_citizen(request.user, pk, policy.MANAGE_MEETINGS)
    meetings = list(citizen.meetings.select_related("requested_by_member__user").prefetch_related("participants"))
    audit.record(request.user, Read, None, citizen=citizen, object_type="meetings.NetworkMeeting")
    return render(request, "meetings/list.html", {"citizen": citizen, "meetings": meetings})


@login_required
def meeting_create(request, pk):
    citizen = policy.get_citizen(request.user, pk, policy.MANAGE_MEETINGS)
    audit.record_read(request.user, citizen, after={"shown": "meeting_form"})
    form = forms.RequestForm(request.POST or None)
    if request.method == "POST":
        # Once per form token: a repeated submit is sent to the meeting the first one requested.
        meeting = idempotency.submit_once(
            request,
            lambda: apply(
                form,
                lambda d: services.request_meeting(request.user, citizen, purpose=d["purpose"], initiated_by=d["initiated_by"]),
            ),
            lambda m: reverse("meeting-detail", args=[m.pk]),
        )
        if isinstance(meeting, HttpResponse):
            return meeting
        if meeting is not FAILED:
            return redirect("meeting-detail", meeting.pk)
        return render(request, "meetings/create.html", {"citizen": citizen, "form": form}, status=400)
    return render(request, "meetings/create.html", {"citizen": citizen, "form": form})


def _staff_meeting(request, pk) -> NetworkMeeting:
    return policy.get_object(request.user, MEETINGS, pk, policy.MANAGE_MEETINGS)


def _detail(request, meeting, *, bound: tuple[str, Form] | None = None, status: int = 200):
    """The staff page; ``bound`` = (name, form) of a refused change to show again."""
    meeting.refresh_from_db()
    forms_ = {
        "schedule_form": forms.ScheduleForm(initial={"version": meeting.row_version}),
        "cancel_form": forms.CancelForm(),
        "pro_form": forms.ProfessionalForm(),
        "invitees_form": forms.InviteesForm(invitees=services.invitees(meeting)),
        "minutes_form": forms.MinutesForm(participants=meeting.participants.all(), initial={"version": meeting.row_version}),
        "topic_form": forms.TopicForm(),
        "join_form": forms.JoinForm(),
    }
    if bound:
        forms_[bound[0]] = bound[1]
    audit.record_read(request.user, meeting, citizen=meeting.citizen)
    return render(
        request,
        "meetings/detail.html",
        {
            "citizen": meeting.citizen,
            "meeting": meeting,
            "agenda": services.agenda(meeting),
            "participants": _participants(meeting),
            "events": meeting.events.all(),
            "can_manage": policy.can(request.user, policy.MANAGE_MEETINGS, meeting),
            **forms_,
        },
        status=status,
    )


@login_required
@require_safe
def meeting_detail(request, pk):
    return _detail(request, policy.get_object(request.user, MEETINGS, pk, policy.VIEW_MEETING))


def _staff_step(request, meeting, name: str, form, run) -> object:
    """Validate → call the service → back to the meeting page, or the page with the form
    (once per form token: a repeated submit changes nothing and is sent back to the page)."""
    result = idempotency.submit_once(request, lambda: apply(form, run), lambda _: reverse("meeting-detail", args=[meeting.pk]))
    if isinstance(result, HttpResponse):
        return result
    if result is FAILED:
        return _detail(request, meeting, bound=(name, form), status=status_of(form))
    messages.success(request, "Mødet er opdateret.")
    return redirect("meeting-detail", meeting.pk)


@login_required
@require_POST
def meeting_schedule(request, pk):
    meeting = _staff_meeting(request, pk)
    return _staff_step(
        request,
        meeting,
        "schedule_form",
        forms.ScheduleForm(request.POST),
        lambda d: services.plan_time(
            request.user,
            meeting,
            d["starts_at"],
            d["ends_at"],
            d["location"],
            d["reason"],
            expected_version=d["version"],
        ),
    )


@login_required
@require_POST
def meeting_cancel(request, pk):
    meeting = _staff_meeting(request, pk)
    return _staff_step(
        request,
        meeting,
        "cancel_form",
        forms.CancelForm(request.POST),
        lambda d: services.cancel(request.user, meeting, d["reason"]),
    )


@login_required
@require_POST
def meeting_add_professional(request, pk):
    meeting = _staff_meeting(request, pk)
    return _staff_step(
        request,
        meeting,
        "pro_form",
        forms.ProfessionalForm(request.POST),
        lambda d: services.choose_participants(
            request.user,
            meeting,
            members=_chosen_members(meeting),
            professionals=[{"name": d["name"], "email": d["email"], "sector": "regional"}],
        ),
    )


@login_required
@require_POST
def meeting_add_invitees(request, pk):
    meeting = _staff_meeting(request, pk)
    form = forms.InviteesForm(request.POST, invitees=services.invitees(meeting))
    return _staff_step(request, meeting, "invitees_form", form, lambda d: services.add_invitees(request.user, meeting, d["hvem"]))


@login_required
@require_POST
def meeting_join(request, pk):
    meeting = _staff_meeting(request, pk)
    return _staff_step(
        request,
        meeting,
        "join_form",
        forms.JoinForm(request.POST),
        lambda d: services.choose_participants(request.user, meeting, members=_chosen_members(meeting), staff=[request.user]),
    )


@login_required
@require_POST
def meeting_topic(request, pk):
    meeting = _staff_meeting(request, pk)
    return _staff_step(
        request,
        meeting,
        "topic_form",
        forms.TopicForm(request.POST),
        lambda d: services.propose_topic(request.user, meeting, d["text"]),
    )


@login_required
@require_POST
def meeting_minutes(request, pk):
    meeting = _staff_meeting(request, pk)
    form = forms.MinutesForm(request.POST, participants=meeting.participants.all())
    return _staff_step(
        request,
        meeting,
        "minutes_form",
        form,
        lambda d: services.record_minutes(
            request.user,
            meeting,
            perspectives=form.perspectives(),
            citizen_summary=d["citizen_summary"],
            agreements=form.agreements(),
            next_meeting_at=d["next_meeting_at"],
            expected_version=d["version"],
        ),
    )


# --- The citizen and invited relatives (Min side) ----------------------------------------


@citizen_required(relatives=True)
@require_safe
def my_meetings(request):
    user = request.user
    citizen = policy.own_citizen(user)
    linked = []
    if citizen is not None:
        meetings = list(citizen.meetings.all())
        audit.record(user, Read, None, citizen=citizen, object_type="meetings.NetworkMeeting")
    else:
        meetings = []
        members = NetworkMember.objects.filter(user=user).select_related("citizen").order_by("citizen__first_name", "id")
        for member in members:
            # Whether the relative may ask for a meeting: the citizen's current CONTACT consent.
            linked.append(
                {
                    "member": member,
                    "citizen": member.citizen,
                    "may_request": policy.can(user, policy.REQUEST_MEETING, member.citizen),
                }
            )
            if not policy.relative_may(user, member.citizen, consent.Kind.INVITE):
                continue
            invited = MeetingParticipant.objects.filter(member=member, invitation_status=Invitation.INVITED)
            for p in invited.select_related("meeting"):
                meetings.append(p.meeting)
                audit.record_read(user, p.meeting, citizen=member.citizen)
    return render(request, "meetings/my_meetings.html", {"citizen": citizen, "meetings": meetings, "linked": linked})


@citizen_required(relatives=True)
def my_meeting_request(request, pk):
    """A relative asks for a network meeting for a citizen they are linked to — only while
    the citizen consents to the relative being contacted (CONTACT). The citizen still decides
    topics and participants; the caseworker/coordinator takes it from there."""
    user = request.user
    if not policy.is_relative(user):
        raise PermissionDenied("Siden er kun for pårørende.")
    citizen = get_object_or_404(Citizen, pk=pk)
    decision = policy.decide(user, policy.REQUEST_MEETING, citizen)
    if decision.status == 404:
        raise Http404(decision.reason)
    member = policy.membership(user, citizen)
    context = {"citizen": citizen, "member": member}
    if not decision.allowed:
        return render(request, "meetings/my_meeting_request.html", context | {"refused": decision.reason}, status=403)
    form = forms.RelativeRequestForm(request.POST or None)
    if request.method == "POST":
        refused: list[str] = []

        def ask():
            if not form.is_valid():
                return FAILED
            try:
                return services.request_meeting(
                    user, citizen, purpose=form.cleaned_data["purpose"], participation=form.cleaned_data["participation"]
                )
            except services.MeetingError as e:
                if e.code == "no_consent":  # withdrawn since the check above
                    refused.append(e.messages[0])
                else:
                    form.add_domain_error(e)
                return FAILED

        # Once per form token: a repeated submit sends no second request.
        asked = idempotency.submit_once(request, ask, lambda _: reverse("my-meetings"))
        if isinstance(asked, HttpResponse):
            return asked
        if refused:
            return render(request, "meetings/my_meeting_request.html", context | {"refused": refused[0]}, status=403)
        if asked is not FAILED:
            messages.success(
                request,
                f"Tak – din anmodning om et netværksmøde for {citizen.first_name} er sendt. "
                "Sagsbehandleren eller kontaktpersonen kontakter dig.",
            )
            return redirect("my-meetings")
        return render(request, "meetings/my_meeting_request.html", context | {"form": form}, status=400)
    audit.record_read(user, member, citizen=citizen)
    return render(request, "meetings/my_meeting_request.html", context | {"form": form})


def _portal_meeting(request, pk) -> NetworkMeeting:
    """The citizen's own meeting, or one a relative is invited to with consent (404/403)."""
    return policy.get_object(request.user, MEETINGS, pk, policy.TAKE_PART_IN_MEETING)


def _my_page(request, meeting, *, bound: tuple[str, Form] | None = None, status: int = 200):
    user = request.user
    citizen = meeting.citizen
    own = policy.own_citizen(user) == citizen
    participant = None if own else policy.meeting_participant(user, meeting)
    forms_ = {
        "topic_form": forms.TopicForm(),
        "part_form": forms.ParticipationForm(initial={"participation": meeting.participation}),
        "persp_form": forms.PerspectiveForm(),
    }
    if bound:
        forms_[bound[0]] = bound[1]
    audit.record_read(user, meeting, citizen=citizen)
    network = []
    if own:
        chosen = set(
            meeting.participants.filter(member__isnull=False)
            .exclude(invitation_status=Invitation.CANCELLED)
            .values_list("member_id", flat=True)
        )
        state = consent.current_for(citizen)
        network = [
            {"m": m, "chosen": m.pk in chosen, "invite": state.get(m.pk, {}).get(consent.Kind.INVITE, False)}
            for m in citizen.network.order_by("id")
        ]
    return render(
        request,
        "meetings/my_meeting.html",
        {
            "meeting": meeting,
            "own": own,
            "participant": participant,
            "agenda": services.agenda(meeting),
            "network": network,
            "participants": [p for p in meeting.participants.all() if p.invitation_status != Invitation.CANCELLED],
            "events": meeting.events.all(),
            "can_manage": policy.can(request.user, policy.MANAGE_MEETINGS, meeting),
            **forms_,
        },
        status=status,
    )


@citizen_required(relatives=True)
@require_safe
def my_meeting(request, pk):
    return _my_page(request, _portal_meeting(request, pk))


def _my_step(request, meeting, name: str, form, run):
    if apply(form, run) is FAILED:
        return _my_page(request, meeting, bound=(name, form), status=400)
    messages.success(request, "Tak – det er gemt.")
    return redirect("my-meeting", meeting.pk)


@citizen_required(relatives=True)
@require_POST
def my_meeting_topic(request, pk):
    meeting = _portal_meeting(request, pk)
    policy.require(request.user, policy.PROPOSE_MEETING_TOPIC, meeting)
    return _my_step(
        request,
        meeting,
        "topic_form",
        forms.TopicForm(request.POST),
        lambda d: services.propose_topic(request.user, meeting, d["text"]),
    )


@citizen_required(relatives=True)
@require_POST
def my_meeting_perspective(request, pk):
    meeting = _portal_meeting(request, pk)
    policy.require(request.user, policy.ADD_MEETING_PERSPECTIVE, meeting)
    return _my_step(
        request,
        meeting,
        "persp_form",
        forms.PerspectiveForm(request.POST),
        lambda d: services.add_perspective_before(request.user, meeting, d["text"]),
    )


@citizen_required
@require_POST
def my_meeting_participation(request, pk):
    meeting = _portal_meeting(request, pk)
    policy.require(request.user, policy.CHOOSE_MEETING_PARTICIPANTS, meeting)
    return _my_step(
        request,
        meeting,
        "part_form",
        forms.ParticipationForm(request.POST),
        lambda d: services.set_participation(request.user, meeting, d["participation"]),
    )


@citizen_required
@require_POST
def my_meeting_participants(request, pk):
    meeting = _portal_meeting(request, pk)
    policy.require(request.user, policy.CHOOSE_MEETING_PARTICIPANTS, meeting)
    form = forms.ParticipantsForm(request.POST, members=meeting.citizen.network.all())
    if apply(form, lambda d: services.choose_participants(request.user, meeting, members=form.chosen())) is FAILED:
        for error in form.non_field_errors() or [e for errors in form.errors.values() for e in errors]:
            messages.error(request, str(error))
        return _my_page(request, meeting, status=400)
    messages.success(request, "Tak – det er gemt.")
    return redirect("my-meeting", meeting.pk)
