"""The access policy (core.policy, DOMAIN.md §2 and §12): who sees which citizens, who may
do what, and how refusals are reported (404 for the invisible, 403 for the disallowed)."""

import dataclasses

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from samplan.cases import services
from samplan.cases.models import Case, FollowUp, Order
from samplan.citizens.models import NetworkMember
from samplan.core import policy
from samplan.core.models import Role
from tests.factories import grant_spec, make_citizen, make_org, make_user, walk_case


def _seen(user):
    return set(policy.citizens_for(user).values_list("pk", flat=True))


@pytest.fixture
def world(org, users):
    """Citizens of the authority unit, of another team, and of another municipality."""
    gladsaxe = make_org(code="0159", name="Gladsaxe Kommune")
    mine = make_citizen(org, caseworker=users["caseworker"], coordinator=users["coordinator"], user=users["citizen"])
    mine_too = make_citizen(org)  # same unit, no coordinator, no login
    other_team = make_citizen(org, unit=org["other_team"])
    elsewhere = make_citizen(gladsaxe)
    NetworkMember.objects.create(citizen=mine, user=users["relative"], relation="mor")
    return {"gladsaxe": gladsaxe, "mine": mine, "mine_too": mine_too, "other_team": other_team, "elsewhere": elsewhere}


# --- who sees which citizens ---------------------------------------------------------------------


def test_caseworker_sees_own_municipality_and_unit_only(users, world):
    assert _seen(users["caseworker"]) == {world["mine"].pk, world["mine_too"].pk}


def test_caseworker_needs_both_municipality_and_unit(users, world):
    """A citizen of another municipality stays invisible even if pointed at our unit."""
    stray = make_citizen(world["gladsaxe"], unit=users["caseworker"].unit)
    assert stray.pk not in _seen(users["caseworker"])
    assert _seen(users["caseworker"]) == {world["mine"].pk, world["mine_too"].pk}


def test_caseworker_of_another_unit_sees_that_unit_only(org, world):
    other = make_user(Role.CASEWORKER, org, unit=org["other_team"])
    assert _seen(other) == {world["other_team"].pk}


def test_caseworker_of_another_municipality_sees_none_of_ours(world):
    gladsaxe_cw = make_user(Role.CASEWORKER, world["gladsaxe"])
    assert _seen(gladsaxe_cw) == {world["elsewhere"].pk}


def test_caseworker_without_unit_sees_nothing(org, world):
    cw = make_user(Role.CASEWORKER, org)
    cw.unit = None
    cw.save()
    assert _seen(cw) == set()


def test_coordinator_sees_only_citizens_they_coordinate(org, users, world):
    assert _seen(users["coordinator"]) == {world["mine"].pk}
    other_coordinator = make_user(Role.COORDINATOR, org)
    assert _seen(other_coordinator) == set()


def test_citizen_sees_only_self(users, world):
    assert _seen(users["citizen"]) == {world["mine"].pk}


def test_citizen_login_without_profile_sees_nothing(org, world):
    assert _seen(make_user(Role.CITIZEN, org)) == set()


@pytest.mark.parametrize("role", [Role.RELATIVE, Role.MANAGER, Role.ADMIN])
def test_relative_manager_admin_see_no_citizens(users, world, role):
    assert _seen(users[role]) == set()
    for key in ("mine", "mine_too", "other_team", "elsewhere"):
        assert not policy.can(users[role], policy.VIEW, world[key])


def test_anonymous_and_inactive_see_nothing(users, world):
    assert _seen(AnonymousUser()) == set()
    assert _seen(None) == set()
    for role in (Role.CASEWORKER, Role.COORDINATOR, Role.CITIZEN):
        user = users[role]
        assert _seen(user)  # sees someone while active
        user.is_active = False
        user.save()
        assert _seen(user) == set()
        assert not policy.can(user, policy.VIEW, world["mine"])
        with pytest.raises(Http404):
            policy.require(user, policy.VIEW, world["mine"])


def test_inactive_user_loses_capabilities(users):
    cw = users["caseworker"]
    assert policy.has_capability(cw, policy.SEARCH_CITIZENS)
    cw.is_active = False
    cw.save()
    assert not policy.has_capability(cw, policy.SEARCH_CITIZENS)
    with pytest.raises(PermissionDenied):
        policy.require(cw, policy.SEARCH_CITIZENS)


# --- provider staff: only with an active order ---------------------------------------------------------


@pytest.fixture
def staff(org, users):
    return {"own": users["provider_staff"], "other": make_user(Role.PROVIDER_STAFF, org, unit=org["other_provider"])}


