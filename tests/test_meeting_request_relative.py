"""A relative asks for a network meeting on Min side (issue 5, point 2): only while the citizen
consents to the relative being contacted (CONTACT); the citizen still decides topics and
participants, and the caseworker/coordinator sees the request and gets a short e-mail."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from samplan.citizens.models import NetworkMember
from samplan.consent import services as consent
from samplan.core.models import AuditEvent, Role
from samplan.meetings.models import NetworkMeeting
from samplan.meetings.services import NO_CONSENT_MESSAGE
from tests.factories import PASSWORD, make_citizen, make_user

Kind = consent.Kind


@pytest.fixture
def world(org, users):
    cw = users[Role.CASEWORKER]
    cw.email = "sagsbehandler@kommune.example"
    cw.save()
    coordinator = users[Role.COORDINATOR]
    coordinator.email = "koordinator@kommune.example"
    coordinator.save()
    citizen = make_citizen(org, caseworker=cw, coordinator=coordinator, user=users[Role.CITIZEN], first_name="Mette")
    rel = users[Role.RELATIVE]
    mother = NetworkMember.objects.create(
        citizen=citizen, user=rel, name="Lise Hansen", relation="Mor", kind=NetworkMember.Kind.RELATIVE
    )
    return {
        "citizen": citizen,
        "cw": cw,
        "coordinator": coordinator,
        "cu": users[Role.CITIZEN],
        "rel": rel,
        "mother": mother,
        "users": users,
        "org": org,
    }


def _client(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _url(citizen):
    return reverse("my-meeting-request", args=[citizen.pk])


def _html(response):
    return response.content.decode()


PURPOSE = "Jeg er bekymret for, hvordan det går med boligen"


def test_relative_with_contact_consent_requests_a_meeting(world, django_capture_on_commit_callbacks):
    consent.give(world["cu"], world["mother"], Kind.CONTACT)
    rel = _client(world["rel"])
    listing = _html(rel.get(reverse("my-meetings")))
    assert "Bed om et netværksmøde" in listing and _url(world["citizen"]) in listing
    page = rel.get(_url(world["citizen"]))
    assert page.status_code == 200
    assert "bestemmer selv emnerne" in _html(page) and "Et kortere møde" in _html(page)
    with django_capture_on_commit_callbacks(execute=True):
        response = rel.post(_url(world["citizen"]), {"purpose": PURPOSE, "participation": "online"}, follow=True)
    assert response.redirect_chain[-1] == (reverse("my-meetings"), 302)
    assert "din anmodning om et netværksmøde for Mette er sendt" in _html(response)
    meeting = NetworkMeeting.objects.get()
    assert meeting.citizen == world["citizen"] and meeting.purpose == PURPOSE
    assert meeting.initiated_by == NetworkMeeting.InitiatedBy.RELATIVE
    assert meeting.requested_by_member == world["mother"] and meeting.participation == "online"
    assert meeting.created_by == world["rel"] and meeting.status == NetworkMeeting.Status.DRAFT
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CREATE, object_type="meetings.NetworkMeeting", object_id=str(meeting.pk)
    ).exists()
    # The caseworker and the coordinator get a short mail: first name, no CPR, no free text.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["koordinator@kommune.example", "sagsbehandler@kommune.example"]
    assert message.subject == "En pårørende har bedt om et netværksmøde for Mette"
    for secret in (world["citizen"].cpr, world["citizen"].cpr[:6], "bekymret", "boligen"):
        assert secret not in message.subject and secret not in message.body
    assert reverse("meeting-detail", args=[meeting.pk]) in message.body
    # The caseworker sees it in the staff list, marked as wished by a relative.
    cw = _client(world["cw"])
    staff = _html(cw.get(reverse("meeting-list", args=[world["citizen"].pk])))
    assert "Ønsket af pårørende" in staff and "Lise Hansen" in staff
    assert "Ønsket af pårørende" in _html(cw.get(reverse("meeting-detail", args=[meeting.pk])))
    # … and the citizen sees it on their own meeting list and can choose topics and participants.
    citizen = _client(world["cu"])
    assert reverse("my-meeting", args=[meeting.pk]) in _html(citizen.get(reverse("my-meetings")))


def test_empty_purpose_keeps_the_choice_and_creates_nothing(world):
    consent.give(world["cu"], world["mother"], Kind.CONTACT)
    rel = _client(world["rel"])
    response = rel.post(_url(world["citizen"]), {"purpose": "  ", "participation": "support"})
    assert response.status_code == 400
    html = _html(response)
    assert "Formularen kunne ikke gemmes" in html
    assert re.search(r'<input[^>]*value="support"[^>]*checked', html)  # the choice is kept
    assert not NetworkMeeting.objects.exists()
    response = rel.post(_url(world["citizen"]), {"purpose": PURPOSE, "participation": "teleport"})
    assert response.status_code == 400 and PURPOSE in _html(response)
    assert not NetworkMeeting.objects.exists()


def test_without_contact_consent_refused_with_danish_message(world):
    consent.give(world["cu"], world["mother"], Kind.SEE_PLAN)
    consent.give(world["cu"], world["mother"], Kind.INVITE)
    rel = _client(world["rel"])
    listing = _html(rel.get(reverse("my-meetings")))
    assert _url(world["citizen"]) not in listing
    assert "ikke har givet samtykke til, at du må kontaktes" in listing
    page = rel.get(_url(world["citizen"]))
    assert page.status_code == 403 and NO_CONSENT_MESSAGE in _html(page) and '<form method="post">' not in _html(page)
    response = rel.post(_url(world["citizen"]), {"purpose": PURPOSE, "participation": "in_person"})
    assert response.status_code == 403 and NO_CONSENT_MESSAGE in _html(response)
    assert not NetworkMeeting.objects.exists()
    assert mail.outbox == []


def test_withdrawn_consent_refuses_the_next_request(world):
    consent.give(world["cu"], world["mother"], Kind.CONTACT)
    rel = _client(world["rel"])
    assert rel.post(_url(world["citizen"]), {"purpose": PURPOSE, "participation": "in_person"}).status_code == 302
    assert NetworkMeeting.objects.count() == 1
    consent.withdraw(world["cu"], world["mother"], Kind.CONTACT)
    response = rel.post(_url(world["citizen"]), {"purpose": "Igen", "participation": "in_person"})
    assert response.status_code == 403 and NO_CONSENT_MESSAGE in _html(response)
    assert NetworkMeeting.objects.count() == 1
    assert _url(world["citizen"]) not in _html(rel.get(reverse("my-meetings")))


def test_unlinked_relative_gets_404(world):
    stranger = make_user(Role.RELATIVE, world["org"])
    other = make_citizen(world["org"], caseworker=world["cw"], first_name="Ole")
    consent.give(
        world["cw"], NetworkMember.objects.create(citizen=other, user=stranger, name="Bror", relation="Bror"), Kind.CONTACT
    )
    client = _client(stranger)
    assert client.get(_url(world["citizen"])).status_code == 404
    assert client.post(_url(world["citizen"]), {"purpose": PURPOSE, "participation": "in_person"}).status_code == 404
    assert client.get(reverse("my-meeting-request", args=[999999])).status_code == 404
    assert not NetworkMeeting.objects.filter(citizen=world["citizen"]).exists()


@pytest.mark.parametrize(
    "role", [Role.CITIZEN, Role.CASEWORKER, Role.COORDINATOR, Role.COMMITTEE, Role.PROVIDER_STAFF, Role.MANAGER, Role.ADMIN]
)
def test_other_roles_cannot_use_the_relative_page(world, role):
    consent.give(world["cu"], world["mother"], Kind.CONTACT)
    client = _client(world["users"][role])
    assert client.get(_url(world["citizen"])).status_code == 403
    assert client.post(_url(world["citizen"]), {"purpose": PURPOSE, "participation": "in_person"}).status_code == 403
    assert not NetworkMeeting.objects.exists()


def test_anonymous_is_sent_to_the_portal_login(world):
    response = Client().get(_url(world["citizen"]))
    assert response.status_code == 302 and response["Location"].startswith("/mit/log-ind/")


def test_my_meetings_for_several_citizens_in_few_queries(world, django_assert_max_num_queries):
    consent.give(world["cu"], world["mother"], Kind.CONTACT)
    for i in range(3):
        other = make_citizen(world["org"], caseworker=world["cw"], first_name=f"Borger{i}")
        NetworkMember.objects.create(citizen=other, user=world["rel"], name="Lise", relation="Mor")
    rel = _client(world["rel"])
    with django_assert_max_num_queries(30):
        html = _html(rel.get(reverse("my-meetings")))
    assert html.count("ikke har givet samtykke til, at du må kontaktes") == 3
    assert html.count("/mit/moeder/anmod/") == 1


def test_one_open_request_at_a_time(world):
    consent.give(world["cu"], world["mother"], Kind.CONTACT)
    rel = _client(world["rel"])
    assert rel.post(_url(world["citizen"]), {"purpose": PURPOSE, "participation": "online"}).status_code == 302
    again = rel.post(_url(world["citizen"]), {"purpose": "Igen", "participation": "online"})
    assert again.status_code == 400 and "allerede bedt om et netværksmøde" in _html(again) and "Igen" in _html(again)
    assert NetworkMeeting.objects.count() == 1
