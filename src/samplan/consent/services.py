"""Consent services: the only code that records consent changes and adds network members.

Current state = the latest ``ConsentEvent`` for (member, kind); no event = no consent.
Nothing is cached: every access check asks the database, so a withdrawal takes effect on
the very next request — in the access policy (``policy.relative_may``) and for
invitations (``members_with(citizen, Kind.INVITE)``)."""

from collections.abc import Callable

from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery

from samplan.citizens.models import Citizen, NetworkMember
from samplan.core import audit, policy
from samplan.core.errors import DomainError
from samplan.core.models import AuditEvent, Role

from .models import ConsentEvent
from .signals import consent_withdrawn

Kind = ConsentEvent.Kind

# Fictional contact for the demo municipality's relatives' counsellor (pårørendevejleder).
RELATIVES_COUNSELLOR = (
    "Pårørendevejlederen kan hjælpe dig: ring på 45 00 00 00 (hverdage kl. 9–12) "
    "eller skriv til paaroerendevejleder@kommune.example. Du kan få en samtale, "
    "være med i en pårørendegruppe eller komme til temaaftener."
)


# What each consent means, in the relative's words.
RELATIVE_WORDING = {
    Kind.CONTACT: "Du må kontaktes af medarbejderne.",
    Kind.INVITE: "Du må inviteres til møder.",
    Kind.SEE_PLAN: "Du må se planen.",
}


class ConsentError(DomainError):
    """A refused consent change; the message is Danish and user-facing."""


def _latest(member_ref, kind: str) -> QuerySet:
    return ConsentEvent.objects.filter(member=member_ref, kind=kind).order_by("-at", "-id")


def current(member: NetworkMember, kind: str) -> bool:
    """Does the member have the citizen's consent for ``kind`` right now?"""
    return bool(_latest(member, kind).values_list("granted", flat=True).first())


def current_for(citizen: Citizen) -> dict[int, dict[str, bool]]:
    """{member_id: {kind: bool}} for every member of the citizen's network, in two queries
    whatever the number of members or events."""
    state = {pk: {k: False for k in Kind.values} for pk in citizen.network.values_list("pk", flat=True)}
    events = ConsentEvent.objects.filter(citizen=citizen).order_by("at", "id").values_list("member_id", "kind", "granted")
    for member_id, kind, granted in events:
        if member_id in state:
            state[member_id][kind] = granted
    return state


def members_with(citizen: Citizen, kind: str) -> QuerySet:
    """The citizen's network members who currently have consent ``kind`` (e.g. whom a
    meeting invitation may go to)."""
    latest = _latest(OuterRef("pk"), kind).values("granted")[:1]
    return NetworkMember.objects.filter(citizen=citizen).annotate(_consent=Subquery(latest)).filter(_consent=True)


def _require_manage(user, citizen: Citizen) -> None:
    """Only the citizen themself or a caseworker who may work the citizen's case (404 when
    the citizen is invisible, 403 when the action is not theirs)."""
    policy.require(user, policy.MANAGE_CONSENT, citizen)  # MANAGE_CONSENT already is WORK_CASE for caseworkers


@transaction.atomic
def _change(user, member: NetworkMember, kind: str, granted: bool, note: str) -> ConsentEvent | None:
    citizen = member.citizen
    _require_manage(user, citizen)
    if kind not in Kind.values:
        raise ConsentError("Ukendt type samtykke.", code="invalid")
    # Serialise changes for this member so "before" is the real previous state.
    NetworkMember.objects.select_for_update().filter(pk=member.pk).first()
    before = current(member, kind)
    if before == granted:
        return None  # nothing changes (e.g. a double click); the history stays a list of changes
    event = ConsentEvent.objects.create(
        citizen=citizen,
        member=member,
        kind=kind,
        granted=granted,
        by_user=user,
        by_role=user.role,
        note=note.strip()[:300],
    )
    audit.record(
        user,
        AuditEvent.Action.UPDATE,
        event,
        citizen=citizen,
        before={"member": member.pk, "kind": kind, "granted": before},
        after={"member": member.pk, "kind": kind, "granted": granted, "event": event.pk},
    )
    policy.forget()  # the rest of this request sees the new consent too
    return event


