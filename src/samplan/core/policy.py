"""The one access policy: "may this user do this to this object?".

Deny by default. Every page and API endpoint asks here — ``require`` for one object or one
capability, ``citizens_for``/``visible`` for querysets already restricted to what the user
may see — and nothing else in the code compares roles.

* Actions are the members of :class:`Action`; an unknown action raises ``ValueError``
  instead of silently answering no, and every member has exactly one rule (checked when the
  module is imported).
* **404 or 403.** An object outside what the user may know exists answers 404 (its
  existence does not leak): for staff and the citizen that is a citizen outside
  ``citizens_for``; for a relative a citizen whose network they are not in. An object the
  user may know of but not touch answers 403, with a Danish reason. ``require`` decides
  both, so pages and the API answer alike.
* **Once per request.** "May this user see this citizen", the relative's membership and
  consent, the citizen's own record and partner membership are remembered for the rest of
  the request (``RequestIdMiddleware`` opens and closes the memo); outside a request and
  from the next request on, every question is asked afresh, so a withdrawn consent counts
  from the very next request.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from .models import PORTAL_ROLES, Role

if TYPE_CHECKING:
    from samplan.citizens.models import Citizen, NetworkMember
    from samplan.meetings.models import MeetingParticipant, NetworkMeeting


class Action(StrEnum):
    """Everything the policy can be asked. Capabilities concern no single citizen; the
    others are asked about a citizen or an object of the citizen's case spine."""

    # Capabilities (no object).
    SEARCH_CITIZENS = "citizen.search"
    CREATE_CITIZEN = "citizen.create"
    VIEW_AUDIT = "audit.view"
    VIEW_AGGREGATES = "aggregates.view"
    VIEW_TERMINOLOGY = "terminology.view"
    VIEW_CASEWORKER_WORKLIST = "worklist.caseworker"
    VIEW_PROVIDER_WORKLIST = "worklist.provider"
    VIEW_REPORTS = "reports.view"  # aggregated reports without personal data
    VIEW_STANDARDS = "standards.view"
    MANAGE_STANDARDS = "standards.manage"
    WORK_CASES = "cases.work"  # the role works cases at all (each object is still checked)
    REVIEW_GRANTS = "grant.review"  # the allocation committee's queue (visitationsudvalget)
    MANAGE_CATALOGUE = "catalogue.manage"  # edit offers: maintainers their own organisation's, editors the municipality's
    MANAGE_API_TOKENS = "api_tokens.manage"  # see and revoke the API tokens of the municipality's users
    MANAGE_LETTER_TEMPLATES = "letter_templates.manage"  # the municipality's letter templates (new versions)
    VIEW_GRANTS_ENDING = "reports.grants_ending"  # grants ending soon: caseworker/coordinator own, leader the unit's

    # On an API token (knox.AuthToken; decided by get_api_token below).
    REVOKE_API_ACCESS = "api_access.revoke"  # revoke an API token: its owner, or an administrator of the owner's municipality

    # On a citizen or an object of the citizen's case spine.
    VIEW = "view"
    REVEAL_CPR = "reveal_cpr"
    EDIT_CITIZEN = "citizen.edit"  # correct master data (name, contact, caseworker): the caseworker
    WORK_CASE = "work_case"  # register inquiries, assess, decide, grant, order, follow up
    ACCEPT_ORDER = "accept_order"
    REVIEW_GRANT = "review_grant"  # approve, reject or return a grant beyond a caseworker's competence
    # The coherent plan (samlet plan, samplan.plans).
    SEE_PLAN = "see_plan"  # read the plan: staff who see the citizen, the citizen, a relative with consent
    VIEW_PLAN = "plan.view"  # the staff's plan pages: versions, diff (staff and the citizen)
    EDIT_PLAN = "plan.edit"  # the staff parts: wishes, goals, efforts, agreements, next meeting
    EDIT_OWN_PLAN = "plan.edit_own"  # the citizen's parts: wishes, own goal wording, comments, own agreements
    COMMENT_PLAN = "plan.comment"  # comment on a goal or an agreement
    MARK_AGREEMENT = "plan.mark_agreement"  # mark an agreement done / not done
    EDIT_PROVIDER_PLAN = "plan.edit_provider"  # the provider's pedagogical plan and status notes, on an Order
    # Consent and the network (samplan.consent).
    MANAGE_CONSENT = "consent.manage"  # give/withdraw consents, add network members: the citizen or their caseworker
    # Network meetings (samplan.meetings).
    MANAGE_MEETINGS = "meeting.manage"  # the staff side: call, schedule, move, cancel, minutes
    VIEW_MEETING = "meeting.view"  # the staff page: who manage it, and staff invited to it (read only)
    REQUEST_MEETING = "meeting.request"  # ask for a meeting: staff, the citizen, a relative with CONTACT consent
    TAKE_PART_IN_MEETING = "meeting.take_part"  # the citizen's own meeting, or a relative invited with consent
    PROPOSE_MEETING_TOPIC = "meeting.propose_topic"
    CHOOSE_MEETING_PARTICIPANTS = "meeting.choose_participants"  # and how the citizen takes part
    ADD_MEETING_PERSPECTIVE = "meeting.perspective"  # an invited relative's perspective before the meeting
    # Documents (samplan.documents). On a Document: read it (metadata and file); on a
    # citizen: see their document list (each row still as the document's rule says).
    VIEW_DOCUMENT = "document.view"
    UPLOAD_DOCUMENT = "document.upload"  # on a citizen or one of their cases
    UPLOAD_OWN_DOCUMENT = "document.upload_own"  # the citizen, to their own record on Min side
    # Letters (samplan.letters).
    VIEW_LETTER = "letter.view"  # the authority's staff who see the citizen; the citizen a sent letter
    WRITE_LETTER = "letter.write"  # make, edit, approve and send a letter: the caseworker
    # Journal notes (samplan.journal); which notes a user may know of is ``visible_notes``.
    NOTE_VIEW = "note.view"  # on a citizen: their note list; on a note: read it
    NOTE_WRITE = "note.write"  # on a citizen: write a new note
    NOTE_EDIT = "note.edit"  # on a note: change or lock it — its author, until it is locked
    NOTE_ADDENDUM = "note.addendum"  # on a locked note: an addendum or a correction
    # Partshøring (cases.Consultation; sent as a letter).
    CONSULTATION_VIEW = "consultation.view"  # caseworker, coordinator, committee; the citizen own sent ones
    CONSULTATION_SEND = "consultation.send"  # on a case: start and send one; on one: register a letter answer
    CONSULTATION_ANSWER = "consultation.answer"  # the citizen, on their own sent consultation
    # The inbox and tasks (samplan.inbox). Whose rows a user reaches: notifications_for,
    # tasks_visible, get_task; TASK_CHANGE is decided on the task by get_task.
    INBOX_VIEW = "inbox.view"  # one's own notifications (/indbakke/)
    TASK_VIEW = "task.view"  # the task pages: one's own, the team's (/opgaver/)
    TASK_CREATE = "task.create"  # a task by hand, for oneself or someone on the team
    TASK_CHANGE = "task.change"  # on a task: mark it done
    HANDOVER = "handover.manage"  # move one caseworker's citizens, cases and tasks to another
    # Appeals (samplan.appeals) and access requests (samplan.access_requests): the
    # authority's caseworkers of the citizen; managers see only the figures (aggregates).
    LIST_APPEALS = "appeals.list"  # the list of open appeals (capability)
    APPEAL_VIEW = "appeal.view"  # on a citizen, decision or appeal: read the appeal(s)
    APPEAL_WORK = "appeal.work"  # register an appeal and take its steps
    ACCESS_REQUEST_VIEW = "access_request.view"  # on a citizen or request: read it, download the export
    ACCESS_REQUEST_WORK = "access_request.work"  # register a request, generate the export, make the letter


