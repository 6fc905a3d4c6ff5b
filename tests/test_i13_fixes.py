"""Issue 13, defects: the § in legal order, the deviation count of versions that took
effect, minutes only after the meeting began, the support-need scale's order."""

import dataclasses
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from samplan.cases import services
from samplan.cases.aggregates import municipality_figures
from samplan.cases.forms import CompleteAssessmentForm
from samplan.cases.models import Grant
from samplan.cases.reports import deviation_counts
from samplan.meetings import services as meetings
from samplan.meetings.models import NetworkMeeting
from samplan.meetings.services import MeetingError
from samplan.standards.legal import LEGAL_BASES, legal_order
from tests.factories import PASSWORD, grant_spec, make_citizen, walk_case
from tests.test_committee import citizen as citizen  # noqa: F401 (fixture)
from tests.test_committee import granted, rule, standard  # noqa: F401 (fixtures)


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


# --- § in legal order -------------------------------------------------------------------------


def test_legal_order_sorts_by_number_then_letter():
    shuffled = ["§103", "§82b", "§97", "§82a", "§108", "§85", "§102", "§99", "§104", "§107", "§100"]
    assert sorted(shuffled, key=legal_order) == [
        "§82a",
        "§82b",
        "§85",
        "§97",
        "§99",
        "§100",
        "§102",
        "§103",
        "§104",
        "§107",
        "§108",
    ]
    assert sorted(shuffled) != sorted(shuffled, key=legal_order)  # as text §103 comes first
    assert [b for b, _ in LEGAL_BASES] == sorted((b for b, _ in LEGAL_BASES), key=legal_order)


def test_managers_table_lists_paragraphs_in_legal_order(client, org, users):
    cw = users["caseworker"]
    for basis in ("§103", "§85", "§82a"):
        out = walk_case(cw, make_citizen(org, caseworker=cw), org, until="granted")
        services.create_grant(cw, out["decision"], grant_spec(org, out["condition"], legal_basis=basis))
    rows = municipality_figures(org["municipality"])["grants_by_basis"]
    assert [r["legal_basis"] for r in rows] == ["§82a", "§85", "§103"]
    login(client, users["manager"])
    body = client.get(reverse("aggregates")).content.decode()
    assert body.index("§82a") < body.index("§85") < body.index("§103")


# --- The deviation report counts versions that took effect ------------------------------------


def test_deviation_count_leaves_out_a_returned_version(org, users, granted, standard):  # noqa: F811
    cw, committee = users["caseworker"], users["committee"]
    why = "Borgeren er netop udskrevet og har brug for ekstra støtte"
    spec = dataclasses.replace(grant_spec(org, granted["condition"], amount="30"), deviation_justification=why)
    v1 = services.create_grant(cw, granted["decision"], spec)
    services.review_grant(committee, v1, outcome="returned", reason="Begrund mere")
    v2 = services.change_grant(cw, Grant.objects.get(pk=v1.pk), dataclasses.replace(spec, change_reason="Mere begrundet"))
    assert deviation_counts(org["municipality"]) == []  # returned and pending: neither took effect
    services.review_grant(committee, v2, outcome="approved", reason="OK")
    assert Grant.objects.get(pk=v1.pk).status == Grant.Status.RETURNED
    assert deviation_counts(org["municipality"]) == [{"legal_basis": "§85", "service_level": "above", "n": 1}]


# --- Minutes only after the meeting began -----------------------------------------------------


def _scheduled_meeting(org, users, *, starts_in: dt.timedelta) -> NetworkMeeting:
    cw = users["caseworker"]
    citizen = make_citizen(org, caseworker=cw)
    meeting = meetings.request_meeting(cw, citizen, purpose="Samle trådene", initiated_by="municipality")
    start = timezone.now().replace(microsecond=0) + starts_in
    return meetings.schedule(cw, meeting, start, start + dt.timedelta(hours=1), "Rådhuset")


