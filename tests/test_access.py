"""Every URL pattern against every role: nothing is reachable that the policy does not allow.

The test walks the whole URL resolver, so a new page or API endpoint that is not
classified here makes the suite fail until someone decides who may reach it."""

import dataclasses
import datetime as dt
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from samplan.cases import services
from samplan.cases.models import FollowUp, Grant
from samplan.core.models import Role
from samplan.standards.models import CompetenceRule
from tests.factories import PASSWORD, grant_spec, make_citizen, make_user, walk_case

# "consenting_relative" is a relative of the world's citizen who has consent to see the plan
# (the plain "relative" role user is linked to nobody).
ALL = frozenset(Role.values) | {"other_provider", "other_citizen", "other_caseworker", "consenting_relative"}
VIEWERS = frozenset({Role.CASEWORKER, Role.COMMITTEE, Role.COORDINATOR, Role.PROVIDER_STAFF, Role.CITIZEN})
AUTHORITY = frozenset({Role.CASEWORKER, Role.COMMITTEE, Role.COORDINATOR})
CASEWORKER = frozenset({Role.CASEWORKER})
COMMITTEE = frozenset({Role.COMMITTEE})
EDITORS = frozenset({Role.CASEWORKER, Role.COORDINATOR})  # who edit the plan and run meetings
CITIZENS = frozenset({Role.CITIZEN, "other_citizen"})  # each on their own Min side
PORTAL = CITIZENS | {Role.RELATIVE, "consenting_relative"}
CATALOGUE_EDITORS = frozenset({Role.OFFER_MAINTAINER, Role.CATALOGUE_EDITOR})  # the world's offer is the maintainer's unit's
STAFF_ROLES_ALL = frozenset(
    {Role.CASEWORKER, Role.COMMITTEE, Role.COORDINATOR, Role.PROVIDER_STAFF, Role.MANAGER, Role.ADMIN}
    | {"other_provider", "other_caseworker"}
)
REPORTERS = AUTHORITY | {Role.MANAGER, Role.ADMIN, "other_caseworker"}
# Who know the world's citizen exists: they see the citizen (VIEWERS) or are in the citizen's
# network (the consenting relative). For them a citizen page they may not use is 403.
KNOW_CITIZEN = VIEWERS | {"consenting_relative"}
# Who see the case itself (inquiry, assessment, decision, grants without their order): the
# viewers but provider staff, who know only their own orders and the grants behind them.
CASE_VIEWERS = VIEWERS - {Role.PROVIDER_STAFF}
# Who keep the citizen's documents (issue 12): the caseworker and the coordinator every one,
# provider staff their provider's uploads; the citizen reads shared ones (not on staff pages).
DOCUMENT_STAFF = frozenset({Role.CASEWORKER, Role.COORDINATOR, Role.PROVIDER_STAFF})


@dataclass(frozen=True)
class Page:
    """The exact answer of one URL for every actor: ``ok`` actors get ``status`` (or their
    own entry in ``special``), ``forbidden`` ones 403, everyone else ``others`` — 404 where
    the URL names an object they may not know exists, 403 for a capability they lack."""

    method: str
    key: str | tuple | None
    ok: frozenset
    status: int = 200
    forbidden: frozenset = frozenset()
    special: tuple = ()
    others: int | None = None

    def expected(self, actor: str) -> int:
        special = dict(self.special)
        if actor in special:
            return special[actor]
        if actor in self.ok:
            return self.status
        if actor in self.forbidden:
            return 403
        if self.others is not None:
            return self.others
        return 404 if self.key else 403


def citizen_page(key, ok, status=200, **kw):
    """A page about the world's citizen (or their spine object): who know the citizen but are
    not among ``ok`` are refused with 403, all others 404."""
    return Page("get" if status == 200 else "post", key, frozenset(ok), status, KNOW_CITIZEN - frozenset(ok), **kw)


def spine_page(key, ok, status=200, method="get", **kw):
    """A page about an object of the case spine: relatives never know it exists (404)."""
    return Page(method, key, frozenset(ok), status, VIEWERS - frozenset(ok), **kw)


def case_page(key, ok, status=200, method="get", **kw):
    """A part of the case provider staff may not know exists (404 for them)."""
    return Page(method, key, frozenset(ok), status, CASE_VIEWERS - frozenset(ok), **kw)


def portal_page(key, ok, status=200, method="get", *, forbidden=frozenset(), special=()):
    """A Min side page: staff get 403 from the gate (so do ``forbidden``)."""
    return Page(method, key, frozenset(ok), status, (ALL - PORTAL) | forbidden, special)