def test_provider_staff_see_nobody_before_an_order(org, users, world, staff):
    walk_case(users["caseworker"], world["mine"], org, until="grant")
    assert _seen(staff["own"]) == set()
    assert _seen(staff["other"]) == set()


@pytest.mark.parametrize("until", ["order", "accepted"])
def test_provider_staff_see_citizen_with_active_order(org, users, world, staff, until):
    out = walk_case(users["caseworker"], world["mine"], org, until=until)
    assert Order.objects.get(pk=out["order"].pk).status in Order.ACTIVE_STATUSES
    assert _seen(staff["own"]) == {world["mine"].pk}
    assert _seen(staff["other"]) == set()  # another provider


def test_provider_staff_lose_access_when_order_ends(org, users, world, staff):
    out = walk_case(users["caseworker"], world["mine"], org, until="accepted")
    services.end_grant(users["caseworker"], out["grant"], on=timezone.localdate())
    assert Order.objects.get(pk=out["order"].pk).status == Order.Status.ENDED
    assert _seen(staff["own"]) == set()
    with pytest.raises(Http404):
        policy.require(staff["own"], policy.VIEW, world["mine"])


def test_provider_staff_keep_access_when_grant_changes(org, users, world, staff):
    out = walk_case(users["caseworker"], world["mine"], org, until="accepted")
    spec = dataclasses.replace(grant_spec(org, out["condition"]), change_reason="Mere støtte")
    services.change_grant(users["caseworker"], out["grant"], spec)
    assert _seen(staff["own"]) == {world["mine"].pk}


def test_provider_staff_see_only_the_citizens_ordered_from_them(org, users, world, staff):
    walk_case(users["caseworker"], world["mine"], org, until="order")
    out = walk_case(users["caseworker"], world["mine_too"], org, until="granted")
    spec = dataclasses.replace(grant_spec(org, out["condition"]), offer=org["other_provider"])
    grant = services.create_grant(users["caseworker"], out["decision"], spec)
    services.create_order(users["caseworker"], grant, purpose="Samvær", goals="Deltage en gang om ugen")
    assert _seen(staff["own"]) == {world["mine"].pk}
    assert _seen(staff["other"]) == {world["mine_too"].pk}


# --- can(): actions on a visible citizen -------------------------------------------------------------


@pytest.fixture
def spine(org, users, world):
    out = walk_case(users["caseworker"], world["mine"], org, until="order")
    out["follow_up"] = FollowUp.objects.get(grant=out["grant"])
    return out


def test_work_case_only_for_caseworker(users, world, spine, staff):
    for obj in (world["mine"], spine["case"], spine["grant"], spine["order"], spine["follow_up"], spine["condition"]):
        assert policy.can(users["caseworker"], policy.WORK_CASE, obj)
        for user in (
            users["coordinator"],
            users["citizen"],
            users["committee"],
            staff["own"],
            users["manager"],
            users["admin"],
            users["relative"],
        ):
            assert not policy.can(user, policy.WORK_CASE, obj), (user.role, obj)


def test_work_case_refused_for_caseworker_of_another_unit(org, world, spine):
    other = make_user(Role.CASEWORKER, org, unit=org["other_team"])
    assert not policy.can(other, policy.WORK_CASE, spine["case"])
    assert policy.can(other, policy.WORK_CASE, world["other_team"])


def test_accept_order_only_for_staff_of_that_provider(users, spine, staff):
    order = spine["order"]
    assert policy.can(staff["own"], policy.ACCEPT_ORDER, order)
    assert not policy.can(staff["other"], policy.ACCEPT_ORDER, order)
    for role in (Role.CASEWORKER, Role.COORDINATOR, Role.CITIZEN, Role.COMMITTEE, Role.MANAGER, Role.ADMIN):
        assert not policy.can(users[role], policy.ACCEPT_ORDER, order), role
    # Accepting is about an order, not the citizen or the grant.
    assert not policy.can(staff["own"], policy.ACCEPT_ORDER, spine["grant"])
    assert not policy.can(staff["own"], policy.ACCEPT_ORDER, spine["case"].citizen)


def test_view_follows_visibility(users, world, spine, staff):
    assert policy.can(users["citizen"], policy.VIEW, spine["grant"])
    assert policy.can(staff["own"], policy.VIEW, spine["order"])
    assert not policy.can(staff["other"], policy.VIEW, spine["order"])
    assert not policy.can(users["citizen"], policy.VIEW, world["mine_too"])


