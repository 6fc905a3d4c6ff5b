"""Issue 13 points 1–2: the inbox (notifications with an unread badge), tasks (mine and
the team's), the hooks of the case spine and the daily notify_due, and the digest."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samplan.cases import services as cases
from samplan.cases.due import notify_due
from samplan.cases.models import CommitteeReview, FollowUp, Grant
from samplan.core import policy
from samplan.core.models import AuditEvent, Role
from samplan.inbox import services as inbox
from samplan.inbox.models import InboxSettings, Notification, Substitution, Task
from samplan.inbox.tasks import build_digest
from tests.factories import PASSWORD, make_citizen, make_user, walk_case

K = Notification.Kind


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


@pytest.fixture
def caseworker(users):
    return users["caseworker"]


@pytest.fixture
def citizen(org, caseworker):
    return make_citizen(org, caseworker=caseworker, first_name="Hanne")


def note(user, n=1, **kw):
    return [inbox.notify(user, kind=K.TASK_ASSIGNED, text=f"Besked {i}", url="/arbejdsliste/", **kw) for i in range(n)]


# --- notify -----------------------------------------------------------------------------------


def test_notify_dedupes_on_key_per_recipient(caseworker, users):
    first = inbox.notify(caseworker, kind=K.GRANT_ENDING, text="A", url="/x/", key="grant_ending:1")
    again = inbox.notify(caseworker, kind=K.GRANT_ENDING, text="A", url="/x/", key="grant_ending:1")
    other = inbox.notify(users["coordinator"], kind=K.GRANT_ENDING, text="A", url="/x/", key="grant_ending:1")
    assert first is not None and again is None and other is not None
    assert Notification.objects.filter(key="grant_ending:1").count() == 2
    assert (
        inbox.notify_many([caseworker, users["coordinator"]], kind=K.GRANT_ENDING, text="A", url="/x/", key="grant_ending:1") == 0
    )


def test_notify_refuses_an_unknown_kind_and_skips_inactive(caseworker):
    with pytest.raises(ValueError):
        inbox.notify(caseworker, kind="nonsense", text="A", url="/x/")
    caseworker.is_active = False
    caseworker.save()
    assert inbox.notify(caseworker, kind=K.HANDOVER, text="A", url="/x/") is None


def test_a_stand_in_gets_a_copy_during_the_period_only(org, caseworker, users):
    stand_in = make_user(Role.CASEWORKER, org)
    today = timezone.localdate()
    Substitution.objects.create(absent=caseworker, substitute=stand_in, starts=today, ends=today, created_by=users["admin"])
    inbox.notify(caseworker, kind=K.HANDOVER, text="A", url="/x/", key="k1")
    assert Notification.objects.filter(recipient=stand_in, key="k1").count() == 1
    Substitution.objects.update(starts=today - dt.timedelta(days=5), ends=today - dt.timedelta(days=1))
    inbox.notify(caseworker, kind=K.HANDOVER, text="A", url="/x/", key="k2")
    assert not Notification.objects.filter(recipient=stand_in, key="k2").exists()


# --- the header badge and the inbox page -------------------------------------------------------


def test_header_badge_counts_unread_with_one_query(client, caseworker):
    login(client, caseworker)
    note(caseworker, 2)
    with CaptureQueriesContext(connection) as few:
        page = client.get(reverse("tasks"))
    note(caseworker, 30)
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("tasks"))
    assert len(many) == len(few)
    assert 'class="samplan-inbox-count">32<' in page.content.decode()
    counts = [q["sql"] for q in many.captured_queries if "inbox_notification" in q["sql"]]
    assert len(counts) == 1 and "COUNT" in counts[0].upper()


def test_citizen_and_relative_have_no_inbox(client, org, users):
    for role in (Role.CITIZEN, Role.RELATIVE):
        assert not policy.has_capability(users[role], policy.INBOX_VIEW)
        assert not policy.has_capability(users[role], policy.TASK_VIEW)
    citizen_user = users[Role.CITIZEN]
    make_citizen(org, user=citizen_user)
    client.force_login(citizen_user)
    assert client.get(reverse("inbox")).status_code == 403
    assert client.get(reverse("tasks")).status_code == 403


def test_inbox_lists_own_newest_first_and_audits_the_citizen(client, caseworker, users, citizen):
    inbox.notify(caseworker, kind=K.ORDER_ACCEPTED, text="Ældst", url="/x/")
    inbox.notify(caseworker, kind=K.ORDER_ACCEPTED, text=f"Nyest om {citizen.full_name}", url="/x/", citizen=citizen)
    inbox.notify(users["coordinator"], kind=K.ORDER_ACCEPTED, text="En andens", url="/x/")
    login(client, caseworker)
    body = client.get(reverse("inbox")).content.decode()
    assert body.index("Nyest") < body.index("Ældst") and "En andens" not in body
    assert AuditEvent.objects.filter(
        citizen_id_ref=citizen.pk, action=AuditEvent.Action.READ, object_type="inbox.Notification"
    ).exists()


def test_open_marks_read_and_redirects_post_only(client, caseworker, citizen):
    made = inbox.notify(caseworker, kind=K.COMMITTEE_RETURNED, text="Retur", url=f"/borgere/{citizen.pk}/")
    login(client, caseworker)
    url = reverse("notification-open", args=[made.pk])
    assert client.get(url).status_code == 405
    made.refresh_from_db()
    assert made.read_at is None
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == f"/borgere/{citizen.pk}/"
    made.refresh_from_db()
    assert made.read_at is not None


def test_open_never_redirects_off_site(client, caseworker):
    made = inbox.notify(caseworker, kind=K.HANDOVER, text="x", url="https://evil.example/")
    login(client, caseworker)
    assert client.post(reverse("notification-open", args=[made.pk]))["Location"] == reverse("inbox")


def test_another_users_notification_is_404(client, caseworker, users):
    made = inbox.notify(users["coordinator"], kind=K.HANDOVER, text="x", url="/x/")
    login(client, caseworker)
    assert client.post(reverse("notification-open", args=[made.pk])).status_code == 404
    assert client.post(reverse("notification-read", args=[made.pk])).status_code == 404
    made.refresh_from_db()
    assert made.read_at is None


def test_mark_one_and_all_read(client, caseworker):
    a, b, c = note(caseworker, 3)
    login(client, caseworker)
    client.post(reverse("notification-read", args=[a.pk]))
    assert inbox.unread_count(caseworker) == 2
    assert client.get(reverse("notifications-all-read")).status_code == 405
    client.post(reverse("notifications-all-read"))
    assert inbox.unread_count(caseworker) == 0


# --- hooks in the spine ----------------------------------------------------------------------


def test_committee_return_notifies_the_caseworker(org, users, caseworker, citizen):
    from samplan.standards.models import CompetenceRule
    from tests.test_committee import propose

    CompetenceRule.objects.create(municipality=org["municipality"], legal_basis="§85", max_scope=27, deviation_allowed=False)
    granted = walk_case(caseworker, citizen, org, until="granted")
    grant = propose(org, users, granted)
    assert grant.status == Grant.Status.PENDING
    cases.review_grant(users["committee"], grant, outcome=CommitteeReview.Outcome.RETURNED, reason="For mange timer")
    got = Notification.objects.get(recipient=caseworker, kind=K.COMMITTEE_RETURNED)
    assert got.url == reverse("case-detail", args=[grant.case_id]) and got.citizen == citizen
    assert citizen.full_name in got.text and citizen.cpr not in got.text


def test_new_order_reaches_the_providers_staff_and_acceptance_the_caseworker(org, users, caseworker, citizen):
    staff = users["provider_staff"]
    other = make_user(Role.PROVIDER_STAFF, org, unit=org["other_provider"])
    done = walk_case(caseworker, citizen, org, until="order")
    new = Notification.objects.get(recipient=staff, kind=K.ORDER_NEW)
    assert new.url == reverse("order-detail", args=[done["order"].pk])
    assert not Notification.objects.filter(recipient=other).exists()
    cases.accept_order(staff, done["order"])
    assert Notification.objects.filter(recipient=caseworker, kind=K.ORDER_ACCEPTED).count() == 1


def test_failed_letter_notifies_its_writer(org, users, caseworker, citizen, settings, django_capture_on_commit_callbacks):
    from samplan.letters import services as letters
    from samplan.letters.models import Kind, Letter
    from tests.test_i12_letters_delivery import FailingBackend

    settings.SAMPLAN_LETTER_BACKEND = "tests.test_i12_letters_delivery.FailingBackend"
    settings.SAMPLAN_LETTER_ATTEMPTS = 2
    objs = walk_case(caseworker, citizen, org, until="order")
    letter = letters.create_letter(caseworker, objs["case"], kind=Kind.GRANT)
    FailingBackend.calls = 0
    with django_capture_on_commit_callbacks(execute=True):
        letters.approve_and_send(caseworker, letter, expected_version=letter.row_version)
    letter.refresh_from_db()
    assert letter.status == Letter.Status.FAILED
    (got,) = Notification.objects.filter(kind=K.LETTER_FAILED)
    assert got.recipient == caseworker and got.url == reverse("letter-detail", args=[letter.pk])


def test_meeting_requested_by_the_citizen_notifies_caseworker_and_coordinator(org, users, caseworker):
    from samplan.meetings import services as meetings

    coordinator = users["coordinator"]
    person = make_citizen(org, caseworker=caseworker, coordinator=coordinator, user=users[Role.CITIZEN])
    meeting = meetings.request_meeting(users[Role.CITIZEN], person, purpose="Jeg vil tale om bolig")
    rows = Notification.objects.filter(kind=K.MEETING_REQUESTED)
    assert {n.recipient_id for n in rows} == {caseworker.pk, coordinator.pk}
    assert rows.first().url == reverse("meeting-detail", args=[meeting.pk])
    meetings.request_meeting(caseworker, person, purpose="Sagsbehandlerens eget møde")
    assert rows.count() == 2  # staff calling a meeting themselves notifies nobody


# --- tasks ----------------------------------------------------------------------------------


def test_ensure_task_is_idempotent_and_close_tasks_closes(caseworker):
    due = timezone.localdate()
    one = inbox.ensure_task(
        caseworker, kind=Task.Kind.FOLLOW_UP_DUE, title="Opfølgning", due=due, url="/x/", key="follow_up_due:9"
    )
    two = inbox.ensure_task(
        caseworker, kind=Task.Kind.FOLLOW_UP_DUE, title="Opfølgning", due=due, url="/x/", key="follow_up_due:9"
    )
    assert one.pk == two.pk and one.unit_id == caseworker.unit_id
    assert inbox.close_tasks("follow_up_due:9", caseworker) == 1
    assert inbox.close_tasks("follow_up_due:9") == 0
    three = inbox.ensure_task(caseworker, kind=Task.Kind.FOLLOW_UP_DUE, title="Igen", due=due, url="/x/", key="follow_up_due:9")
    assert three.pk != one.pk  # a done task does not block a new one for the same key


def _task(owner, title="Ring", **kw):
    return Task.objects.create(owner=owner, unit=owner.unit, title=title, due=timezone.localdate(), **kw)


def test_task_visibility_matrix(org, users, caseworker):
    teammate = make_user(Role.CASEWORKER, org)
    elsewhere = make_user(Role.CASEWORKER, org, unit=org["other_team"])
    staff = users["provider_staff"]
    staff_colleague = make_user(Role.PROVIDER_STAFF, org)
    own, team, other_unit = _task(caseworker), _task(teammate), _task(elsewhere)
    staff_own, staff_colleagues = _task(staff), _task(staff_colleague)
    seen = lambda user: set(policy.tasks_visible(user).values_list("pk", flat=True))  # noqa: E731
    assert seen(caseworker) == {own.pk, team.pk}
    assert seen(staff) == {staff_own.pk}
    assert staff_colleagues.pk not in seen(staff)
    assert seen(users[Role.CITIZEN]) == set() and seen(users[Role.RELATIVE]) == set()
    assert other_unit.pk not in seen(caseworker)


def test_mark_done_pages(client, org, users, caseworker):
    elsewhere = _task(make_user(Role.CASEWORKER, org, unit=org["other_team"]))
    colleague = _task(users["provider_staff"])
    mine = _task(caseworker)
    login(client, caseworker)
    for task in (elsewhere, colleague):
        assert client.post(reverse("task-done", args=[task.pk]), {"version": task.row_version}).status_code == 404
    assert client.get(reverse("task-done", args=[mine.pk])).status_code == 405
    stale = client.post(reverse("task-done", args=[mine.pk]), {"version": mine.row_version + 3})
    mine.refresh_from_db()
    assert stale.status_code == 302 and mine.status == Task.Status.OPEN
    client.post(reverse("task-done", args=[mine.pk]), {"version": mine.row_version})
    mine.refresh_from_db()
    assert mine.status == Task.Status.DONE and mine.done_by == caseworker


def test_mine_and_team_lists_and_filters(client, org, caseworker):
    teammate = make_user(Role.CASEWORKER, org)
    _task(caseworker, "Min egen")
    _task(teammate, "Kollegaens")
    Task.objects.create(owner=caseworker, unit=caseworker.unit, title="Gammel", due=timezone.localdate() - dt.timedelta(days=3))
    login(client, caseworker)
    mine = client.get(reverse("tasks")).content.decode()
    assert "Min egen" in mine and "Kollegaens" not in mine
    team = client.get(reverse("tasks"), {"scope": "team"}).content.decode()
    assert "Min egen" in team and "Kollegaens" in team
    overdue = client.get(reverse("tasks"), {"due": "overdue"}).content.decode()
    assert "Gammel" in overdue and "Min egen" not in overdue


def test_task_list_query_count_is_constant(client, caseworker, org):
    login(client, caseworker)
    for _ in range(2):
        _task(caseworker, citizen=make_citizen(org, caseworker=caseworker))
    client.get(reverse("tasks"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("tasks"))
    for _ in range(15):
        _task(caseworker, citizen=make_citizen(org, caseworker=caseworker))
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("tasks"))
    assert len(many) == len(few)


def test_create_task_by_hand_offers_only_visible_citizens_and_the_team(client, org, users, caseworker, citizen):
    hidden = make_citizen(org, unit=org["other_team"], first_name="Skjult")
    teammate = make_user(Role.CASEWORKER, org)
    outsider = make_user(Role.CASEWORKER, org, unit=org["other_team"])
    login(client, caseworker)
    page = client.get(reverse("task-create")).content.decode()
    assert citizen.full_name in page and hidden.full_name not in page
    assert teammate.first_name in page and outsider.first_name not in page
    due = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    refused = client.post(reverse("task-create"), {"title": "Ring", "due": due, "owner": caseworker.pk, "citizen": hidden.pk})
    assert refused.status_code == 400 and not Task.objects.exists()
    form = {"title": "Ring til Hanne", "due": due, "owner": teammate.pk, "citizen": citizen.pk, "form_token": "a" * 32}
    assert client.post(reverse("task-create"), form).status_code == 302
    assert client.post(reverse("task-create"), form).status_code == 302  # the same token: no second task
    task = Task.objects.get()
    assert task.owner == teammate and task.citizen == citizen and task.created_by == caseworker
    assert Notification.objects.filter(recipient=teammate, kind=K.TASK_ASSIGNED).count() == 1


def test_provider_staff_may_not_create_tasks(client, users):
    login(client, users["provider_staff"])
    assert client.get(reverse("tasks")).status_code == 200
    assert client.get(reverse("task-create")).status_code == 403


# --- notify_due -------------------------------------------------------------------------------


def _due_world(org, caseworker, n):
    """n citizens, each with an active grant ending in 10 days and a follow-up due in 3."""
    today = timezone.localdate()
    for _ in range(n):
        c = make_citizen(org, caseworker=caseworker)
        out = walk_case(caseworker, c, org, until="grant")
        Grant.objects.filter(pk=out["grant"].pk).update(end_date=today + dt.timedelta(days=10))
        FollowUp.objects.filter(grant=out["grant"], status=FollowUp.Status.PLANNED).update(due_date=today + dt.timedelta(days=3))


def test_notify_due_creates_once_and_closes_done_tasks(org, caseworker):
    _due_world(org, caseworker, 2)
    first = notify_due()
    assert Notification.objects.filter(recipient=caseworker, kind=K.GRANT_ENDING).count() == 2
    assert Notification.objects.filter(recipient=caseworker, kind=K.FOLLOW_UP_DUE).count() == 2
    assert Task.objects.filter(owner=caseworker, kind=Task.Kind.FOLLOW_UP_DUE, status="open").count() == 2
    assert first.tasks_made == 2
    again = notify_due()
    assert (again.notified, again.tasks_made, again.tasks_closed) == (0, 0, 0)
    follow_up = FollowUp.objects.filter(status=FollowUp.Status.PLANNED).first()
    FollowUp.objects.filter(pk=follow_up.pk).update(status=FollowUp.Status.DONE)
    assert notify_due().tasks_closed == 1
    assert Task.objects.get(key=f"follow_up_due:{follow_up.pk}").status == Task.Status.DONE


def test_notify_due_case_deadline_task_closes_when_decided(org, caseworker, citizen):
    out = walk_case(caseworker, citizen, org, until="awaiting_decision")
    out["inquiry"].__class__.objects.filter(pk=out["inquiry"].pk).update(deadline=timezone.localdate() + dt.timedelta(days=2))
    notify_due()
    task = Task.objects.get(kind=Task.Kind.CASE_DEADLINE)
    assert task.key == f"case_deadline:{out['case'].pk}" and task.owner == caseworker
    assert Notification.objects.filter(kind=K.CASE_DEADLINE_DUE, recipient=caseworker).count() == 1
    out["case"].__class__.objects.filter(pk=out["case"].pk).update(status="granted")
    notify_due()
    task.refresh_from_db()
    assert task.status == Task.Status.DONE


def test_notify_due_query_count_is_bounded(org, caseworker):
    _due_world(org, caseworker, 1)
    with CaptureQueriesContext(connection) as few:
        notify_due()
    Notification.objects.all().delete()
    Task.objects.all().delete()
    _due_world(org, caseworker, 5)
    Notification.objects.all().delete()
    Task.objects.all().delete()
    with CaptureQueriesContext(connection) as many:
        notify_due()
    assert len(many) == len(few)


def test_notify_due_command_runs(org, caseworker, capsys):
    call_command("notify_due")
    assert "notifikationer" in capsys.readouterr().out


# --- the digest -----------------------------------------------------------------------------


def test_digest_names_no_citizen_and_no_cpr(client, settings, org, caseworker, citizen):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    inbox.notify(
        caseworker, kind=K.FOLLOW_UP_DUE, text=f"Opfølgning for {citizen.full_name} {citizen.cpr}", url="/x/", citizen=citizen
    )
    inbox.notify(caseworker, kind=K.FOLLOW_UP_DUE, text=f"Anden for {citizen.full_name}", url="/x/", citizen=citizen)
    inbox.notify(caseworker, kind=K.ORDER_ACCEPTED, text=citizen.full_name, url="/x/", citizen=citizen)
    caseworker.email = "sb@example.invalid"
    caseworker.save()
    call_command("send_inbox_digest")
    assert mail.outbox == []  # off by default
    login(client, caseworker)
    client.post(reverse("inbox-settings"), {"daily_digest": "on"})
    assert InboxSettings.objects.get(user=caseworker).daily_digest
    call_command("send_inbox_digest")
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Opfølgning forfalder: 2" in body and "Bestilling modtaget: 1" in body and "/indbakke/" in body
    for secret in (citizen.first_name, citizen.last_name, citizen.cpr, citizen.cpr[:6]):
        assert secret not in body and secret not in mail.outbox[0].subject


def test_build_digest_is_none_without_unread(caseworker):
    caseworker.email = "sb@example.invalid"
    assert build_digest(caseworker, timezone.now() - dt.timedelta(days=1)) is None


def test_a_changed_grant_tells_the_provider_about_its_order(org, users, caseworker, citizen):
    import dataclasses

    from tests.factories import grant_spec

    done = walk_case(caseworker, citizen, org, until="order")
    spec = dataclasses.replace(grant_spec(org, done["condition"], amount="22"), change_reason="Mere støtte")
    new = cases.change_grant(caseworker, done["grant"], spec)
    assert new.status == Grant.Status.ACTIVE
    (got,) = Notification.objects.filter(recipient=users["provider_staff"], kind=K.ORDER_CHANGED)
    assert got.url == reverse("order-detail", args=[done["order"].pk]) and got.citizen == citizen


def test_inbox_page_query_count_is_constant(client, org, caseworker):
    def fill(n):
        for _ in range(n):
            person = make_citizen(org, caseworker=caseworker)
            inbox.notify(caseworker, kind=K.FOLLOW_UP_DUE, text=person.full_name, url="/x/", citizen=person)

    login(client, caseworker)
    fill(2)
    client.get(reverse("inbox"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("inbox"))
    fill(20)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("inbox"))
    assert len(many) == len(few)