GET, POST = "get", "post"
ITEM = ("citizen", "goal")
PAGES: dict[str, Page] = {
    "home": Page(GET, None, ALL, 302),
    "login": Page(GET, None, ALL, 302),  # logged in: on to the front page
    "login-totp": Page(GET, None, ALL, 302),  # without a correct password first it only redirects
    "logout": Page(POST, None, ALL, 302),
    "healthz": Page(GET, None, ALL),
    "my-page": Page(GET, None, PORTAL, special=tuple((a, 302) for a in ALL - PORTAL)),  # staff are sent home
    "my-access-log": Page(GET, None, CITIZENS),  # each citizen their own log
    "portal-login": Page(GET, None, ALL - PORTAL, special=tuple((a, 302) for a in PORTAL)),  # logged in: on to Min side
    "portal-totp": Page(GET, None, ALL, 302),  # verified: on; staff: back to the portal's login
    "oidc-login": Page(GET, None, frozenset(), others=404),  # 404 while MitID (OpenID Connect) is not configured
    "oidc-callback": Page(GET, None, frozenset(), others=404),
    "aggregates": Page(GET, None, {Role.MANAGER, Role.ADMIN}),
    "audit-log": Page(GET, None, {Role.ADMIN}),
    "api-tokens": Page(GET, None, ALL),  # everyone their own (often none)
    "api-tokens-admin": Page(GET, None, {Role.ADMIN}),
    # Another staff member's token: only the municipality's administrator may know of it.
    "api-token-revoke": Page(POST, "api_token", {Role.ADMIN}, 302),
    "citizen-search": Page(GET, None, AUTHORITY | {"other_caseworker"}),
    "citizen-create": Page(GET, None, CASEWORKER | {"other_caseworker"}),
    "citizen-overview": citizen_page("citizen", VIEWERS),
    "citizen-reveal-cpr": Page(POST, "citizen", AUTHORITY | {Role.PROVIDER_STAFF}, 200, {Role.CITIZEN, "consenting_relative"}),
    "citizen-master-data": citizen_page("citizen", CASEWORKER),
    "worklist": Page(GET, None, {Role.CASEWORKER, Role.COORDINATOR, "other_caseworker"}),
    "provider-orders": Page(GET, None, {Role.PROVIDER_STAFF, "other_provider"}),
    "order-detail": spine_page("order", VIEWERS),
    "order-accept": spine_page("order", {Role.PROVIDER_STAFF}, 302, POST),
    "order-propose": spine_page("order", {Role.PROVIDER_STAFF}, 400, POST),  # no date: refused on the form
    "order-decline": spine_page("order", {Role.PROVIDER_STAFF}, 400, POST),  # no reason: refused on the form
    "inquiry-create": citizen_page("citizen", CASEWORKER),
    "case-detail": case_page("case", CASE_VIEWERS),
    # Letters are the authority's: provider staff know none; the citizen only a sent one.
    "letter-create": case_page("case", CASEWORKER),
    "letter-detail": case_page("letter", AUTHORITY),
    "letter-edit": case_page("letter", CASEWORKER),
    "letter-approve": case_page("letter", CASEWORKER, 400, POST),  # no version in the body: refused on the form
    "letter-retry": case_page("letter", CASEWORKER, 409, POST),  # a draft was not sent, so not failed
    "letter-pdf": case_page("letter", AUTHORITY, 404),  # a draft has no PDF yet
    "letter-templates": Page(GET, None, {Role.ADMIN}),
    "letter-template-edit": Page(GET, "letter_kind", {Role.ADMIN}, others=403),
    "case-first-contact": case_page("case", CASEWORKER, 400, POST),  # contact already recorded: refused on the form
    "assessment-start": case_page("case", CASEWORKER, 302, POST),  # refused (one exists): back to the case
    "decision-create": case_page("case", CASEWORKER),
    "decision-letter": case_page("case", CASE_VIEWERS),
    "grant-create": case_page("case", CASEWORKER),
    "assessment": case_page("assessment", CASE_VIEWERS),
    "assessment-condition": case_page("assessment", CASEWORKER, 400, POST),  # an empty form: 400 with the errors
    "condition-change": case_page(("assessment", "condition"), CASEWORKER, 400, POST),
    "condition-remove": case_page(("assessment", "condition"), CASEWORKER, 400, POST),
    "assessment-complete": case_page("assessment", CASEWORKER, 400, POST),
    "grant-change": spine_page("grant", CASEWORKER),
    "order-create": spine_page("grant", CASEWORKER),
    "follow-up": spine_page("follow_up", CASEWORKER),
    "report-deadlines": Page(GET, None, REPORTERS),
    "report-deviations": Page(GET, None, REPORTERS),
    # Issue 13: grants ending within 60 days — caseworker/coordinator their own, a leader the unit's.
    "report-grants-ending": Page(GET, None, {Role.CASEWORKER, Role.COORDINATOR, Role.MANAGER, "other_caseworker"}),
    # Journal notes: kept by the caseworker, the coordinator and the provider's staff; the
    # committee, the citizen (Min side) and a relative know the citizen, so 403. A note is
    # known only to who may read it (an authority note: not provider staff, nor a manager):
    # 404 for everyone else. Editing and locking are the author's (the coordinator reads
    # the note, so 403); an empty form is 400; addenda are for a locked note.
    "note-list": citizen_page("citizen", {Role.CASEWORKER, Role.COORDINATOR, Role.PROVIDER_STAFF}),
    "note-create": citizen_page("citizen", {Role.CASEWORKER, Role.COORDINATOR, Role.PROVIDER_STAFF}),
    "note-detail": Page(GET, "note", EDITORS),
    "note-edit": Page(POST, "note", CASEWORKER, 400, frozenset({Role.COORDINATOR})),
    "note-lock": Page(POST, "note_to_lock", CASEWORKER, 302, frozenset({Role.COORDINATOR})),
    "note-addendum": Page(POST, "locked_note", EDITORS, 400),
    "my-notes": Page(GET, None, CITIZENS),  # each citizen the notes shared with them
    "standard-list": Page(GET, None, STAFF_ROLES_ALL),
    "standard-detail": Page(GET, "standard", STAFF_ROLES_ALL, others=403),  # the capability decides
    "standard-new-version": Page(GET, "standard", {Role.ADMIN}, others=403),
    "committee-queue": Page(GET, None, COMMITTEE),
    "committee-review": case_page("pending_grant", COMMITTEE),
    "companion-ledger": case_page("companion_grant", CASE_VIEWERS),
    "extra-costs": citizen_page("citizen", VIEWERS),
    "my-consents": portal_page(None, CITIZENS, forbidden=PORTAL - CITIZENS),  # each citizen their own network only
    "citizen-consents": citizen_page("citizen", CASEWORKER),
    "my-network": portal_page(None, CITIZENS, forbidden=PORTAL - CITIZENS),
    "citizen-network": citizen_page("citizen", VIEWERS),
    "my-recovery": portal_page(None, CITIZENS, forbidden=PORTAL - CITIZENS),
    "my-recovery-new": portal_page(None, CITIZENS, forbidden=PORTAL - CITIZENS),
    "citizen-recovery": citizen_page("citizen", VIEWERS),
    "plan-detail": citizen_page("citizen", KNOW_CITIZEN, special=((Role.CITIZEN, 302),)),  # the citizen: to my-plan
    "plan-versions": citizen_page("citizen", VIEWERS),
    "plan-diff": citizen_page("citizen", VIEWERS),
    "plan-pdf": citizen_page("citizen", KNOW_CITIZEN),
    "my-plan": portal_page(None, CITIZENS, forbidden=PORTAL - CITIZENS),
    "my-plan-pdf": portal_page(None, CITIZENS, forbidden=PORTAL - CITIZENS),
    # Adding a catalogue offer to the plan: the plan's staff editors; the citizen is sent to my-plan-offers.
    "plan-offers": citizen_page("citizen", EDITORS, special=((Role.CITIZEN, 302),)),
    "my-plan-offers": portal_page(None, CITIZENS, forbidden=PORTAL - CITIZENS),
    # Changing the plan, one URL per action. Staff: an empty form is 400 with its errors (a
    # form whose fields are all optional saves: 302); the citizen changes theirs on Min side.
    # An empty body has no row version (core.locking): refused on the form, never saved blindly.
    "plan-wishes": citizen_page("citizen", EDITORS, 400),
    "plan-meeting": citizen_page("citizen", EDITORS, 400),
    "plan-goal-add": citizen_page("citizen", EDITORS, 400),
    "plan-goal-edit": citizen_page(ITEM, EDITORS, 400),
    "plan-goal-comment": citizen_page(ITEM, EDITORS, 400),  # an empty comment is refused
    "plan-effort-add": citizen_page("citizen", EDITORS, 400),
    "plan-effort-edit": citizen_page(("citizen", "effort"), EDITORS, 400),
    "plan-agreement-add": citizen_page("citizen", EDITORS, 400),
    "plan-agreement-mark": citizen_page(("citizen", "agreement"), EDITORS, 302),
    "plan-agreement-comment": citizen_page(("citizen", "agreement"), EDITORS, 400),
    "plan-provider-item": citizen_page(("citizen", "order"), {Role.PROVIDER_STAFF}, 400),
    "plan-status-note": citizen_page(("citizen", "order"), {Role.PROVIDER_STAFF}, 400),
    "my-plan-wishes": portal_page(None, CITIZENS, 400, POST, forbidden=PORTAL - CITIZENS),
    # Another citizen's plan items do not exist for a citizen (404).
    "my-plan-goal-edit": portal_page(
        "goal", {Role.CITIZEN}, 400, POST, forbidden=PORTAL - CITIZENS, special=(("other_citizen", 404),)
    ),
    "my-plan-goal-comment": portal_page(
        "goal", {Role.CITIZEN}, 400, POST, forbidden=PORTAL - CITIZENS, special=(("other_citizen", 404),)
    ),
    "my-plan-agreement-mark": portal_page(
        "agreement", {Role.CITIZEN}, 302, POST, forbidden=PORTAL - CITIZENS, special=(("other_citizen", 404),)
    ),
    "my-plan-agreement-comment": portal_page(
        "agreement", {Role.CITIZEN}, 400, POST, forbidden=PORTAL - CITIZENS, special=(("other_citizen", 404),)
    ),
    # Network meetings: the staff who edit the plan run them.
    "meeting-list": citizen_page("citizen", EDITORS),
    "meeting-create": citizen_page("citizen", EDITORS),
    "meeting-detail": citizen_page("meeting", EDITORS),
    "meeting-schedule": citizen_page("meeting", EDITORS, 400),
    "meeting-cancel": citizen_page("meeting", EDITORS, 400),
    "meeting-add-professional": citizen_page("meeting", EDITORS, 400),
    "meeting-add-invitees": citizen_page("meeting", EDITORS, 400),
    "meeting-join": citizen_page("meeting", EDITORS, 302),
    "meeting-topic": citizen_page("meeting", EDITORS, 400),
    "meeting-minutes": citizen_page("meeting", EDITORS, 400),  # a meeting not yet planned has no minutes
    "my-meetings": portal_page(None, PORTAL),  # own or invited only
    # The citizen's own meeting; the consenting relative knows the citizen but is not invited
    # (403); the other citizen and the unlinked relative may not know it exists (404).
    "my-meeting": portal_page("meeting", {Role.CITIZEN}, special=(("consenting_relative", 403),)),
    "my-meeting-topic": portal_page("meeting", {Role.CITIZEN}, 400, POST, special=(("consenting_relative", 403),)),
    "my-meeting-perspective": portal_page(
        "meeting", frozenset(), 400, POST, special=((Role.CITIZEN, 403), ("consenting_relative", 403))
    ),
    "my-meeting-participation": portal_page(
        "meeting", {Role.CITIZEN}, 400, POST, special=(("consenting_relative", 403), (Role.RELATIVE, 403))
    ),
    "my-meeting-participants": portal_page(
        "meeting", {Role.CITIZEN}, 302, POST, special=(("consenting_relative", 403), (Role.RELATIVE, 403))
    ),
    # A relative asks for a meeting only with the citizen's CONTACT consent: the world's relative has
    # SEE_PLAN only (403), the unlinked relative gets 404, everyone else 403 (positive cases in
    # tests/test_meeting_request_relative.py).
    "my-meeting-request": Page(GET, "citizen", frozenset(), others=403, special=((Role.RELATIVE, 404),)),
    # The offer catalogue: public to read; maintainers edit their organisation's offers, the editor all.
    "catalogue-search": Page(GET, None, ALL),
    "catalogue-detail": Page(GET, "offer", ALL),
    "catalogue-manage": Page(GET, None, CATALOGUE_EDITORS),
    "catalogue-create": Page(GET, None, CATALOGUE_EDITORS),
    "catalogue-edit": Page(GET, "offer", CATALOGUE_EDITORS, others=403),  # the capability decides first
    "catalogue-verify": Page(POST, "offer", CATALOGUE_EDITORS, 302, others=403),
    # Recovery-school courses: public pages and the participant's personal link; the
    # administration only for staff of a partner (the world has none — positive cases in
    # tests/test_courses.py): without a partner the course is unknown (404), the list refused (403).
    "course-list": Page(GET, None, ALL),
    "course-detail": Page(GET, "course", ALL),
    "course-enrol": Page(POST, "course", ALL, 400),  # an empty form: 400 with the errors
    "enrolment-manage": Page(GET, "enrolment_link", ALL),
    "course-admin": Page(GET, None, frozenset()),
    "course-manage": Page(GET, "course", frozenset()),
    "course-cancel": Page(POST, "course", frozenset()),
    "course-enrolment-cancel": Page(POST, "course", frozenset()),
    "course-completion": Page(POST, "course", frozenset()),
    "course-attendance": Page(GET, ("course", "course_session"), frozenset()),
    # Course evaluation (personal link, no login), the public brochure, and the shared course
    # report without contact data (also partners' staff — the world has none; see test_course_reports.py).
    "evaluation-answer": Page(GET, "evaluation_link", ALL),
    "course-brochure": Page(GET, "brochure_term", ALL),
    "course-report": Page(GET, None, {Role.MANAGER, Role.ADMIN, Role.CATALOGUE_EDITOR}),
    "course-report-csv": Page(GET, None, {Role.MANAGER, Role.ADMIN, Role.CATALOGUE_EDITOR}),
    # Documents: the list and the upload form for the document staff (the committee and the
    # citizen know the citizen: 403); the caseworker's unshared document only for the authority.
    "citizen-documents": citizen_page("citizen", DOCUMENT_STAFF),
    "document-upload": citizen_page("citizen", DOCUMENT_STAFF),
    "document-download": Page(GET, "document", frozenset({Role.CASEWORKER, Role.COORDINATOR})),
    # Partshøring (issue 12): sent by the caseworker, read by the authority and the citizen.
    "consultation-create": case_page("case", CASEWORKER),
    "consultation-detail": case_page("consultation", AUTHORITY | {Role.CITIZEN}),
    "consultation-letter-answer": case_page("consultation", CASEWORKER),
    "my-consultations": Page(GET, None, CITIZENS),
    "my-consultation-answer": portal_page("consultation", {Role.CITIZEN}, forbidden={Role.RELATIVE, "consenting_relative"}),
    # Min side's letters and documents (issue 12): each citizen their own sent letters and the
    # documents shared with or sent by them; relatives are stopped by the gate (403).
    "my-letters": portal_page(None, CITIZENS, forbidden=PORTAL - CITIZENS),
    "my-letter": portal_page("sent_letter", {Role.CITIZEN}, forbidden={Role.RELATIVE, "consenting_relative"}),
    "my-letter-pdf": portal_page("sent_letter", {Role.CITIZEN}, forbidden={Role.RELATIVE, "consenting_relative"}),
    "my-documents": portal_page(None, CITIZENS, forbidden=PORTAL - CITIZENS),
    "my-document-upload": portal_page(None, CITIZENS, forbidden=PORTAL - CITIZENS),
    "my-document-file": portal_page("shared_document", {Role.CITIZEN}, forbidden={Role.RELATIVE, "consenting_relative"}),
    # The inbox and tasks (issue 13): staff each their own notifications (another's: 404); the
    # caseworker's task is known to its owner and the owner's unit (the committee member here).
    "inbox": Page(GET, None, STAFF_ROLES_ALL),
    "notification-open": Page(POST, "notification", CASEWORKER, 302),
    "notification-read": Page(POST, "notification", CASEWORKER, 302),
    "notifications-all-read": Page(POST, None, STAFF_ROLES_ALL, 302),
    "inbox-settings": Page(POST, None, STAFF_ROLES_ALL, 302),
    "tasks": Page(GET, None, STAFF_ROLES_ALL),
    "task-create": Page(GET, None, {Role.CASEWORKER, Role.COORDINATOR, Role.MANAGER, Role.ADMIN, "other_caseworker"}),
    "task-done": Page(POST, "task", {Role.CASEWORKER, Role.COMMITTEE}, 302),
    "handover": Page(GET, None, {Role.MANAGER, Role.ADMIN}),
    # Appeals and access requests (issue 13): the caseworker's work; provider staff know none.
    # The steps' POSTs without a version are refused on the form (400).
    "appeal-create": case_page("case", CASEWORKER),
    "appeal-list": Page(GET, None, CASEWORKER | {"other_caseworker"}),
    "appeal-detail": case_page("appeal", CASEWORKER),
    "appeal-reconsider": case_page("appeal", CASEWORKER, 400, POST),
    "appeal-forward": case_page("appeal", CASEWORKER, 400, POST),
    "appeal-result": case_page("appeal", CASEWORKER, 400, POST),
    "access-request-create": citizen_page("citizen", CASEWORKER),
    "access-request-detail": case_page("access_request", CASEWORKER),
    "access-request-generate": case_page("access_request", CASEWORKER, 400, POST),
    "access-request-letter": case_page("access_request", CASEWORKER, 400, POST),
    "access-export-pdf": case_page(("access_request", "access_export"), CASEWORKER),
    "access-export-json": case_page(("access_request", "access_export"), CASEWORKER),
}