def give(user, member: NetworkMember, kind: str, note: str = "") -> ConsentEvent | None:
    return _change(user, member, kind, True, note)


def withdraw(user, member: NetworkMember, kind: str, note: str = "") -> ConsentEvent | None:
    event = _change(user, member, kind, False, note)
    if event is not None:
        # E.g. samplan.meetings takes the member off upcoming meetings (consent sits below it).
        consent_withdrawn.send(sender=ConsentEvent, member=member, kind=kind, user=user)
    return event


@transaction.atomic
def add_member(
    user,
    citizen: Citizen,
    *,
    name: str,
    relation: str,
    email: str = "",
    phone: str = "",
    member_user=None,
    kind: str = NetworkMember.Kind.OTHER,
    circle: str = NetworkMember.Circle.MIDDLE,
    organisation: str = "",
) -> NetworkMember:
    _require_manage(user, citizen)
    if not name.strip() and member_user is None:
        raise ConsentError("Skriv personens navn.", code="required")
    if not relation.strip():
        raise ConsentError("Skriv hvem personen er for dig, fx mor, ven eller egen læge.", code="required")
    if kind not in NetworkMember.Kind.values:
        raise ConsentError("Vælg hvilken slags person det er.", code="invalid")
    if circle not in NetworkMember.Circle.values:
        raise ConsentError("Vælg hvor tæt på dig personen er.", code="invalid")
    member = NetworkMember.objects.create(
        citizen=citizen,
        name=name.strip(),
        relation=relation.strip(),
        email=email.strip(),
        phone=phone.strip(),
        user=member_user,
        kind=kind,
        circle=circle,
        organisation=organisation.strip(),
    )
    audit.record(user, AuditEvent.Action.CREATE, member, citizen=citizen, after=audit.snapshot(member))
    return member


def history(citizen: Citizen, viewer) -> list[dict]:
    """The consent history in plain words, newest first, for the citizen's page or the
    caseworker's page."""
    events = ConsentEvent.objects.filter(citizen=citizen).select_related("member__user", "by_user").order_by("-at", "-id")
    # Who changed it, by the role recorded on the event (the citizen reads "Du" for their own).
    citizen_word = "Du" if policy.is_citizen(viewer) else "Borgeren"
    by_role: dict[str, Callable[[ConsentEvent], str]] = {
        Role.CITIZEN: lambda e: citizen_word,
        Role.CASEWORKER: lambda e: f"{e.by_user.get_full_name() or e.by_user.get_username()} via sagsbehandler",
    }
    rows = []
    for e in events:
        if e.by_user_id == viewer.pk:
            who = "Du"
        else:
            who = by_role.get(e.by_role, lambda e: e.by_user.get_full_name() or e.by_user.get_username())(e)
        verb = "gav samtykke" if e.granted else "trak samtykket tilbage"
        rows.append(
            {
                "at": e.at,
                "who": who,
                "event": e,
                "text": f"{who} {verb}: {e.member.display_name} ({e.member.relation}) – {e.get_kind_display().lower()}.",
            }
        )
    return rows


def relative_overview(user) -> list[dict]:
    """For a relative's landing page: the citizens they are linked to and what current
    consent allows for each (nothing from the case spine)."""
    if not policy.is_relative(user):
        return []
    rows = []
    for member in NetworkMember.objects.filter(user=user).select_related("citizen").order_by("citizen__first_name", "id"):
        state = {kind: current(member, kind) for kind in Kind.values}
        audit.record_read(user, member, citizen=member.citizen)
        rows.append(
            {
                "member": member,
                "citizen": member.citizen,
                "allowed": [RELATIVE_WORDING[kind] for kind in Kind.values if state[kind]],
                "see_plan": state[Kind.SEE_PLAN],
            }
        )
    return rows


def relative_landing(user) -> dict:
    """Context for the relative's part of Min side (``consent/_relative_landing.html``);
    nothing for anyone else. A ``portal.landing`` section, registered in apps.py."""
    if not policy.is_relative(user):
        return {}
    return {"linked": relative_overview(user), "counsellor": RELATIVES_COUNSELLOR}
