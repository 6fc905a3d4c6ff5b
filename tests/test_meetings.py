"""Network meetings (DOMAIN.md §7): the citizen's topics and participants first, invitations
only with consent, minutes that become plan agreements, and calendar files that update."""

import datetime as dt
import io

import pytest
from asgiref.local import Local
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from icalendar import Calendar

from samplan.citizens.models import NetworkMember
from samplan.consent import services as consent
from samplan.consent.models import ConsentEvent
from samplan.core.models import AuditEvent, Role
from samplan.meetings import ics, services
from samplan.meetings.models import MeetingEvent, MeetingParticipant, NetworkMeeting
from samplan.meetings.services import MeetingError
from samplan.plans.models import Agreement, Plan
from tests.factories import make_citizen

Kind = ConsentEvent.Kind


@pytest.fixture
def world(org, users):
    cw = users[Role.CASEWORKER]
    cw.email = "sagsbehandler@kommune.example"
    cw.save()
    citizen_user = users[Role.CITIZEN]
    citizen = make_citizen(org, caseworker=cw, user=citizen_user)
    citizen.email = "anna@example.invalid"
    citizen.save()
    mother = NetworkMember.objects.create(
        citizen=citizen,
        user=users[Role.RELATIVE],
        name="Lise Hansen",
        relation="Mor",
        email="lise@example.invalid",
        kind=NetworkMember.Kind.RELATIVE,
    )
    friend = NetworkMember.objects.create(citizen=citizen, name="Jonas Lund", relation="Ven", email="jonas@example.invalid")
    return {"citizen": citizen, "cw": cw, "cu": citizen_user, "rel": users[Role.RELATIVE], "mother": mother, "friend": friend}


def _when(days=7, hours=10):
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=days)
    return start, start + dt.timedelta(hours=1)


def _has_begun(meeting) -> None:
    """Time passes: the meeting started an hour ago (minutes are refused before the start)."""
    start = timezone.now() - dt.timedelta(hours=1)
    NetworkMeeting.objects.filter(pk=meeting.pk).update(starts_at=start, ends_at=start + dt.timedelta(hours=2))
    meeting.refresh_from_db()


def _meeting(world, *, invite=("mother",)):
    for key in invite:
        consent.give(world["cu"], world[key], Kind.INVITE)
    meeting = services.request_meeting(world["cu"], world["citizen"], purpose="Samle trådene om bolig og behandling")
    services.choose_participants(
        world["cu"],
        meeting,
        members=[world["mother"], world["friend"]],
        staff=[world["cw"]],
        professionals=[{"name": "Overlæge Berg", "email": "berg@region.example", "sector": "regional"}],
    )
    return meeting


def _recipients():
    return sorted(address for m in mail.outbox for address in m.to)


def _ics(message):
    content = next(a for a in message.attachments if a[0] == "invitation.ics")[1]
    return Calendar.from_ical(content)


def test_invitations_only_to_consented_participants(world, django_capture_on_commit_callbacks):
    meeting = _meeting(world)
    start, end = _when()
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule(world["cw"], meeting, start, end, "Rådhuset, lokale 2")
    # Jonas (no INVITE consent) gets nothing; professionals, the citizen and Lise do.
    assert _recipients() == [
        "anna@example.invalid",
        "berg@region.example",
        "lise@example.invalid",
        "sagsbehandler@kommune.example",
    ]
    jonas = meeting.participants.get(member=world["friend"])
    assert jonas.invitation_status == MeetingParticipant.Invitation.NONE
    assert "Invitation til netværksmøde" in mail.outbox[0].subject


def test_withdrawing_consent_removes_member_and_cancels_invitation(world, django_capture_on_commit_callbacks):
    meeting = _meeting(world)
    start, end = _when()
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule(world["cw"], meeting, start, end, "Rådhuset")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        consent.withdraw(world["cu"], world["mother"], Kind.INVITE)
    lise = meeting.participants.get(member=world["mother"])
    assert lise.invitation_status == MeetingParticipant.Invitation.CANCELLED
    assert _recipients() == ["lise@example.invalid"]
    cal = _ics(mail.outbox[0])
    assert cal["method"] == "CANCEL"
    assert services.relative_participant(world["rel"], meeting) is None
    # The next reschedule does not invite her again.
    mail.outbox.clear()
    start, end = _when(days=9)
    with django_capture_on_commit_callbacks(execute=True):
        services.reschedule(world["cw"], meeting, start, end, "Overlægen er syg")
    assert "lise@example.invalid" not in _recipients()
    assert "Begrundelse: Overlægen er syg" in mail.outbox[0].body


