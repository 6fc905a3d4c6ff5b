"""Issue 13 point 2: hand-over (overdragelse) — an administrator or leader moves all of one
caseworker's citizens, open cases and open tasks to another in one audited action whose
query count does not grow with the number of citizens; or records a stand-in period."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samplan.cases import handover
from samplan.cases.models import Case
from samplan.citizens.models import Citizen
from samplan.core import policy
from samplan.core.errors import DomainError
from samplan.core.models import AuditEvent, Role
from samplan.inbox import services as inbox
from samplan.inbox.models import Notification, Substitution, Task
from tests.factories import PASSWORD, make_citizen, make_org, make_user, walk_case


@pytest.fixture
def pair(org):
    return make_user(Role.CASEWORKER, org), make_user(Role.CASEWORKER, org, unit=org["other_team"])


def _world(org, owner, citizens: int, tasks: int):
    people = [make_citizen(org, caseworker=owner) for _ in range(citizens)]
    Task.objects.bulk_create(
        [Task(owner=owner, unit=owner.unit, title=f"Opgave {i}", due=timezone.localdate()) for i in range(tasks)]
    )
    return people


def test_everything_moves_in_one_audited_action(org, users, pair):
    giver, receiver = pair
    people = _world(org, giver, 3, 4)
    out = walk_case(giver, people[0], org, until="inquiry")
    closed = walk_case(giver, people[1], org, until="inquiry")["case"]
    Case.objects.filter(pk=closed.pk).update(status=Case.Status.CLOSED)
    keep = make_citizen(org, caseworker=make_user(Role.CASEWORKER, org))
    Task.objects.create(owner=giver, title="Udført", due=timezone.localdate(), status=Task.Status.DONE)
    result = handover.hand_over(users["admin"], from_user=giver, to_user=receiver)
    assert (result.citizens, result.cases, result.tasks) == (3, 1, 4)
    assert set(Citizen.objects.filter(caseworker=receiver).values_list("pk", flat=True)) == {p.pk for p in people}
    assert set(Citizen.objects.filter(caseworker=receiver).values_list("unit_id", flat=True)) == {receiver.unit_id}
    assert Case.objects.get(pk=out["case"].pk).caseworker == receiver
    assert Case.objects.get(pk=closed.pk).caseworker == giver  # a closed case stays as it was
    assert Task.objects.filter(owner=receiver, status="open", unit=receiver.unit).count() == 4
    assert Task.objects.get(title="Udført").owner == giver
    assert Citizen.objects.get(pk=keep.pk).caseworker != receiver
    summary = AuditEvent.objects.get(object_type="cases.Handover", citizen_id_ref__isnull=True)
    assert summary.after == {"from": giver.pk, "to": receiver.pk, "citizens": 3, "cases": 1, "tasks": 4}
    assert summary.username == users["admin"].username
    per_citizen = AuditEvent.objects.filter(object_type="cases.Handover", citizen_id_ref__isnull=False)
    assert {e.citizen_id_ref for e in per_citizen} == {p.pk for p in people}
    assert all(e.action == AuditEvent.Action.UPDATE for e in per_citizen)
    assert Notification.objects.filter(recipient=receiver, kind=Notification.Kind.HANDOVER).count() == 1
    # The receiver now sees them; the giver no longer does (they moved unit too).
    assert set(policy.citizens_for(receiver).values_list("pk", flat=True)) >= {p.pk for p in people}


def _count(org, users, citizens):
    giver, receiver = make_user(Role.CASEWORKER, org), make_user(Role.CASEWORKER, org)
    _world(org, giver, citizens, 20)
    with CaptureQueriesContext(connection) as queries:
        handover.hand_over(users["admin"], from_user=giver, to_user=receiver)
    assert Citizen.objects.filter(caseworker=receiver).count() == citizens
    return len(queries)


def test_query_count_does_not_grow_with_citizens(org, users):
    assert _count(org, users, 5) == _count(org, users, 50)


def test_only_admin_and_manager_may_hand_over(org, users, pair):
    giver, receiver = pair
    for role in Role.values:
        allowed = policy.has_capability(users[role], policy.HANDOVER)
        assert allowed == (role in (Role.ADMIN, Role.MANAGER)), role
    with pytest.raises(PermissionDenied):
        handover.hand_over(users["caseworker"], from_user=giver, to_user=receiver)


def test_refuses_another_municipality_and_the_same_person(org, users, pair):
    giver, _ = pair
    foreign = make_user(Role.CASEWORKER, make_org(code="0101", name="København"))
    with pytest.raises(DomainError):
        handover.hand_over(users["admin"], from_user=giver, to_user=foreign)
    with pytest.raises(DomainError):
        handover.hand_over(users["admin"], from_user=giver, to_user=giver)


def test_the_page_hands_over_with_one_post(client, org, users, pair):
    giver, receiver = pair
    _world(org, giver, 2, 1)
    assert client.login(username=users["manager"].username, password=PASSWORD)
    page = client.get(reverse("handover"))
    assert page.status_code == 200 and giver.first_name in page.content.decode()
    form = {"from_user": giver.pk, "to_user": receiver.pk, "kind": "permanent", "form_token": "b" * 32}
    response = client.post(reverse("handover"), form, follow=True)
    assert "Overdraget: 2 borgere, 0 sager og 1 opgaver." in response.content.decode()
    assert client.post(reverse("handover"), form).status_code == 302  # the same token: replayed, nothing more
    assert AuditEvent.objects.filter(object_type="cases.Handover", citizen_id_ref__isnull=True).count() == 1
    client.logout()
    assert client.login(username=users["caseworker"].username, password=PASSWORD)
    assert client.get(reverse("handover")).status_code == 403


def test_a_stand_in_period_routes_notifications_and_shows_tasks(client, org, users, pair):
    giver, receiver = pair
    today = timezone.localdate()
    task = Task.objects.create(owner=giver, unit=giver.unit, title="Fraværendes opgave", due=today)
    assert client.login(username=users["admin"].username, password=PASSWORD)
    form = {
        "from_user": giver.pk,
        "to_user": receiver.pk,
        "kind": "period",
        "starts": today,
        "ends": today + dt.timedelta(days=7),
    }
    assert client.post(reverse("handover"), form).status_code == 302
    sub = Substitution.objects.get()
    assert (sub.absent, sub.substitute) == (giver, receiver)
    assert Citizen.objects.filter(caseworker=receiver).count() == 0  # nothing moves for a period
    inbox.notify(giver, kind=Notification.Kind.FOLLOW_UP_DUE, text="x", url="/x/", key="due:1")
    assert Notification.objects.filter(recipient=receiver, key="due:1").exists()
    assert task in policy.tasks_visible(receiver)
    client.logout()
    assert client.login(username=receiver.username, password=PASSWORD)
    assert "Fraværendes opgave" in client.get(reverse("tasks")).content.decode()
    assert client.post(reverse("handover"), form).status_code == 403  # a caseworker may not hand over


def test_period_needs_dates(client, users, pair):
    giver, receiver = pair
    assert client.login(username=users["admin"].username, password=PASSWORD)
    response = client.post(reverse("handover"), {"from_user": giver.pk, "to_user": receiver.pk, "kind": "period"})
    assert response.status_code == 400 and "Angiv periodens datoer." in response.content.decode()
    assert not Substitution.objects.exists()
