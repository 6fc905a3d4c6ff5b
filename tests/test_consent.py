"""Consent: the citizen decides, per network member and kind, and every change is kept.
A relative reaches only what current consent allows, from the very next request."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samplan.citizens.models import NetworkMember
from samplan.consent import services
from samplan.consent.models import ConsentEvent
from samplan.core import policy
from samplan.core.models import AuditEvent, Role
from tests.factories import PASSWORD, make_citizen, make_user

Kind = ConsentEvent.Kind


@pytest.fixture
def world(org, users):
    citizen = make_citizen(org, caseworker=users[Role.CASEWORKER], user=users[Role.CITIZEN])
    relative = NetworkMember.objects.create(citizen=citizen, user=users[Role.RELATIVE], name="Lise Hansen", relation="Mor")
    friend = NetworkMember.objects.create(citizen=citizen, name="Jonas Lund", relation="Ven")
    other_user = make_user(Role.CITIZEN, org)
    other = make_citizen(org, caseworker=users[Role.CASEWORKER], user=other_user)
    stranger = NetworkMember.objects.create(citizen=other, name="Peter Other", relation="Bror")
    return {
        "citizen": citizen,
        "relative": relative,
        "friend": friend,
        "other": other,
        "other_user": other_user,
        "stranger": stranger,
    }


def client_for(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


# --- services -----------------------------------------------------------------------------


def test_no_event_means_no_consent(world):
    for kind in Kind.values:
        assert services.current(world["relative"], kind) is False


def test_give_and_withdraw_keep_history_latest_wins(users, world):
    citizen_user, member = users[Role.CITIZEN], world["relative"]
    first = services.give(citizen_user, member, Kind.SEE_PLAN, note="Hun må gerne følge med")
    assert services.current(member, Kind.SEE_PLAN) is True
    second = services.withdraw(citizen_user, member, Kind.SEE_PLAN)
    assert services.current(member, Kind.SEE_PLAN) is False
    third = services.give(users[Role.CASEWORKER], member, Kind.SEE_PLAN)
    assert services.current(member, Kind.SEE_PLAN) is True
    events = list(ConsentEvent.objects.filter(member=member).order_by("id"))
    assert [e.pk for e in events] == [first.pk, second.pk, third.pk]
    assert [e.granted for e in events] == [True, False, True]
    assert [e.by_role for e in events] == [Role.CITIZEN, Role.CITIZEN, Role.CASEWORKER]
    assert events[0].note == "Hun må gerne følge med"
    # The other kinds are untouched.
    assert services.current(member, Kind.CONTACT) is False


def test_same_state_again_adds_no_event(users, world):
    services.give(users[Role.CITIZEN], world["relative"], Kind.CONTACT)
    assert services.give(users[Role.CITIZEN], world["relative"], Kind.CONTACT) is None
    assert services.withdraw(users[Role.CITIZEN], world["friend"], Kind.CONTACT) is None
    assert ConsentEvent.objects.count() == 1


def test_events_are_never_updated_or_deleted(users, world):
    event = services.give(users[Role.CITIZEN], world["relative"], Kind.CONTACT)
    event.granted = False
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        ConsentEvent.objects.filter(pk=event.pk).update(granted=False)
    with pytest.raises(PermissionError):
        ConsentEvent.objects.all().delete()
    event.refresh_from_db()
    assert event.granted is True


def test_each_change_is_audited_with_before_and_after(users, world):
    event = services.give(users[Role.CITIZEN], world["relative"], Kind.INVITE)
    services.withdraw(users[Role.CITIZEN], world["relative"], Kind.INVITE)
    rows = list(AuditEvent.objects.filter(object_type="consent.ConsentEvent", action=AuditEvent.Action.UPDATE).order_by("id"))
    assert len(rows) == 2
    assert rows[0].object_id == str(event.pk) and rows[0].citizen_id_ref == world["citizen"].pk
    assert rows[0].before == {"member": world["relative"].pk, "kind": "invite", "granted": False}
    assert rows[0].after["granted"] is True
    assert rows[1].before["granted"] is True and rows[1].after["granted"] is False


@pytest.mark.parametrize(
    "who",
    [
        Role.COORDINATOR,
        Role.PROVIDER_STAFF,
        Role.COMMITTEE,
        Role.MANAGER,
        Role.ADMIN,
        Role.RELATIVE,
        "other_citizen",
        "other_caseworker",
    ],
)
def test_only_the_citizen_or_their_caseworker_may_change(org, users, world, who):
    actor = {
        "other_citizen": world["other_user"],
        "other_caseworker": make_user(Role.CASEWORKER, org, unit=org["other_team"]),
    }.get(who) or users[who]
    with pytest.raises((PermissionDenied, Http404)):
        services.give(actor, world["relative"], Kind.SEE_PLAN)
    with pytest.raises((PermissionDenied, Http404)):
        services.add_member(actor, world["citizen"], name="X", relation="Ven")
    assert not ConsentEvent.objects.exists()


def test_current_for_and_members_with(users, world):
    services.give(users[Role.CITIZEN], world["relative"], Kind.SEE_PLAN)
    services.give(users[Role.CITIZEN], world["friend"], Kind.INVITE)
    services.withdraw(users[Role.CITIZEN], world["relative"], Kind.SEE_PLAN)
    services.give(users[Role.CITIZEN], world["relative"], Kind.INVITE)
    state = services.current_for(world["citizen"])
    assert state == {
        world["relative"].pk: {"contact": False, "invite": True, "see_plan": False},
        world["friend"].pk: {"contact": False, "invite": True, "see_plan": False},
    }
    assert set(services.members_with(world["citizen"], Kind.INVITE)) == {world["relative"], world["friend"]}
    assert not services.members_with(world["citizen"], Kind.SEE_PLAN).exists()
    services.withdraw(users[Role.CASEWORKER], world["friend"], Kind.INVITE)
    assert list(services.members_with(world["citizen"], Kind.INVITE)) == [world["relative"]]


def test_current_for_query_count_is_constant(org, users):
    def build(n):
        user = make_user(Role.CITIZEN, org)
        citizen = make_citizen(org, caseworker=users[Role.CASEWORKER], user=user)
        for i in range(n):
            m = NetworkMember.objects.create(citizen=citizen, name=f"Person {i}", relation="Ven")
            services.give(user, m, Kind.CONTACT)
            services.withdraw(user, m, Kind.CONTACT)
            services.give(user, m, Kind.SEE_PLAN)
        return citizen

    counts = []
    for n in (2, 20):
        citizen = build(n)
        with CaptureQueriesContext(connection) as ctx:
            state = services.current_for(citizen)
        assert len(state) == n and all(v["see_plan"] and not v["contact"] for v in state.values())
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] <= 2


# --- policy --------------------------------------------------------------------------------


def test_relative_see_plan_flips_immediately_on_withdrawal(users, world):
    relative, citizen = users[Role.RELATIVE], world["citizen"]
    assert not policy.relative_may(relative, citizen, policy.SEE_PLAN)
    with pytest.raises(PermissionDenied):  # linked, but no consent
        policy.require(relative, policy.SEE_PLAN, citizen)
    services.give(users[Role.CITIZEN], world["relative"], Kind.SEE_PLAN)
    assert policy.relative_may(relative, citizen, policy.SEE_PLAN)
    assert policy.can(relative, policy.SEE_PLAN, citizen)
    policy.require(relative, policy.SEE_PLAN, citizen)
    services.withdraw(users[Role.CITIZEN], world["relative"], Kind.SEE_PLAN)
    assert not policy.relative_may(relative, citizen, policy.SEE_PLAN)
    assert not policy.can(relative, policy.SEE_PLAN, citizen)
    with pytest.raises(PermissionDenied):
        policy.require(relative, policy.SEE_PLAN, citizen)


def test_relative_sees_no_case_spine_and_no_unlinked_citizen(users, world):
    relative = users[Role.RELATIVE]
    services.give(users[Role.CITIZEN], world["relative"], Kind.SEE_PLAN)
    assert not policy.citizens_for(relative).exists()
    assert not policy.can(relative, policy.VIEW, world["citizen"])
    with pytest.raises(PermissionDenied):  # linked: the relative knows the citizen, not the spine
        policy.require(relative, policy.VIEW, world["citizen"])
    with pytest.raises(Http404):  # not linked to the other citizen: their existence does not leak
        policy.require(relative, policy.SEE_PLAN, world["other"])
    # Consent for one kind does not give another.
    assert not policy.relative_may(relative, world["citizen"], Kind.CONTACT)


def test_see_plan_for_citizen_and_staff(org, users, world):
    policy.require(users[Role.CITIZEN], policy.SEE_PLAN, world["citizen"])
    with pytest.raises(Http404):
        policy.require(world["other_user"], policy.SEE_PLAN, world["citizen"])
    policy.require(users[Role.CASEWORKER], policy.SEE_PLAN, world["citizen"])
    with pytest.raises(Http404):
        policy.require(make_user(Role.CASEWORKER, org, unit=org["other_team"]), policy.SEE_PLAN, world["citizen"])
    with pytest.raises(Http404):
        policy.require(users[Role.MANAGER], policy.SEE_PLAN, world["citizen"])


def test_inactive_relative_is_refused(users, world):
    services.give(users[Role.CITIZEN], world["relative"], Kind.SEE_PLAN)
    users[Role.RELATIVE].is_active = False
    assert not policy.relative_may(users[Role.RELATIVE], world["citizen"], policy.SEE_PLAN)


# --- pages ---------------------------------------------------------------------------------


def test_citizen_page_shows_only_own_network_and_audits_the_read(users, world):
    response = client_for(users[Role.CITIZEN]).get(reverse("my-consents"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Lise Hansen" in body and "Jonas Lund" in body and "Peter Other" not in body
    assert (
        AuditEvent.objects.filter(
            action=AuditEvent.Action.READ,
            citizen_id_ref=world["citizen"].pk,
            object_type="consent.ConsentEvent",
            user_id_ref=users[Role.CITIZEN].pk,
        ).count()
        == 1
    )


def test_citizen_toggles_without_js_and_history_in_plain_words(users, world):
    client = client_for(users[Role.CITIZEN])
    url = reverse("my-consents")
    data = {"member": world["relative"].pk, "kind": "see_plan", "granted": "1"}
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == url
    assert services.current(world["relative"], Kind.SEE_PLAN)
    response = client.post(url, data | {"granted": "0"}, follow=True)
    assert not services.current(world["relative"], Kind.SEE_PLAN)
    body = response.content.decode()
    assert "Du trak samtykket tilbage: Lise Hansen (Mor) – må se min plan." in body
    assert "Du gav samtykke: Lise Hansen (Mor) – må se min plan." in body


def test_htmx_toggle_returns_the_row_and_the_history(users, world):
    client = client_for(users[Role.CITIZEN])
    response = client.post(
        reverse("my-consents"), {"member": world["relative"].pk, "kind": "contact", "granted": "1"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith(f'<tr id="member-{world["relative"].pk}"')
    assert 'id="consent-history" hx-swap-oob="true"' in body and "Du gav samtykke" in body


def test_citizen_cannot_change_another_citizens_member(users, world):
    response = client_for(users[Role.CITIZEN]).post(
        reverse("my-consents"), {"member": world["stranger"].pk, "kind": "see_plan", "granted": "1"}
    )
    assert response.status_code == 404
    assert not ConsentEvent.objects.exists()


def test_another_citizen_gets_404_on_the_staff_page(users, world):
    response = client_for(world["other_user"]).get(reverse("citizen-consents", args=[world["citizen"].pk]))
    assert response.status_code in (403, 404)
    response = client_for(world["other_user"]).get(reverse("citizen-consents", args=[world["other"].pk]))
    assert response.status_code == 403  # their own record, but the staff page is not theirs


def test_relative_and_staff_are_refused_on_the_citizen_page(users, world):
    for role in (Role.RELATIVE, Role.CASEWORKER, Role.ADMIN):
        assert client_for(users[role]).get(reverse("my-consents")).status_code == 403


def test_caseworker_changes_are_recorded_via_caseworker(users, world):
    caseworker = users[Role.CASEWORKER]
    client = client_for(caseworker)
    url = reverse("citizen-consents", args=[world["citizen"].pk])
    assert client.get(url).status_code == 200
    client.post(url, {"member": world["friend"].pk, "kind": "invite", "granted": "1", "note": "Aftalt i telefonen"})
    event = ConsentEvent.objects.get()
    assert event.by_user == caseworker and event.by_role == Role.CASEWORKER and event.note == "Aftalt i telefonen"
    body = client_for(users[Role.CITIZEN]).get(reverse("my-consents")).content.decode()
    assert f"{caseworker.get_full_name()} via sagsbehandler gav samtykke: Jonas Lund (Ven)" in body
    assert (
        AuditEvent.objects.filter(
            action=AuditEvent.Action.READ, object_type="consent.ConsentEvent", user_id_ref=caseworker.pk
        ).count()
        == 1
    )


def test_caseworker_of_another_unit_gets_404(org, world):
    other = make_user(Role.CASEWORKER, org, unit=org["other_team"])
    client = client_for(other)
    url = reverse("citizen-consents", args=[world["citizen"].pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"member": world["relative"].pk, "kind": "see_plan", "granted": "1"}).status_code == 404
    assert not ConsentEvent.objects.exists()


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.COMMITTEE])
def test_staff_who_may_not_work_the_case_get_403(users, world, role):
    assert client_for(users[role]).get(reverse("citizen-consents", args=[world["citizen"].pk])).status_code in (403, 404)


def test_add_member_and_400_keeps_input(users, world):
    client = client_for(users[Role.CITIZEN])
    url = reverse("my-consents")
    response = client.post(
        url,
        {"handling": "tilfoej", "ny-name": "", "ny-relation": "Nabo", "ny-email": "nabo@example.invalid", "ny-phone": "12345678"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'value="Nabo"' in body and 'value="nabo@example.invalid"' in body and "Skriv personens navn." in body
    assert not NetworkMember.objects.filter(relation="Nabo").exists()
    response = client.post(
        url, {"handling": "tilfoej", "ny-name": "Birthe Nabo", "ny-relation": "Nabo", "ny-email": "", "ny-phone": ""}
    )
    assert response.status_code == 302
    member = NetworkMember.objects.get(name="Birthe Nabo")
    assert member.citizen == world["citizen"] and member.user is None
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CREATE, object_type="citizens.NetworkMember", object_id=str(member.pk)
    ).exists()
    # A new member starts without any consent.
    assert services.current_for(world["citizen"])[member.pk] == {k: False for k in Kind.values}


def test_network_member_user_is_unique_per_citizen_but_many_without_login(users, world):
    from django.db import IntegrityError, transaction

    NetworkMember.objects.create(citizen=world["citizen"], name="Uden login", relation="Ven")
    with pytest.raises(IntegrityError), transaction.atomic():
        NetworkMember.objects.create(citizen=world["citizen"], user=users[Role.RELATIVE], relation="Søster")


def test_relative_overview_lists_current_consent(users, world):
    relative = users[Role.RELATIVE]
    assert services.relative_overview(relative)[0]["allowed"] == []
    services.give(users[Role.CITIZEN], world["relative"], Kind.CONTACT)
    services.give(users[Role.CITIZEN], world["relative"], Kind.SEE_PLAN)
    rows = services.relative_overview(relative)
    assert [r["citizen"] for r in rows] == [world["citizen"]]
    assert rows[0]["allowed"] == ["Du må kontaktes af medarbejderne.", "Du må se planen."] and rows[0]["see_plan"]
    services.withdraw(users[Role.CITIZEN], world["relative"], Kind.SEE_PLAN)
    assert services.relative_overview(relative)[0]["see_plan"] is False
    assert services.relative_overview(users[Role.CITIZEN]) == []


def test_relative_landing_on_my_page_follows_current_consent(users, world):
    client = client_for(users[Role.RELATIVE])
    services.give(users[Role.CITIZEN], world["relative"], Kind.CONTACT)
    body = client.get(reverse("my-page")).content.decode()
    assert world["citizen"].full_name in body and "Du må kontaktes af medarbejderne." in body
    assert "Du må se planen." not in body and "Pårørendevejlederen kan hjælpe dig" in body
    assert world["other"].full_name not in body
    services.give(users[Role.CITIZEN], world["relative"], Kind.SEE_PLAN)
    assert "Du må se planen." in client.get(reverse("my-page")).content.decode()
    services.withdraw(users[Role.CITIZEN], world["relative"], Kind.SEE_PLAN)
    services.withdraw(users[Role.CITIZEN], world["relative"], Kind.CONTACT)
    body = client.get(reverse("my-page")).content.decode()
    assert "Du må se planen." not in body and "har ikke givet samtykke" in body
