"""Every URL pattern against every role: nothing is reachable that the policy does not allow.

The test walks the whole URL resolver, so a new page or API endpoint that is not
classified here makes the suite fail until someone decides who may reach it."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from samplan.cases import services
from samplan.cases.models import FollowUp, Grant
from samplan.core.models import Role
from samplan.standards.models import CompetenceRule
from tests.factories import PASSWORD, grant_spec, make_citizen, make_user, walk_case

# "consenting_relative" is a relative of the world's citizen who has consent to see the plan
# (the plain "relative" role user is linked to nobody).
ALL = set(Role.values) | {"other_provider", "other_citizen", "other_caseworker", "consenting_relative"}
VIEWERS = {Role.CASEWORKER, Role.COMMITTEE, Role.COORDINATOR, Role.PROVIDER_STAFF, Role.CITIZEN}
AUTHORITY = {Role.CASEWORKER, Role.COMMITTEE, Role.COORDINATOR}
CASEWORKER = {Role.CASEWORKER}
COMMITTEE = {Role.COMMITTEE}
CATALOGUE_EDITORS = {Role.OFFER_MAINTAINER, Role.CATALOGUE_EDITOR}  # the world's offer is owned by the maintainer's unit
STAFF_ROLES_ALL = {
    Role.CASEWORKER,
    Role.COMMITTEE,
    Role.COORDINATOR,
    Role.PROVIDER_STAFF,
    Role.MANAGER,
    Role.ADMIN,
    "other_provider",
    "other_caseworker",
}

# name: (method, object key for the pk or None, roles that may reach it)
PAGES = {
    "home": ("get", None, ALL),
    "login": ("get", None, ALL),
    "login-totp": ("get", None, ALL),  # staff's code step; without a correct password first it only redirects
    "logout": ("post", None, ALL),
    "healthz": ("get", None, ALL),
    "my-page": ("get", None, ALL),  # redirects staff home; shows no citizen data to them
    "my-access-log": ("get", None, {Role.CITIZEN, "other_citizen"}),  # each citizen their own log
    "portal-login": ("get", None, ALL),
    "portal-totp": ("get", None, ALL),  # without a correct password first it only redirects to portal-login
    "oidc-login": ("get", None, set()),  # 404 while MitID (OpenID Connect) is not configured, as in tests
    "oidc-callback": ("get", None, set()),
    "aggregates": ("get", None, {Role.MANAGER, Role.ADMIN}),
    "audit-log": ("get", None, {Role.ADMIN}),
    "citizen-search": ("get", None, AUTHORITY | {"other_caseworker"}),
    "citizen-create": ("get", None, CASEWORKER | {"other_caseworker"}),
    "citizen-overview": ("get", "citizen", VIEWERS),
    "citizen-reveal-cpr": ("post", "citizen", AUTHORITY | {Role.PROVIDER_STAFF}),
    "worklist": ("get", None, {Role.CASEWORKER, Role.COORDINATOR, "other_caseworker"}),
    "provider-orders": ("get", None, {Role.PROVIDER_STAFF, "other_provider"}),
    "order-detail": ("get", "order", VIEWERS),
    "order-accept": ("post", "order", {Role.PROVIDER_STAFF}),
    "inquiry-create": ("get", "citizen", CASEWORKER),
    "case-detail": ("get", "case", VIEWERS),
    "case-first-contact": ("post", "case", CASEWORKER),
    "assessment-start": ("post", "case", CASEWORKER),
    "decision-create": ("get", "case", CASEWORKER),
    "decision-letter": ("get", "case", VIEWERS),
    "grant-create": ("get", "case", CASEWORKER),
    "assessment": ("get", "assessment", VIEWERS),
    "grant-change": ("get", "grant", CASEWORKER),
    "order-create": ("get", "grant", CASEWORKER),
    "follow-up": ("get", "follow_up", CASEWORKER),
    "report-deadlines": ("get", None, AUTHORITY | {Role.MANAGER, Role.ADMIN, "other_caseworker"}),
    "report-deviations": ("get", None, AUTHORITY | {Role.MANAGER, Role.ADMIN, "other_caseworker"}),
    "standard-list": ("get", None, STAFF_ROLES_ALL),
    "standard-detail": ("get", "standard", STAFF_ROLES_ALL),
    "standard-new-version": ("get", "standard", {Role.ADMIN}),
    "committee-queue": ("get", None, COMMITTEE),
    "committee-review": ("get", "pending_grant", COMMITTEE),
    "companion-ledger": ("get", "companion_grant", VIEWERS),
    "extra-costs": ("get", "citizen", VIEWERS),
    "my-consents": ("get", None, {Role.CITIZEN, "other_citizen"}),  # each citizen their own network only
    "citizen-consents": ("get", "citizen", CASEWORKER),
    "my-network": ("get", None, {Role.CITIZEN, "other_citizen"}),  # each citizen their own network map only
    "citizen-network": ("get", "citizen", VIEWERS),
    "my-recovery": ("get", None, {Role.CITIZEN, "other_citizen"}),  # own data only; staff refused
    "my-recovery-new": ("get", None, {Role.CITIZEN, "other_citizen"}),
    "citizen-recovery": ("get", "citizen", VIEWERS),
    "plan-detail": ("get", "citizen", VIEWERS | {"consenting_relative"}),  # the citizen is redirected to my-plan
    "plan-versions": ("get", "citizen", VIEWERS),
    "plan-diff": ("get", "citizen", VIEWERS),
    "plan-pdf": ("get", "citizen", VIEWERS | {"consenting_relative"}),
    "my-plan": ("get", None, {Role.CITIZEN, "other_citizen"}),  # each citizen their own plan
    "my-plan-pdf": ("get", None, {Role.CITIZEN, "other_citizen"}),
    # Adding a catalogue offer to the plan: the plan's staff editors; the citizen is sent to my-plan-offers.
    "plan-offers": ("get", "citizen", {Role.CASEWORKER, Role.COORDINATOR, Role.CITIZEN}),
    "my-plan-offers": ("get", None, {Role.CITIZEN, "other_citizen"}),  # each citizen their own plan
    "meeting-list": ("get", "citizen", {Role.CASEWORKER, Role.COORDINATOR}),  # staff who edit the plan
    "meeting-create": ("get", "citizen", {Role.CASEWORKER, Role.COORDINATOR}),
    "meeting-detail": ("get", "meeting", {Role.CASEWORKER, Role.COORDINATOR}),
    "my-meetings": ("get", None, {Role.CITIZEN, "other_citizen", Role.RELATIVE, "consenting_relative"}),  # own/invited only
    "my-meeting": ("get", "meeting", {Role.CITIZEN}),  # the citizen; relatives only when invited with consent
    # A relative asks for a meeting only with the citizen's CONTACT consent: the world's relative has
    # SEE_PLAN only (403), the unlinked relative gets 404, everyone else 403 (positive cases in
    # tests/test_meeting_request_relative.py).
    "my-meeting-request": ("get", "citizen", set()),
    # The offer catalogue: public to read; maintainers edit their organisation's offers, the editor all.
    "catalogue-search": ("get", None, ALL),
    "catalogue-detail": ("get", "offer", ALL),
    "catalogue-manage": ("get", None, CATALOGUE_EDITORS),
    "catalogue-create": ("get", None, CATALOGUE_EDITORS),
    "catalogue-edit": ("get", "offer", CATALOGUE_EDITORS),
    "catalogue-verify": ("post", "offer", CATALOGUE_EDITORS),
    # Recovery-school courses: public pages and the participant's personal link; the
    # administration only for staff of a partner (the world has none, so nobody here —
    # the positive cases are in tests/test_courses.py).
    "course-list": ("get", None, ALL),
    "course-detail": ("get", "course", ALL),
    "course-enrol": ("post", "course", ALL),  # an empty form: 400 with the errors
    "enrolment-manage": ("get", "enrolment_link", ALL),
    "course-admin": ("get", None, set()),
    "course-manage": ("get", "course", set()),
    "course-cancel": ("post", "course", set()),
    "course-enrolment-cancel": ("post", "course", set()),
    "course-completion": ("post", "course", set()),
    "course-attendance": ("get", ("course", "course_session"), set()),
    # Course evaluation (personal link, no login), the public brochure, and the shared course
    # report without contact data (also partners' staff — the world has none; see test_course_reports.py).
    "evaluation-answer": ("get", "evaluation_link", ALL),
    "course-brochure": ("get", "brochure_term", ALL),
    "course-report": ("get", None, {Role.MANAGER, Role.ADMIN, Role.CATALOGUE_EDITOR}),
    "course-report-csv": ("get", None, {Role.MANAGER, Role.ADMIN, Role.CATALOGUE_EDITOR}),
}


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
    return actors, objs


def _url(name, key, objs):
    from django.urls import reverse

    if isinstance(key, tuple):  # a nested page, e.g. a course's session
        return reverse(name, args=[objs[k].pk for k in key])
    return reverse(name, args=[objs[key].pk]) if key else reverse(name)


@pytest.mark.parametrize("actor", sorted(ALL))
def test_pages_against_role(world, actor):
    actors, objs = world
    client = Client()
    assert client.login(username=actors[actor].username, password=PASSWORD)
    problems = []
    for name, (method, key, allowed) in PAGES.items():
        response = getattr(client, method)(_url(name, key, objs))
        denied = response.status_code in (403, 404)
        if actor in allowed and denied:
            problems.append(f"{name}: {actor} refused ({response.status_code}) but should be allowed")
        if actor not in allowed and not denied:
            problems.append(f"{name}: {actor} got {response.status_code} but should be refused")
        if name == "logout":
            client.login(username=actors[actor].username, password=PASSWORD)
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
    for name, (method, key, _) in PAGES.items():
        if name in public:
            continue
        response = getattr(client, method)(_url(name, key, objs))
        # Min side (/mit/) sends to its own login (/mit/log-ind/), the rest to /login/.
        location = response.get("Location", "")
        assert response.status_code == 302 and ("/login/" in location or location.startswith("/mit/log-ind/")), name


# --- API ---------------------------------------------------------------------------------
STAFF = {
    Role.CASEWORKER,
    Role.COMMITTEE,
    Role.COORDINATOR,
    Role.PROVIDER_STAFF,
    Role.MANAGER,
    Role.ADMIN,
    "other_provider",
    "other_caseworker",
}
# list name: (object key, model label) — lists must contain the world's object only for VIEWERS
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
}
# detail name: (method, object key, allowed roles)
API_DETAILS = {
    "citizen-detail": ("get", "citizen", VIEWERS),
    "citizen-reveal-cpr": ("post", "citizen", AUTHORITY | {Role.PROVIDER_STAFF}),
    "case-detail": ("get", "case", VIEWERS),
    "inquiry-detail": ("get", "inquiry", VIEWERS),
    "inquiry-first-contact": ("post", "inquiry", CASEWORKER),
    "assessment-detail": ("get", "assessment", VIEWERS),
    "assessment-complete": ("post", "assessment", CASEWORKER),
    "assessment-conditions": ("post", "assessment", CASEWORKER),
    "decision-detail": ("get", "decision", VIEWERS),
    "grant-detail": ("get", "grant", VIEWERS),
    "grant-change": ("post", "grant", CASEWORKER),
    "grant-evaluate": ("post", None, CASEWORKER | {"other_caseworker"}),
    "order-detail": ("get", "order", VIEWERS),
    "order-accept": ("post", "order", {Role.PROVIDER_STAFF}),
    "follow-up-detail": ("get", "follow_up", VIEWERS),
    "follow-up-complete": ("post", "follow_up", CASEWORKER),
    "committee-grant-detail": ("get", "pending_grant", COMMITTEE),
    "committee-grant-review": ("post", "pending_grant", COMMITTEE),  # {} → 400 for the committee, refused for others
    "companion-ledger-detail": ("get", "companion_grant", VIEWERS),
    "companion-usage-detail": ("get", "companion_usage", VIEWERS),
    "extra-cost-calculation-detail": ("get", "extra_cost_calculation", VIEWERS),
    "recovery-response-detail": ("get", "recovery_response", VIEWERS),
    # Contact data of a course participant: partner staff only (the world has none; see tests/test_courses_api.py).
    "course-enrolment-detail": ("get", "enrolment", set()),
}
API_OTHER = {
    "concept-list": ("get", None, STAFF),
    "concept-detail": ("get", "concept", STAFF),
    "code-system-list": ("get", None, STAFF),
    "code-system-detail": ("get", "code_system", STAFF),
    "committee-grant-list": ("get", None, COMMITTEE),
    "token": ("post", None, ALL),
    "schema": ("get", None, ALL),
    "offer-list": ("get", None, ALL),  # the public offer catalogue
    "offer-detail": ("get", "offer", ALL),
    # The recovery school: public courses and enrolment ({} → 400 with the errors) …
    "course-list": ("get", None, ALL),
    "course-detail": ("get", "course", ALL),
    "course-enrol": ("post", "course", ALL),
    # … and participants for partner staff: everyone else gets an empty list (200), anonymous 401.
    "course-enrolment-list": ("get", None, ALL),
}
PUBLIC_API = {"token", "offer-list", "offer-detail", "course-list", "course-detail", "course-enrol"}
# Creating through a list endpoint: (model, body builder)
API_CREATES = {
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
def test_api_against_role(api_world, actor):
    from django.apps import apps

    actors, objs = api_world
    client = Client()
    assert client.login(username=actors[actor].username, password=PASSWORD)
    problems = []
    for name, key in API_LISTS.items():
        response = client.get(_api_url(name, None, objs))
        ids = {row["id"] for row in response.json().get("results", [])} if response.status_code == 200 else set()
        if (objs[key].pk in ids) != (actor in VIEWERS):
            problems.append(f"{name}: {actor} {'sees' if objs[key].pk in ids else 'does not see'} the citizen's {key}")
    for name, (method, key, allowed) in (API_DETAILS | API_OTHER).items():
        response = getattr(client, method)(_api_url(name, key, objs), {}, content_type="application/json")
        denied = response.status_code in (401, 403, 404)
        if actor in allowed and denied:
            problems.append(f"{name}: {actor} refused ({response.status_code}) but should be allowed")
        if actor not in allowed and not denied:
            problems.append(f"{name}: {actor} got {response.status_code} but should be refused")
    for name, (label, body) in API_CREATES.items():
        model = apps.get_model(label)
        before = model.objects.count()
        response = client.post(_api_url(name, None, objs), body(objs), content_type="application/json")
        created = model.objects.count() - before
        may_create = actor in (CASEWORKER | {"other_caseworker"} if name == "citizen-list" else CASEWORKER)
        if created and not may_create:
            problems.append(f"{name}: {actor} created a {label} ({response.status_code})")
        if may_create and response.status_code in (401, 403, 404):
            problems.append(f"{name}: {actor} refused ({response.status_code}) but should be allowed")
    assert not problems, "\n".join(problems)


def test_api_refuses_anonymous(api_world):
    _, objs = api_world
    client = Client()
    for name, (method, key, _) in (API_DETAILS | API_OTHER).items():
        if name in PUBLIC_API:
            continue
        response = getattr(client, method)(_api_url(name, key, objs), {}, content_type="application/json")
        assert response.status_code in (401, 403), name
    for name in API_LISTS:
        assert client.get(_api_url(name, None, objs)).status_code in (401, 403), name
