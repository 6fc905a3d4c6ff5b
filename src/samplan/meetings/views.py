"""Network meeting pages. Thin: fetch through the policy, validate, call a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from samplan.citizens.models import Citizen, NetworkMember
from samplan.consent import services as consent
from samplan.core import audit, policy
from samplan.core.models import AuditEvent, Role
from samplan.portal.decorators import citizen_required

from . import forms, services
from .models import MeetingParticipant, NetworkMeeting

Read = AuditEvent.Action.READ


def _staff_citizen(request, pk):
    citizen = get_object_or_404(policy.citizens_for(request.user), pk=pk)
    services.require_staff(request.user, citizen)
    return citizen


def _participants(meeting):
    """Each participant with their INVITE consent (None for those who need none), with the
    consent state of the whole network read once."""
    state = consent.current_for(meeting.citizen)
    return [
        {"p": p, "consent": None if p.member_id is None else state.get(p.member_id, {}).get(consent.Kind.INVITE, False)}
        for p in meeting.participants.all()
    ]


def _chosen_members(meeting):
    """The network members currently chosen for the meeting (kept when staff add others)."""
    return [
        p.member
        for p in meeting.participants.filter(member__isnull=False)
        .select_related("member")
        .exclude(invitation_status=MeetingParticipant.Invitation.CANCELLED)
    ]


@login_required
def meeting_list(request, pk):
    citizen = _staff_citizen(request, pk)
    meetings = list(citizen.meetings.select_related("requested_by_member__user").prefetch_related("participants"))
    audit.record(request.user, Read, None, citizen=citizen, object_type="meetings.NetworkMeeting")
    return render(request, "meetings/list.html", {"citizen": citizen, "meetings": meetings})


@login_required
def meeting_create(request, pk):
    citizen = _staff_citizen(request, pk)
    form = forms.RequestForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                meeting = services.request_meeting(
                    request.user, citizen, purpose=form.cleaned_data["purpose"], initiated_by=form.cleaned_data["initiated_by"]
                )
            except ValidationError as e:
                form.add_domain_error(e)
            else:
                return redirect("meeting-detail", meeting.pk)
        return render(request, "meetings/create.html", {"citizen": citizen, "form": form}, status=400)
    return render(request, "meetings/create.html", {"citizen": citizen, "form": form})


def _try(request, form, action):
    if not form.is_valid():
        return False
    try:
        action(form.cleaned_data)
    except ValidationError as e:
        form.add_domain_error(e)
        return False
    return True


@login_required
def meeting_detail(request, pk):
    meeting = get_object_or_404(policy.visible(request.user, NetworkMeeting.objects.all()), pk=pk)
    citizen = meeting.citizen
    services.require_staff(request.user, citizen)
    user = request.user
    post = request.POST if request.method == "POST" else None
    handling = request.POST.get("handling") if post else None
    schedule_form = forms.ScheduleForm(post if handling == "planlaeg" else None)
    cancel_form = forms.CancelForm(post if handling == "aflys" else None)
    pro_form = forms.ProfessionalForm(post if handling == "region" else None)
    minutes_form = forms.MinutesForm(post if handling == "referat" else None)
    topic_form = forms.TopicForm(post if handling == "emne" else None)
    join_form = forms.JoinForm(post if handling == "mig" else None)
    if post is not None:
        d = None
        if handling == "planlaeg":

            def d(c):
                if meeting.status == NetworkMeeting.Status.SCHEDULED:
                    services.reschedule(user, meeting, c["starts_at"], c["ends_at"], c["reason"], c["location"])
                else:
                    services.schedule(user, meeting, c["starts_at"], c["ends_at"], c["location"])

            form = schedule_form
        elif handling == "aflys":
            form, d = cancel_form, (lambda c: services.cancel(user, meeting, c["reason"]))
        elif handling == "region":
            form, d = (
                pro_form,
                (
                    lambda c: services.choose_participants(
                        user,
                        meeting,
                        members=_chosen_members(meeting),
                        professionals=[{"name": c["name"], "email": c["email"], "sector": "regional"}],
                    )
                ),
            )
        elif handling == "mig":
            form, d = (
                join_form,
                (lambda c: services.choose_participants(user, meeting, members=_chosen_members(meeting), staff=[user])),
            )
        elif handling == "emne":
            form, d = topic_form, (lambda c: services.propose_topic(user, meeting, c["text"]))
        elif handling == "referat":

            def d(c):
                agreements = []
                if c["agreement_what"]:
                    agreements.append(
                        {
                            "who": c["agreement_who"],
                            "what": c["agreement_what"],
                            "due": c["agreement_due"],
                            "responsible_is_citizen": c["agreement_citizen"],
                        }
                    )
                perspectives = {p.pk: request.POST.get(f"perspektiv_{p.pk}", "") for p in meeting.participants.all()}
                services.record_minutes(
                    user,
                    meeting,
                    perspectives=perspectives,
                    citizen_summary=c["citizen_summary"],
                    agreements=agreements,
                    next_meeting_at=c["next_meeting_at"],
                )

            form = minutes_form
        if d is None:
            raise PermissionDenied("Ukendt handling.")
        if _try(request, form, d):
            messages.success(request, "Mødet er opdateret.")
            return redirect("meeting-detail", meeting.pk)
        status = 400
    else:
        status = 200
    meeting.refresh_from_db()
    audit.record_read(user, meeting, citizen=citizen)
    return render(
        request,
        "meetings/detail.html",
        {
            "citizen": citizen,
            "meeting": meeting,
            "agenda": services.agenda(meeting),
            "participants": _participants(meeting),
            "schedule_form": schedule_form,
            "cancel_form": cancel_form,
            "pro_form": pro_form,
            "minutes_form": minutes_form,
            "topic_form": topic_form,
            "join_form": join_form,
            "events": meeting.events.all(),
        },
        status=status,
    )


def _own_citizen(user):
    return policy.citizens_for(user).first() if user.role == Role.CITIZEN else None


@citizen_required(relatives=True)
def my_meetings(request):
    user = request.user
    citizen = _own_citizen(user)
    linked = []
    if citizen is not None:
        meetings = list(citizen.meetings.all())
        audit.record(user, Read, None, citizen=citizen, object_type="meetings.NetworkMeeting")
    else:
        meetings = []
        for member in NetworkMember.objects.filter(user=user).select_related("citizen").order_by("citizen__first_name", "id"):
            # Whether the relative may ask for a meeting: the citizen's current CONTACT consent.
            linked.append(
                {
                    "member": member,
                    "citizen": member.citizen,
                    "may_request": policy.relative_may(user, member.citizen, consent.Kind.CONTACT),
                }
            )
            if not consent.current(member, consent.Kind.INVITE):
                continue
            for p in MeetingParticipant.objects.filter(
                member=member, invitation_status=MeetingParticipant.Invitation.INVITED
            ).select_related("meeting"):
                meetings.append(p.meeting)
                audit.record_read(user, p.meeting, citizen=member.citizen)
    return render(request, "meetings/my_meetings.html", {"citizen": citizen, "meetings": meetings, "linked": linked})


@citizen_required(relatives=True)
def my_meeting_request(request, pk):
    """A relative asks for a network meeting for a citizen they are linked to — only while
    the citizen consents to the relative being contacted (CONTACT). The citizen still decides
    topics and participants; the caseworker/coordinator takes it from there."""
    user = request.user
    if user.role != Role.RELATIVE:
        raise PermissionDenied("Siden er kun for pårørende.")
    citizen = get_object_or_404(Citizen, pk=pk)
    member = policy.membership(user, citizen)
    if member is None:
        raise Http404("Siden findes ikke.")
    context = {"citizen": citizen, "member": member}
    if not policy.relative_may(user, citizen, consent.Kind.CONTACT):
        return render(request, "meetings/my_meeting_request.html", context | {"refused": services.NO_CONSENT_MESSAGE}, status=403)
    form = forms.RelativeRequestForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.request_meeting(
                    user, citizen, purpose=form.cleaned_data["purpose"], participation=form.cleaned_data["participation"]
                )
            except ValidationError as e:
                if getattr(e, "code", None) == "no_consent":  # withdrawn since the check above
                    return render(request, "meetings/my_meeting_request.html", context | {"refused": e.messages[0]}, status=403)
                form.add_domain_error(e)
            else:
                messages.success(
                    request,
                    f"Tak – din anmodning om et netværksmøde for {citizen.first_name} er sendt. "
                    "Sagsbehandleren eller kontaktpersonen kontakter dig.",
                )
                return redirect("my-meetings")
        return render(request, "meetings/my_meeting_request.html", context | {"form": form}, status=400)
    audit.record_read(user, member, citizen=citizen)
    return render(request, "meetings/my_meeting_request.html", context | {"form": form})


@citizen_required(relatives=True)
def my_meeting(request, pk):
    user = request.user
    meeting = get_object_or_404(NetworkMeeting, pk=pk)
    citizen = meeting.citizen
    own = citizen.user_id == user.pk and user.role == Role.CITIZEN
    participant = None if own else services.relative_participant(user, meeting)
    if not own and participant is None:
        if user.role == Role.RELATIVE and policy.membership(user, citizen) is not None:
            raise PermissionDenied("Du er ikke inviteret til dette møde.")
        raise Http404("Siden findes ikke.")
    post = request.POST if request.method == "POST" else None
    handling = request.POST.get("handling") if post else None
    topic_form = forms.TopicForm(post if handling == "emne" else None)
    part_form = forms.ParticipationForm(
        post if handling == "deltagelse" else None, initial={"participation": meeting.participation}
    )
    persp_form = forms.PerspectiveForm(post if handling == "perspektiv" else None)
    status = 200
    if post is not None:
        if handling == "emne":
            ok = _try(request, topic_form, lambda c: services.propose_topic(user, meeting, c["text"]))
        elif handling == "perspektiv" and participant is not None:
            ok = _try(request, persp_form, lambda c: services.add_perspective_before(user, meeting, c["text"]))
        elif handling == "deltagelse" and own:
            ok = _try(request, part_form, lambda c: services.set_participation(user, meeting, c["participation"]))
        elif handling == "deltagere" and own:
            ids = [int(i) for i in request.POST.getlist("medlem") if i.isdigit()]
            members = list(citizen.network.filter(pk__in=ids))
            try:
                services.choose_participants(user, meeting, members=members)
                ok = True
            except ValidationError as e:
                messages.error(request, e.messages[0])
                ok = False
        else:
            raise PermissionDenied("Ukendt handling.")
        if ok:
            messages.success(request, "Tak – det er gemt.")
            return redirect("my-meeting", meeting.pk)
        status = 400
    audit.record_read(user, meeting, citizen=citizen)
    chosen = set(
        meeting.participants.filter(member__isnull=False)
        .exclude(invitation_status=MeetingParticipant.Invitation.CANCELLED)
        .values_list("member_id", flat=True)
    )
    network = []
    if own:
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
            "topic_form": topic_form,
            "part_form": part_form,
            "persp_form": persp_form,
            "network": network,
            "participants": [
                p for p in meeting.participants.all() if p.invitation_status != MeetingParticipant.Invitation.CANCELLED
            ],
            "events": meeting.events.all(),
        },
        status=status,
    )