# Module-level names, so callers write ``policy.VIEW``.
SEARCH_CITIZENS = Action.SEARCH_CITIZENS
CREATE_CITIZEN = Action.CREATE_CITIZEN
VIEW_AUDIT = Action.VIEW_AUDIT
VIEW_AGGREGATES = Action.VIEW_AGGREGATES
VIEW_TERMINOLOGY = Action.VIEW_TERMINOLOGY
VIEW_CASEWORKER_WORKLIST = Action.VIEW_CASEWORKER_WORKLIST
VIEW_PROVIDER_WORKLIST = Action.VIEW_PROVIDER_WORKLIST
VIEW_REPORTS = Action.VIEW_REPORTS
VIEW_STANDARDS = Action.VIEW_STANDARDS
MANAGE_STANDARDS = Action.MANAGE_STANDARDS
WORK_CASES = Action.WORK_CASES
REVIEW_GRANTS = Action.REVIEW_GRANTS
MANAGE_CATALOGUE = Action.MANAGE_CATALOGUE
MANAGE_API_TOKENS = Action.MANAGE_API_TOKENS
MANAGE_LETTER_TEMPLATES = Action.MANAGE_LETTER_TEMPLATES
REVOKE_API_ACCESS = Action.REVOKE_API_ACCESS
VIEW = Action.VIEW
REVEAL_CPR = Action.REVEAL_CPR
EDIT_CITIZEN = Action.EDIT_CITIZEN
WORK_CASE = Action.WORK_CASE
ACCEPT_ORDER = Action.ACCEPT_ORDER
REVIEW_GRANT = Action.REVIEW_GRANT
SEE_PLAN = Action.SEE_PLAN
VIEW_PLAN = Action.VIEW_PLAN
EDIT_PLAN = Action.EDIT_PLAN
EDIT_OWN_PLAN = Action.EDIT_OWN_PLAN
COMMENT_PLAN = Action.COMMENT_PLAN
MARK_AGREEMENT = Action.MARK_AGREEMENT
EDIT_PROVIDER_PLAN = Action.EDIT_PROVIDER_PLAN
MANAGE_CONSENT = Action.MANAGE_CONSENT
MANAGE_MEETINGS = Action.MANAGE_MEETINGS
VIEW_MEETING = Action.VIEW_MEETING
REQUEST_MEETING = Action.REQUEST_MEETING
TAKE_PART_IN_MEETING = Action.TAKE_PART_IN_MEETING
PROPOSE_MEETING_TOPIC = Action.PROPOSE_MEETING_TOPIC
CHOOSE_MEETING_PARTICIPANTS = Action.CHOOSE_MEETING_PARTICIPANTS
ADD_MEETING_PERSPECTIVE = Action.ADD_MEETING_PERSPECTIVE
VIEW_DOCUMENT = Action.VIEW_DOCUMENT
UPLOAD_DOCUMENT = Action.UPLOAD_DOCUMENT
UPLOAD_OWN_DOCUMENT = Action.UPLOAD_OWN_DOCUMENT
VIEW_LETTER = Action.VIEW_LETTER
WRITE_LETTER = Action.WRITE_LETTER
NOTE_VIEW = Action.NOTE_VIEW
NOTE_WRITE = Action.NOTE_WRITE
NOTE_EDIT = Action.NOTE_EDIT
NOTE_ADDENDUM = Action.NOTE_ADDENDUM
CONSULTATION_VIEW = Action.CONSULTATION_VIEW
CONSULTATION_SEND = Action.CONSULTATION_SEND
CONSULTATION_ANSWER = Action.CONSULTATION_ANSWER
INBOX_VIEW = Action.INBOX_VIEW
TASK_VIEW = Action.TASK_VIEW
TASK_CREATE = Action.TASK_CREATE
TASK_CHANGE = Action.TASK_CHANGE
HANDOVER = Action.HANDOVER
LIST_APPEALS = Action.LIST_APPEALS
APPEAL_VIEW = Action.APPEAL_VIEW
APPEAL_WORK = Action.APPEAL_WORK
ACCESS_REQUEST_VIEW = Action.ACCESS_REQUEST_VIEW
ACCESS_REQUEST_WORK = Action.ACCESS_REQUEST_WORK
VIEW_GRANTS_ENDING = Action.VIEW_GRANTS_ENDING

STAFF_ROLES = frozenset({Role.CASEWORKER, Role.COMMITTEE, Role.PROVIDER_STAFF, Role.COORDINATOR, Role.MANAGER, Role.ADMIN})
AUTHORITY_ROLES = frozenset({Role.CASEWORKER, Role.COORDINATOR, Role.COMMITTEE})
# Who keep a citizen's documents: the caseworkers of the citizen's unit and the citizen's
# coordinator (every document), provider staff with an active order (their provider's own
# uploads only). The committee and managers see none; the citizen those shared with them and
# those they sent themselves from Min side.
DOCUMENT_STAFF_ROLES = frozenset({Role.CASEWORKER, Role.COORDINATOR, Role.PROVIDER_STAFF})

_CAPABILITIES: dict[Action, frozenset[str]] = {
    Action.SEARCH_CITIZENS: AUTHORITY_ROLES,
    Action.CREATE_CITIZEN: frozenset({Role.CASEWORKER}),
    Action.VIEW_AUDIT: frozenset({Role.ADMIN}),
    Action.VIEW_AGGREGATES: frozenset({Role.MANAGER, Role.ADMIN}),
    Action.VIEW_TERMINOLOGY: STAFF_ROLES,
    Action.VIEW_CASEWORKER_WORKLIST: frozenset({Role.CASEWORKER, Role.COORDINATOR}),
    Action.VIEW_PROVIDER_WORKLIST: frozenset({Role.PROVIDER_STAFF}),
    Action.VIEW_REPORTS: AUTHORITY_ROLES | {Role.MANAGER, Role.ADMIN},
    Action.VIEW_STANDARDS: STAFF_ROLES,
    Action.MANAGE_STANDARDS: frozenset({Role.ADMIN}),
    Action.REVIEW_GRANTS: frozenset({Role.COMMITTEE}),
    Action.WORK_CASES: frozenset({Role.CASEWORKER}),
    Action.MANAGE_CATALOGUE: frozenset({Role.OFFER_MAINTAINER, Role.CATALOGUE_EDITOR}),
    Action.MANAGE_API_TOKENS: frozenset({Role.ADMIN}),
    Action.MANAGE_LETTER_TEMPLATES: frozenset({Role.ADMIN}),
    Action.INBOX_VIEW: STAFF_ROLES,
    Action.TASK_VIEW: STAFF_ROLES,
    Action.TASK_CREATE: frozenset({Role.CASEWORKER, Role.COORDINATOR, Role.MANAGER, Role.ADMIN}),
    Action.HANDOVER: frozenset({Role.ADMIN, Role.MANAGER}),
    Action.LIST_APPEALS: frozenset({Role.CASEWORKER}),
    Action.VIEW_GRANTS_ENDING: frozenset({Role.CASEWORKER, Role.COORDINATOR, Role.MANAGER}),
}

