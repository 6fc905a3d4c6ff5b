"""Issue 13: staff add the professionals of the citizen's plan and the consented network to a
network meeting, and a professional's invitation links to the meeting's staff page."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from samplan.citizens.models import NetworkMember
from samplan.consent import services as consent
from samplan.consent.models import ConsentEvent
from samplan.core.models import Role
from samplan.meetings import services
from samplan.meetings.models import MeetingParticipant
from samplan.plans.models import Plan, PlanEffort
from tests.factories import make_citizen, make_user, walk_case
from tests.test_i12_docs import logged_in


@pytest.fixture
def world(org, users):
    cw = users[Role.CASEWORKER]
    citizen = make_citizen(org, caseworker=cw, user=users[Role.CITIZEN], coordinator=users[Role.COORDINATOR])
    walk_case(cw, citizen, org, until="order")  # an active order with org["provider"]
    provider_staff = users[Role.PROVIDER_STAFF]
    provider_staff.email = "bostotte@slotsvaenget.example"
    provider_staff.save()
    plan, _ = Plan.objects.get_or_create(citizen=citizen)
    PlanEffort.objects.create(
        plan=plan, owner_kind=PlanEffort.OwnerKind.JOBCENTER, title="Afklaring af job", responsible="Jobkonsulent Rask"
    )
    PlanEffort.objects.create(plan=plan, owner_kind=PlanEffort.OwnerKind.GP, title="Medicin", owner_name="Lægehuset Nord")
    sister = NetworkMember.objects.create(citizen=citizen, name="Mette Holm", relation="Søster", email="mette@example.invalid")
    friend = NetworkMember.objects.create(citizen=citizen, name="Jonas Lund", relation="Ven")
    consent.give(users[Role.CITIZEN], sister, ConsentEvent.Kind.INVITE)
    meeting = services.request_meeting(cw, citizen, purpose="Samle trådene om job og bolig")
    stranger = make_user(Role.CASEWORKER, org, unit=org["other_team"])
    other_provider_staff = make_user(Role.PROVIDER_STAFF, org, unit=org["other_provider"])
    return {
        "cw": cw,
        "citizen": citizen,
        "meeting": meeting,
        "provider_staff": provider_staff,
        "coordinator": users[Role.COORDINATOR],
        "sister": sister,
        "friend": friend,
        "stranger": stranger,
        "other_provider_staff": other_provider_staff,
    }


def _offered(client, meeting) -> str:
    response = client.get(reverse("meeting-detail", args=[meeting.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_add_form_offers_the_plan_professionals_and_the_consented_network(world):
    page = _offered(logged_in(world["cw"]), world["meeting"])
    assert 'action="{}"'.format(reverse("meeting-add-invitees", args=[world["meeting"].pk])) in page
    for person in (world["provider_staff"], world["coordinator"]):
        assert f'value="u{person.pk}"' in page
        assert person.get_full_name() in page
    assert "Jobkonsulent Rask – Jobcenter: Afklaring af job" in page
    assert "Lægehuset Nord – Egen læge: Medicin" in page
    assert f'value="m{world["sister"].pk}"' in page
    # Not the friend without INVITE consent, not a caseworker of another unit, not another provider.
    assert f'value="m{world["friend"].pk}"' not in page
    assert f'value="u{world["stranger"].pk}"' not in page
    assert world["stranger"].get_full_name() not in page
    assert f'value="u{world["other_provider_staff"].pk}"' not in page


def test_adding_provider_staff_makes_them_a_participant_and_leaves_the_list(world):
    client, meeting, staff = logged_in(world["cw"]), world["meeting"], world["provider_staff"]
    response = client.post(
        reverse("meeting-add-invitees", args=[meeting.pk]), {"hvem": [f"u{staff.pk}", f"m{world['sister'].pk}"]}
    )
    assert response.status_code == 302
    added = meeting.participants.get(user=staff)
    assert (added.name, added.email, added.sector) == (staff.get_full_name(), staff.email, MeetingParticipant.Sector.MUNICIPAL)
    assert meeting.participants.filter(member=world["sister"]).exists()
    assert f'value="u{staff.pk}"' not in _offered(client, meeting)


def test_someone_not_offered_is_refused_with_a_danish_message(world):
    client, meeting = logged_in(world["cw"]), world["meeting"]
    before = meeting.participants.count()
    response = client.post(reverse("meeting-add-invitees", args=[meeting.pk]), {"hvem": [f"u{world['stranger'].pk}"]})
    assert response.status_code == 400
    assert "Vælg personer fra listen." in response.content.decode()
    assert meeting.participants.count() == before
    with pytest.raises(services.MeetingError):
        services.add_invitees(world["cw"], meeting, [f"m{world['friend'].pk}"])


def test_a_plan_effort_owner_is_added_as_a_professional_in_their_sector(world):
    meeting = world["meeting"]
    (effort,) = [i for i in services.invitees(meeting) if i.name == "Jobkonsulent Rask"]
    services.add_invitees(world["cw"], meeting, [effort.key])
    added = meeting.participants.get(name="Jobkonsulent Rask")
    assert (added.user_id, added.member_id, added.sector) == (None, None, MeetingParticipant.Sector.MUNICIPAL)


def test_the_invitation_of_a_professional_links_to_the_staff_page(world, settings, django_capture_on_commit_callbacks):
    meeting, staff = world["meeting"], world["provider_staff"]
    services.add_invitees(world["cw"], meeting, [f"u{staff.pk}", f"m{world['sister'].pk}"])
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=7)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule(world["cw"], meeting, start, start + dt.timedelta(hours=1), "Rådhuset")
    by_address = {m.to[0]: m.body for m in mail.outbox}
    staff_url = settings.SAMPLAN_BASE_URL + reverse("meeting-detail", args=[meeting.pk])
    portal_url = settings.SAMPLAN_BASE_URL + reverse("my-meeting", args=[meeting.pk])
    assert staff_url in by_address[staff.email]
    assert portal_url not in by_address[staff.email]
    assert portal_url in by_address["mette@example.invalid"]
    assert staff_url not in by_address["mette@example.invalid"]


def test_invited_provider_staff_read_the_staff_page_but_do_not_manage_it(world):
    meeting, staff = world["meeting"], world["provider_staff"]
    page = reverse("meeting-detail", args=[meeting.pk])
    assert logged_in(staff).get(page).status_code == 403  # not invited yet: they know the citizen, not this page
    services.add_invitees(world["cw"], meeting, [f"u{staff.pk}"])
    response = logged_in(staff).get(page)
    assert response.status_code == 200
    assert reverse("meeting-schedule", args=[meeting.pk]) not in response.content.decode()  # read only
    assert logged_in(world["other_provider_staff"]).get(page).status_code == 404
    start = timezone.now() + dt.timedelta(days=7)
    refused = logged_in(staff).post(
        reverse("meeting-schedule", args=[meeting.pk]),
        {"starts_at": start.strftime("%Y-%m-%dT%H:%M"), "ends_at": (start + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")},
    )
    assert refused.status_code == 403
