"""Appeals (issue 13 point 5): the 4-week reconsideration deadline, the steps through
HTTP, optimistic locking, the history, the policy matrix, audit and the manager's figures."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samplan.appeals import services
from samplan.appeals.models import Appeal, AppealEvent
from samplan.core.errors import DomainError
from samplan.core.models import AuditEvent, Role
from tests.factories import PASSWORD, make_citizen, walk_case


def client_for(user) -> Client:
    c = Client()
    assert c.login(username=user.username, password=PASSWORD)
    return c


@pytest.fixture
def cw(users):
    return users[Role.CASEWORKER]


@pytest.fixture
def citizen(org, users, cw):
    return make_citizen(org, caseworker=cw, user=users[Role.CITIZEN])


@pytest.fixture
def case(org, cw, citizen):
    return walk_case(cw, citizen, org, until="order")


def register(cw, case, **kw) -> Appeal:
    data = {"received_on": timezone.localdate(), "from_whom": "citizen", "summary": "Jeg vil have flere timer"} | kw
    return services.register_appeal(cw, case["decision"], **data)


def test_reconsideration_deadline_is_four_weeks_from_receipt():
    assert services.reconsideration_due(dt.date(2026, 12, 8)) == dt.date(2027, 1, 5)
    assert services.reconsideration_due(dt.date(2027, 2, 1)) == dt.date(2027, 3, 1)


def test_appeal_through_reconsideration_to_ankestyrelsen_over_http(cw, case):
    c = client_for(cw)
    today = timezone.localdate()
    page = c.get(reverse("case-detail", args=[case["case"].pk]))
    assert reverse("appeal-create", args=[case["case"].pk]) in page.content.decode()
    r = c.post(
        reverse("appeal-create", args=[case["case"].pk]),
        {
            "received_on": today.isoformat(),
            "from_whom": "representative",
            "representative_name": "Advokat Hansen",
            "summary": "For få timer",
        },
    )
    appeal = Appeal.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("appeal-detail", args=[appeal.pk])
    assert appeal.reconsideration_due == today + dt.timedelta(days=28)
    assert appeal.representative_name == "Advokat Hansen" and appeal.status == Appeal.Status.RECEIVED

    r = c.post(
        reverse("appeal-reconsider", args=[appeal.pk]),
        {"version": appeal.row_version, "upheld": "no", "on": today.isoformat(), "justification": "Behovet er dækket"},
    )
    assert r.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.MAINTAINED and appeal.reconsidered_on == today

    r = c.post(reverse("appeal-forward", args=[appeal.pk]), {"version": appeal.row_version, "on": today.isoformat()})
    appeal.refresh_from_db()
    assert r.status_code == 302 and appeal.status == Appeal.Status.FORWARDED and appeal.forwarded_on == today

    r = c.post(
        reverse("appeal-result", args=[appeal.pk]), {"version": appeal.row_version, "result": "remitted", "on": today.isoformat()}
    )
    appeal.refresh_from_db()
    assert r.status_code == 302 and appeal.status == Appeal.Status.DECIDED and appeal.result == Appeal.Result.REMITTED

    kinds = list(appeal.events.values_list("kind", flat=True))
    assert kinds == ["registered", "maintained", "forwarded", "decided"]
    detail = c.get(reverse("appeal-detail", args=[appeal.pk])).content.decode()
    assert "Hjemvist" in detail and "Sendt til Ankestyrelsen" in detail
    assert AuditEvent.objects.filter(action="read", object_type="appeals.Appeal", citizen_id_ref=appeal.citizen_id).exists()


def test_steps_in_the_wrong_order_and_stale_version_are_refused(cw, case):
    c = client_for(cw)
    appeal = register(cw, case)
    today = timezone.localdate().isoformat()
    r = c.post(reverse("appeal-forward", args=[appeal.pk]), {"version": appeal.row_version, "on": today})
    assert r.status_code == 400 and "ikke på det trin" in r.content.decode()
    stale = appeal.row_version
    services.reconsider(cw, appeal, stale, upheld=False, on=timezone.localdate(), justification="Fastholdt")
    r = c.post(reverse("appeal-result", args=[appeal.pk]), {"version": stale, "result": "confirmed", "on": today})
    assert r.status_code == 400  # not forwarded yet
    services.forward(cw, appeal, appeal.row_version, on=timezone.localdate())
    r = c.post(reverse("appeal-result", args=[appeal.pk]), {"version": stale, "result": "confirmed", "on": today})
    assert r.status_code == 409
    appeal.refresh_from_db()
    assert appeal.result == ""


def test_register_refuses_future_dates_and_missing_representative(cw, case):
    with pytest.raises(DomainError, match="fremtiden"):
        register(cw, case, received_on=timezone.localdate() + dt.timedelta(days=1))
    with pytest.raises(DomainError, match="repræsentantens navn"):
        register(cw, case, from_whom="representative")
    with pytest.raises(DomainError, match="ingen afgørelse"):
        services.register_appeal(cw, None, received_on=timezone.localdate(), from_whom="citizen", summary="x")


def test_medhold_links_the_new_grant_version_and_events_are_append_only(cw, case):
    appeal = register(cw, case)
    services.reconsider(
        cw, appeal, appeal.row_version, upheld=True, on=timezone.localdate(), justification="Medhold", new_grant=case["grant"]
    )
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.UPHELD and appeal.new_grant == case["grant"] and not appeal.is_open
    event = appeal.events.last()
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        AppealEvent.objects.filter(appeal=appeal).update(summary="x")


def test_open_deadlines_name_the_caseworker_and_a_stable_key(cw, case):
    appeal = register(cw, case)
    [(owner, due, obj, title, url, key)] = services.open_deadlines()
    assert (owner, due, obj, key) == (cw, appeal.reconsideration_due, appeal, f"appeal:{appeal.pk}:reconsider")
    assert url == reverse("appeal-detail", args=[appeal.pk])
    services.reconsider(cw, appeal, appeal.row_version, upheld=False, on=timezone.localdate(), justification="Fastholdt")
    assert services.open_deadlines()[0][5] == f"appeal:{appeal.pk}:forward"
    services.forward(cw, appeal, appeal.row_version, on=timezone.localdate())
    assert services.open_deadlines() == []


def test_figures_count_share_upheld_and_median(org, users, cw, case):
    today = timezone.localdate()
    a1 = register(cw, case, received_on=today)
    services.reconsider(cw, a1, a1.row_version, upheld=True, on=today, justification="Medhold")
    a2 = register(cw, case)
    services.reconsider(cw, a2, a2.row_version, upheld=False, on=today, justification="Fastholdt")
    services.forward(cw, a2, a2.row_version, on=today)
    services.record_result(cw, a2, a2.row_version, result="confirmed", on=today)
    register(cw, case)  # open
    f = services.figures(org["municipality"])
    assert (f["total"], f["open"], f["decided"], f["upheld"], f["share_upheld"]) == (3, 1, 2, 1, 50)
    assert f["median_days_to_reconsideration"] == 0
    page = client_for(users[Role.MANAGER]).get(reverse("aggregates")).content.decode()
    assert "Andel medhold" in page and "50 %" in page


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.CASEWORKER, 200),
        (Role.COMMITTEE, 403),  # sees the citizen, not the appeal
        (Role.CITIZEN, 403),  # knows of their appeal, but it is the authority's work page
        (Role.PROVIDER_STAFF, 404),  # the authority's objects are unknown to a provider
        (Role.COORDINATOR, 404),  # not this citizen's coordinator
        (Role.RELATIVE, 404),
        (Role.MANAGER, 404),  # figures only
        (Role.ADMIN, 404),
    ],
)
def test_policy_matrix_appeal_detail(users, cw, case, role, status):
    appeal = register(cw, case)
    assert client_for(users[role]).get(reverse("appeal-detail", args=[appeal.pk])).status_code == status


@pytest.mark.parametrize(("role", "status"), [(Role.CASEWORKER, 200), (Role.MANAGER, 403), (Role.COMMITTEE, 403)])
def test_policy_matrix_list_and_register(users, cw, case, role, status):
    assert client_for(users[role]).get(reverse("appeal-list")).status_code == status


def test_other_unit_caseworker_gets_404_and_cannot_register(org, cw, case):
    from tests.factories import make_user

    other = make_user(Role.CASEWORKER, org, unit=org["other_team"])
    appeal = register(cw, case)
    c = client_for(other)
    assert c.get(reverse("appeal-detail", args=[appeal.pk])).status_code == 404
    assert c.get(reverse("appeal-create", args=[case["case"].pk])).status_code == 404
    assert c.post(reverse("appeal-forward", args=[appeal.pk]), {"version": 0, "on": "2026-01-01"}).status_code == 404
    assert c.get(reverse("appeal-list")).content.decode().count("Ingen åbne klager") == 1


def test_list_query_count_is_constant(org, cw, case, django_assert_max_num_queries):
    c = client_for(cw)
    register(cw, case)
    c.get(reverse("appeal-list"))
    with django_assert_max_num_queries(12) as first:
        c.get(reverse("appeal-list"))
    for _ in range(5):
        other = make_citizen(org, caseworker=cw)
        register(cw, walk_case(cw, other, org, until="granted"))
    with django_assert_max_num_queries(len(first.captured_queries)):
        page = c.get(reverse("appeal-list"))
    assert page.content.decode().count(reverse("appeal-detail", args=[0])[:-2]) >= 6
    assert AppealEvent.objects.count() == 6
