"""No lost updates (issue 11, point 4): optimistic concurrency with ``core.locking`` on the
plan's pages, in the API and under real concurrency on PostgreSQL."""

import re
import threading

import pytest
from django.db import close_old_connections, connection
from django.test import Client
from django.urls import reverse

from samplan.core.locking import EditConflict, save_if_unchanged
from samplan.core.models import Role
from samplan.plans import services
from samplan.plans.models import LifeDomain, Plan, PlanEffort
from tests.factories import PASSWORD, make_citizen, walk_case


@pytest.fixture
def world(org, users):
    cw = users[Role.CASEWORKER]
    citizen = make_citizen(org, caseworker=cw, user=users[Role.CITIZEN], coordinator=users[Role.COORDINATOR], first_name="Maja")
    objs = walk_case(cw, citizen, org, until="accepted")
    plan = services.get_or_create_plan(citizen, cw)
    objs.update(citizen=citizen, plan=plan)
    return users, objs


def _client(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _version_in(html: str, prefix: str) -> str:
    match = re.search(rf'name="{prefix}-version" value="(\d+)"', html)
    assert match, f"no hidden {prefix}-version in the page"
    return match.group(1)


# --- The core piece ------------------------------------------------------------------------


def test_save_if_unchanged_is_a_compare_and_set(world):
    users, o = world
    plan = o["plan"]
    assert plan.row_version == 0
    plan.wishes = "Første"
    assert save_if_unchanged(plan, 0, ["wishes"]) == 1
    stale = Plan.objects.get(pk=plan.pk)
    stale.row_version = 0
    stale.wishes = "Forældet"
    with pytest.raises(EditConflict) as caught:
        save_if_unchanged(stale, 0, ["wishes"], what="Planen")
    assert caught.value.version == 1 and caught.value.current == {"wishes": "Første"}
    assert caught.value.messages[0].startswith("Planen er ændret af ")
    assert Plan.objects.get(pk=plan.pk).wishes == "Første"  # nothing overwritten
    # None: unconditional, but the version still moves on (editors holding 1 now conflict).
    plan.wishes = "Tredje"
    assert save_if_unchanged(plan, None, ["wishes"]) == 2


def test_service_conflict_names_who_saved(world):
    users, o = world
    cw, coordinator = users[Role.CASEWORKER], users[Role.COORDINATOR]
    services.update_wishes(coordinator, o["plan"], "Koordinatorens tekst", expected_version=0)
    with pytest.raises(EditConflict) as caught:
        services.update_wishes(cw, Plan.objects.get(pk=o["plan"].pk), "Sagsbehandlerens tekst", expected_version=0)
    assert coordinator.get_full_name() in caught.value.messages[0]
    assert "koordinerende medarbejder" in caught.value.messages[0]
    plan = Plan.objects.get(pk=o["plan"].pk)
    assert plan.wishes == "Koordinatorens tekst" and plan.version == 1  # the loser wrote no PlanVersion


# --- Pages ----------------------------------------------------------------------------------


def test_two_clients_save_wishes_second_gets_409_and_both_texts(world):
    users, o = world
    pk = o["citizen"].pk
    cw, coordinator = _client(users[Role.CASEWORKER]), _client(users[Role.COORDINATOR])
    page = reverse("plan-detail", args=[pk])
    # Both open the plan and read the same version.
    v_cw = _version_in(cw.get(page).content.decode(), "wishes")
    v_co = _version_in(coordinator.get(page).content.decode(), "wishes")
    assert v_cw == v_co == "0"
    url = reverse("plan-wishes", args=[pk])
    first = coordinator.post(url, {"wishes-wishes": "Jeg vil gerne have en hund.", "wishes-version": v_co})
    assert first.status_code == 302
    second = cw.post(url, {"wishes-wishes": "Jeg vil gerne flytte til Aarhus.", "wishes-version": v_cw})
    assert second.status_code == 409
    html = second.content.decode()
    assert "Andre har gemt ændringer, mens du skrev" in html
    assert "Jeg vil gerne have en hund." in html  # the other person's saved text is shown
    assert ">\nJeg vil gerne flytte til Aarhus.</textarea>" in html  # the user's own text is kept in the form
    assert users[Role.COORDINATOR].get_full_name() in html
    assert _version_in(html, "wishes") == "1"  # the hidden version moved to the current one
    plan = Plan.objects.get(pk=o["plan"].pk)
    assert plan.wishes == "Jeg vil gerne have en hund."  # nothing lost, nothing overwritten
    # Saving the merged text with the new version succeeds.
    merged = "Jeg vil gerne have en hund.\nJeg vil gerne flytte til Aarhus."
    third = cw.post(url, {"wishes-wishes": merged, "wishes-version": "1"})
    assert third.status_code == 302
    plan.refresh_from_db()
    assert plan.wishes == merged and plan.row_version == 2 and plan.version == 2


def test_conflict_through_htmx_swaps_the_section_with_409(world):
    users, o = world
    pk = o["citizen"].pk
    services.update_wishes(users[Role.COORDINATOR], o["plan"], "Gemt af koordinatoren", expected_version=0)
    response = _client(users[Role.CASEWORKER]).post(
        reverse("plan-wishes", args=[pk]),
        {"wishes-wishes": "Min tekst", "wishes-version": "0"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert 'id="wishes"' in html and "Gemt af koordinatoren" in html and ">\nMin tekst</textarea>" in html


def test_missing_version_is_a_danish_error_not_an_overwrite(world):
    users, o = world
    services.update_wishes(users[Role.COORDINATOR], o["plan"], "Gemt tekst", expected_version=0)
    response = _client(users[Role.CASEWORKER]).post(reverse("plan-wishes", args=[o["citizen"].pk]), {"wishes-wishes": "Blind"})
    assert response.status_code == 400
    assert "Formularen mangler sit versionsnummer" in response.content.decode()
    assert Plan.objects.get(pk=o["plan"].pk).wishes == "Gemt tekst"


def test_next_meeting_goal_and_effort_edits_conflict(world):
    users, o = world
    pk, plan = o["citizen"].pk, o["plan"]
    cw_user, co_user = users[Role.CASEWORKER], users[Role.COORDINATOR]
    cw = _client(cw_user)
    # Next meeting.
    services.set_next_meeting(co_user, plan, None, expected_version=0)
    response = cw.post(reverse("plan-meeting", args=[pk]), {"meeting-next_meeting": "2030-01-01", "meeting-version": "0"})
    assert response.status_code == 409 and Plan.objects.get(pk=plan.pk).next_meeting is None
    # A goal edited in place.
    goal = services.add_goal(cw_user, plan, domain=LifeDomain.HOME, citizen_wording="Bo selv")
    services.update_goal(co_user, goal, citizen_wording="Bo selv i egen lejlighed", expected_version=0)
    response = cw.post(
        reverse("plan-goal-edit", args=[pk, goal.pk]),
        {"edit-domain": "home", "edit-citizen_wording": "Bo i bofællesskab", "edit-version": "0"},
    )
    html = response.content.decode()
    assert response.status_code == 409 and "Bo selv i egen lejlighed" in html and "Bo i bofællesskab" in html
    goal.refresh_from_db()
    assert goal.citizen_wording == "Bo selv i egen lejlighed" and goal.row_version == 1
    # An effort edited in place.
    effort = services.add_effort(cw_user, plan, owner_kind=PlanEffort.OwnerKind.CIVIL, title="Gåtur", status="active")
    services.update_effort(co_user, effort, title="Gåtur med Sind", expected_version=0)
    response = cw.post(
        reverse("plan-effort-edit", args=[pk, effort.pk]),
        {"edit-title": "Løbeklub", "edit-owner_kind": "civil", "edit-status": "active", "edit-version": "0"},
    )
    assert response.status_code == 409 and "Gåtur med Sind" in response.content.decode()
    effort.refresh_from_db()
    assert effort.title == "Gåtur med Sind"


# --- Real concurrency on PostgreSQL ------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrent connections need PostgreSQL")
def test_ten_concurrent_saves_lose_nothing(org, users):
    cw = users[Role.CASEWORKER]
    citizen = make_citizen(org, caseworker=cw, coordinator=users[Role.COORDINATOR])
    plan = services.get_or_create_plan(citizen, cw)
    editors = [cw, users[Role.COORDINATOR]]
    texts = [f"Tekst nummer {i}" for i in range(10)]
    barrier = threading.Barrier(10)
    won: list[str] = []
    lost: list[str] = []
    errors: list[BaseException] = []

    def save(i: int) -> None:
        try:
            mine = Plan.objects.select_related("citizen").get(pk=plan.pk)
            barrier.wait(timeout=30)
            try:
                services.update_wishes(editors[i % 2], mine, texts[i], expected_version=0)
                won.append(texts[i])
            except EditConflict:
                lost.append(texts[i])
        except BaseException as error:  # noqa: BLE001 — reported by the main thread
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=save, args=(i,)) for i in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    saved = Plan.objects.get(pk=plan.pk)
    print(f"\n10 concurrent saves → {len(won)} saved, {len(lost)} conflicts, {10 - len(won) - len(lost)} lost")
    assert not errors, errors
    assert len(won) == 1 and len(lost) == 9
    assert saved.wishes == won[0] and saved.wishes in texts
    assert saved.row_version == 1 and saved.versions.count() == 1


# --- API: ETag / If-Match -------------------------------------------------------------------


def _api(user):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_login(user)
    return client


def test_api_plan_etag_if_match(world):
    users, o = world
    plan = o["plan"]
    cw, coordinator = _api(users[Role.CASEWORKER]), _api(users[Role.COORDINATOR])
    url = reverse("api:plan-detail", args=[plan.pk])
    read = cw.get(url)
    assert read.status_code == 200 and read["ETag"] == '"0"' and read.json()["row_version"] == 0
    # Without If-Match: 428 in the error shape, nothing saved.
    response = cw.patch(url, {"wishes": "Uden version"}, format="json")
    assert response.status_code == 428
    body = response.json()
    assert body["kode"] == "precondition_required" and "If-Match" in body["besked"] and body["fejl"] == {}
    assert set(body) == {"kode", "besked", "fejl", "fejlkoder"}
    # The coordinator saves first with the right tag: 200 and a new ETag.
    response = coordinator.patch(url, {"wishes": "Koordinatorens tekst"}, format="json", headers={"If-Match": '"0"'})
    assert response.status_code == 200 and response["ETag"] == '"1"' and response.json()["wishes"] == "Koordinatorens tekst"
    # The caseworker's stale tag: 412 with the current plan and its ETag; nothing overwritten.
    response = cw.patch(url, {"wishes": "Sagsbehandlerens tekst"}, format="json", headers={"If-Match": read["ETag"]})
    assert response.status_code == 412 and response["ETag"] == '"1"'
    body = response.json()
    assert body["kode"] == "precondition_failed" and body["aktuel"]["wishes"] == "Koordinatorens tekst"
    assert users[Role.COORDINATOR].get_full_name() in body["besked"] and body["fejl"] == {}
    assert Plan.objects.get(pk=plan.pk).wishes == "Koordinatorens tekst"
    # With the current tag: 200; both fields in one request move the version once per field.
    response = cw.patch(url, {"wishes": "Fælles tekst", "next_meeting": "2030-03-01"}, format="json", headers={"If-Match": '"1"'})
    assert response.status_code == 200 and response["ETag"] == '"3"'
    saved = Plan.objects.get(pk=plan.pk)
    assert saved.wishes == "Fælles tekst" and str(saved.next_meeting) == "2030-03-01"
    assert cw.get(url)["ETag"] == '"3"'
    # If-Match: * is no version: 428.
    assert cw.put(url, {"wishes": "x"}, format="json", headers={"If-Match": "*"}).status_code == 428


def test_api_plan_edit_is_the_editors(world):
    users, o = world
    url = reverse("api:plan-detail", args=[o["plan"].pk])
    provider = _api(users[Role.PROVIDER_STAFF])
    assert provider.get(url).status_code == 200  # staff may read the plan
    response = provider.patch(url, {"wishes": "x"}, format="json", headers={"If-Match": '"0"'})
    assert response.status_code == 403 and Plan.objects.get(pk=o["plan"].pk).wishes == ""


def test_schema_documents_if_match_412_and_428(world):
    users, _ = world
    schema = _api(users[Role.CASEWORKER]).get(reverse("api:schema") + "?format=json").json()
    patch = schema["paths"]["/api/v1/plans/{id}/"]["patch"]
    assert any(p["name"] == "If-Match" and p["in"] == "header" and p["required"] for p in patch["parameters"])
    assert {"412", "428", "200"} <= set(patch["responses"])
    assert "ETag" in patch["responses"]["200"].get("headers", {})
    get = schema["paths"]["/api/v1/plans/{id}/"]["get"]
    assert "ETag" in get["responses"]["200"].get("headers", {})


# --- The catalogue's offers ----------------------------------------------------------------------


def test_two_editors_of_an_offer_second_gets_409(org, users):
    from samplan.catalogue import services as catalogue
    from samplan.catalogue.models import Offer
    from tests.test_catalogue_editing import valid_post

    offer = Offer.objects.create(
        municipality=org["municipality"], kind=Offer.Kind.VOLUNTARY, title="Værestedet", owner=org["provider"]
    )
    maintainer, editor = users[Role.OFFER_MAINTAINER], users[Role.CATALOGUE_EDITOR]
    url = f"/tilbud/{offer.pk}/rediger/"
    page = _client(editor).get(url).content.decode()
    assert 'name="version" value="0"' in page
    catalogue.update_offer(maintainer, offer, title="Værestedet Paradiset", expected_version=0)
    response = _client(editor).post(url, valid_post(org, title="Værestedet i Lyngby", version="0"))
    html = response.content.decode()
    assert response.status_code == 409
    assert "Tilbuddet er ændret af" in html and "Værestedet Paradiset" in html and 'value="Værestedet i Lyngby"' in html
    assert 'name="version" value="1"' in html
    offer.refresh_from_db()
    assert offer.title == "Værestedet Paradiset" and offer.row_version == 1
    # Without the version: a Danish error, nothing saved.
    response = _client(editor).post(url, valid_post(org, title="Blindt"))
    assert response.status_code == 400 and "Formularen mangler sit versionsnummer" in response.content.decode()
    # With the new version: saved.
    assert _client(editor).post(url, valid_post(org, title="Værestedet i Lyngby", version="1")).status_code == 302
    offer.refresh_from_db()
    assert offer.title == "Værestedet i Lyngby" and offer.row_version == 2


# --- Network meetings ------------------------------------------------------------------------------


def test_two_staff_moving_a_meeting_second_gets_409(world):
    import datetime as dt

    from django.utils import timezone

    from samplan.meetings import services as meetings

    users, o = world
    cw_user, co_user = users[Role.CASEWORKER], users[Role.COORDINATOR]
    meeting = meetings.request_meeting(users[Role.CITIZEN], o["citizen"], purpose="Overblik")
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=7)
    meetings.schedule(cw_user, meeting, start, start + dt.timedelta(hours=1), "Rådhuset", expected_version=0)
    url = reverse("meeting-detail", args=[meeting.pk])
    cw = _client(cw_user)
    assert cw.get(url).content.decode().count('name="version" value="1"') == 2  # the schedule and minutes forms
    # The coordinator moves it first …
    meetings.reschedule(
        co_user,
        meeting,
        start + dt.timedelta(days=1),
        start + dt.timedelta(days=1, hours=1),
        "Lokalet er optaget",
        "Biblioteket",
        expected_version=1,
    )
    # … then the caseworker's move from the page read before: 409, the coordinator's place shown, nothing moved.
    response = cw.post(
        reverse("meeting-schedule", args=[meeting.pk]),
        {
            "starts_at": "2030-01-01T10:00",
            "ends_at": "2030-01-01T11:00",
            "location": "Jobcentret",
            "reason": "Borgeren er syg",
            "version": "1",
        },
    )
    html = response.content.decode()
    assert response.status_code == 409 and "Mødet er ændret af" in html and "Biblioteket" in html
    assert 'value="Jobcentret"' in html and "Borgeren er syg" in html
    meeting.refresh_from_db()
    assert meeting.location == "Biblioteket" and meeting.row_version == 2
    # The minutes from a stale page are refused the same way: nothing written, the text kept.
    response = cw.post(reverse("meeting-minutes", args=[meeting.pk]), {"citizen_summary": "Godt møde", "version": "1"})
    assert response.status_code == 409 and "Godt møde" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == "scheduled" and meeting.citizen_summary == ""


# --- The assessment while a draft --------------------------------------------------------------


def test_assessment_draft_conflicts_and_htmx_keeps_the_completion_form_current(org, users):
    from samplan.cases import services as cases
    from samplan.terminology import ffb
    from tests.factories import ad_theme, other_theme

    cw_user = users[Role.CASEWORKER]
    citizen = make_citizen(org, caseworker=cw_user)
    case = walk_case(cw_user, citizen, org, until="contacted")["case"]
    assessment = cases.start_assessment(cw_user, case)
    cw = _client(cw_user)
    page = cw.get(reverse("assessment", args=[assessment.pk])).content.decode()
    assert 'id="complete-version" value="0"' in page and 'id="condition-version" value="0"' in page
    # Saving a condition through HTMX swaps the conditions and moves the completion form's version out of band.
    response = cw.post(
        reverse("assessment-condition", args=[assessment.pk]),
        {"theme": ad_theme().pk, "functioning_level": "3", "description": "Svært ved post", "version": "0"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'id="complete-version" value="1" hx-swap-oob="true"' in html
    assert 'id="condition-version" value="1"' in html
    # Someone else adds a condition; a save from the page read before is a conflict (typed text kept).
    cases.set_condition(cw_user, assessment, theme=other_theme(), functioning_level=None, expected_version=1)
    response = cw.post(
        reverse("assessment-complete", args=[assessment.pk]),
        {"citizen_wishes": "Klare mine regninger", "support_need": ffb.children(ffb.SUPPORT_NEED).first().pk, "version": "1"},
    )
    assert response.status_code == 409, response.status_code
    assert "Udredningen er ændret af" in response.content.decode()
    assert "Klare mine regninger" in response.content.decode() and "Status: Kladde" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == "draft" and assessment.row_version == 2


def test_plan_row_forms_refresh_each_others_version_through_htmx(world):
    """Wishes and next meeting share the plan's row version: after an HTMX save of one, the
    other form's hidden version and its shown value are swapped out of band, so saving the
    other next is no false conflict (and never a version without the value it belongs to)."""
    users, o = world
    html = _client(users[Role.CASEWORKER]).get(reverse("plan-detail", args=[o["citizen"].pk])).content.decode()
    assert 'hx-select="#wishes"' in html and 'hx-select-oob="#messages,#next-meeting,#id_meeting-version"' in html
    assert 'hx-select-oob="#messages,#wishes-text,#id_wishes-version"' in html
    assert 'id="id_meeting-version"' in html and 'id="id_wishes-version"' in html and 'id="next-meeting"' in html


def test_api_assessment_honours_if_match_on_its_actions(org, users):
    from samplan.cases import services as cases
    from tests.factories import ad_theme, other_theme

    cw_user = users[Role.CASEWORKER]
    citizen = make_citizen(org, caseworker=cw_user)
    assessment = cases.start_assessment(cw_user, walk_case(cw_user, citizen, org, until="contacted")["case"])
    api = _api(cw_user)
    detail = reverse("api:assessment-detail", args=[assessment.pk])
    assert api.get(detail)["ETag"] == '"0"'
    url = reverse("api:assessment-conditions", args=[assessment.pk])
    body = {"theme": ad_theme().pk, "functioning_level": 3, "description": "Svært ved post"}
    response = api.post(url, body, format="json", headers={"If-Match": '"0"'})
    assert response.status_code == 200 and response["ETag"] == '"1"'
    # A stale tag: 412 with the saved assessment; nothing written.
    stale = {"theme": other_theme().pk, "functioning_level": None, "description": "Forældet"}
    response = api.post(url, stale, format="json", headers={"If-Match": '"0"'})
    assert response.status_code == 412 and response.json()["kode"] == "precondition_failed"
    assert response.json()["aktuel"]["id"] == assessment.pk and response["ETag"] == '"1"'
    assert assessment.conditions.count() == 1
    # Without If-Match the action works as before (the header is optional on POST actions).
    assert api.post(url, stale, format="json").status_code == 200
