"""Questionnaires: the built-in CHIME self-rating, validation, immutability, the trend and
its SVG chart, access (citizen's own pages, staff by policy), audit, and the overview."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samplan.core.models import AuditEvent, Role
from samplan.questionnaires import services
from samplan.questionnaires.builtin import CHIME_ITEMS, install_chime
from samplan.questionnaires.chart import trend_chart
from samplan.questionnaires.models import Answer, InstrumentVersion, Item, Response
from tests.factories import PASSWORD, make_citizen, make_user, walk_case

pytestmark = pytest.mark.django_db

KEYS = [k for k, *_ in CHIME_ITEMS]


def answers(value=5, **over):
    data = {k: (value, "") for k in KEYS}
    data.update(over)
    return data


def respond(user, citizen, value=5, *, days_ago=0, **kw):
    version = services.current_version()
    at = timezone.now() - dt.timedelta(days=days_ago)
    kw.setdefault("channel", Response.Channel.PORTAL)
    return services.submit_response(user, citizen, version, answers(value), answered_at=at, **kw)


@pytest.fixture
def citizen(org, users):
    return make_citizen(org, caseworker=users[Role.CASEWORKER], user=users[Role.CITIZEN])


def logged_in(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def form_data(value=7, **over):
    data = {k: str(value) for k in KEYS}
    data.update(over)
    return data


# --- the built-in instrument ----------------------------------------------------------------


def test_chime_version_1_is_installed_by_migration():
    version = services.current_version()
    assert version.instrument.key == "chime" and version.version == 1
    assert "du" in version.intro.split()
    items = services.items_of(version)
    assert [i.key for i in items] == ["connectedness", "hope", "identity", "meaning", "empowerment"]
    assert [i.label for i in items] == ["Forbundethed", "Håb og optimisme", "Identitet", "Mening", "Indflydelse på eget liv"]
    assert {(i.scale.min, i.scale.max) for i in items} == {(1, 10)}
    assert all(i.allow_comment for i in items)
    assert install_chime().pk == version.pk  # idempotent


# --- validation -------------------------------------------------------------------------------


def test_value_out_of_range_is_refused(citizen, users):
    version = services.current_version()
    for bad in (0, 11, -3):
        with pytest.raises(ValidationError) as e:
            services.submit_response(users[Role.CITIZEN], citizen, version, answers(hope=(bad, "")), channel="portal")
        assert "mellem 1 og 10" in e.value.message_dict["hope"][0]
    with pytest.raises(ValidationError) as e:
        services.submit_response(users[Role.CITIZEN], citizen, version, answers(hope=("fem", "")), channel="portal")
    assert "helt tal" in e.value.message_dict["hope"][0]
    assert Response.objects.count() == 0


def test_every_item_is_required(citizen, users):
    version = services.current_version()
    data = answers()
    del data["meaning"]
    data["identity"] = (None, "en kommentar uden tal")
    with pytest.raises(ValidationError) as e:
        services.submit_response(users[Role.CITIZEN], citizen, version, data, channel="portal")
    assert set(e.value.message_dict) == {"meaning", "identity"}
    assert e.value.message_dict["meaning"] == ["Vælg et tal fra 1 til 10 ved »Mening«."]
    assert Response.objects.count() == 0


def test_comment_is_optional_and_kept(citizen, users):
    version = services.current_version()
    response = services.submit_response(
        users[Role.CITIZEN],
        citizen,
        version,
        answers(4, hope=(8, "  Jeg glæder mig til foråret  ")),
        channel="portal",
    )
    by_key = {a.item.key: a for a in response.answers.select_related("item")}
    assert len(by_key) == 5
    assert by_key["hope"].value == 8 and by_key["hope"].comment == "Jeg glæder mig til foråret"
    assert by_key["meaning"].comment == ""


def test_unknown_item_and_future_time_are_refused(citizen, users):
    version = services.current_version()
    with pytest.raises(ValidationError):
        services.submit_response(users[Role.CITIZEN], citizen, version, answers(extra=(3, "")), channel="portal")
    with pytest.raises(ValidationError):
        services.submit_response(
            users[Role.CITIZEN], citizen, version, answers(), channel="portal", answered_at=timezone.now() + dt.timedelta(days=1)
        )


# --- immutability -------------------------------------------------------------------------------


def test_responses_and_answers_are_immutable(citizen, users):
    response = respond(users[Role.CITIZEN], citizen, 6)
    response.with_staff = True
    with pytest.raises(ValidationError):
        response.save()
    with pytest.raises(ValidationError):
        response.delete()
    answer = response.answers.first()
    answer.value = 9
    with pytest.raises(ValidationError):
        answer.save()
    with pytest.raises(ValidationError):
        answer.delete()
    assert set(Answer.objects.values_list("value", flat=True)) == {6}


def test_answered_version_is_frozen(citizen, users):
    version = services.current_version()
    item = version.items.first()
    item.text = "Ny formulering"
    item.save()  # allowed while nobody has answered
    respond(users[Role.CITIZEN], citizen)
    version = InstrumentVersion.objects.get(pk=version.pk)
    version.intro = "Ændret"
    with pytest.raises(ValidationError):
        version.save()
    item = Item.objects.get(pk=item.pk)
    item.text = "Endnu en formulering"
    with pytest.raises(ValidationError):
        item.save()
    with pytest.raises(ValidationError):
        Item.objects.create(version=version, order=9, key="new", label="Ny", text="?", scale=item.scale)


# --- trend and chart ---------------------------------------------------------------------------


def test_trend_is_oldest_first_and_chart_has_one_point_per_response_per_item(citizen, users):
    cw = users[Role.CASEWORKER]
    respond(users[Role.CITIZEN], citizen, 6, days_ago=10)
    respond(cw, citizen, 3, days_ago=200, channel="staff", with_staff=True)
    respond(users[Role.CITIZEN], citizen, 8, days_ago=1)
    trend = services.trend(citizen)
    assert [r.answered_at for r in trend.responses] == sorted(r.answered_at for r in trend.responses)
    assert [v for _t, v in trend.series["hope"]] == [3, 6, 8]
    assert [r.answers.all()[0].value for r, _a in trend.rows()] == [8, 6, 3]  # table: newest first
    svg = str(trend_chart(trend))
    assert svg.startswith("<svg") and 'role="img"' in svg and "<title" in svg
    assert "style=" not in svg  # CSP: presentation attributes only
    for key in KEYS:
        assert svg.count(f'data-item="{key}"') == 3
    assert len(re.findall(r'class="samplan-chart-point"', svg)) == 15
    assert svg.count("<polyline") == 5


def test_chart_without_responses(citizen):
    svg = str(trend_chart(services.trend(citizen)))
    assert "Ingen besvarelser endnu" in svg and "samplan-chart-point" not in svg


def test_trend_is_per_citizen(org, citizen, users):
    other = make_citizen(org, caseworker=users[Role.CASEWORKER])
    respond(users[Role.CASEWORKER], other, 2, channel="staff", with_staff=True)
    respond(users[Role.CITIZEN], citizen, 9)
    assert [v for _t, v in services.trend(citizen).series["hope"]] == [9]


# --- the citizen's own pages ---------------------------------------------------------------------


def test_citizen_fills_in_and_sees_the_trend(citizen, users):
    client = logged_in(users[Role.CITIZEN])
    page = client.get(reverse("my-recovery-new"))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<fieldset") == 5 and html.count("<legend") == 5
    assert html.count('type="radio"') == 50
    assert html.count("<textarea") == 5
    response = client.post(reverse("my-recovery-new"), form_data(7, hope_comment="Bedre end sidst"))
    assert response.status_code == 302 and response["Location"] == reverse("my-recovery")
    saved = Response.objects.get()
    assert saved.citizen == citizen and saved.channel == "portal" and not saved.with_staff
    assert saved.answered_by == users[Role.CITIZEN]
    page = client.get(reverse("my-recovery"))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('class="samplan-chart-point"') == 5
    assert "Bedre end sidst" in html and "<table" in html


def test_invalid_form_keeps_input_and_shows_danish_errors(citizen, users):
    client = logged_in(users[Role.CITIZEN])
    data = form_data(4, meaning="", hope="11", identity_comment="Det her skal blive stående")
    response = client.post(reverse("my-recovery-new"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Det her skal blive stående" in html
    assert "Vælg et tal fra 1 til 10" in html
    assert 'value="4" class="form-radio" id="id_connectedness_3" checked' in html
    assert html.count(" checked") == 3  # connectedness, identity, empowerment kept; hope (11) and meaning empty
    assert Response.objects.count() == 0


def test_citizen_pages_are_only_for_citizens(citizen, users):
    for role in (Role.CASEWORKER, Role.RELATIVE, Role.ADMIN):
        client = logged_in(users[role])
        assert client.get(reverse("my-recovery")).status_code in (403, 404)
        assert client.post(reverse("my-recovery-new"), form_data()).status_code in (403, 404)
    assert Response.objects.count() == 0


def test_citizen_sees_only_own_data(org, citizen, users):
    other_user = make_user(Role.CITIZEN, org)
    other = make_citizen(org, caseworker=users[Role.CASEWORKER], user=other_user)
    respond(other_user, other, 2)
    client = logged_in(users[Role.CITIZEN])
    html = client.get(reverse("my-recovery")).content.decode()
    assert "samplan-chart-point" not in html and other.last_name not in html
    # Another citizen's staff page is invisible (404), as is any citizen page for staff.
    assert client.get(reverse("citizen-recovery", args=[other.pk])).status_code == 404
    # A citizen without a citizen record gets 404.
    lonely = make_user(Role.CITIZEN, org)
    assert logged_in(lonely).get(reverse("my-recovery")).status_code == 404


# --- staff -----------------------------------------------------------------------------------------


def test_caseworker_fills_in_with_the_citizen(citizen, users):
    cw = users[Role.CASEWORKER]
    client = logged_in(cw)
    page = client.get(reverse("citizen-recovery", args=[citizen.pk]))
    assert page.status_code == 200 and "Udfyld sammen med borgeren" in page.content.decode()
    response = client.post(reverse("citizen-recovery", args=[citizen.pk]), form_data(5))
    assert response.status_code == 302
    saved = Response.objects.get()
    assert saved.with_staff and saved.channel == "staff" and saved.answered_by == cw


def test_viewer_without_work_case_may_read_but_not_fill_in(citizen, users):
    coordinator = users[Role.COORDINATOR]
    citizen.coordinator = coordinator
    citizen.save()
    client = logged_in(coordinator)
    page = client.get(reverse("citizen-recovery", args=[citizen.pk]))
    assert page.status_code == 200 and '<form method="post" action="/borgere' not in page.content.decode()
    assert client.post(reverse("citizen-recovery", args=[citizen.pk]), form_data()).status_code == 403
    assert Response.objects.count() == 0


def test_staff_from_another_unit_get_404(org, citizen, users):
    other_cw = make_user(Role.CASEWORKER, org, unit=org["other_team"])
    client = logged_in(other_cw)
    assert client.get(reverse("citizen-recovery", args=[citizen.pk])).status_code == 404
    assert client.post(reverse("citizen-recovery", args=[citizen.pk]), form_data()).status_code == 404
    other_provider = make_user(Role.PROVIDER_STAFF, org, unit=org["other_provider"])
    assert logged_in(other_provider).get(reverse("citizen-recovery", args=[citizen.pk])).status_code == 404
    assert Response.objects.count() == 0


# --- audit -----------------------------------------------------------------------------------------


def test_reads_and_responses_are_audited(citizen, users):
    me, cw = users[Role.CITIZEN], users[Role.CASEWORKER]
    client = logged_in(me)
    start = AuditEvent.objects.count()
    client.get(reverse("my-recovery"))
    read = AuditEvent.objects.order_by("-id").first()
    assert AuditEvent.objects.count() == start + 1
    assert read.action == AuditEvent.Action.READ and read.citizen_id_ref == citizen.pk and read.username == me.username
    client.post(reverse("my-recovery-new"), form_data(6))
    created = AuditEvent.objects.filter(action=AuditEvent.Action.CREATE, object_type="questionnaires.Response").get()
    assert created.citizen_id_ref == citizen.pk and created.after["values"]["hope"] == 6
    assert created.object_id == str(Response.objects.get().pk)
    before = AuditEvent.objects.count()
    logged_in(cw).get(reverse("citizen-recovery", args=[citizen.pk]))
    assert AuditEvent.objects.count() == before + 1
    last = AuditEvent.objects.order_by("-id").first()
    assert last.action == AuditEvent.Action.READ and last.username == cw.username and last.citizen_id_ref == citizen.pk


# --- the citizen overview ------------------------------------------------------------------------


def test_overview_shows_trivsel_and_functioning_levels(org, citizen, users):
    cw = users[Role.CASEWORKER]
    walk_case(cw, citizen, org, until="awaiting_decision")
    respond(users[Role.CITIZEN], citizen, 4, days_ago=30)
    respond(users[Role.CITIZEN], citizen, 6, days_ago=2)
    html = logged_in(cw).get(reverse("citizen-overview", args=[citizen.pk])).content.decode()
    assert "Trivsel og funktionsevne over tid" in html
    assert html.count('class="samplan-chart-point"') == 10
    assert 'id="functioning-levels"' in html
    table = html.split('id="functioning-levels"')[1].split("</table>")[0]
    assert "<td>3</td>" in table  # the A&D condition's level from walk_case
    assert reverse("citizen-recovery", args=[citizen.pk]) in html


def test_overview_query_count_does_not_grow_with_responses(org, citizen, users):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cw = users[Role.CASEWORKER]
    walk_case(cw, citizen, org, until="accepted")
    client = logged_in(cw)
    url = reverse("citizen-overview", args=[citizen.pk])
    respond(users[Role.CITIZEN], citizen, 5, days_ago=100)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for n in range(8):
        respond(users[Role.CITIZEN], citizen, 1 + n, days_ago=90 - n * 10)
    walk_case(cw, citizen, org, until="awaiting_decision")
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(small.captured_queries) == len(large.captured_queries)


# --- API -------------------------------------------------------------------------------------------


def test_api_lists_own_responses_only(org, citizen, users):
    other_user = make_user(Role.CITIZEN, org)
    other = make_citizen(org, caseworker=users[Role.CASEWORKER], user=other_user)
    mine = respond(users[Role.CITIZEN], citizen, 6, days_ago=3)
    respond(other_user, other, 2)
    client = logged_in(users[Role.CITIZEN])
    data = client.get("/api/v1/recovery-responses/").json()
    assert [r["id"] for r in data["results"]] == [mine.pk]
    row = data["results"][0]
    assert row["instrument"] == "chime" and row["version"] == 1 and len(row["answers"]) == 5
    assert row["answers"][1] == {"item": "hope", "label": "Håb og optimisme", "value": 6, "comment": ""}
    assert client.get(f"/api/v1/recovery-responses/?citizen={other.pk}").json()["results"] == []
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SEARCH, object_type="questionnaires.Response").exists()
    cw = logged_in(users[Role.CASEWORKER])
    ids = [r["id"] for r in cw.get(f"/api/v1/recovery-responses/?citizen={citizen.pk}").json()["results"]]
    assert ids == [mine.pk]
    other_cw = logged_in(make_user(Role.CASEWORKER, org, unit=org["other_team"]))
    assert other_cw.get(f"/api/v1/recovery-responses/{mine.pk}/").status_code == 404


# --- demo ------------------------------------------------------------------------------------------


def test_demo_responses_for_the_demo_citizen(org, users):
    from samplan.demo.questionnaires import seed_recovery

    borger = make_user(Role.CITIZEN, org, username="borger")
    cw = users[Role.CASEWORKER]
    me = make_citizen(org, caseworker=cw, user=borger)
    for _ in range(4):
        make_citizen(org, caseworker=cw)
    made = seed_recovery(seed=1, others=2)
    assert made >= 5 + 2 * 2
    mine = services.trend(me)
    assert len(mine.responses) == 5
    ages = [(timezone.now() - r.answered_at).days for r in mine.responses]
    assert all(0 <= d <= 366 for d in ages)
    assert {r.channel for r in mine.responses} == {"portal", "staff"}
    assert seed_recovery(seed=1, others=2) == 0  # not twice