def test_reveal_cpr_for_staff_who_see_the_citizen_not_for_the_citizen(users, world, spine, staff):
    assert policy.can(users["caseworker"], policy.REVEAL_CPR, world["mine"])
    assert policy.can(users["coordinator"], policy.REVEAL_CPR, world["mine"])
    assert policy.can(staff["own"], policy.REVEAL_CPR, world["mine"])
    assert not policy.can(users["citizen"], policy.REVEAL_CPR, world["mine"])
    assert not policy.can(staff["other"], policy.REVEAL_CPR, world["mine"])


def test_unknown_action_raises_instead_of_answering_no(users, world):
    cw = users["caseworker"]
    for ask in (
        lambda: policy.can(cw, "delete_everything", world["mine"]),
        lambda: policy.can(cw, "no.such.capability"),
        lambda: policy.require(cw, "delete_everything", world["mine"]),
        lambda: policy.has_capability(cw, "no.such.capability"),
        lambda: policy.get_citizen(cw, world["mine"].pk, "delete_everything"),
    ):
        with pytest.raises(ValueError, match="Unknown policy action"):
            ask()


def test_capability_and_object_actions_are_not_mixed_up(users, world):
    cw = users["caseworker"]
    with pytest.raises(ValueError, match="capability"):
        policy.can(cw, policy.SEARCH_CITIZENS, world["mine"])
    with pytest.raises(ValueError, match="object"):
        policy.has_capability(cw, policy.VIEW)


def test_every_action_has_exactly_one_rule():
    # Actions on a user's own account things (API tokens) have their own functions.
    assert set(policy._CAPABILITIES) | set(policy._OBJECT_RULES) | policy._ACCOUNT_ACTIONS == set(policy.Action)
    assert not (set(policy._CAPABILITIES) | set(policy._OBJECT_RULES)) & policy._ACCOUNT_ACTIONS
    assert not set(policy._CAPABILITIES) & set(policy._OBJECT_RULES)
    # The module-level names are the enum's members, so call sites are typed too.
    assert all(isinstance(getattr(policy, a.name), policy.Action) for a in policy.Action)


def test_capabilities_per_role(users):
    expect = {
        policy.SEARCH_CITIZENS: {Role.CASEWORKER, Role.COORDINATOR, Role.COMMITTEE},
        policy.CREATE_CITIZEN: {Role.CASEWORKER},
        policy.VIEW_AUDIT: {Role.ADMIN},
        policy.VIEW_AGGREGATES: {Role.MANAGER, Role.ADMIN},
        policy.VIEW_CASEWORKER_WORKLIST: {Role.CASEWORKER, Role.COORDINATOR},
        policy.VIEW_PROVIDER_WORKLIST: {Role.PROVIDER_STAFF},
        policy.MANAGE_CATALOGUE: {Role.OFFER_MAINTAINER, Role.CATALOGUE_EDITOR},
        policy.MANAGE_API_TOKENS: {Role.ADMIN},
        policy.VIEW_GRANTS_ENDING: {Role.CASEWORKER, Role.COORDINATOR, Role.MANAGER},
    }
    for capability, roles in expect.items():
        assert {r for r in Role.values if policy.has_capability(users[r], capability)} == set(roles), capability
    assert not any(policy.has_capability(users[r], policy.VIEW_TERMINOLOGY) for r in (Role.CITIZEN, Role.RELATIVE))


# --- require(): 404 for invisible, 403 for disallowed --------------------------------------------------


def test_require_404_for_invisible_objects(users, world, spine, staff):
    cases = [
        (users["caseworker"], world["other_team"]),
        (users["caseworker"], world["elsewhere"]),
        (users["citizen"], world["mine_too"]),
        (users["manager"], world["mine"]),
        (users["admin"], spine["case"]),
        (make_user(Role.RELATIVE, world["gladsaxe"]), world["mine"]),  # a relative not in the network
        (staff["other"], spine["order"]),
    ]
    for user, obj in cases:
        with pytest.raises(Http404):
            policy.require(user, policy.VIEW, obj)
        with pytest.raises(Http404):  # not 403: the object's existence must not leak
            policy.require(user, policy.WORK_CASE, obj)


