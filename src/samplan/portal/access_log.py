"""The citizen's own access log in plain words (indsigt: "hvem har set mine oplysninger").

Rows come from the audit trail (``core.AuditEvent`` with the citizen's id). Each row is
turned into one sentence such as "Sara Lindberg (sagsbehandler) så din sag" and a time.
Request ids, paths, channels and before/after values are never shown."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from samplan.core.models import AuditEvent, Role, User

Action = AuditEvent.Action

# What kind of person looked, in everyday words.
ROLE_WORDS = {
    Role.CASEWORKER: "sagsbehandler",
    Role.COMMITTEE: "visitationsudvalget",
    Role.PROVIDER_STAFF: "medarbejder på dit tilbud",
    Role.COORDINATOR: "din kontaktperson",
    Role.MANAGER: "leder",
    Role.ADMIN: "administrator",
    Role.CITIZEN: "borger",
    Role.RELATIVE: "pårørende",
}

# The thing that was looked at or changed, as "din …".
OBJECT_WORDS = {
    "citizens.Citizen": "dine oplysninger",
    "citizens.NetworkMember": "dit netværk",
    "cases.Case": "din sag",
    "cases.Inquiry": "din henvendelse",
    "cases.Assessment": "din udredning",
    "cases.Condition": "din udredning",
    "cases.Decision": "afgørelsen i din sag",
    "cases.Grant": "din bevilling",
    "cases.Order": "bestillingen til dit tilbud",
    "cases.FollowUp": "opfølgningen på din hjælp",
    "calculators.CompanionUsage": "dine ledsagetimer",
    "calculators.ExtraCostCalculation": "beregningen af dine merudgifter",
    "plans.Plan": "din plan",
    "plans.PlanGoal": "et mål i din plan",
    "plans.PlanEffort": "en indsats i din plan",
    "plans.Agreement": "en aftale i din plan",
    "plans.PlanComment": "en kommentar i din plan",
    "plans.ProviderPlan": "den pædagogiske plan fra dit tilbud",
    "plans.ProviderPlanItem": "den pædagogiske plan fra dit tilbud",
    "plans.StatusNote": "et statusnotat fra dit tilbud",
    "portal.my_page": "din forside på Min side",
    "portal.access_log": "listen over, hvem der har set dine oplysninger",
    "core.AuditEvent": "listen over, hvem der har set dine oplysninger",
}
APP_WORDS = {
    "plans": "din plan",
    "consent": "dine samtykker",
    "questionnaires": "dine svar om trivsel",
    "cases": "din sag",
    "calculators": "din sag",
}

VERBS = {
    Action.READ: "så",
    Action.CREATE: "oprettede",
    Action.UPDATE: "ændrede",
    Action.TRANSITION: "arbejdede videre med",
    Action.SEARCH: "søgte og fandt",
    Action.AUDIT_SEARCH: "så",
}


@dataclass(frozen=True)
class Entry:
    who: str
    what: str
    at: dt.datetime

    @property
    def when(self) -> str:
        """12. marts 2026 kl. 10.14 (local time)."""
        return date_format(timezone.localtime(self.at), "DATETIME_FORMAT")

    @property
    def sentence(self) -> str:
        return f"{self.who} {self.what} {self.when}"


def _thing(event: AuditEvent) -> str:
    if event.object_type in OBJECT_WORDS:
        return OBJECT_WORDS[event.object_type]
    return APP_WORDS.get(event.object_type.split(".")[0], "dine oplysninger")


def _what(event: AuditEvent) -> str:
    if event.action == Action.REVEAL_CPR:
        return "så dit CPR-nummer"
    return f"{VERBS.get(event.action, 'så')} {_thing(event)}"


def events_for(citizen, *, include_own: bool = False) -> QuerySet:
    qs = AuditEvent.objects.filter(citizen_id_ref=citizen.pk).order_by("-at", "-id")
    if not include_own and citizen.user_id:
        qs = qs.exclude(user_id_ref=citizen.user_id)
    return qs


def entries(events, citizen) -> list[Entry]:
    """Plain-words entries for a page of audit rows (one query for the names)."""
    events = list(events)
    ids = {e.user_id_ref for e in events if e.user_id_ref}
    people = {u.pk: u for u in User.objects.filter(pk__in=ids)}
    out = []
    for event in events:
        out.append(Entry(who=_who(event, people, citizen), what=_what(event), at=event.at))
    return out


def _who(event: AuditEvent, people: dict, citizen) -> str:
    if event.user_id_ref is None:
        return "Systemet"
    if citizen.user_id and event.user_id_ref == citizen.user_id:
        return "Du"
    user = people.get(event.user_id_ref)
    name = (user.get_full_name() if user else "") or event.username or "En medarbejder"
    role = ROLE_WORDS.get(event.role)
    return f"{name} ({role})" if role else name