NOT_FOUND = "Siden findes ikke."
NO_CAPABILITY = "Du har ikke adgang til denne funktion."
NOT_YOURS = "Du har ikke adgang til at gøre dette."
NO_PLAN_CONSENT = "Borgeren har ikke givet samtykke til, at du kan se planen."
NO_CONTACT_CONSENT = "Du kan kun bede om et netværksmøde, når borgeren har givet samtykke til, at du må kontaktes."
NOT_INVITED = "Du er ikke inviteret til dette møde."
PORTAL_ONLY = "Siden er kun for borgeren selv."
NOTE_LOCKED = "Notatet er låst og kan ikke ændres. Skriv en tilføjelse eller en rettelse i stedet."
NOT_NOTE_AUTHOR = "Kun den, der har skrevet notatet, kan ændre det."


# --- The per-request memo -----------------------------------------------------------------

_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar("samplan_policy_memo", default=None)


def open_request_memo() -> contextvars.Token:
    """Start remembering answers for one request (``RequestIdMiddleware``)."""
    return _memo.set({})


def close_request_memo(token: contextvars.Token) -> None:
    _memo.reset(token)


def forget() -> None:
    """Drop what this request remembered (after a change the rest of it must see)."""
    memo = _memo.get()
    if memo is not None:
        memo.clear()


def _remembered(key: tuple, compute: Callable[[], Any]) -> Any:
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def _remember(key: tuple, value: Any) -> None:
    memo = _memo.get()
    if memo is not None:
        memo[key] = value


# --- Who the user is ------------------------------------------------------------------------


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role)


def is_citizen(user) -> bool:
    return _active(user) and user.role == Role.CITIZEN


def is_relative(user) -> bool:
    return _active(user) and user.role == Role.RELATIVE


def is_portal_user(user) -> bool:
    """Citizens and relatives: they log in on Min side, never on the staff login."""
    return _active(user) and user.role in PORTAL_ROLES


def is_staff_user(user) -> bool:
    """Every role but citizen and relative: a municipality's or a provider's employee."""
    return bool(user is not None and getattr(user, "role", None) and user.role not in PORTAL_ROLES)


def landing_page(user) -> str:
    """The URL name a user starts on after logging in."""
    role = user.role if _active(user) else None
    if role in (Role.CASEWORKER, Role.COORDINATOR):
        return "worklist"
    if role == Role.PROVIDER_STAFF:
        return "provider-orders"
    if role in (Role.MANAGER, Role.ADMIN):
        return "aggregates"
    if role == Role.COMMITTEE:
        return "committee-queue"
    return "my-page"


# --- Citizens the user may see ---------------------------------------------------------------


def action_of(action: str) -> Action:
    """The typed action; an unknown name is a programming error, not a refusal."""
    try:
        return Action(action)
    except ValueError:
        raise ValueError(f"Unknown policy action: {action!r}") from None


def has_capability(user, capability: str) -> bool:
    action = action_of(capability)
    if action not in _CAPABILITIES:
        raise ValueError(f"{action!r} is asked about an object, not as a capability")
    return _active(user) and user.role in _CAPABILITIES[action]


def responsible_choices(citizen) -> tuple[QuerySet, QuerySet]:
    """Who may be made responsible for a citizen: caseworkers of the citizen's unit (they see
    the citizen) and coordinators of the citizen's municipality, active users only."""
    from .models import User

    active = User.objects.filter(is_active=True, municipality_id=citizen.municipality_id).order_by("first_name", "last_name")
    return active.filter(role=Role.CASEWORKER, unit_id=citizen.unit_id), active.filter(role=Role.COORDINATOR)


def citizens_for(user) -> QuerySet:
    """The citizens this user may see, as a queryset (empty unless a rule allows)."""
    from samplan.cases.models import Order
    from samplan.citizens.models import Citizen

    none = Citizen.objects.none()
    if not _active(user):
        return none
    if user.role == Role.CASEWORKER:
        if not user.municipality_id or not user.unit_id:
            return none
        return Citizen.objects.filter(municipality_id=user.municipality_id, unit_id=user.unit_id)
    if user.role == Role.COMMITTEE:
        # The allocation committee reviews grants from every unit of its municipality.
        if not user.municipality_id:
            return none
        return Citizen.objects.filter(municipality_id=user.municipality_id)
    if user.role == Role.COORDINATOR:
        if not user.municipality_id:
            return none
        return Citizen.objects.filter(municipality_id=user.municipality_id, coordinator=user)
    if user.role == Role.PROVIDER_STAFF:
        if not user.unit_id:
            return none
        with_order = Order.objects.filter(provider_id=user.unit_id, status__in=Order.ACTIVE_STATUSES)
        return Citizen.objects.filter(municipality_id=user.municipality_id, pk__in=with_order.values("citizen_id"))
    if user.role == Role.CITIZEN:
        return Citizen.objects.filter(user=user)
    # Relatives never see the case spine: they reach only what current consent allows
    # (SEE_PLAN, meetings); managers and administrators see aggregates and the audit trail,
    # not individual citizens.
    return none


def meeting_invitable_staff(citizen) -> QuerySet:
    """The professionals of the citizen's case who may be invited to the citizen's network
    meeting: the caseworker, the coordinator and the staff of providers with an active order
    for the citizen (the same provider staff ``citizens_for`` lets see the citizen)."""
    from samplan.cases.models import Order

    from .models import User

    providers = Order.objects.filter(citizen_id=citizen.pk, status__in=Order.ACTIVE_STATUSES).values("provider_id")
    rule = Q(role=Role.PROVIDER_STAFF, unit_id__in=providers)
    for pk in (citizen.caseworker_id, citizen.coordinator_id):
        if pk is not None:
            rule |= Q(pk=pk)
    return User.objects.filter(rule, is_active=True).order_by("first_name", "last_name", "pk")


def audit_subjects(user) -> QuerySet:
    """The citizens an administrator may look up in the audit search (by name or CPR): those
    of their own municipality, whose audit rows they already see. Empty for everyone else."""
    from samplan.citizens.models import Citizen

    if not can(user, Action.VIEW_AUDIT) or not user.municipality_id:
        return Citizen.objects.none()
    return Citizen.objects.filter(municipality_id=user.municipality_id)


def my_citizens(user) -> QuerySet:
    """The citizens on the user's own worklist: the coordinator's own, the caseworker's own."""
    visible_citizens = citizens_for(user)
    if _active(user) and user.role == Role.COORDINATOR:
        return visible_citizens.filter(coordinator=user)
    return visible_citizens.filter(caseworker=user)