def test_ics_update_and_cancel_keep_uid_with_higher_sequence(world, django_capture_on_commit_callbacks):
    meeting = _meeting(world)
    start, end = _when()
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule(world["cw"], meeting, start, end, "Rådhuset")
    first = _ics(mail.outbox[0])
    event = first.walk("VEVENT")[0]
    assert first["method"] == "REQUEST"
    uid, seq = str(event["uid"]), int(event["sequence"])
    assert uid == meeting.uid and seq == 0
    assert world["citizen"].cpr not in mail.outbox[0].body
    assert world["citizen"].cpr not in first.to_ical().decode()
    mail.outbox.clear()
    with pytest.raises(MeetingError):
        services.reschedule(world["cw"], meeting, *_when(days=8), reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.reschedule(world["cw"], meeting, *_when(days=8), reason="Lokalet er optaget")
    moved = _ics(mail.outbox[0]).walk("VEVENT")[0]
    assert str(moved["uid"]) == uid and int(moved["sequence"]) == 1
    assert mail.outbox[0].subject == "Netværksmødet er flyttet"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(world["cw"], meeting, "Borgeren har ønsket et andet tidspunkt")
    cal = _ics(mail.outbox[0])
    cancelled = cal.walk("VEVENT")[0]
    assert cal["method"] == "CANCEL" and str(cancelled["uid"]) == uid and int(cancelled["sequence"]) == 2
    assert "Begrundelse: Borgeren har ønsket et andet tidspunkt" in mail.outbox[0].body
    kinds = list(MeetingEvent.objects.filter(meeting=meeting).values_list("kind", flat=True))
    assert kinds == ["scheduled", "rescheduled", "cancelled"]
    # History is append-only like every other history in Samplan.
    event = MeetingEvent.objects.first()
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        MeetingEvent.objects.filter(pk=event.pk).update(reason="x")
    meeting.refresh_from_db()
    assert Calendar.from_ical(ics.build(meeting, "REQUEST"))["method"] == "REQUEST"


def test_minutes_agreements_enter_the_plan(world, django_capture_on_commit_callbacks):
    meeting = _meeting(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule(world["cw"], meeting, *_when(), "Rådhuset")
    _has_begun(meeting)
    lise = meeting.participants.get(member=world["mother"])
    due = timezone.localdate() + dt.timedelta(days=30)
    nxt = timezone.localdate() + dt.timedelta(days=60)
    services.record_minutes(
        world["cw"],
        meeting,
        perspectives={lise.pk: "Jeg vil gerne hjælpe med indkøb"},
        citizen_summary="Jeg vil have ro til at finde en bolig.",
        agreements=[
            {"who": "Anna", "what": "Se på boliger", "due": due, "responsible_is_citizen": True},
            {"who": "Sagsbehandler", "what": "Ring til boligforeningen", "due": due},
        ],
        next_meeting_at=nxt,
    )
    meeting.refresh_from_db()
    assert meeting.status == NetworkMeeting.Status.HELD
    plan = Plan.objects.get(citizen=world["citizen"])
    assert plan.next_meeting == nxt
    rows = list(Agreement.objects.filter(plan=plan).order_by("id").values_list("who", "what", "due", "responsible_is_citizen"))
    assert rows == [("Anna", "Se på boliger", due, True), ("Sagsbehandler", "Ring til boligforeningen", due, False)]
    lise.refresh_from_db()
    assert lise.perspective == "Jeg vil gerne hjælpe med indkøb"
    assert AuditEvent.objects.filter(object_type="meetings.NetworkMeeting", object_id=str(meeting.pk)).count() >= 4


def test_relative_without_contact_consent_cannot_request(world):
    with pytest.raises(MeetingError) as exc:
        services.request_meeting(world["rel"], world["citizen"], purpose="Jeg er bekymret")
    assert "samtykke" in exc.value.messages[0]
    consent.give(world["cu"], world["mother"], Kind.CONTACT)
    meeting = services.request_meeting(world["rel"], world["citizen"], purpose="Vi skal tale om hverdagen")
    assert meeting.initiated_by == NetworkMeeting.InitiatedBy.RELATIVE and meeting.requested_by_member == world["mother"]


def test_cross_sector_flag_and_agenda(world):
    meeting = services.request_meeting(world["cu"], world["citizen"], purpose="Overblik")
    assert not meeting.cross_sector
    services.choose_participants(world["cw"], meeting, staff=[world["cw"]])
    assert not meeting.cross_sector
    services.choose_participants(world["cw"], meeting, professionals=[{"name": "Psykolog", "sector": "regional"}])
    assert meeting.cross_sector
    services.propose_topic(world["cw"], meeting, "Medicin")
    services.propose_topic(world["cu"], meeting, "Min bolig")
    agenda = services.agenda(meeting)
    assert [t["text"] for t in agenda["topics"]] == ["Min bolig", "Medicin"]
    assert any("stemmer" in p for p in agenda["prompts"]) and any("usikkerhed" in p.lower() for p in agenda["prompts"])


def test_relative_cannot_choose_participants(world):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    meeting = services.request_meeting(world["cu"], world["citizen"], purpose="Overblik")
    with pytest.raises((Http404, PermissionDenied)):
        services.choose_participants(world["rel"], meeting, members=[world["friend"]])


@pytest.fixture
def db_task_backend():
    from django.tasks import task_backends

    def reset():
        task_backends.__dict__.pop("settings", None)
        task_backends._connections = Local(task_backends.thread_critical)

    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        reset()
        yield
    reset()


def test_invitation_survives_until_the_worker_sends_it(world, db_task_backend, django_capture_on_commit_callbacks, monkeypatch):
    meeting = _meeting(world, invite=())
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule(world["cw"], meeting, *_when(), "Rådhuset")
    # Queued in the database, nothing sent yet: a server stop here loses nothing.
    assert mail.outbox == []
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.count() == 3
    # The worker closes "old" connections between tasks; inside the test's transaction
    # that would close the test database, so keep it open.
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0)
    assert _recipients() == ["anna@example.invalid", "berg@region.example", "sagsbehandler@kommune.example"]


# --- pages --------------------------------------------------------------------------------


def _client(user):
    from django.test import Client

    from tests.factories import PASSWORD

    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_pages_citizen_chooses_caseworker_schedules_relative_sees_invitation(world, django_capture_on_commit_callbacks):
    from django.urls import reverse

    consent.give(world["cu"], world["mother"], Kind.INVITE)
    cw = _client(world["cw"])
    response = cw.post(reverse("meeting-create", args=[world["citizen"].pk]), {"purpose": "", "initiated_by": "municipality"})
    assert response.status_code == 400
    response = cw.post(
        reverse("meeting-create", args=[world["citizen"].pk]), {"purpose": "Overblik", "initiated_by": "psychiatry"}
    )
    meeting = NetworkMeeting.objects.get()
    assert response.status_code == 302 and meeting.initiated_by == "psychiatry"
    citizen = _client(world["cu"])
    url = reverse("my-meeting", args=[meeting.pk])

    def mine(action):
        return reverse(f"my-meeting-{action}", args=[meeting.pk])

    assert citizen.post(mine("topic"), {"text": "Min bolig"}).status_code == 302
    assert citizen.post(mine("participants"), {"medlem": [world["mother"].pk, world["friend"].pk]}).status_code == 302
    assert citizen.post(mine("participation"), {"participation": "short"}).status_code == 302
    assert citizen.get(reverse("my-meetings")).status_code == 200
    # The relative is not invited before the meeting is scheduled.
    rel = _client(world["rel"])
    assert rel.get(url).status_code == 403
    detail = reverse("meeting-detail", args=[meeting.pk])

    def staff(action):
        return reverse(f"meeting-{action}", args=[meeting.pk])

    assert cw.get(detail).status_code == 200
    assert cw.post(detail, {"name": "Overlæge Berg"}).status_code == 405  # the page itself is read-only
    response = cw.post(staff("add-professional"), {"name": "Overlæge Berg", "email": "berg@region.example"})
    assert response.status_code == 302
    assert cw.post(staff("join")).status_code == 302
    start, end = _when()
    with django_capture_on_commit_callbacks(execute=True):
        response = cw.post(
            staff("schedule"),
            {
                "starts_at": timezone.localtime(start).strftime("%Y-%m-%dT%H:%M"),
                "ends_at": timezone.localtime(end).strftime("%Y-%m-%dT%H:%M"),
                "location": "Rådhuset",
                "version": "0",
            },
        )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "scheduled" and meeting.cross_sector and meeting.participation == "short"
    assert "lise@example.invalid" in _recipients() and "jonas@example.invalid" not in _recipients()
    # Moving without a reason is refused and keeps what was typed.
    response = cw.post(
        staff("schedule"),
        {
            "starts_at": "2030-01-01T10:00",
            "ends_at": "2030-01-01T11:00",
            "location": "Rådhuset",
            "reason": "",
            "version": "1",
        },
    )
    assert response.status_code == 400 and "2030-01-01" in response.content.decode()
    page = rel.get(url)
    assert page.status_code == 200 and "Min bolig" in page.content.decode() and "inviteret" in page.content.decode()
    assert rel.post(mine("perspective"), {"text": "Jeg vil gerne støtte"}).status_code == 302
    assert meeting.participants.get(member=world["mother"]).perspective_before == "Jeg vil gerne støtte"
    # No SEE_PLAN: the plan stays closed.
    assert rel.get(reverse("plan-detail", args=[world["citizen"].pk])).status_code == 403
    assert rel.post(mine("participants"), {"medlem": [world["friend"].pk]}).status_code == 403
    mother = meeting.participants.get(member=world["mother"])
    _has_begun(meeting)
    response = cw.post(
        staff("minutes"),
        {
            f"perspektiv_{mother.pk}": "Det gik godt",
            "citizen_summary": "Godt møde",
            "agreement_who": "Anna",
            "agreement_what": "Se på boliger",
            "agreement_due": "2030-02-01",
            "agreement_citizen": "on",
            "next_meeting_at": "2030-03-01",
            "version": "1",
        },
    )
    assert response.status_code == 302
    assert Agreement.objects.filter(plan__citizen=world["citizen"], what="Se på boliger", responsible_is_citizen=True).exists()
    assert Plan.objects.get(citizen=world["citizen"]).next_meeting == dt.date(2030, 3, 1)
    mother.refresh_from_db()
    assert mother.perspective == "Det gik godt"


def test_reminders_once_per_meeting_to_invited_participants(world, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    meeting = _meeting(world)
    soon_start, soon_end = _when(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule(world["cw"], meeting, soon_start, soon_end, "Rådhuset")
    later = _meeting(world)
    later_start, later_end = _when(days=5)
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule(world["cw"], later, later_start, later_end, "Rådhuset")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_meeting_reminders", stdout=io.StringIO())
    reminders = [m for m in mail.outbox if m.subject == "Påmindelse om netværksmøde"]
    # Only the meeting within 48 hours, only invited participants (not Jonas without consent).
    assert sorted(a for m in reminders for a in m.to) == [
        "anna@example.invalid",
        "berg@region.example",
        "lise@example.invalid",
        "sagsbehandler@kommune.example",
    ]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.queue_reminders() == 0  # once per meeting
    # Moved to another time within 48 hours: reminded again.
    with django_capture_on_commit_callbacks(execute=True):
        services.reschedule(
            world["cw"], meeting, soon_start + dt.timedelta(hours=2), soon_end + dt.timedelta(hours=2), "Lokalet er optaget"
        )
        assert services.queue_reminders() == 4


@pytest.mark.parametrize("closed", ["cancelled", "held"])
def test_stale_add_me_on_closed_meeting_is_refused_in_danish(world, closed, django_capture_on_commit_callbacks):
    from django.urls import reverse

    meeting = _meeting(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule(world["cw"], meeting, *_when(), "Rådhuset")
        if closed == "cancelled":
            services.cancel(world["cw"], meeting, "Borgeren er syg")
        else:
            _has_begun(meeting)
            services.record_minutes(world["cw"], meeting, citizen_summary="Godt møde")
    before = sorted(meeting.participants.values_list("pk", "invitation_status"))
    # A page opened before the meeting was closed still has the "Tilføj mig som deltager" button.
    response = _client(world["cw"]).post(reverse("meeting-join", args=[meeting.pk]))
    assert response.status_code == 400
    assert "Mødet er aflyst eller afholdt og kan ikke ændres." in response.content.decode()
    assert sorted(meeting.participants.values_list("pk", "invitation_status")) == before


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_meeting_pages_do_not_query_per_meeting_or_participant(world):
    from django.urls import reverse

    cw, cu = _client(world["cw"]), _client(world["cu"])
    meeting = _meeting(world)
    _meeting(world)
    pages = [
        (cw, reverse("meeting-list", args=[world["citizen"].pk])),
        (cw, reverse("meeting-detail", args=[meeting.pk])),
        (cu, reverse("my-meeting", args=[meeting.pk])),
    ]
    few = [_queries(client, url) for client, url in pages]
    # Six more meetings, and four more network members (two with INVITE consent) on the first one.
    for _ in range(6):
        _meeting(world)
    more = []
    for i in range(4):
        member = NetworkMember.objects.create(
            citizen=world["citizen"], name=f"Ven {i}", relation="Ven", email=f"ven{i}@example.invalid"
        )
        if i % 2:
            consent.give(world["cu"], member, Kind.INVITE)
        more.append(member)
    services.choose_participants(world["cu"], meeting, members=[world["mother"], world["friend"], *more])
    assert NetworkMeeting.objects.count() == 8
    assert [_queries(client, url) for client, url in pages] == few


def test_invitation_and_meeting_page_write_the_time_the_danish_way(world, django_capture_on_commit_callbacks):
    from django.urls import reverse

    meeting = _meeting(world)
    day = timezone.localdate() + dt.timedelta(days=7)
    start = dt.datetime.combine(day, dt.time(9, 5), tzinfo=timezone.get_current_timezone())
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule(world["cw"], meeting, start, start + dt.timedelta(minutes=85), "Rådhuset")
    when = f"{day.day:02d}.{day.month:02d}.{day.year}"
    assert f"Du er inviteret til et netværksmøde {when} kl. 09.05–10.30." in mail.outbox[0].body
    page = _client(world["cw"]).get(reverse("meeting-detail", args=[meeting.pk])).content.decode()
    assert f"{when} 09.05–10.30, Rådhuset" in page
