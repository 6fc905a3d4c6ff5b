"""Every URL pattern against every role: nothing is reachable that the policy does not allow.

The test walks the whole URL resolver, so a new page or API endpoint that is not
classified here makes the suite fail until someone decides who may reach it."""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from samplan.cases.models import FollowUp
from samplan.core.models import Role
from tests.factories import PASSWORD, make_citizen, make_user, walk_case

ALL = set(Role.values) | {"other_provider", "other_citizen", "other_caseworker"}
VIEWERS = {Role.CASEWORKER, Role.COMMITTEE, Role.COORDINATOR, Role.PROVIDER_STAFF, Role.CITIZEN}
AUTHORITY = {Role.CASEWORKER, Role.COMMITTEE, Role.COORDINATOR}
CASEWORKER = {Role.CASEWORKER}

# name: (method, object key for the pk or None, roles that may reach it)
PAGES = {
    "home": ("get", None, ALL),
    "login": ("get", None, ALL),
    "logout": ("post", None, ALL),
    "healthz": ("get", None, ALL),
    "my-page": ("get", None, ALL),  # redirects staff home; shows no citizen data to them
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
    "grant-create": ("get", "case", CASEWORKER),
    "assessment": ("get", "assessment", VIEWERS),
    "grant-change": ("get", "grant", CASEWORKER),
    "order-create": ("get", "grant", CASEWORKER),
    "follow-up": ("get", "follow_up", CASEWORKER),
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
    objs.update(citizen=citizen, follow_up=FollowUp.objects.get(grant=objs["grant"]))
    return actors, objs


def _url(name, key, objs):
    from django.urls import reverse

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
    public = {"login", "healthz", "logout"}
    for name, (method, key, _) in PAGES.items():
        if name in public:
            continue
        response = getattr(client, method)(_url(name, key, objs))
        assert response.status_code == 302 and "/login/" in response["Location"], name
