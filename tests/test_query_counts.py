"""The worklist and the citizen overview cost the same number of queries whatever the
number of rows behind them (no N+1)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import PASSWORD, make_citizen, walk_case

STAGES = ["inquiry", "contacted", "awaiting_decision", "order", "accepted"]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _fill_worklist(org, caseworker, n):
    for i in range(n):
        citizen = make_citizen(org, caseworker=caseworker)
        walk_case(caseworker, citizen, org, until=STAGES[i % len(STAGES)])


def test_worklist_queries_do_not_grow_with_rows(client, org, users):
    cw = users["caseworker"]
    assert client.login(username=cw.username, password=PASSWORD)
    _fill_worklist(org, cw, 5)
    small = _queries(client, reverse("worklist"))
    _fill_worklist(org, cw, 195)
    large_response = client.get(reverse("worklist"))
    assert large_response.content.decode().count('href="/borgere/') >= 200
    large = _queries(client, reverse("worklist"))
    assert small == large, f"worklist: {small} queries with 5 rows, {large} with 200"


def test_provider_orders_queries_do_not_grow_with_rows(client, org, users):
    cw = users["caseworker"]
    _fill_worklist(org, cw, 5)
    assert client.login(username=users["provider_staff"].username, password=PASSWORD)
    small = _queries(client, reverse("provider-orders"))
    _fill_worklist(org, cw, 60)
    large = _queries(client, reverse("provider-orders"))
    assert small == large


def test_citizen_overview_queries_do_not_grow_with_rows(client, org, users):
    cw = users["caseworker"]
    assert client.login(username=cw.username, password=PASSWORD)
    citizen = make_citizen(org, caseworker=cw)
    walk_case(cw, citizen, org, until="accepted")
    small = _queries(client, reverse("citizen-overview", args=[citizen.pk]))
    for i in range(39):
        walk_case(cw, citizen, org, until=STAGES[i % len(STAGES)])
    response = client.get(reverse("citizen-overview", args=[citizen.pk]))
    # 40 cases with inquiries, contacts, assessments, decisions, grants, orders, follow-ups:
    # well over 200 rows behind the page (conditions, services, goals, target groups).
    assert response.content.decode().count("<li><time") >= 150
    large = _queries(client, reverse("citizen-overview", args=[citizen.pk]))
    assert small == large, f"overview: {small} queries with 1 case, {large} with 40"
