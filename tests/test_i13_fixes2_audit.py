"""Issue 13: the administrator's audit search finds a citizen by name or CPR and a user by
name, shows roles and objects in Danish, and exports the result — with the CPR number only
in a POST body, and the export itself audited."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samplan.citizens import search
from samplan.core import policy
from samplan.core.models import AuditEvent, Role
from tests.factories import make_citizen, make_user
from tests.test_i12_docs import logged_in

Action = AuditEvent.Action


@pytest.fixture
def world(org, users):
    cw = users[Role.CASEWORKER]
    other_cw = make_user(Role.CASEWORKER, org)
    other_cw.first_name, other_cw.last_name = "Bodil", "Andersen"
    other_cw.save()
    karen = make_citizen(org, caseworker=cw, first_name="Karen", last_name="Blixhøj")
    ole = make_citizen(org, caseworker=cw, first_name="Ole", last_name="Rømer")
    logged_in(cw).get(reverse("citizen-overview", args=[karen.pk]))
    logged_in(other_cw).get(reverse("citizen-overview", args=[ole.pk]))
    return {"admin": users[Role.ADMIN], "cw": cw, "other_cw": other_cw, "karen": karen, "ole": ole}


def _search(client, **data):
    response = client.post(reverse("audit-log"), data)
    assert response.status_code == 200
    return response.content.decode()


def test_search_by_cpr_finds_the_citizens_rows_only(world):
    karen, ole = world["karen"], world["ole"]
    page = _search(logged_in(world["admin"]), borger=f"{karen.cpr[:6]}-{karen.cpr[6:]}")
    assert f"<td>{karen.pk}</td>" in page
    assert f"<td>{ole.pk}</td>" not in page
    assert "<td>Myndighedssagsbehandler</td>" in page and f"<td>Borger {karen.pk}</td>" in page  # Danish labels
    assert "citizens.Citizen" not in page and ">caseworker<" not in page


def test_search_by_name_finds_the_citizen(world):
    karen, ole = world["karen"], world["ole"]
    page = _search(logged_in(world["admin"]), borger="karen blix")
    assert f"Fundne borgere: Karen Blixhøj (borger-id {karen.pk})" in page
    assert f"<td>{karen.pk}</td>" in page
    assert f"<td>{ole.pk}</td>" not in page


def test_search_for_a_user_by_name(world):
    page = _search(logged_in(world["admin"]), bruger="bodil andersen")
    assert world["other_cw"].username in page
    assert f"<td>{world['ole'].pk}</td>" in page
    assert f"<td>{world['karen'].pk}</td>" not in page
    assert world["cw"].username not in page


def test_export_has_danish_headers_and_the_rows_and_is_one_audit_row(world):
    karen = world["karen"]
    client = logged_in(world["admin"])
    last = AuditEvent.objects.order_by("pk").values_list("pk", flat=True).last()
    response = client.post(reverse("audit-log"), {"borger": karen.cpr, "eksport": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert table[0] == ["Tidspunkt", "Bruger", "Rolle", "Handling", "Borger-id", "Objekt", "Objekt-id", "Kanal", "Request-id"]
    body = table[1:]
    assert body and all(row[4] == str(karen.pk) for row in body)
    assert ["Myndighedssagsbehandler", "Læst", "Borger"] in [[row[2], row[3], row[5]] for row in body]
    assert karen.cpr not in text and "Blixhøj" not in text  # ids only, as on the page
    (row,) = AuditEvent.objects.filter(pk__gt=last)
    assert (row.action, row.citizen_id_ref, row.object_type) == (Action.AUDIT_SEARCH, karen.pk, "core.AuditEvent")
    assert row.after["export"] == "csv" and row.after["rows"] == len(body)
    assert row.after["citizens"] == [karen.pk] and row.after["by_citizen_text"] is True
    assert karen.cpr not in str(row.after) and karen.cpr not in row.path and "Karen" not in str(row.after)


def test_a_non_administrator_gets_403(world):
    client = logged_in(world["cw"])
    assert client.get(reverse("audit-log")).status_code == 403
    assert client.post(reverse("audit-log"), {"borger": world["karen"].cpr, "eksport": "csv"}).status_code == 403


def test_the_form_is_a_post_and_a_cpr_in_the_url_is_not_searched(world):
    karen = world["karen"]
    client = logged_in(world["admin"])
    page = client.get(reverse("audit-log")).content.decode()
    assert 'method="post"' in page and 'id="audit-search"' in page
    response = client.get(reverse("audit-log"), {"borger": karen.cpr})
    assert response.status_code == 200
    assert "Søg på navn eller CPR-nummer i formularen" in response.content.decode()
    assert f"<td>{karen.pk}</td>" not in response.content.decode()
    assert not AuditEvent.objects.filter(path__contains=karen.cpr).exists()


def test_only_administrators_may_look_citizens_up(world, org):
    assert list(policy.audit_subjects(world["cw"])) == []
    assert search.audit_find(world["cw"], world["karen"].cpr, 10) == []
    assert search.audit_find(world["admin"], world["karen"].cpr, 10) == [world["karen"].pk]
    elsewhere_admin = make_user(Role.ADMIN, {**org, "municipality": None})
    assert search.audit_find(elsewhere_admin, "Karen", 10) == []


def test_the_page_query_count_does_not_grow_with_its_rows(world):
    client = logged_in(world["admin"])
    with CaptureQueriesContext(connection) as few:
        _search(client, handling="read")
    for n in range(8):
        citizen = make_citizen(
            {"municipality": world["karen"].municipality, "authority": world["karen"].unit}, first_name=f"N{n}"
        )
        citizen.caseworker = world["cw"]
        citizen.save()
        logged_in(world["cw"]).get(reverse("citizen-overview", args=[citizen.pk]))
    with CaptureQueriesContext(connection) as many:
        _search(client, handling="read")
    assert len(many.captured_queries) == len(few.captured_queries)