def grants_ending_scope(user, queryset: QuerySet) -> QuerySet:
    """Grants for the report of grants ending soon (``VIEW_GRANTS_ENDING``): the caseworker's
    and the coordinator's own citizens' (``my_citizens``); a leader's those of citizens whose
    responsible unit is the leader's unit or a unit under it, in the leader's municipality
    (no unit: none). Everyone else none."""
    if not has_capability(user, VIEW_GRANTS_ENDING):
        return queryset.none()
    if user.role == Role.MANAGER:
        if not user.unit_id or not user.municipality_id:
            return queryset.none()
        units = Q(case__citizen__unit_id=user.unit_id) | Q(case__citizen__unit__parent_id=user.unit_id)
        return queryset.filter(units, case__citizen__municipality_id=user.municipality_id)
    return queryset.filter(case__citizen__in=my_citizens(user))


def report_names_citizens(user) -> bool:
    """Does a report of individual grants name the citizen and link the case? Not for a
    leader, who sees individual citizens' data only as figures without names or free text."""
    return _active(user) and user.role in (Role.CASEWORKER, Role.COORDINATOR)


def citizen_of(obj) -> Citizen:
    """The citizen an object of the case spine belongs to."""
    from samplan.citizens.models import Citizen

    if isinstance(obj, Citizen):
        return obj
    for attr in ("citizen", "case", "assessment", "grant", "decision"):
        if hasattr(obj, attr):
            return citizen_of(getattr(obj, attr))
    raise TypeError(f"{type(obj).__name__} does not belong to a citizen")


def can_see_citizen(user, citizen) -> bool:
    if not _active(user):
        return False
    return _remembered(("sees", user.pk, citizen.pk), lambda: citizens_for(user).filter(pk=citizen.pk).exists())


def own_citizen(user) -> Citizen | None:
    """A citizen user's own record (None for every other user)."""
    if not is_citizen(user):
        return None

    def find():
        from samplan.citizens.models import Citizen

        return Citizen.objects.select_related("coordinator", "caseworker").filter(user=user).first()

    citizen = _remembered(("own", user.pk), find)
    if citizen is not None:
        _remember(("sees", user.pk, citizen.pk), True)
    return citizen


def require_own_citizen(user) -> Citizen:
    """Min side's pages about the citizen themself: their own record, or 404."""
    citizen = own_citizen(user)
    if citizen is None:
        raise Http404(NOT_FOUND)
    return citizen


def visible(user, queryset: QuerySet, citizen_field: str = "citizen") -> QuerySet:
    """Restrict any queryset of spine objects to those of citizens the user may see (and,
    for provider staff, to their own part of the case: ``provider_scope``)."""
    if queryset.model._meta.label == "documents.Document":
        return documents_visible(user, queryset)
    queryset = queryset.filter(**{f"{citizen_field}__in": citizens_for(user)})
    if _is_provider(user):
        queryset = provider_scope(user, queryset)
    return queryset


def visible_letters(user, queryset: QuerySet) -> QuerySet:
    """Letters for a list: the authority's staff all of the citizens they see, the citizen
    only those sent to them (a draft is not theirs yet), everyone else none."""
    queryset = visible(user, queryset)
    if _active(user) and user.role in AUTHORITY_ROLES:
        return queryset
    if is_citizen(user):
        return queryset.filter(status="sent", citizen__user=user)
    return queryset.none()


def visible_consultations(user, queryset: QuerySet) -> QuerySet:
    """Partshøringer for a list: the authority's staff all of the citizens they see, the
    citizen only those sent to them, everyone else none (as ``CONSULTATION_VIEW``)."""
    queryset = visible(user, queryset)
    if _active(user) and user.role in AUTHORITY_ROLES:
        return queryset
    if is_citizen(user):
        return queryset.filter(sent_at__isnull=False, citizen__user=user)
    return queryset.none()


# --- Provider staff: their own part of the case, nothing else -------------------------------

# The apps whose rows make up the case (the spine and the calculators on its grants). Provider
# staff reach a row of these only through an order to their provider; rows of other apps
# (the citizen's card, the shared plan, meetings, self-ratings) follow those apps' rules.
_CASE_APPS = frozenset({"cases", "calculators", "letters", "appeals", "access_requests"})
# (Letters, appeals and access requests are the authority's: provider staff know none of them.)
# Path from a model to the grant it belongs to, for the rows a provider may know of the grant
# behind their own order: the grant version itself, its goals, target groups, follow-ups
# and §97 ledger rows. Every other row of the case (inquiries, assessments, conditions,
# decisions, committee reviews, §100 calculations, other providers' grants) is unknown to them.
_PROVIDER_GRANT_PATHS = {
    "cases.Grant": "pk",
    "cases.InterventionGoal": "grant",
    "cases.GrantTargetGroup": "grant",
    "cases.FollowUp": "grant",
    "cases.GoalMeasurement": "goal__grant",
    "calculators.CompanionUsage": "grant",
}


def _is_provider(user) -> bool:
    return _active(user) and user.role == Role.PROVIDER_STAFF


def knows_whole_case(user) -> bool:
    """Does the user see the case itself (inquiries, assessments, decisions)? Everyone who
    sees the citizen but provider staff, who know only their orders and the grants behind them."""
    return _active(user) and not _is_provider(user)


def provider_scope(user, queryset: QuerySet) -> QuerySet:
    """A provider's part of a queryset of case rows: their own orders, the grant (version)
    behind each and its goals, target groups, follow-ups and ledger; nothing else of the case
    (an empty queryset). Rows of other apps are returned unchanged."""
    from samplan.cases.models import Order

    model = queryset.model
    if model._meta.app_label not in _CASE_APPS:
        return queryset
    own_orders = Order.objects.filter(provider_id=user.unit_id)
    if model is Order:
        return queryset.filter(provider_id=user.unit_id)
    path = _PROVIDER_GRANT_PATHS.get(model._meta.label)
    if path is None:
        return queryset.none()
    return queryset.filter(**{f"{path}__in": own_orders.values("grant_id")})


def known_grant_ids(user, visible_orders) -> set[int] | None:
    """Which of the citizen's grants a page that shows the shared plan (whose efforts and
    goals may name any grant) may show: for provider staff those behind their orders —
    ``visible_orders`` is ``visible(user, <the citizen's orders>)``, already loaded, so no
    query — and for everyone else all (``None``)."""
    if not _is_provider(user):
        return None
    return {o.grant_id for o in visible_orders}


def _provider_knows(user, obj) -> bool:
    """May provider staff know this object exists (the citizen is already theirs to see)?"""
    if obj._meta.app_label not in _CASE_APPS:
        return True
    if _is_order(obj):
        return obj.provider_id == user.unit_id
    label = obj._meta.label
    if label not in _PROVIDER_GRANT_PATHS:
        return False
    return _remembered(
        ("provider-knows", user.pk, label, obj.pk),
        lambda: provider_scope(user, type(obj)._base_manager.filter(pk=obj.pk)).exists(),
    )