def test_require_403_for_visible_object_and_disallowed_action(users, world, spine, staff):
    cases = [
        (users["coordinator"], policy.WORK_CASE, spine["case"]),
        (users["citizen"], policy.WORK_CASE, spine["grant"]),
        (users["citizen"], policy.ACCEPT_ORDER, spine["order"]),
        (staff["own"], policy.WORK_CASE, spine["order"]),
        (users["caseworker"], policy.ACCEPT_ORDER, spine["order"]),
    ]
    for user, action, obj in cases:
        policy.require(user, policy.VIEW, obj)  # visible ...
        with pytest.raises(PermissionDenied):  # ... but not theirs to do
            policy.require(user, action, obj)


def test_a_relative_knows_the_citizen_of_their_network_but_not_the_spine(users, world, spine):
    """The relative is in the citizen's network, so the citizen's pages answer 403 (not 404);
    the spine's objects stay 404 only through the querysets, which never include them."""
    relative = users["relative"]
    for action in (policy.VIEW, policy.WORK_CASE, policy.SEE_PLAN, policy.REQUEST_MEETING):
        with pytest.raises(PermissionDenied):
            policy.require(relative, action, world["mine"])
    with pytest.raises(PermissionDenied, match="samtykke til, at du kan se planen"):
        policy.require(relative, policy.SEE_PLAN, world["mine"])
    assert not policy.visible(relative, type(spine["case"]).objects.all()).exists()


def test_require_passes_when_allowed(users, spine, staff):
    policy.require(users["caseworker"], policy.WORK_CASE, spine["case"])
    policy.require(staff["own"], policy.ACCEPT_ORDER, spine["order"])
    policy.require(users["admin"], policy.VIEW_AUDIT)
    with pytest.raises(PermissionDenied):
        policy.require(users["caseworker"], policy.VIEW_AUDIT)


def test_visible_restricts_spine_querysets(users, world, spine, staff, org):
    other = walk_case(users["caseworker"], world["mine_too"], org, until="inquiry")["case"]
    assert set(policy.visible(users["caseworker"], Case.objects.all())) == {spine["case"], other}
    assert set(policy.visible(users["citizen"], Case.objects.all())) == {spine["case"]}
    assert set(policy.visible(staff["own"], Order.objects.all())) == {spine["order"]}
    assert list(policy.visible(staff["other"], Order.objects.all())) == []
    assert list(policy.visible(users["manager"], Case.objects.all())) == []


def test_citizen_of_every_spine_object(world, spine):
    citizen = world["mine"]
    for key in ("case", "inquiry", "assessment", "condition", "decision", "grant", "order", "follow_up"):
        assert policy.citizen_of(spine[key]) == citizen, key
    assert policy.citizen_of(spine["grant"].goals.get()) == citizen
    with pytest.raises(TypeError):
        policy.citizen_of(object())


# --- The offer catalogue and the recovery school ------------------------------------------------


def test_offer_maintainers_edit_their_own_organisations_offers_and_editors_the_municipalitys(org, users):
    from samplan.catalogue.models import Offer

    own = Offer.objects.create(municipality=org["municipality"], kind=Offer.Kind.MUNICIPAL, title="Eget", owner=org["provider"])
    other = Offer.objects.create(
        municipality=org["municipality"], kind=Offer.Kind.PROVIDER, title="Andet", owner=org["other_provider"]
    )
    assert list(policy.offers_editable_by(users[Role.OFFER_MAINTAINER])) == [own]
    assert set(policy.offers_editable_by(users[Role.CATALOGUE_EDITOR])) == {own, other}
    for role in set(Role.values) - {Role.OFFER_MAINTAINER, Role.CATALOGUE_EDITOR}:
        assert not policy.offers_editable_by(users[role]).exists(), role
    with pytest.raises(Http404):
        policy.require_offer_edit(users[Role.OFFER_MAINTAINER], other)
    with pytest.raises(PermissionDenied):
        policy.require_offer_edit(users[Role.CASEWORKER], own)


