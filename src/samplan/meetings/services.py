"""Network meeting services: the only code that changes meetings. The citizen's wishes for
topics, participants and how to take part come first (DOMAIN.md §7). Invitations go only to
network members with current INVITE consent and to professionals; every change is audited
and the meeting's history (``MeetingEvent``) is append-only."""

import datetime as dt
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from samplan.citizens.models import Citizen, NetworkMember
from samplan.consent import services as consent
from samplan.core import audit, policy
from samplan.core.errors import DomainError
from samplan.core.locking import save_if_unchanged
from samplan.core.models import AuditEvent, Role
from samplan.plans.models import PlanEffort

from .models import MeetingEvent, MeetingParticipant, MeetingTopic, NetworkMeeting

Action = AuditEvent.Action
Kind = consent.Kind
Sector = MeetingParticipant.Sector
Invitation = MeetingParticipant.Invitation
Status = NetworkMeeting.Status

REQUEST, CANCEL = "REQUEST", "CANCEL"

NO_CONSENT_MESSAGE = policy.NO_CONTACT_CONSENT

# The Open Dialogue frame for the facilitator (plain data; the template shows it as a list).
OPEN_DIALOGUE_PROMPTS = [
    "Start med borgerens egne ord: hvad vil du gerne tale om i dag?",
    "Sørg for at alle stemmer bliver hørt – spørg hver deltager om deres perspektiv.",
    "Tål usikkerheden: det er i orden, at vi ikke har svaret endnu.",
    "Tal med hinanden, ikke om borgeren – borgeren er til stede og har sidste ord.",
    "Afslut med aftaler: hvem gør hvad, og hvornår ses vi igen?",
]

_MEMBER_SECTOR = {
    NetworkMember.Kind.MUNICIPAL: Sector.MUNICIPAL,
    NetworkMember.Kind.JOBCENTER: Sector.MUNICIPAL,
    NetworkMember.Kind.REGION: Sector.REGIONAL,
}


class MeetingError(DomainError):
    """A refused meeting change; the message is Danish and user-facing."""


# --- who may do what: the access policy (core.policy) ------------------------------------


def require_manage(user, citizen_or_meeting) -> None:
    """Topics, participants and how the citizen takes part: the citizen or the staff side."""
    policy.require(user, policy.CHOOSE_MEETING_PARTICIPANTS, citizen_or_meeting)


def require_staff(user, citizen_or_meeting) -> None:
    policy.require(user, policy.MANAGE_MEETINGS, citizen_or_meeting)


def relative_participant(user, meeting: NetworkMeeting) -> MeetingParticipant | None:
    """The relative's own, still invited participation (only while INVITE consent is current)."""
    return policy.meeting_participant(user, meeting)


def _snap(meeting: NetworkMeeting) -> dict:
    return audit.snapshot(meeting)


def _event(user, meeting, kind, reason=""):
    return MeetingEvent.objects.create(meeting=meeting, kind=kind, reason=reason, by=user)