# --- Documents: whose part of the citizen's documents a user may know of ---------------------


def _is_document(obj) -> bool:
    return obj._meta.label == "documents.Document"


def _document_known(user, document) -> bool:
    """May the user, who sees the document's citizen, know this document exists?"""
    if user.role in (Role.CASEWORKER, Role.COORDINATOR):
        return True
    if user.role == Role.PROVIDER_STAFF:
        return bool(user.unit_id) and document.uploaded_by_unit_id == user.unit_id
    if user.role == Role.CITIZEN:
        # Shared with them, or sent by them from Min side.
        return bool(document.shared_with_citizen) or document.uploaded_by_id == user.pk
    return False


def documents_visible(user, queryset: QuerySet) -> QuerySet:
    """The documents of ``queryset`` the user may know of (``_document_known`` as a query)."""
    queryset = queryset.filter(citizen__in=citizens_for(user))
    if not _active(user):
        return queryset.none()
    if user.role in (Role.CASEWORKER, Role.COORDINATOR):
        return queryset
    if user.role == Role.PROVIDER_STAFF and user.unit_id:
        return queryset.filter(uploaded_by_unit_id=user.unit_id)
    if user.role == Role.CITIZEN:
        return queryset.filter(Q(shared_with_citizen=True) | Q(uploaded_by_id=user.pk))
    return queryset.none()


# --- Relatives: membership of the citizen's network and the citizen's consent ----------------


def membership(user, citizen) -> NetworkMember | None:
    """The user's own NetworkMember row in the citizen's network (or None)."""
    if not _active(user):
        return None

    def find():
        from samplan.citizens.models import NetworkMember

        return NetworkMember.objects.filter(citizen=citizen, user=user).first()

    return _remembered(("member", user.pk, citizen.pk), find)


def relative_may(user, citizen, kind: str) -> bool:
    """A relative may do ``kind`` (a consent kind) for this citizen only while the citizen's
    consent is current."""
    if not is_relative(user):
        return False
    member = membership(user, citizen)
    if member is None:
        return False

    def current():
        from samplan.consent.services import current as consent_current

        return consent_current(member, kind)

    return _remembered(("consent", member.pk, kind), current)


def meeting_participant(user, meeting: NetworkMeeting) -> MeetingParticipant | None:
    """A relative's own, still invited participation in the meeting — only while the
    citizen's INVITE consent is current (None otherwise)."""
    from samplan.consent.models import ConsentEvent

    if not relative_may(user, meeting.citizen, ConsentEvent.Kind.INVITE):
        return None

    def find():
        from samplan.meetings.models import MeetingParticipant

        return meeting.participants.filter(member__user=user, invitation_status=MeetingParticipant.Invitation.INVITED).first()

    return _remembered(("participant", user.pk, meeting.pk), find)


def _knows(user, obj, citizen) -> bool:
    """May the user know this object exists? Staff and the citizen: the citizen is theirs to
    see (provider staff: and the object is of their own part of the case). A relative knows
    the citizen whose network they are in, and that citizen's network meetings — never an
    object of the case spine."""
    from samplan.citizens.models import Citizen

    if _is_document(obj):
        return not is_relative(user) and can_see_citizen(user, citizen) and _document_known(user, obj)
    if is_relative(user):
        return (isinstance(obj, Citizen) or _is_meeting(obj)) and membership(user, citizen) is not None
    note = _note_of(obj)
    if note is not None:
        return can_see_citizen(user, citizen) and _may_read_note(user, note)
    if _is_provider(user):
        return can_see_citizen(user, citizen) and _provider_knows(user, obj)
    return can_see_citizen(user, citizen)


# --- Journal notes: who reads which ----------------------------------------------------------

# Who keep a journal on a citizen they see: the caseworkers of the citizen's unit, the
# citizen's coordinator and the staff of a provider with an active order (``citizens_for``).
NOTE_KEEPERS = frozenset({Role.CASEWORKER, Role.COORDINATOR, Role.PROVIDER_STAFF})


def keeps_notes(user) -> bool:
    """Does the user's role keep journal notes (on the citizens they see)? For lists whose
    every row is such a citizen (the worklist), so no row needs its own question."""
    return _active(user) and user.role in NOTE_KEEPERS


def note_provider(user) -> int | None:
    """The provider (unit id) a user's notes belong to: provider staff write as their
    provider (its dagbog, read by its staff and the caseworker); everyone else None."""
    return user.unit_id if _is_provider(user) and user.unit_id else None


def _note_of(obj):
    """The journal note an object is (or is an addendum of), else None."""
    from samplan.journal.models import JournalNote, NoteAddendum

    if isinstance(obj, JournalNote):
        return obj
    if isinstance(obj, NoteAddendum):
        return obj.note
    return None


def _may_read_note(user, note) -> bool:
    """The rule of ``visible_notes`` for one note whose citizen the user sees: the caseworker
    every note; the coordinator the authority's; provider staff their own provider's; the
    citizen those shared with them; nobody else (committee, managers, relatives) any."""
    if user.role == Role.CASEWORKER:
        return True
    if user.role == Role.COORDINATOR:
        return note.provider_unit_id is None
    if user.role == Role.PROVIDER_STAFF:
        return note.provider_unit_id is not None and note.provider_unit_id == user.unit_id
    if user.role == Role.CITIZEN:
        return note.shared_with_citizen and note.citizen.user_id == user.pk
    return False


def visible_notes(user, queryset: QuerySet | None = None) -> QuerySet:
    """The journal notes the user may know exist (every list of notes goes through here)."""
    from samplan.journal.models import JournalNote

    notes = JournalNote.objects.all() if queryset is None else queryset
    if not _active(user):
        return notes.none()
    mine = notes.filter(citizen__in=citizens_for(user))
    if user.role == Role.CASEWORKER:
        return mine
    if user.role == Role.COORDINATOR:
        return mine.filter(provider_unit__isnull=True)
    if user.role == Role.PROVIDER_STAFF:
        return mine.filter(provider_unit_id=user.unit_id) if user.unit_id else notes.none()
    if user.role == Role.CITIZEN:
        return mine.filter(shared_with_citizen=True)
    return notes.none()


def get_citizen(user, pk, action: str, queryset: QuerySet | None = None) -> Citizen:
    """The citizen ``pk`` for ``action``: 404 when the user may not know the citizen exists,
    403 when they may but not do this. ``queryset`` (of citizens) adds select_related etc."""
    from samplan.citizens.models import Citizen

    act = action_of(action)
    base = Citizen.objects.all() if queryset is None else queryset
    if is_relative(user):
        citizen = base.filter(pk=pk, network__user=user).first()
    else:
        citizen = (base & citizens_for(user)).filter(pk=pk).first()
        if citizen is not None:
            _remember(("sees", user.pk, citizen.pk), True)
    if citizen is None:
        raise Http404(NOT_FOUND)
    require(user, act, citizen)
    return citizen


def get_object(user, queryset: QuerySet, pk, action: str):
    """The object ``pk`` of ``queryset`` for ``action``, decided on the citizen it belongs
    to: 404 when the user may not know of it, 403 when they may but not do this."""
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise Http404(NOT_FOUND)
    require(user, action, obj)
    return obj