def test_minutes_are_refused_before_the_meeting_starts(org, users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = _scheduled_meeting(org, users, starts_in=dt.timedelta(days=2))
    with pytest.raises(MeetingError) as refused:
        meetings.record_minutes(users["caseworker"], meeting, citizen_summary="Godt møde")
    assert refused.value.messages == ["Referatet kan først skrives, når mødet er begyndt."]
    meeting.refresh_from_db()
    assert meeting.status == NetworkMeeting.Status.SCHEDULED and meeting.citizen_summary == ""


def test_minutes_page_refuses_a_future_meeting_and_keeps_the_text(client, org, users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = _scheduled_meeting(org, users, starts_in=dt.timedelta(days=2))
    login(client, users["caseworker"])
    url = reverse("meeting-minutes", args=[meeting.pk])
    data = {"citizen_summary": "Godt møde", "version": str(meeting.row_version)}
    response = client.post(url, data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Referatet kan først skrives, når mødet er begyndt." in body and "Godt møde" in body
    assert NetworkMeeting.objects.get(pk=meeting.pk).status == NetworkMeeting.Status.SCHEDULED
    # Once it has begun the same minutes are saved and the meeting is held.
    start = timezone.now() - dt.timedelta(minutes=5)
    NetworkMeeting.objects.filter(pk=meeting.pk).update(starts_at=start, ends_at=start + dt.timedelta(hours=1))
    assert client.post(url, data).status_code == 302
    assert NetworkMeeting.objects.get(pk=meeting.pk).status == NetworkMeeting.Status.HELD


# --- Support need in the scale's order --------------------------------------------------------


def test_support_need_choices_follow_the_scale(db):
    labels = [c.display for c in CompleteAssessmentForm().fields["support_need"].queryset]
    assert labels == [
        "Intet støttebehov",
        "Let støttebehov",
        "Moderat støttebehov",
        "Højt støttebehov",
        "Fuldstændigt støttebehov",
        "Ikke vurderet",
    ]


# --- The coordinator's worklist ----------------------------------------------------------------


def test_coordinator_worklist_has_own_counters_and_links_they_may_open(client, org, users):
    import re

    cw, coordinator = users["caseworker"], users["coordinator"]
    citizen = make_citizen(org, caseworker=cw, coordinator=coordinator)
    out = walk_case(cw, citizen, org, until="grant", start=timezone.localdate() - dt.timedelta(days=80))
    follow_up = out["grant"].follow_ups.get()
    login(client, coordinator)
    body = client.get(reverse("worklist")).content.decode()
    assert "Borgere jeg koordinerer" in body and "Afventer første kontakt" not in body
    assert reverse("follow-up", args=[follow_up.pk]) not in body
    main = body[body.index('id="main-content"') :]
    links = set(re.findall(r'href="(/[^"#]*)"', main))
    assert reverse("citizen-overview", args=[citizen.pk]) in links
    for href in links:
        assert client.get(href).status_code == 200, href
    # The caseworker still gets the follow-up form and the caseworker's counters.
    login(client, cw)
    body = client.get(reverse("worklist")).content.decode()
    assert reverse("follow-up", args=[follow_up.pk]) in body and "Afventer første kontakt" in body


# --- The audit log in Danish ----------------------------------------------------------------------


def test_audit_log_shows_roles_and_objects_in_danish(client, org, users):
    from samplan.core.models import AuditEvent

    cw = users["caseworker"]
    citizen = make_citizen(org, caseworker=cw)
    login(client, cw)
    client.get(reverse("citizen-overview", args=[citizen.pk]))
    event = AuditEvent.objects.filter(citizen_id_ref=citizen.pk, object_type="citizens.Citizen").latest("id")
    assert (event.role_label, event.object_label) == ("Myndighedssagsbehandler", "Borger")
    login(client, users["admin"])
    body = client.get(reverse("audit-log"), {"borger": citizen.pk}).content.decode()
    assert "<td>Myndighedssagsbehandler</td>" in body and "Borger " in body and "citizens.Citizen" not in body
