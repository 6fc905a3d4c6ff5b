"""Background sending of meeting invitations (the database task queue keeps them if the
server stops between queueing and sending)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, time_format

from samplan.core import policy

from . import ics
from .models import MeetingEvent, MeetingParticipant


def _when(meeting) -> str:
    start = timezone.localtime(meeting.starts_at)
    end = timezone.localtime(meeting.ends_at)
    return f"{date_format(start, 'SHORT_DATE_FORMAT')} kl. {time_format(start)}–{time_format(end)}"


def _where_to_look(participant: MeetingParticipant) -> str:
    """Staff with a login read the agenda on the meeting's staff page; the citizen and the
    network on Min side; a professional without a login gets it from the municipality."""
    user = participant.user
    if user is not None and policy.is_staff_user(user):
        url = settings.SAMPLAN_BASE_URL + reverse("meeting-detail", args=[participant.meeting_id])
        return f"Du kan se dagsordenen i Samplan: {url}"
    if participant.member_id is not None or participant.sector == MeetingParticipant.Sector.CITIZEN or user is not None:
        url = settings.SAMPLAN_BASE_URL + reverse("my-meeting", args=[participant.meeting_id])
        return f"Du kan se dagsordenen på Min side: {url}"
    return "Du får dagsordenen fra kommunen."


def build_message(participant: MeetingParticipant, method: str) -> EmailMessage:
    meeting = participant.meeting
    last = meeting.events.order_by("-at", "-id").first()
    greeting = f"Kære {participant.name}"
    if method == "CANCEL":
        if meeting.status == meeting.Status.CANCELLED:
            subject = "Netværksmødet er aflyst"
            body = [greeting, "", f"Netværksmødet {_when(meeting)} er aflyst."]
            if last is not None and last.kind == MeetingEvent.Kind.CANCELLED and last.reason:
                body += ["", f"Begrundelse: {last.reason}"]
        else:
            subject = "Din invitation til netværksmødet er trukket tilbage"
            body = [greeting, "", f"Din invitation til netværksmødet {_when(meeting)} er trukket tilbage."]
    else:
        moved = last is not None and last.kind == MeetingEvent.Kind.RESCHEDULED and meeting.sequence > 0
        subject = "Netværksmødet er flyttet" if moved else "Invitation til netværksmøde"
        body = [greeting, "", f"{'Mødet er flyttet til' if moved else 'Du er inviteret til et netværksmøde'} {_when(meeting)}."]
        if meeting.location:
            body.append(f"Sted: {meeting.location}")
        if moved and last.reason:
            body += ["", f"Begrundelse: {last.reason}"]
        body += ["", _where_to_look(participant), "Kalenderinvitationen er vedhæftet."]
    body += ["", "Venlig hilsen", "Samplan"]
    message = EmailMessage(subject, "\n".join(body), settings.DEFAULT_FROM_EMAIL, [participant.email])
    message.attach("invitation.ics", ics.build(meeting, method, participant), f"text/calendar; method={method}")
    return message


@task()
def send_invitation(participant_id: int, method: str) -> bool:
    participant = MeetingParticipant.objects.select_related("meeting", "user").filter(pk=participant_id).first()
    if participant is None or not participant.email:
        return False
    build_message(participant, method).send()
    return True


@task()
def send_reminder(participant_id: int) -> bool:
    """A reminder a day or two before the meeting, to each invited participant."""
    participant = MeetingParticipant.objects.select_related("meeting").filter(pk=participant_id).first()
    if participant is None or not participant.email or participant.invitation_status != MeetingParticipant.Invitation.INVITED:
        return False
    meeting = participant.meeting
    body = [f"Kære {participant.name}", "", f"Husk netværksmødet {_when(meeting)}."]
    if meeting.location:
        body.append(f"Sted: {meeting.location}")
    body += ["", "Du kan se dagsordenen på Min side.", "", "Venlig hilsen", "Samplan"]
    EmailMessage("Påmindelse om netværksmøde", "\n".join(body), settings.DEFAULT_FROM_EMAIL, [participant.email]).send()
    return True


@task()
def notify_relative_request(meeting_id: int) -> int:
    """Tell the citizen's caseworker and coordinator that a relative asked for a network
    meeting. No CPR and not the relative's free text in the mail — only where to look."""
    from .models import NetworkMeeting

    meeting = NetworkMeeting.objects.select_related("citizen__caseworker", "citizen__coordinator").filter(pk=meeting_id).first()
    if meeting is None:
        return 0
    citizen = meeting.citizen
    recipients = sorted({u.email for u in (citizen.caseworker, citizen.coordinator) if u is not None and u.is_active and u.email})
    if not recipients:
        return 0
    url = settings.SAMPLAN_BASE_URL + reverse("meeting-detail", args=[meeting.pk])
    body = [
        "Hej",
        "",
        f"En pårørende har bedt om et netværksmøde for {citizen.first_name}.",
        "Borgeren bestemmer selv emnerne og hvem der er med – tal med borgeren, før mødet planlægges.",
        "",
        f"Se anmodningen i Samplan: {url}",
        "",
        "Venlig hilsen",
        "Samplan",
    ]
    EmailMessage(
        f"En pårørende har bedt om et netværksmøde for {citizen.first_name}",
        "\n".join(body),
        settings.DEFAULT_FROM_EMAIL,
        recipients,
    ).send()
    return len(recipients)