# --- The rules of the object actions --------------------------------------------------------

# Each rule is asked only after ``_knows`` said yes: (user, obj, citizen) -> allowed.
Rule = Callable[[Any, Any, "Citizen"], bool]


def _is_self(user, citizen) -> bool:
    return is_citizen(user) and citizen.user_id == user.pk


def _is_plan_editor(user, citizen) -> bool:
    """The caseworker, or the citizen's own coordinator."""
    return user.role == Role.CASEWORKER or (user.role == Role.COORDINATOR and citizen.coordinator_id == user.pk)


def _is_invited_staff(user, meeting) -> bool:
    """A professional with a login invited to the meeting reads its staff page (their
    invitation links there); changing it stays with the caseworker and coordinator."""
    from samplan.meetings.models import NetworkMeeting

    return isinstance(meeting, NetworkMeeting) and is_staff_user(user) and meeting.participants.filter(user=user).exists()


def _is_order(obj) -> bool:
    from samplan.cases.models import Order

    return isinstance(obj, Order)


def _is_grant(obj) -> bool:
    from samplan.cases.models import Grant

    return isinstance(obj, Grant)


def _is_meeting(obj) -> bool:
    from samplan.meetings.models import NetworkMeeting

    return isinstance(obj, NetworkMeeting)


def _spine(rule: Rule) -> Rule:
    """Rules of the case spine: never for relatives, and a provider never reaches another
    provider's order of the same citizen."""

    def wrapped(user, obj, citizen) -> bool:
        if is_relative(user):
            return False
        if user.role == Role.PROVIDER_STAFF and _is_order(obj) and obj.provider_id != user.unit_id:
            return False
        return rule(user, obj, citizen)

    return wrapped


def _relative_with(kind: str) -> Rule:
    def rule(user, obj, citizen) -> bool:
        return relative_may(user, citizen, kind)

    return rule


def _see_plan(user, obj, citizen) -> bool:
    from samplan.consent.models import ConsentEvent

    if is_relative(user):
        return relative_may(user, citizen, ConsentEvent.Kind.SEE_PLAN)
    return True  # staff who see the citizen, and the citizen themself


def _mark_agreement(user, obj, citizen) -> bool:
    return may_mark_agreement({"edit": _is_plan_editor(user, citizen), "edit_own": _is_self(user, citizen)}, obj)


def _edit_provider_plan(user, obj, citizen) -> bool:
    from samplan.cases.models import Order

    return user.role == Role.PROVIDER_STAFF and _is_order(obj) and obj.status in Order.ACTIVE_STATUSES


def _is_letter(obj) -> bool:
    from samplan.letters.models import Letter

    return isinstance(obj, Letter)


def _view_letter(user, obj, citizen) -> bool:
    """The authority's staff read every letter of a citizen they see; the citizen only a
    letter that was sent to them (a draft is not theirs yet)."""
    if user.role in AUTHORITY_ROLES:
        return True
    from samplan.letters.models import Letter

    return _is_self(user, citizen) and _is_letter(obj) and obj.status == Letter.Status.SENT


def _is_sent_consultation(obj) -> bool:
    from samplan.cases.models import Consultation

    return isinstance(obj, Consultation) and obj.sent_at is not None


def _view_consultation(user, obj, citizen) -> bool:
    """The authority's staff who see the citizen; the citizen only one sent to them."""
    if user.role in AUTHORITY_ROLES:
        return True
    return _is_self(user, citizen) and _is_sent_consultation(obj)


def _request_meeting(user, obj, citizen) -> bool:
    from samplan.consent.models import ConsentEvent

    if is_relative(user):
        return relative_may(user, citizen, ConsentEvent.Kind.CONTACT)
    return _is_self(user, citizen) or _is_plan_editor(user, citizen)


def _take_part(user, obj, citizen) -> bool:
    if is_relative(user):
        return _is_meeting(obj) and meeting_participant(user, obj) is not None
    return _is_self(user, citizen)


def _propose_topic(user, obj, citizen) -> bool:
    return _take_part(user, obj, citizen) or (not is_relative(user) and _is_plan_editor(user, citizen))


def _perspective(user, obj, citizen) -> bool:
    return is_relative(user) and _is_meeting(obj) and meeting_participant(user, obj) is not None


def _keeps_notes(user, obj, citizen) -> bool:
    from samplan.citizens.models import Citizen

    return user.role in NOTE_KEEPERS and (isinstance(obj, Citizen) or _note_of(obj) is not None)


def _note_view(user, obj, citizen) -> bool:
    # A note the user knows of (``_knows`` asked ``_may_read_note``) they may read; the list
    # of a citizen's notes is for those who keep the journal (the citizen has Min side).
    return _note_of(obj) is not None or user.role in NOTE_KEEPERS


def _note_edit(user, obj, citizen) -> bool:
    note = _note_of(obj)
    return note is obj and note is not None and note.author_id == user.pk and not note.is_locked


def _note_addendum(user, obj, citizen) -> bool:
    note = _note_of(obj)
    return note is obj and note is not None and user.role in NOTE_KEEPERS and note.is_locked


def _note_edit_refusal(user, obj) -> str:
    note = _note_of(obj)
    if note is not None and note.author_id == user.pk and note.is_locked:
        return NOTE_LOCKED
    return NOT_NOTE_AUTHOR