def _text(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise MeetingError(message, code="required")
    return value


# --- invitations ----------------------------------------------------------------------------


def invitable_member_ids(meeting: NetworkMeeting) -> set[int]:
    """The citizen's network members who may be invited right now (current INVITE consent),
    in one query. Professionals and the citizen need no consent."""
    return set(consent.members_with(meeting.citizen, Kind.INVITE).values_list("pk", flat=True))


def _enqueue(participant_id: int, method: str) -> None:
    from .tasks import send_invitation

    send_invitation.enqueue(participant_id, method)


def _send(meeting: NetworkMeeting, method: str, participants=None) -> list[MeetingParticipant]:
    """Queue invitations (REQUEST) or cancellations (CANCEL) after commit."""
    sent = []
    rows = participants if participants is not None else meeting.participants.exclude(invitation_status=Invitation.CANCELLED)
    allowed = invitable_member_ids(meeting) if method == REQUEST else set()
    for p in rows:
        if method == REQUEST:
            if (p.member_id is not None and p.member_id not in allowed) or not p.email:
                continue
            if p.invitation_status != Invitation.INVITED:
                p.invitation_status = Invitation.INVITED
                p.save(update_fields=["invitation_status"])
        elif p.invitation_status != Invitation.INVITED and participants is None:
            continue
        if p.email:
            transaction.on_commit(partial(_enqueue, p.pk, method))
            sent.append(p)
    return sent


# --- reminders -------------------------------------------------------------------------

REMIND_WITHIN = dt.timedelta(hours=48)


@transaction.atomic
def queue_reminders(now: dt.datetime | None = None, within: dt.timedelta = REMIND_WITHIN) -> int:
    """Queue one reminder per invited participant for scheduled meetings starting within
    ``within``; each meeting is reminded once (again after it is moved). Run it regularly
    (``manage.py send_meeting_reminders``); the task worker sends the mails."""
    from .tasks import send_reminder

    now = now or timezone.now()
    due = NetworkMeeting.objects.select_for_update().filter(
        status=NetworkMeeting.Status.SCHEDULED,
        reminded_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + within,
    )
    queued = 0
    for meeting in due:
        for p in meeting.participants.filter(invitation_status=Invitation.INVITED).exclude(email=""):
            transaction.on_commit(partial(send_reminder.enqueue, p.pk))
            queued += 1
        before = _snap(meeting)
        meeting.reminded_at = now
        meeting.save(update_fields=["reminded_at"])
        audit.record(None, AuditEvent.Action.UPDATE, meeting, before=before, after=_snap(meeting))
    return queued


# --- the meeting's life -------------------------------------------------------------------


@transaction.atomic
def request_meeting(
    user,
    citizen: Citizen,
    *,
    purpose: str,
    initiated_by: str | None = None,
    participation: str = NetworkMeeting.Participation.IN_PERSON,
) -> NetworkMeeting:
    """Call a network meeting. The citizen, their municipality/psychiatry staff, or a
    relative whose member currently has the citizen's CONTACT consent."""
    member = None
    if policy.is_relative(user):
        member = policy.membership(user, citizen)
        if member is None:
            raise Http404(policy.NOT_FOUND)
        if not consent.current(member, Kind.CONTACT):
            raise MeetingError(NO_CONSENT_MESSAGE, code="no_consent")
        # One open request at a time: the caseworker answers it before another can be sent.
        if NetworkMeeting.objects.filter(
            citizen=citizen, requested_by_member=member, status=NetworkMeeting.Status.DRAFT
        ).exists():
            raise MeetingError(
                "Du har allerede bedt om et netværksmøde, som er under forberedelse. Sagsbehandleren kontakter dig.",
                code="open_request",
            )
        initiated_by = NetworkMeeting.InitiatedBy.RELATIVE
    elif policy.own_citizen(user) == citizen:
        initiated_by = NetworkMeeting.InitiatedBy.CITIZEN
    else:
        require_staff(user, citizen)
        initiated_by = initiated_by or NetworkMeeting.InitiatedBy.MUNICIPALITY
        if initiated_by not in (NetworkMeeting.InitiatedBy.MUNICIPALITY, NetworkMeeting.InitiatedBy.PSYCHIATRY):
            raise MeetingError("Vælg hvem der indkalder.", code="invalid")
    if participation not in NetworkMeeting.Participation.values:
        raise MeetingError("Vælg hvordan borgeren deltager.", code="invalid")
    meeting = NetworkMeeting.objects.create(
        citizen=citizen,
        initiated_by=initiated_by,
        requested_by_member=member,
        created_by=user,
        purpose=_text(purpose, "Skriv kort, hvad mødet skal handle om."),
        participation=participation,
    )
    MeetingParticipant.objects.create(
        meeting=meeting,
        name=citizen.first_name,
        email=citizen.email,
        sector=Sector.CITIZEN,
        user=citizen.user,
    )
    audit.record(user, Action.CREATE, meeting, citizen=citizen, after=_snap(meeting))
    if member is not None:
        transaction.on_commit(partial(_enqueue_request_notice, meeting.pk))
    if initiated_by in (NetworkMeeting.InitiatedBy.RELATIVE, NetworkMeeting.InitiatedBy.CITIZEN):
        _notify_requested(meeting)
    return meeting


def _notify_requested(meeting: NetworkMeeting) -> None:
    """The citizen or a relative asked: the caseworker and the coordinator see it in their inbox."""
    from django.urls import reverse

    from samplan.inbox import services as inbox
    from samplan.inbox.models import Notification

    citizen = meeting.citizen
    who = "En pårørende" if meeting.initiated_by == NetworkMeeting.InitiatedBy.RELATIVE else citizen.full_name
    inbox.notify_many(
        [citizen.caseworker_id, citizen.coordinator_id],
        kind=Notification.Kind.MEETING_REQUESTED,
        text=f"{who} har bedt om et netværksmøde for {citizen.full_name}.",
        url=reverse("meeting-detail", args=[meeting.pk]),
        citizen=citizen,
        key=f"meeting_requested:{meeting.pk}",
    )


def _enqueue_request_notice(meeting_id: int) -> None:
    from .tasks import notify_relative_request

    notify_relative_request.enqueue(meeting_id)


@transaction.atomic
def propose_topic(user, meeting: NetworkMeeting, text: str) -> MeetingTopic:
    policy.require(user, policy.PROPOSE_MEETING_TOPIC, meeting)
    if policy.own_citizen(user) == meeting.citizen:
        by = MeetingTopic.ProposedBy.CITIZEN
    elif policy.is_relative(user):
        by = MeetingTopic.ProposedBy.RELATIVE
    else:
        by = MeetingTopic.ProposedBy.STAFF
    _require_open(meeting)
    last = meeting.topics.order_by("-order").values_list("order", flat=True).first() or 0
    topic = MeetingTopic.objects.create(meeting=meeting, text=_text(text, "Skriv emnet.")[:300], proposed_by=by, order=last + 1)
    audit.record(
        user,
        Action.CREATE,
        topic,
        citizen=meeting.citizen,
        object_type="meetings.MeetingTopic",
        after={"meeting": meeting.pk, "topic": topic.pk, "proposed_by": by},
    )
    return topic


def _require_open(meeting: NetworkMeeting) -> None:
    if not meeting.is_open:
        raise MeetingError("Mødet er aflyst eller afholdt og kan ikke ændres.", code="closed")


@transaction.atomic
def choose_participants(user, meeting: NetworkMeeting, *, members=(), staff=(), professionals=()) -> list[MeetingParticipant]:
    """The citizen chooses whom from their network to invite (staff may do it with the
    citizen). ``members`` replaces the chosen network members; ``staff`` are municipal
    users; ``professionals`` are dicts {name, email, sector} e.g. from the psychiatry."""
    citizen = meeting.citizen
    require_manage(user, citizen)
    _require_open(meeting)
    before = sorted(meeting.participants.exclude(invitation_status=Invitation.CANCELLED).values_list("name", flat=True))
    wanted = {m.pk: m for m in members}
    if any(m.citizen_id != citizen.pk for m in wanted.values()):
        raise MeetingError("Vælg personer fra borgerens eget netværk.", code="invalid")
    current = {p.member_id: p for p in meeting.participants.filter(member__isnull=False)}
    dropped = [p for mid, p in current.items() if mid not in wanted and p.invitation_status != Invitation.CANCELLED]
    for p in dropped:
        was_invited = p.invitation_status == Invitation.INVITED
        p.invitation_status = Invitation.CANCELLED
        p.save(update_fields=["invitation_status"])
        if was_invited and meeting.status == Status.SCHEDULED:
            _send(meeting, CANCEL, [p])
    added = []
    for mid, m in wanted.items():
        p = current.get(mid)
        if p is None:
            p = MeetingParticipant.objects.create(
                meeting=meeting,
                member=m,
                user=m.user,
                name=m.display_name,
                email=m.email,
                sector=_MEMBER_SECTOR.get(m.kind, Sector.NETWORK),
            )
        elif p.invitation_status == Invitation.CANCELLED:
            p.invitation_status = Invitation.NONE
            p.save(update_fields=["invitation_status"])
        added.append(p)
    have_users = set(meeting.participants.filter(member__isnull=True, user__isnull=False).values_list("user_id", flat=True))
    for u in staff:
        if u.pk in have_users:
            continue
        added.append(
            MeetingParticipant.objects.create(
                meeting=meeting,
                user=u,
                name=u.get_full_name() or u.get_username(),
                email=u.email,
                sector=Sector.MUNICIPAL,
            )
        )
    for pro in professionals:
        sector = pro.get("sector") or Sector.REGIONAL
        if sector not in (Sector.MUNICIPAL, Sector.REGIONAL):
            raise MeetingError("Vælg kommune eller region.", code="invalid")
        added.append(
            MeetingParticipant.objects.create(
                meeting=meeting,
                name=_text(pro.get("name", ""), "Skriv navnet."),
                email=(pro.get("email") or "").strip(),
                sector=sector,
            )
        )
    if meeting.status == Status.SCHEDULED:
        _send(meeting, REQUEST, [p for p in added if p.invitation_status != Invitation.INVITED])
    after = sorted(meeting.participants.exclude(invitation_status=Invitation.CANCELLED).values_list("name", flat=True))
    audit.record(user, Action.UPDATE, meeting, citizen=citizen, before={"participants": before}, after={"participants": after})
    return added


# The sector a plan effort's owner sits in (the jobcenter and the GP are not the region).
_EFFORT_SECTOR: dict[str, str] = {PlanEffort.OwnerKind.REGION: Sector.REGIONAL}


@dataclass(frozen=True)
class Invitee:
    """Someone staff may add to the citizen's meeting: a user of the case (``u<id>``), the
    owner of a plan effort (``e<id>``) or a network member with INVITE consent (``m<id>``)."""

    key: str
    name: str
    role: str  # who they are for the citizen, in Danish
    email: str = ""
    sector: str = Sector.MUNICIPAL
    user: Any = None
    member: Any = None


def invitees(meeting: NetworkMeeting) -> list[Invitee]:
    """The professionals of the citizen's plan and the consented network not yet taking part."""
    citizen = meeting.citizen
    taking_part = list(meeting.participants.exclude(invitation_status=Invitation.CANCELLED))
    users = {p.user_id for p in taking_part if p.user_id}
    members = {p.member_id for p in taking_part if p.member_id}
    names = {p.name for p in taking_part}
    found = [
        Invitee(f"u{u.pk}", u.get_full_name() or u.get_username(), str(Role(u.role).label), u.email, user=u)
        for u in policy.meeting_invitable_staff(citizen)
        if u.pk not in users
    ]
    efforts = PlanEffort.objects.filter(plan__citizen=citizen).exclude(status=PlanEffort.Status.ENDED).order_by("pk")
    for e in efforts:
        name = e.responsible or e.owner_name
        if name and name not in names and e.owner_kind != PlanEffort.OwnerKind.GRANT:
            names.add(name)
            role = f"{e.get_owner_kind_display()}: {e.title}"
            found.append(Invitee(f"e{e.pk}", name, role, sector=_EFFORT_SECTOR.get(e.owner_kind, Sector.MUNICIPAL)))
    for m in consent.members_with(citizen, Kind.INVITE).order_by("pk"):
        if m.pk not in members:
            found.append(Invitee(f"m{m.pk}", m.display_name, m.relation or "Netværk", m.email, member=m))
    return found


def add_invitees(user, meeting: NetworkMeeting, keys) -> list[MeetingParticipant]:
    """Add the chosen people of ``invitees`` (anyone else is refused, so a form cannot smuggle
    in a user of another unit); network members join those already chosen."""
    offered = {i.key: i for i in invitees(meeting)}
    chosen = [offered.get(k) for k in keys]
    if not chosen or None in chosen:
        raise MeetingError("Vælg mindst én fra listen.", code="invalid")
    picked = [i for i in chosen if i is not None]
    current = [
        p.member
        for p in meeting.participants.filter(member__isnull=False)
        .select_related("member")
        .exclude(invitation_status=Invitation.CANCELLED)
    ]
    return choose_participants(
        user,
        meeting,
        members=current + [i.member for i in picked if i.member is not None],
        staff=[i.user for i in picked if i.user is not None],
        professionals=[
            {"name": i.name, "email": i.email, "sector": i.sector} for i in picked if i.user is None and i.member is None
        ],
    )


@transaction.atomic
def set_participation(user, meeting: NetworkMeeting, participation: str) -> NetworkMeeting:
    require_manage(user, meeting.citizen)
    _require_open(meeting)
    if participation not in NetworkMeeting.Participation.values:
        raise MeetingError("Vælg hvordan du vil deltage.", code="invalid")
    before = meeting.participation
    meeting.participation = participation
    meeting.save(update_fields=["participation"])
    audit.record(user, Action.UPDATE, meeting, before={"participation": before}, after={"participation": participation})
    return meeting


def _check_times(starts_at, ends_at):
    if not starts_at or not ends_at:
        raise MeetingError("Skriv hvornår mødet starter og slutter.", code="required")
    if ends_at <= starts_at:
        raise MeetingError("Mødet skal slutte efter det starter.", code="invalid")


@transaction.atomic
def schedule(
    user,
    meeting: NetworkMeeting,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    location: str,
    *,
    expected_version: int | None = None,
) -> NetworkMeeting:
    require_staff(user, meeting.citizen)
    meeting = NetworkMeeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != Status.DRAFT:
        raise MeetingError("Mødet er allerede planlagt. Flyt det i stedet, og skriv hvorfor.", code="invalid")
    _check_times(starts_at, ends_at)
    before = _snap(meeting)
    meeting.starts_at, meeting.ends_at = starts_at, ends_at
    meeting.location = _text(location, "Skriv hvor mødet holdes (eller 'online').")
    meeting.status = Status.SCHEDULED
    save_if_unchanged(meeting, expected_version, ["starts_at", "ends_at", "location", "status"], what="Mødet")
    _event(user, meeting, MeetingEvent.Kind.SCHEDULED)
    audit.record(user, Action.UPDATE, meeting, before=before, after=_snap(meeting))
    _send(meeting, REQUEST)
    return meeting


def plan_time(
    user,
    meeting: NetworkMeeting,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    location: str,
    reason: str = "",
    *,
    expected_version: int | None = None,
) -> NetworkMeeting:
    """Set the meeting's time: a draft is scheduled (invitations go out), a scheduled one
    is moved (which needs a reason the participants are told). ``expected_version`` is the
    ``row_version`` the page showed: a time set by someone else meanwhile is an
    ``EditConflict``, not overwritten."""
    if meeting.status == Status.SCHEDULED:
        return reschedule(user, meeting, starts_at, ends_at, reason, location, expected_version=expected_version)
    return schedule(user, meeting, starts_at, ends_at, location, expected_version=expected_version)


@transaction.atomic
def reschedule(
    user,
    meeting: NetworkMeeting,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    reason: str,
    location: str | None = None,
    *,
    expected_version: int | None = None,
) -> NetworkMeeting:
    require_staff(user, meeting.citizen)
    meeting = NetworkMeeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != Status.SCHEDULED:
        raise MeetingError("Kun et planlagt møde kan flyttes.", code="invalid")
    reason = _text(reason, "Skriv hvorfor mødet flyttes – borgeren og netværket får begrundelsen.")
    _check_times(starts_at, ends_at)
    before = _snap(meeting)
    meeting.starts_at, meeting.ends_at = starts_at, ends_at
    if location:
        meeting.location = location.strip()
    meeting.sequence += 1
    meeting.reminded_at = None  # remind again before the new time
    save_if_unchanged(meeting, expected_version, ["starts_at", "ends_at", "location", "sequence", "reminded_at"], what="Mødet")
    _event(user, meeting, MeetingEvent.Kind.RESCHEDULED, reason)
    audit.record(user, Action.UPDATE, meeting, before=before, after=_snap(meeting) | {"reason": reason})
    _send(meeting, REQUEST)
    return meeting


@transaction.atomic
def cancel(user, meeting: NetworkMeeting, reason: str) -> NetworkMeeting:
    require_staff(user, meeting.citizen)
    meeting = NetworkMeeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status in (Status.CANCELLED, Status.HELD):
        raise MeetingError("Mødet er allerede aflyst eller afholdt.", code="invalid")
    reason = _text(reason, "Skriv hvorfor mødet aflyses – borgeren og netværket får begrundelsen.")
    before = _snap(meeting)
    was_scheduled = meeting.status == Status.SCHEDULED
    meeting.status = Status.CANCELLED
    meeting.sequence += 1
    meeting.save()
    _event(user, meeting, MeetingEvent.Kind.CANCELLED, reason)
    audit.record(user, Action.UPDATE, meeting, before=before, after=_snap(meeting) | {"reason": reason})
    if was_scheduled:
        _send(meeting, CANCEL)
    return meeting


def upcoming(citizen: Citizen):
    now = timezone.now()
    from django.db.models import Q

    return NetworkMeeting.objects.filter(citizen=citizen, status__in=[Status.DRAFT, Status.SCHEDULED]).filter(
        Q(starts_at__isnull=True) | Q(starts_at__gte=now)
    )


def on_consent_withdrawn(member: NetworkMember, kind: str, user=None) -> list[MeetingParticipant]:
    """When a consent is withdrawn (the ``consent.signals.consent_withdrawn`` receiver,
    connected in apps.py): without INVITE the member is taken off every upcoming meeting,
    and a sent invitation is cancelled."""
    if kind != Kind.INVITE:
        return []
    removed = []
    for p in (
        MeetingParticipant.objects.filter(member=member, meeting__in=upcoming(member.citizen))
        .exclude(invitation_status=Invitation.CANCELLED)
        .select_related("meeting")
    ):
        was_invited = p.invitation_status == Invitation.INVITED
        p.invitation_status = Invitation.CANCELLED
        p.save(update_fields=["invitation_status"])
        if was_invited:
            _send(p.meeting, CANCEL, [p])
        audit.record(
            user,
            Action.UPDATE,
            p,
            citizen=member.citizen,
            object_type="meetings.MeetingParticipant",
            before={"invitation_status": Invitation.INVITED if was_invited else Invitation.NONE},
            after={"invitation_status": Invitation.CANCELLED, "reason": "consent_withdrawn"},
        )
        removed.append(p)
    return removed


def consent_withdrawn_receiver(sender, *, member: NetworkMember, kind: str, user=None, **kwargs) -> None:
    on_consent_withdrawn(member, kind, user)


def agenda(meeting: NetworkMeeting) -> dict:
    """The citizen's topics first, then others', and the Open Dialogue prompts."""
    topics = list(meeting.topics.all())
    citizen_first = sorted(topics, key=lambda t: (t.proposed_by != MeetingTopic.ProposedBy.CITIZEN, t.order, t.pk))
    return {
        "purpose": meeting.purpose,
        "topics": [
            {"text": t.text, "proposed_by": t.get_proposed_by_display(), "citizen": t.proposed_by == "citizen"}
            for t in citizen_first
        ],
        "prompts": list(OPEN_DIALOGUE_PROMPTS),
    }


@transaction.atomic
def add_perspective_before(user, meeting: NetworkMeeting, text: str) -> MeetingParticipant:
    """A relative (invited, with consent) sends their perspective before the meeting."""
    policy.require(user, policy.ADD_MEETING_PERSPECTIVE, meeting)
    participant = relative_participant(user, meeting)
    if participant is None:  # the policy said yes, so only a withdrawal since then gets here
        raise PermissionDenied(policy.NOT_INVITED)
    _require_open(meeting)
    before = participant.perspective_before
    participant.perspective_before = _text(text, "Skriv dit perspektiv.")
    participant.save(update_fields=["perspective_before"])
    audit.record(
        user,
        Action.UPDATE,
        participant,
        citizen=meeting.citizen,
        object_type="meetings.MeetingParticipant",
        before={"perspective_before": before},
        after={"perspective_before": participant.perspective_before},
    )
    return participant


@transaction.atomic
def record_minutes(
    user,
    meeting: NetworkMeeting,
    *,
    perspectives: dict | None = None,
    citizen_summary: str = "",
    agreements=(),
    next_meeting_at: dt.date | None = None,
    expected_version: int | None = None,
) -> NetworkMeeting:
    """Minutes: each voice's perspective, the citizen's summary, agreements (they become
    agreements in the citizen's plan, with owner and due date) and the next meeting."""
    from samplan.plans import services as plans

    require_staff(user, meeting.citizen)
    meeting = NetworkMeeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != Status.SCHEDULED:
        raise MeetingError("Referatet kan kun skrives for et planlagt møde.", code="invalid")
    before = _snap(meeting)
    meeting.citizen_summary = (citizen_summary or "").strip()
    meeting.next_meeting_at = next_meeting_at
    meeting.status = Status.HELD
    # First the compare-and-set: a meeting moved meanwhile is a conflict before anything is written.
    save_if_unchanged(meeting, expected_version, ["citizen_summary", "next_meeting_at", "status"], what="Mødet")
    # Minutes mark the meeting held: not before it has begun. After the compare-and-set, so a
    # stale page still reads as a conflict; the transaction undoes the save.
    if meeting.starts_at is None or meeting.starts_at > timezone.now():
        raise MeetingError("Referatet kan først skrives, når mødet er begyndt.", code="not_started")
    by_pk = {p.pk: p for p in meeting.participants.all()} if perspectives else {}
    for pid, text in (perspectives or {}).items():
        p = by_pk.get(int(pid))
        if p is None:
            raise MeetingError("Ukendt deltager.", code="invalid")
        p.perspective = (text or "").strip()
        p.save(update_fields=["perspective"])
    plan = plans.get_or_create_plan(meeting.citizen, user)
    created = [
        plans.add_agreement(
            user,
            plan,
            who=a.get("who", ""),
            what=a.get("what", ""),
            due=a.get("due"),
            responsible_is_citizen=bool(a.get("responsible_is_citizen")),
        )
        for a in agreements
    ]
    if next_meeting_at is not None:
        plan.refresh_from_db()
        plans.set_next_meeting(user, plan, next_meeting_at)
    _event(user, meeting, MeetingEvent.Kind.HELD)
    audit.record(user, Action.UPDATE, meeting, before=before, after=_snap(meeting) | {"agreements": [a.pk for a in created]})
    return meeting