def test_partners_see_their_own_residents_and_their_own_courses_participants_only(org, users):
    import datetime as dt

    from samplan.courses.models import Course, Enrolment, Partner, School, Term

    school = School.objects.create(name="Skole på Tværs")
    a, b, c = (Partner.objects.create(school=school, name=n) for n in ("A-kommune", "B-kommune", "Regionen"))
    staff_a, staff_b, staff_c = (make_user(Role.OFFER_MAINTAINER, org) for _ in range(3))
    a.members.add(staff_a)
    b.members.add(staff_b)
    c.members.add(staff_c)
    term = Term.objects.create(school=school, name="Forår", slug="foraar")
    course = Course.objects.create(term=term, number=1, title="Kursus", owner=c, place="Sted", max_participants=10)
    from_b = Enrolment.objects.create(
        course=course,
        name="Bo",
        email="bo@example.invalid",
        home_partner=b,
        roles=["citizen"],
        status=Enrolment.Status.CONFIRMED,
        confirmed_at=dt.datetime.now(dt.UTC),
    )
    assert not policy.enrolments_visible(staff_a).exists()
    assert list(policy.enrolments_visible(staff_b)) == [from_b]
    assert list(policy.enrolments_visible(staff_c)) == [from_b]
    assert not policy.enrolments_visible(users[Role.MANAGER]).exists()
    assert list(policy.courses_managed_by(staff_c)) == [course]
    with pytest.raises(PermissionDenied):
        policy.require_course_manage(staff_a, course)
    with pytest.raises(Http404):
        policy.require_course_manage(users[Role.CASEWORKER], course)
    assert policy.may_view_course_reports(staff_a) and policy.may_view_course_reports(users[Role.MANAGER])
    assert not policy.may_view_course_reports(users[Role.CASEWORKER])
    assert not policy.partners_of(users[Role.CITIZEN]).exists()


# --- Nothing outside the policy compares roles ----------------------------------------------


def _role_comparisons(path) -> list[str]:
    import ast

    def is_role(node) -> bool:
        return (
            isinstance(node, ast.Attribute)
            and (node.attr in ("role", "by_role") or (isinstance(node.value, ast.Name) and node.value.id == "Role"))
        ) or (isinstance(node, ast.Name) and node.id in ("PORTAL_ROLES", "STAFF_ROLES", "AUTHORITY_ROLES"))

    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Compare) and any(is_role(n) for n in [node.left, *node.comparators]):
            found.append(f"{path}:{node.lineno}")
    return found


def test_no_role_comparison_outside_the_policy():
    """Every access decision is the policy's: no module but core/policy.py compares a user's
    role (core/models.py, which defines the roles, validates a user's unit against theirs)."""
    import re
    from pathlib import Path

    root = Path(policy.__file__).resolve().parents[1]
    allowed = {root / "core" / "policy.py", root / "core" / "models.py"}
    found = [
        hit
        for path in sorted(root.rglob("*.py"))
        if path not in allowed and "migrations" not in path.parts
        for hit in _role_comparisons(path)
    ]
    template = re.compile(r"\brole\s*(==|!=|\bin\b)")
    found += [
        f"{path}:{n}"
        for path in sorted(root.rglob("*.html"))
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if template.search(line)
    ]
    assert not found, found


# --- Once per request ----------------------------------------------------------------------------


def test_may_see_the_citizen_is_asked_once_per_request_and_again_in_the_next(users, world, django_assert_num_queries):
    cw, citizen = users["caseworker"], world["mine"]
    token = policy.open_request_memo()
    try:
        with django_assert_num_queries(1):  # the first question asks the database ...
            assert policy.can_see_citizen(cw, citizen)
        with django_assert_num_queries(0):  # ... every later one in the same request does not
            for action in (policy.VIEW, policy.EDIT_PLAN, policy.WORK_CASE, policy.COMMENT_PLAN):
                policy.can(cw, action, citizen)
            policy.require(cw, policy.VIEW, citizen)
    finally:
        policy.close_request_memo(token)
    # The next request asks again: a change between requests counts at once.
    citizen.unit = world["other_team"].unit
    citizen.save()
    token = policy.open_request_memo()
    try:
        assert not policy.can_see_citizen(cw, citizen)
    finally:
        policy.close_request_memo(token)


def test_outside_a_request_nothing_is_remembered(users, world, django_assert_num_queries):
    with django_assert_num_queries(2):
        policy.can_see_citizen(users["caseworker"], world["mine"])
        policy.can_see_citizen(users["caseworker"], world["mine"])


def test_a_withdrawn_consent_counts_from_the_next_request(client, users, world):
    """The relative's consent is remembered within one request only (through the middleware)."""
    from django.urls import reverse

    from samplan.consent import services as consent
    from samplan.consent.models import ConsentEvent
    from tests.factories import PASSWORD

    member = world["mine"].network.get(user=users["relative"])
    consent.give(users["citizen"], member, ConsentEvent.Kind.SEE_PLAN)
    assert client.login(username=users["relative"].username, password=PASSWORD)
    url = reverse("plan-detail", args=[world["mine"].pk])
    assert client.get(url).status_code == 200
    consent.withdraw(users["citizen"], member, ConsentEvent.Kind.SEE_PLAN)
    response = client.get(url)
    assert response.status_code == 403 and policy.NO_PLAN_CONSENT in response.content.decode()