_OBJECT_RULES: dict[Action, Rule] = {
    Action.VIEW: _spine(lambda user, obj, citizen: True),
    Action.REVEAL_CPR: _spine(
        lambda user, obj, citizen: user.role in (Role.CASEWORKER, Role.COORDINATOR, Role.COMMITTEE, Role.PROVIDER_STAFF)
    ),
    Action.WORK_CASE: _spine(lambda user, obj, citizen: user.role == Role.CASEWORKER),
    Action.EDIT_CITIZEN: _spine(lambda user, obj, citizen: user.role == Role.CASEWORKER),
    Action.ACCEPT_ORDER: _spine(lambda user, obj, citizen: user.role == Role.PROVIDER_STAFF and _is_order(obj)),
    Action.REVIEW_GRANT: _spine(lambda user, obj, citizen: user.role == Role.COMMITTEE and _is_grant(obj)),
    Action.SEE_PLAN: _see_plan,
    Action.VIEW_PLAN: _spine(lambda user, obj, citizen: user.role in STAFF_ROLES or _is_self(user, citizen)),
    Action.EDIT_PLAN: _spine(lambda user, obj, citizen: _is_plan_editor(user, citizen)),
    Action.EDIT_OWN_PLAN: _spine(lambda user, obj, citizen: _is_self(user, citizen)),
    Action.COMMENT_PLAN: _spine(lambda user, obj, citizen: _is_plan_editor(user, citizen) or _is_self(user, citizen)),
    Action.MARK_AGREEMENT: _spine(_mark_agreement),
    Action.EDIT_PROVIDER_PLAN: _spine(_edit_provider_plan),
    Action.MANAGE_CONSENT: _spine(lambda user, obj, citizen: user.role == Role.CASEWORKER or _is_self(user, citizen)),
    Action.MANAGE_MEETINGS: _spine(lambda user, obj, citizen: _is_plan_editor(user, citizen)),
    Action.VIEW_MEETING: _spine(lambda user, obj, citizen: _is_plan_editor(user, citizen) or _is_invited_staff(user, obj)),
    Action.REQUEST_MEETING: _request_meeting,
    Action.TAKE_PART_IN_MEETING: _take_part,
    Action.PROPOSE_MEETING_TOPIC: _propose_topic,
    Action.CHOOSE_MEETING_PARTICIPANTS: _spine(
        lambda user, obj, citizen: _is_self(user, citizen) or _is_plan_editor(user, citizen)
    ),
    Action.ADD_MEETING_PERSPECTIVE: _perspective,
    # A document the user may know of (``_knows``) they may read; a citizen's list is for staff.
    Action.VIEW_DOCUMENT: _spine(lambda user, obj, citizen: _is_document(obj) or user.role in DOCUMENT_STAFF_ROLES),
    Action.UPLOAD_DOCUMENT: _spine(lambda user, obj, citizen: not _is_document(obj) and user.role in DOCUMENT_STAFF_ROLES),
    Action.UPLOAD_OWN_DOCUMENT: _spine(lambda user, obj, citizen: not _is_document(obj) and _is_self(user, citizen)),
    Action.VIEW_LETTER: _spine(_view_letter),
    Action.WRITE_LETTER: _spine(lambda user, obj, citizen: user.role == Role.CASEWORKER),
    Action.NOTE_VIEW: _spine(_note_view),
    Action.NOTE_WRITE: _spine(lambda user, obj, citizen: _keeps_notes(user, obj, citizen) and _note_of(obj) is None),
    Action.NOTE_EDIT: _spine(_note_edit),
    Action.NOTE_ADDENDUM: _spine(_note_addendum),
    Action.CONSULTATION_VIEW: _spine(_view_consultation),
    Action.CONSULTATION_SEND: _spine(lambda user, obj, citizen: user.role == Role.CASEWORKER),
    Action.CONSULTATION_ANSWER: _spine(lambda user, obj, citizen: _is_self(user, citizen) and _is_sent_consultation(obj)),
    Action.APPEAL_VIEW: _spine(lambda user, obj, citizen: user.role == Role.CASEWORKER),
    Action.APPEAL_WORK: _spine(lambda user, obj, citizen: user.role == Role.CASEWORKER),
    Action.ACCESS_REQUEST_VIEW: _spine(lambda user, obj, citizen: user.role == Role.CASEWORKER),
    Action.ACCESS_REQUEST_WORK: _spine(lambda user, obj, citizen: user.role == Role.CASEWORKER),
}

# The refusal a user who may know of the object reads (403); the rest get NOT_YOURS.
_REFUSALS: dict[Action, Callable[[Any], str]] = {
    Action.SEE_PLAN: lambda user: NO_PLAN_CONSENT if is_relative(user) else NOT_YOURS,
    Action.REQUEST_MEETING: lambda user: NO_CONTACT_CONSENT if is_relative(user) else NOT_YOURS,
    Action.TAKE_PART_IN_MEETING: lambda user: NOT_INVITED if is_relative(user) else NOT_YOURS,
    Action.ADD_MEETING_PERSPECTIVE: lambda user: NOT_INVITED,
}
# Refusals that depend on the object (a locked note, or someone else's).
_OBJECT_REFUSALS: dict[Action, Callable[[Any, Any], str]] = {
    Action.NOTE_EDIT: _note_edit_refusal,
}

# Actions on a user's own things, not on a citizen (API tokens): decided by their own functions.
_ACCOUNT_ACTIONS = frozenset({Action.REVOKE_API_ACCESS, Action.TASK_CHANGE})

if set(_CAPABILITIES) | set(_OBJECT_RULES) | _ACCOUNT_ACTIONS != set(Action) or set(_CAPABILITIES) & set(_OBJECT_RULES):
    raise RuntimeError("Every policy action needs exactly one rule")  # pragma: no cover


def can(user, action: str, obj=None) -> bool:
    """May the user do ``action`` (to ``obj``)? Capabilities are asked without an object."""
    act = action_of(action)
    if obj is None:
        return has_capability(user, act)
    rule = _OBJECT_RULES.get(act)
    if rule is None:
        raise ValueError(f"{act!r} is a capability; ask it without an object")
    if not _active(user):
        return False
    citizen = citizen_of(obj)
    return _knows(user, obj, citizen) and rule(user, obj, citizen)


@dataclass(frozen=True)
class Decision:
    """The policy's answer with its HTTP meaning: 200 allowed, 403 refused with a reason the
    user may read, 404 when the user may not know the object exists."""

    status: int
    reason: str = ""

    @property
    def allowed(self) -> bool:
        return self.status == 200


ALLOWED = Decision(200)


def decide(user, action: str, obj=None) -> Decision:
    act = action_of(action)
    if obj is None:
        return ALLOWED if has_capability(user, act) else Decision(403, NO_CAPABILITY)
    if not _active(user) or not _knows(user, obj, citizen_of(obj)):
        return Decision(404, NOT_FOUND)
    if user.role == Role.PROVIDER_STAFF and _is_order(obj) and obj.provider_id != user.unit_id:
        return Decision(404, NOT_FOUND)  # another provider's order: its existence does not leak
    if not can(user, act, obj):
        if act in _OBJECT_REFUSALS:
            return Decision(403, _OBJECT_REFUSALS[act](user, obj))
        return Decision(403, _REFUSALS.get(act, lambda u: NOT_YOURS)(user))
    return ALLOWED


def require(user, action: str, obj=None) -> None:
    """Raise 404 when the object is outside what the user may know exists, 403 when the
    user may know of it but not do this (or lacks the capability)."""
    decision = decide(user, action, obj)
    if decision.status == 404:
        raise Http404(decision.reason)
    if decision.status == 403:
        raise PermissionDenied(decision.reason)


def may_mark_agreement(rights: dict, agreement) -> bool:
    """Given a user's plan rights for the citizen (``edit``/``edit_own``, asked once per
    page): staff editors mark any agreement, the citizen only their own."""
    return bool(rights.get("edit") or (rights.get("edit_own") and getattr(agreement, "responsible_is_citizen", False)))


@dataclass(frozen=True)
class PlanRights:
    """What a user may do on a citizen's plan, asked once per page."""

    edit: bool
    edit_own: bool
    comment: bool

    def may_mark(self, agreement) -> bool:
        return may_mark_agreement({"edit": self.edit, "edit_own": self.edit_own}, agreement)


def plan_rights(user, citizen) -> PlanRights:
    return PlanRights(
        edit=can(user, EDIT_PLAN, citizen), edit_own=can(user, EDIT_OWN_PLAN, citizen), comment=can(user, COMMENT_PLAN, citizen)
    )


# --- The offer catalogue and the recovery school -----------------------------------------
# Offers and courses are public to read. Editing and participants' contact data are not.