# More cells for URLs of PAGES with another object: provider staff and another provider's grant.
MORE_PAGES: list[tuple[str, Page]] = [
    ("letter-detail", case_page("sent_letter", AUTHORITY | {Role.CITIZEN})),
    ("letter-pdf", case_page("sent_letter", AUTHORITY | {Role.CITIZEN})),
    ("letter-edit", case_page("sent_letter", CASEWORKER, 409)),  # sent: nothing to edit
    ("grant-change", case_page("other_grant", CASEWORKER)),
    ("order-create", case_page("other_grant", CASEWORKER)),
    # The provider's own upload, shared with the citizen: also that provider's staff and the citizen.
    ("document-download", Page(GET, "shared_document", DOCUMENT_STAFF | {Role.CITIZEN})),
    # An empty upload is refused on the form (400) for those who may upload.
    ("document-upload", citizen_page("citizen", DOCUMENT_STAFF, 400)),
]


def iter_patterns(patterns=None, prefix=""):
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from iter_patterns(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def page_names():
    return sorted({p.name for route, p in iter_patterns() if not route.startswith("api/")})


def api_routes():
    return sorted({route for route, p in iter_patterns() if route.startswith("api/")})


def test_every_page_is_classified():
    unclassified = [n for n in page_names() if n not in PAGES]
    assert not unclassified, f"Classify these URL names in tests/test_access.py: {unclassified}"


@pytest.fixture
def world(org, users):
    cw = users[Role.CASEWORKER]
    coordinator = users[Role.COORDINATOR]
    citizen = make_citizen(org, caseworker=cw, user=users[Role.CITIZEN], coordinator=coordinator)
    objs = walk_case(cw, citizen, org, until="order")
    other_citizen_user = make_user(Role.CITIZEN, org)
    make_citizen(org, caseworker=cw, user=other_citizen_user)
    actors = dict(users)
    actors["other_provider"] = make_user(Role.PROVIDER_STAFF, org, unit=org["other_provider"])
    actors["other_citizen"] = other_citizen_user
    actors["other_caseworker"] = make_user(Role.CASEWORKER, org, unit=org["other_team"])
    from samplan.citizens.models import NetworkMember
    from samplan.consent import services as consent_services
    from samplan.consent.models import ConsentEvent

    actors["consenting_relative"] = make_user(Role.RELATIVE, org)
    member = NetworkMember.objects.create(citizen=citizen, user=actors["consenting_relative"], name="Søster", relation="Søster")
    consent_services.give(cw, member, ConsentEvent.Kind.SEE_PLAN)
    from samplan.standards.models import QualityStandard

    standard = QualityStandard.objects.create(municipality=org["municipality"], key="§85", legal_bases=["§85"])
    objs.update(citizen=citizen, follow_up=FollowUp.objects.get(grant=objs["grant"]), standard=standard)
    # §97 companion hours and a §100 calculation for the same citizen.
    from samplan.calculators import services as calculators
    from tests.test_calculators import extra_costs_version, make_companion_grant

    today = timezone.localdate()
    objs["companion_grant"] = make_companion_grant(cw, citizen, org, start=today - dt.timedelta(days=40))
    objs["companion_usage"] = calculators.record_companion_usage(
        cw, objs["companion_grant"], objs["companion_grant"].start_date, 1
    )
    extra_costs_version(org)
    objs["extra_cost_calculation"] = calculators.calculate_extra_costs(
        cw,
        citizen,
        items=[("Medicin", 700)],
        application_received=today,
        calculated_on=today,
    )
    # A grant beyond the caseworker's competence, waiting for the allocation committee.
    CompetenceRule.objects.create(municipality=org["municipality"], legal_basis="§85", max_scope=27)
    waiting = walk_case(cw, citizen, org, until="granted")
    objs["pending_grant"] = services.create_grant(cw, waiting["decision"], grant_spec(org, waiting["condition"], amount="30"))
    assert objs["pending_grant"].status == Grant.Status.PENDING
    # A grant of the same citizen to another provider, without an order to the world's
    # provider: their staff may not know it exists (nor its case).
    elsewhere = walk_case(cw, citizen, org, until="granted")
    spec = dataclasses.replace(grant_spec(org, elsewhere["condition"]), offer=org["other_provider"])
    objs["other_grant"] = services.create_grant(cw, elsewhere["decision"], spec)
    assert objs["other_grant"].status == Grant.Status.ACTIVE
    # A CHIME self-rating filled in with the caseworker.
    from samplan.questionnaires import services as questionnaires

    objs["recovery_response"] = questionnaires.submit_response(
        cw,
        citizen,
        questionnaires.current_version(),
        {i.key: (5, "") for i in questionnaires.items_of(questionnaires.current_version())},
        channel="staff",
        with_staff=True,
    )
    # A network meeting the citizen asked for (no relative invited).
    from samplan.meetings import services as meetings

    objs["meeting"] = meetings.request_meeting(actors[Role.CITIZEN], citizen, purpose="Overblik")
    # The citizen's plan with one goal, one effort and one agreement the citizen answers for.
    from samplan.plans import services as plans

    plan = objs["plan"] = plans.get_or_create_plan(citizen, cw)
    objs["goal"] = plans.add_goal(cw, plan, domain="home", citizen_wording="Klare indkøb selv")
    objs["effort"] = plans.add_effort(cw, plan, owner_kind="civil", title="Gåtur", owner_name="Sind", status="active")
    objs["agreement"] = plans.add_agreement(cw, plan, who="Anna", what="Ringer til skolen", responsible_is_citizen=True)
    # A public offer in the catalogue, owned by the provider (the offer maintainer's unit).
    from samplan.catalogue.models import Offer

    objs["offer"] = Offer.objects.create(
        municipality=org["municipality"], kind=Offer.Kind.CAFE, title="Værestedet", owner=org["provider"]
    )
    # A recovery-school course with a session and one enrolment (its personal link has a UUID).
    import types

    from samplan.courses.models import Course, Enrolment, Partner, School, Session, Term

    school = School.objects.create(name="Skole på Tværs")
    term = Term.objects.create(school=school, name="Forår", slug="foraar")
    objs["course"] = Course.objects.create(
        term=term,
        number=1,
        title="Recovery",
        place="Kulturhuset",
        max_participants=10,
        owner=Partner.objects.create(school=school, name="Regionen"),
    )
    objs["course_session"] = Session.objects.create(
        course=objs["course"], date=today + dt.timedelta(days=30), starts=dt.time(13), ends=dt.time(16)
    )
    enrolment = Enrolment.objects.create(
        course=objs["course"], name="Kim", email="kim@example.invalid", roles=["citizen"], status=Enrolment.Status.CONFIRMED
    )
    objs["enrolment_link"] = types.SimpleNamespace(pk=enrolment.token)
    from samplan.courses.models import EvaluationInvite

    objs["evaluation_link"] = types.SimpleNamespace(pk=EvaluationInvite.objects.create(enrolment=enrolment).token)
    objs["brochure_term"] = types.SimpleNamespace(pk=term.slug)
    # Journal notes (issue 12): the caseworker's open note, one to lock, a locked one, and the
    # provider's dagbog note (its staff and the caseworker read it; the coordinator does not).
    from samplan.journal import services as journal
    from samplan.journal.models import JournalNote

    def note(user, **kw):
        fields = {"kind": JournalNote.Kind.PHONE, "subject": "Opkald", "text": "Borgeren ringede."} | kw
        return journal.create_note(user, citizen, occurred_at=timezone.now() - dt.timedelta(hours=1), **fields)

    objs["note"] = note(cw)
    objs["note_to_lock"] = note(cw)
    objs["locked_note"] = journal.lock_note(cw, note(cw))
    objs["diary_note"] = note(actors[Role.PROVIDER_STAFF], kind=JournalNote.Kind.DIARY, order=objs["order"])
    # An API token of a staff member who is none of the actors (no actor's logout ends it).
    from samplan.core import api_tokens

    objs["api_token"], _ = api_tokens.issue(make_user(Role.MANAGER, org))
    # Documents: the caseworker's (not shared) and the provider's own, shared with the citizen.
    from tests.test_i12_docs import pdf_bytes, upload

    objs["document"] = upload(cw, citizen, pdf_bytes())
    objs["shared_document"] = upload(users[Role.PROVIDER_STAFF], citizen, pdf_bytes(), shared_with_citizen=True)
    # Letters of the world's case: a draft, and one sent (its PDF stands in for a real one:
    # this test is about who reaches it, tests/test_i12_letters.py about the PDF).
    from samplan.letters import services as letters
    from samplan.letters.models import Letter

    objs["letter"] = letters.create_letter(cw, objs["case"], kind="grant")
    sent = letters.create_letter(cw, objs["case"], kind="partial_grant")
    Letter.objects.filter(pk=sent.pk).update(status=Letter.Status.SENT, pdf=b"%PDF-1.7 brev", sent_at=timezone.now())
    objs["sent_letter"] = sent
    objs["letter_kind"] = types.SimpleNamespace(pk="refusal")
    from samplan.cases.models import Consultation

    objs["consultation"] = Consultation.objects.create(
        case=objs["case"], citizen=citizen, facts="Fakta", response_deadline=today, created_by=cw, sent_at=timezone.now()
    )
    # The inbox (issue 13): the caseworker's own notification and task.
    from samplan.inbox import services as inbox
    from samplan.inbox.models import Task

    objs["notification"] = inbox.notify(cw, kind="handover", text="Overdraget", url="/arbejdsliste/")
    objs["task"] = Task.objects.create(owner=cw, unit=cw.unit, title="Ring", due=today)
    # An appeal of the world's decision and an access request with an export (a stand-in
    # PDF: this test is about who reaches it, tests/test_i13_access.py about the export).
    from samplan.access_requests import services as access_requests
    from samplan.access_requests.models import AccessExport
    from samplan.appeals import services as appeals

    objs["appeal"] = appeals.register_appeal(cw, objs["decision"], received_on=today, from_whom="citizen", summary="Klage")
    objs["access_request"] = access_requests.register_request(cw, citizen, received_on=today, from_whom="citizen")
    objs["access_export"] = AccessExport.objects.create(request=objs["access_request"], citizen=citizen, data={}, pdf=b"%PDF-1.7")
    return actors, objs


def _url(name, key, objs):
    from django.urls import reverse

    if isinstance(key, tuple):  # a nested page, e.g. a course's session
        return reverse(name, args=[objs[k].pk for k in key])
    return reverse(name, args=[objs[key].pk]) if key else reverse(name)


@pytest.fixture(params=["test", "production"])
def defaults(request, settings):
    """The suite's settings, and once more the production defaults: staff and Min side log
    in with a second factor, and login throttling (django-axes) is on."""
    if request.param == "production":
        from django.core.cache import cache

        settings.SAMPLAN_STAFF_REQUIRE_2FA = True
        settings.SAMPLAN_PORTAL_REQUIRE_2FA = True
        settings.AXES_ENABLED = True
        cache.clear()
    return request.param


def log_in(client, user, defaults: str) -> None:
    """Log in as the suite does, or through the real two-step login (password, then the
    current code of the user's authenticator app) under the production defaults."""
    if defaults == "test":
        assert client.login(username=user.username, password=PASSWORD)
        return
    from samplan.core import policy, twofactor
    from tests.test_portal import code_for

    device = twofactor.ensure_confirmed_device(user)
    portal = policy.is_portal_user(user)
    password_url, code_url = ("portal-login", "portal-totp") if portal else ("login", "login-totp")
    response = client.post(reverse(password_url), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302 and reverse(code_url) in response["Location"], user.username
    response = client.post(reverse(code_url), {"code": code_for(device)})
    assert response.status_code == 302, (user.username, response.status_code)


@pytest.mark.parametrize("actor", sorted(ALL))
def test_pages_against_role(world, actor, defaults):
    """The exact status of every page for this actor: 404 for what they may not know exists,
    403 for what they may know of but not touch, and the page's own answer where allowed."""
    actors, objs = world
    client = Client()
    log_in(client, actors[actor], defaults)
    problems = []
    for name, page in [*PAGES.items(), *MORE_PAGES]:
        response = getattr(client, page.method)(_url(name, page.key, objs))
        if response.status_code != page.expected(actor):
            problems.append(f"{name}: {actor} got {response.status_code}, expected {page.expected(actor)}")
        if name == "logout":
            log_in(client, actors[actor], defaults)
    assert not problems, "\n".join(problems)


def test_anonymous_is_sent_to_login(world):
    _, objs = world
    client = Client()
    public = {
        "login",
        "login-totp",
        "healthz",
        "logout",
        "portal-login",
        "portal-totp",
        "oidc-login",
        "oidc-callback",
        "catalogue-search",
        "catalogue-detail",
        "course-list",
        "course-detail",
        "course-enrol",
        "enrolment-manage",
        "evaluation-answer",
        "course-brochure",
    }
    for name, page in PAGES.items():
        if name in public:
            continue
        response = getattr(client, page.method)(_url(name, page.key, objs))
        # Min side (/mit/) sends to its own login (/mit/log-ind/), the rest to /login/.
        location = response.get("Location", "")
        assert response.status_code == 302 and ("/login/" in location or location.startswith("/mit/log-ind/")), name


# --- API ---------------------------------------------------------------------------------
STAFF = STAFF_ROLES_ALL
# list name: object key — lists must contain the world's object only for VIEWERS (for the
# parts of the case in LIST_SEEN_BY only for them)
API_LISTS = {
    "citizen-list": "citizen",
    "case-list": "case",
    "inquiry-list": "inquiry",
    "assessment-list": "assessment",
    "decision-list": "decision",
    "grant-list": "grant",
    "order-list": "order",
    "follow-up-list": "follow_up",
    "companion-usage-list": "companion_usage",
    "extra-cost-calculation-list": "extra_cost_calculation",
    "recovery-response-list": "recovery_response",
    "plan-list": "plan",
    "document-list": "document",
    "letter-list": "sent_letter",
    "note-list": "note",
    "consultation-list": "consultation",
}
# Provider staff see their own orders and the grant behind them with its follow-ups, not the
# rest of the case (the §97 grant and the §100 calculation have no order to them).
LIST_SEEN_BY = dict.fromkeys(
    ["case-list", "inquiry-list", "assessment-list", "decision-list", "companion-usage-list", "extra-cost-calculation-list"],
    CASE_VIEWERS,
)
LIST_SEEN_BY["document-list"] = frozenset({Role.CASEWORKER, Role.COORDINATOR})  # the caseworker's, not shared
LIST_SEEN_BY["letter-list"] = AUTHORITY | {Role.CITIZEN}
LIST_SEEN_BY["consultation-list"] = AUTHORITY | {Role.CITIZEN}  # the world's consultation is sent
LIST_SEEN_BY["note-list"] = EDITORS  # an authority note: the caseworker and the coordinator
# The exact status per actor, as for the pages (a POST with an empty body: 400 where allowed).
API_DETAILS: dict[str, Page] = {
    "citizen-detail": citizen_page("citizen", VIEWERS),
    "citizen-reveal-cpr": Page(POST, "citizen", AUTHORITY | {Role.PROVIDER_STAFF}, 200, {Role.CITIZEN, "consenting_relative"}),
    "case-detail": case_page("case", CASE_VIEWERS),
    "inquiry-detail": case_page("inquiry", CASE_VIEWERS),
    "inquiry-first-contact": case_page("inquiry", CASEWORKER, 400, POST),
    "assessment-detail": case_page("assessment", CASE_VIEWERS),
    "assessment-complete": case_page("assessment", CASEWORKER, 400, POST),
    "assessment-conditions": case_page("assessment", CASEWORKER, 400, POST),
    "decision-detail": case_page("decision", CASE_VIEWERS),
    "grant-detail": spine_page("grant", VIEWERS),
    "grant-change": spine_page("grant", CASEWORKER, 400, POST),
    "grant-evaluate": Page(POST, None, CASEWORKER | {"other_caseworker"}, 400),
    "order-detail": spine_page("order", VIEWERS),
    "order-accept": spine_page("order", {Role.PROVIDER_STAFF}, 200, POST),
    "order-propose": spine_page("order", {Role.PROVIDER_STAFF}, 400, POST),
    "order-decline": spine_page("order", {Role.PROVIDER_STAFF}, 400, POST),
    "follow-up-detail": spine_page("follow_up", VIEWERS),
    "follow-up-complete": spine_page("follow_up", CASEWORKER, 400, POST),
    # The committee's queue: the capability is asked first, so everyone else gets 403.
    "committee-grant-detail": Page(GET, "pending_grant", COMMITTEE, others=403),
    "committee-grant-review": Page(POST, "pending_grant", COMMITTEE, 400, others=403),
    "companion-ledger-detail": case_page("companion_grant", CASE_VIEWERS),
    "companion-usage-detail": case_page("companion_usage", CASE_VIEWERS),
    "extra-cost-calculation-detail": case_page("extra_cost_calculation", CASE_VIEWERS),
    "recovery-response-detail": spine_page("recovery_response", VIEWERS),
    # Journal notes, as on the pages: known only to who may read the note (404 for the rest).
    "note-detail": Page(GET, "note", EDITORS),
    "note-lock": Page(POST, "note_to_lock", CASEWORKER, 200, frozenset({Role.COORDINATOR})),
    "note-addenda": Page(POST, "locked_note", EDITORS, 400),
    "plan-detail": spine_page("plan", VIEWERS),  # a relative with consent reads the plan on its page, not here
    "letter-detail": case_page("letter", AUTHORITY),  # a draft: not the citizen's yet (403)
    "consultation-detail": case_page("consultation", AUTHORITY | {Role.CITIZEN}),
    "letter-pdf": case_page("letter", AUTHORITY, 404),  # a draft has no PDF
    # Contact data of a course participant: partner staff only (the world has none; see tests/test_courses_api.py).
    "course-enrolment-detail": Page(GET, "enrolment", frozenset()),
    # The caseworker's unshared document: the authority only; everyone else may not know it (404).
    "document-detail": Page(GET, "document", frozenset({Role.CASEWORKER, Role.COORDINATOR})),
    "document-content": Page(GET, "document", frozenset({Role.CASEWORKER, Role.COORDINATOR})),
}
# More cells for API_DETAILS' URLs with another object (see MORE_PAGES); the world's grant,
# behind the provider's order, is in API_DETAILS (provider staff: 200).
MORE_API: list[tuple[str, Page]] = [
    ("letter-detail", case_page("sent_letter", AUTHORITY | {Role.CITIZEN})),
    ("letter-pdf", case_page("sent_letter", AUTHORITY | {Role.CITIZEN})),
    ("grant-detail", case_page("other_grant", CASE_VIEWERS)),
    ("grant-change", case_page("other_grant", CASEWORKER, 400, POST)),
    # The provider's upload shared with the citizen: that provider's staff and the citizen too.
    ("document-detail", Page(GET, "shared_document", DOCUMENT_STAFF | {Role.CITIZEN})),
    ("document-content", Page(GET, "shared_document", DOCUMENT_STAFF | {Role.CITIZEN})),
]
API_OTHER: dict[str, Page] = {
    "concept-list": Page(GET, None, STAFF),
    "concept-detail": Page(GET, "concept", STAFF, others=403),
    "code-system-list": Page(GET, None, STAFF),
    "code-system-detail": Page(GET, "code_system", STAFF, others=403),
    "committee-grant-list": Page(GET, None, COMMITTEE),
    # Search by CPR in the body, as GET citizen-list for names ({} → 400: q is required).
    "citizen-search": Page(POST, None, ALL, 400),
    "token": Page(POST, None, ALL, 400),  # no username and password: 400
    "token-logout": Page(POST, None, ALL, 204),  # a session has no token to end: nothing happens
    "token-logout-all": Page(POST, None, ALL, 204),  # ends the caller's own tokens only
    "schema": Page(GET, None, ALL),
    "offer-list": Page(GET, None, ALL),  # the public offer catalogue
    "offer-detail": Page(GET, "offer", ALL),
    # The recovery school: public courses and enrolment ({} → 400 with the errors) …
    "course-list": Page(GET, None, ALL),
    "course-detail": Page(GET, "course", ALL),
    "course-enrol": Page(POST, "course", ALL, 400),
    # … and participants for partner staff: everyone else gets an empty list (200), anonymous 401.
    "course-enrolment-list": Page(GET, None, ALL),
}
PUBLIC_API = {"token", "offer-list", "offer-detail", "course-list", "course-detail", "course-enrol"}
# Creating through a list endpoint: (model, body builder)
API_CREATES = {
    "note-list": (
        "journal.JournalNote",
        lambda o: {
            "citizen": o["citizen"].pk,
            "kind": "telefon",
            "occurred_at": (timezone.now() - dt.timedelta(hours=1)).isoformat(),
            "subject": "Opkald",
            "text": "Borgeren ringede.",
        },
    ),
    "citizen-list": ("citizens.Citizen", lambda o: {"first_name": "Ny", "last_name": "Borger", "cpr": "6601851234"}),
    "inquiry-list": (
        "cases.Inquiry",
        lambda o: {
            "citizen": o["citizen"].pk,
            "source": "citizen",
            "reason": "Ny henvendelse",
            "received_at": "2026-01-05T10:00:00+01:00",
        },
    ),
    "assessment-list": ("cases.Assessment", lambda o: {"case": o["case"].pk}),
    "decision-list": (
        "cases.Decision",
        lambda o: {
            "case": o["case"].pk,
            "outcome": "granted",
            "legal_basis": "§85",
            "justification": "x",
            "decided_at": "2026-01-05",
        },
    ),
    "grant-list": ("cases.Grant", lambda o: {"decision": o["decision"].pk}),
    "order-list": ("cases.Order", lambda o: {"grant": o["grant"].pk, "purpose": "Formål", "goals": "Mål"}),
    "companion-usage-list": (
        "calculators.CompanionUsage",
        lambda o: {"grant": o["companion_grant"].pk, "used_on": o["companion_grant"].start_date.isoformat(), "hours": "1"},
    ),
    "extra-cost-calculation-list": (
        "calculators.ExtraCostCalculation",
        lambda o: {
            "citizen": o["citizen"].pk,
            "items": [{"label": "Medicin", "kr_month": "700"}],
            "application_received": o["extra_cost_calculation"].application_received.isoformat(),
        },
    ),
}


def api_names():
    return sorted({p.name for route, p in iter_patterns() if route.startswith("api/")})


def test_every_api_endpoint_is_classified():
    known = set(API_LISTS) | set(API_DETAILS) | set(API_OTHER)
    unclassified = [n for n in api_names() if n not in known]
    assert not unclassified, f"Classify these API names in tests/test_access.py: {unclassified}"


def _api_url(name, key, objs):
    from django.urls import reverse

    return reverse(f"api:{name}", args=[objs[key].pk]) if key else reverse(f"api:{name}")


@pytest.fixture
def api_world(world):
    from samplan.terminology import ffb

    actors, objs = world
    concept = ffb.root(ffb.SERVICES)
    objs.update(concept=concept, code_system=concept.system, enrolment=objs["course"].enrolments.get())
    return actors, objs


@pytest.mark.parametrize("actor", sorted(ALL))
def test_api_against_role(api_world, actor, defaults):
    from django.apps import apps

    actors, objs = api_world
    client = Client()
    log_in(client, actors[actor], defaults)
    problems = []
    for name, key in API_LISTS.items():
        response = client.get(_api_url(name, None, objs))
        if response.status_code != 200:
            problems.append(f"{name}: {actor} got {response.status_code}, expected 200 (an empty list at most)")
            continue
        ids = {row["id"] for row in response.json()["results"]}
        if (objs[key].pk in ids) != (actor in LIST_SEEN_BY.get(name, VIEWERS)):
            problems.append(f"{name}: {actor} {'sees' if objs[key].pk in ids else 'does not see'} the citizen's {key}")
    for name, page in [*(API_DETAILS | API_OTHER).items(), *MORE_API]:
        response = getattr(client, page.method)(_api_url(name, page.key, objs), {}, content_type="application/json")
        if response.status_code != page.expected(actor):
            problems.append(f"{name}: {actor} got {response.status_code}, expected {page.expected(actor)}")
    for name, (label, body) in API_CREATES.items():
        model = apps.get_model(label)
        before = model.objects.count()
        response = client.post(_api_url(name, None, objs), body(objs), content_type="application/json")
        created = model.objects.count() - before
        expected = _create_status(name, actor)
        if response.status_code != expected or bool(created) != (expected == 201):
            problems.append(f"{name}: {actor} got {response.status_code} (expected {expected}) and created {created}")
    assert not problems, "\n".join(problems)


# What the world's caseworker gets: a new citizen, inquiry, usage and calculation; the case's
# assessment and decision exist already and the grant's body lacks its fields (400); the grant's
# active order exists already, so a second is a duplicate (409, issue 11).
CASEWORKER_CREATES = {
    "citizen-list": 201,
    "inquiry-list": 201,
    "companion-usage-list": 201,
    "extra-cost-calculation-list": 201,
    "order-list": 409,
}


def _create_status(name: str, actor: str) -> int:
    """Creating is the caseworker's. A citizen is created with a capability (403 without it);
    anything else names its citizen's object in the body, which is looked up among what the
    user may see: an unseen one is an invalid choice (400, its existence does not leak), a
    seen one refused by the policy (403). The grant's body is incomplete for everyone (400)."""
    if name == "grant-list":
        return 400
    if name == "citizen-list":
        return 201 if actor in CASEWORKER | {"other_caseworker"} else 403
    if actor in CREATED_BY_MORE.get(name, ()):
        return 201
    if actor in CASEWORKER:
        return CASEWORKER_CREATES.get(name, 400)
    return 403 if actor in CREATE_BODY_SEEN_BY.get(name, VIEWERS) else 400


# Creates that more roles than the caseworker make: notes are kept by the coordinator and
# the provider's staff too.
CREATED_BY_MORE = {"note-list": frozenset({Role.CASEWORKER, Role.COORDINATOR, Role.PROVIDER_STAFF})}
# Who see the object a create's body names (the case, the §97 grant); the rest name the
# citizen or the grant behind the provider's order, which every viewer sees.
CREATE_BODY_SEEN_BY = dict.fromkeys(["assessment-list", "decision-list", "companion-usage-list"], CASE_VIEWERS)


def test_api_refuses_anonymous(api_world):
    _, objs = api_world
    client = Client()
    for name, page in (API_DETAILS | API_OTHER).items():
        if name in PUBLIC_API:
            continue
        response = getattr(client, page.method)(_api_url(name, page.key, objs), {}, content_type="application/json")
        assert response.status_code == 401 and response["WWW-Authenticate"] == "Token", name
    for name in API_LISTS:
        assert client.get(_api_url(name, None, objs)).status_code == 401, name


# --- A GET never writes ----------------------------------------------------------------------

# What a GET may write: the audit trail (every read is logged), the session, and the login
# throttling's own tables.
GET_MAY_WRITE = {
    "core_auditevent",
    "django_session",
    "axes_accessattempt",
    "axes_accessattemptexpiration",
    "axes_accesslog",
    "axes_accessfailurelog",
}


def _tables() -> dict[str, int]:
    """Every other table's content, as a fingerprint per table."""
    from django.db import connection

    state = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            if table in GET_MAY_WRITE:
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 (our own table names)
            state[table] = hash(tuple(sorted(repr(row) for row in cursor.fetchall())))
    return state


def every_url(objs) -> list[tuple[str, str]]:
    """Every URL of the URL map, pages and API, with the world's objects filled in."""
    api = {name: page.key for name, page in (API_DETAILS | API_OTHER).items()} | dict.fromkeys(API_LISTS)
    urls = []
    for route, pattern in iter_patterns():
        if route.startswith("api/"):
            urls.append((pattern.name, _api_url(pattern.name, api[pattern.name], objs)))
        else:
            urls.append((pattern.name, _url(pattern.name, PAGES[pattern.name].key, objs)))
    return urls


@pytest.mark.parametrize("actor", sorted(ALL | {"anonymous"}))
def test_a_get_never_writes(api_world, actor):
    """GET every URL of the URL map as this actor: no table but the audit trail, the session
    and the login throttling changes (the URL that wrote is named)."""
    actors, objs = api_world
    client = Client()
    if actor != "anonymous":
        assert client.login(username=actors[actor].username, password=PASSWORD)
    urls = every_url(objs)
    assert len(urls) == len(list(iter_patterns()))
    writers = []
    state = _tables()
    for name, url in urls:
        client.get(url)
        after = _tables()
        if after != state:
            writers.append(f"GET {name} ({url}) wrote to {[t for t in after if state.get(t) != after[t]]}")
            state = after
    assert not writers, "\n".join(writers)