def offers_editable_by(user) -> QuerySet:
    """Offers this user may edit: an offer maintainer those owned by their organisation,
    the catalogue editor every offer of their municipality."""
    from samplan.catalogue.models import Offer

    if not _active(user) or not user.municipality_id:
        return Offer.objects.none()
    if user.role == Role.CATALOGUE_EDITOR:
        return Offer.objects.filter(municipality_id=user.municipality_id)
    if user.role == Role.OFFER_MAINTAINER and user.unit_id:
        return Offer.objects.filter(municipality_id=user.municipality_id, owner_id=user.unit_id)
    return Offer.objects.none()


def offer_owner_is_fixed(user) -> bool:
    """An offer maintainer's offers always belong to their own organisation (the catalogue
    editor chooses among ``offer_owner_choices``)."""
    return _active(user) and user.role == Role.OFFER_MAINTAINER


def offer_owner_choices(user) -> QuerySet:
    """The organisations the user may make an offer's owner."""
    from .models import OrgUnit

    if not has_capability(user, MANAGE_CATALOGUE):
        return OrgUnit.objects.none()
    if offer_owner_is_fixed(user):
        return OrgUnit.objects.filter(pk=user.unit_id, municipality_id=user.municipality_id)
    return OrgUnit.objects.filter(municipality_id=user.municipality_id).order_by("name")


def require_offer_edit(user, offer) -> None:
    require(user, MANAGE_CATALOGUE)
    if not offers_editable_by(user).filter(pk=offer.pk).exists():
        raise Http404(NOT_FOUND)


def partners_of(user) -> QuerySet:
    """The recovery-school partners this user works for (empty for citizens and relatives)."""
    from samplan.courses.models import Partner

    if not _active(user) or user.role in PORTAL_ROLES:
        return Partner.objects.none()
    return Partner.objects.filter(members=user)


def has_partner(user) -> bool:
    """Does the user work for a recovery-school partner? (Once per request.)"""
    if not _active(user):
        return False
    return _remembered(("partner", user.pk), lambda: partners_of(user).exists())


def require_partner(user) -> list:
    """The partners of a user who runs the course administration (403 for everyone else)."""
    partners = list(partners_of(user))
    if not partners:
        raise PermissionDenied("Kun medarbejdere hos recoveryskolens samarbejdsparter har adgang til kursusadministrationen.")
    return partners


def courses_managed_by(user) -> QuerySet:
    """Courses this user runs: those owned by a partner they work for."""
    from samplan.courses.models import Course

    return Course.objects.filter(owner__in=partners_of(user))


def require_course_manage(user, course) -> None:
    if not courses_managed_by(user).filter(pk=course.pk).exists():
        if has_partner(user):
            raise PermissionDenied("Kun den kursusansvarlige samarbejdspart kan administrere kurset.")
        raise Http404(NOT_FOUND)


def enrolments_visible(user, queryset: QuerySet | None = None) -> QuerySet:
    """Enrolments with contact data this user may see: all of the courses their partner
    runs, and their own partner's residents on any course. Other partners' participants on
    other partners' courses only ever appear in totals."""
    from samplan.courses.models import Enrolment

    queryset = Enrolment.objects.all() if queryset is None else queryset
    partners = partners_of(user)
    return queryset.filter(Q(course__owner__in=partners) | Q(home_partner__in=partners))


def may_view_course_reports(user) -> bool:
    """The shared totals (no contact data): partners' staff, managers and the catalogue editor."""
    if not _active(user):
        return False
    if user.role in (Role.MANAGER, Role.ADMIN, Role.CATALOGUE_EDITOR):
        return True
    return has_partner(user)


# --- API tokens (samplan.core.api_tokens) ----------------------------------------------------


def api_token_owners(user) -> QuerySet:
    """Whose API tokens ``user`` may see and revoke: their own; an administrator (MANAGE_API_TOKENS)
    also every user of their municipality."""
    from .models import User

    if not _active(user):
        return User.objects.none()
    if has_capability(user, Action.MANAGE_API_TOKENS) and user.municipality_id:
        return User.objects.filter(Q(pk=user.pk) | Q(municipality_id=user.municipality_id))
    return User.objects.filter(pk=user.pk)


def get_api_token(user, digest: str, action: str):
    """The token ``digest`` for ``action`` (REVOKE_API_ACCESS): 404 for a token of anyone
    ``user`` may not manage — another user's, or another municipality's for an administrator."""
    from knox.models import AuthToken

    if action_of(action) != Action.REVOKE_API_ACCESS:
        raise ValueError(f"{action!r} is not an action on an API token")
    token = AuthToken.objects.filter(digest=digest, user__in=api_token_owners(user)).select_related("user").first()
    if token is None:
        raise Http404(NOT_FOUND)
    return token


# --- The inbox and tasks (samplan.inbox) -----------------------------------------------------


def notifications_for(user) -> QuerySet:
    """A user's own notifications; nobody reads another's."""
    from samplan.inbox.models import Notification

    if not has_capability(user, Action.INBOX_VIEW):
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def tasks_visible(user) -> QuerySet:
    """The tasks ``user`` may know of: their own and those of whom they stand in for today;
    the authority's staff also their team's (the tasks of their unit). Provider staff see
    only their own; citizens and relatives none."""
    from django.utils import timezone

    from samplan.inbox.models import Substitution, Task

    if not has_capability(user, Action.TASK_VIEW):
        return Task.objects.none()
    today = timezone.localdate()
    standing_in = Substitution.objects.filter(substitute_id=user.pk, starts__lte=today, ends__gte=today)
    mine = Q(owner_id=user.pk) | Q(owner_id__in=standing_in.values("absent_id"))
    if user.role != Role.PROVIDER_STAFF and user.unit_id:
        mine |= Q(unit_id=user.unit_id, owner__municipality_id=user.municipality_id)
    return Task.objects.filter(mine)


def has_team_tasks(user) -> bool:
    """Does the user see a team's task list beside their own (the authority's staff with a unit)?"""
    return has_capability(user, Action.TASK_VIEW) and bool(user.unit_id) and user.role != Role.PROVIDER_STAFF


def team_members(user) -> QuerySet:
    """Whom ``user`` may give a task to: themselves and the active staff of their unit."""
    from .models import User

    if not has_capability(user, Action.TASK_CREATE):
        return User.objects.none()
    team = Q(pk=user.pk)
    if user.unit_id:
        team |= Q(unit_id=user.unit_id, municipality_id=user.municipality_id, is_active=True, role__in=STAFF_ROLES)
    return User.objects.filter(team)


def get_task(user, pk, action: str):
    """The task ``pk`` for ``action`` (TASK_CHANGE): 404 for a task outside ``tasks_visible``."""
    if action_of(action) != Action.TASK_CHANGE:
        raise ValueError(f"{action!r} is not an action on a task")
    task = tasks_visible(user).filter(pk=pk).select_related("citizen").first()
    if task is None:
        raise Http404(NOT_FOUND)
    return task


def handover_users(user) -> QuerySet:
    """The caseworkers an administrator or leader may hand over between: their municipality's."""
    from .models import User

    if not has_capability(user, Action.HANDOVER) or not user.municipality_id:
        return User.objects.none()
    return User.objects.filter(municipality_id=user.municipality_id, role=Role.CASEWORKER, is_active=True)
