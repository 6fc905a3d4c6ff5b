"""Issue 11: reads logged per citizen (point 2), no CPR in a URL or a log line (point 3) and
a client's X-Request-ID kept only when it is a well-formed id (point 8)."""

import datetime as dt
import logging
import re
import threading
import types
import urllib.error
import urllib.request
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from samplan.citizens.cpr import format_cpr
from samplan.core import audit
from samplan.core.logmask import MaskCprFilter, mask_cpr_shaped
from samplan.core.models import AuditEvent, Role
from tests.factories import PASSWORD, grant_spec, make_citizen, make_user, walk_case
from tests.test_i11_audit_walk import cpr_shaped

API = "/api/v1"
Action = AuditEvent.Action
CPR_SHAPED = re.compile(r"\d{6}-?\d{4}")


def logged_in(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def rows(request_id: str):
    return AuditEvent.objects.filter(request_id=request_id).order_by("id")


# --- Point 2: one row per citizen per request, batched --------------------------------------


class _Request:
    """What bind_request reads of a request."""

    def __init__(self, request_id: str = "", path: str = "/test/"):
        self.headers = {"X-Request-ID": request_id} if request_id else {}
        self.path = path


def test_record_reads_writes_one_row_per_citizen_in_one_insert(org, users):
    caseworker = users[Role.CASEWORKER]
    anna, bo = make_citizen(org, caseworker=caseworker), make_citizen(org, caseworker=caseworker)
    tokens = audit.bind_request(_Request("req-batch-0001"))
    try:
        with CaptureQueriesContext(connection) as queries:
            events = audit.record_reads(caseworker, [anna, bo, anna], object_type="citizens.Citizen", after={"shown": "x"})
        assert len(queries) == 1, [q["sql"] for q in queries]
        # The same citizens again in the same request: nothing new.
        assert audit.record_reads(caseworker, [bo, anna], object_type="citizens.Citizen") == []
        # A citizen already read through record_read in this request is not written twice.
        carl = make_citizen(org, caseworker=caseworker)
        audit.record_read(caseworker, carl)
        assert audit.record_reads(caseworker, [(carl.pk, carl.municipality_id)], object_type="citizens.Citizen") == []
        # Another action is another row.
        assert len(audit.record_reads(caseworker, [anna], object_type="citizens.Citizen", action=Action.SEARCH)) == 1
    finally:
        audit.unbind_request(tokens)
    assert len(events) == 2
    written = rows("req-batch-0001")
    assert [(e.citizen_id_ref, e.action) for e in written] == [
        (anna.pk, Action.READ),
        (bo.pk, Action.READ),
        (carl.pk, Action.READ),
        (anna.pk, Action.SEARCH),
    ]
    first = written[0]
    assert (first.user_id_ref, first.role, first.municipality_id_ref, first.path) == (
        caseworker.pk,
        Role.CASEWORKER,
        org["municipality"].pk,
        "/test/",
    )
    assert first.after == {"shown": "x"} and first.at is not None


def test_worklist_names_each_citizen_once(org, users):
    """A citizen on the worklist three times (an inquiry without first contact, a case under
    assessment and the list of my citizens) is one row."""
    caseworker = users[Role.CASEWORKER]
    anna = make_citizen(org, caseworker=caseworker)
    walk_case(caseworker, anna, org, until="inquiry")
    walk_case(caseworker, anna, org, until="assessment")
    bo = make_citizen(org, caseworker=caseworker)
    hidden = make_citizen(org, unit=org["other_team"])
    response = logged_in(caseworker).get(reverse("worklist"), headers={"X-Request-ID": "req-worklist-01"})
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count(anna.full_name) >= 3 and bo.full_name in body
    written = rows("req-worklist-01")
    assert sorted(e.citizen_id_ref for e in written) == sorted([anna.pk, bo.pk])
    assert hidden.pk not in {e.citizen_id_ref for e in written}


def test_web_search_names_the_citizens_found_and_min_indsigt_says_so(org, users):
    caseworker = users[Role.CASEWORKER]
    citizen_user = make_user(Role.CITIZEN, org)
    karen = make_citizen(org, caseworker=caseworker, first_name="Karen", user=citizen_user)
    make_citizen(org, caseworker=caseworker, first_name="Hans")
    client = logged_in(caseworker)
    response = client.post(reverse("citizen-search"), {"q": format_cpr(karen.cpr)}, headers={"X-Request-ID": "req-search-001"})
    assert response.status_code == 200 and karen.full_name in response.content.decode()
    (row,) = rows("req-search-001")
    assert (row.action, row.citizen_id_ref, row.object_type) == (Action.SEARCH, karen.pk, "citizens.Citizen")
    assert row.after == {"results": 1}  # neither the number nor any text typed
    # Nothing found: the search is still logged, without a citizen.
    client.post(reverse("citizen-search"), {"q": "Ingen Sådan"}, headers={"X-Request-ID": "req-search-002"})
    assert [(e.action, e.citizen_id_ref) for e in rows("req-search-002")] == [(Action.SEARCH, None)]

    page = logged_in(citizen_user).get(reverse("my-access-log"))
    assert page.status_code == 200
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page.content.decode()))
    assert f"{caseworker.get_full_name()} (sagsbehandler) søgte og fandt dine oplysninger" in text


def test_api_lists_name_each_citizen_on_the_page(org, users):
    caseworker = users[Role.CASEWORKER]
    anna, bo = make_citizen(org, caseworker=caseworker), make_citizen(org, caseworker=caseworker)
    a, b = walk_case(caseworker, anna, org, until="order"), walk_case(caseworker, bo, org, until="order")
    client = api_for(caseworker)
    assert client.get(f"{API}/grants/", headers={"X-Request-ID": "req-api-list-1"}).status_code == 200
    written = rows("req-api-list-1")
    assert sorted((e.action, e.citizen_id_ref, e.object_type) for e in written) == sorted(
        [(Action.SEARCH, anna.pk, "cases.Grant"), (Action.SEARCH, bo.pk, "cases.Grant")]
    )
    assert sorted(written[0].after["ids"]) == sorted([a["grant"].pk, b["grant"].pk])
    # A filter narrows the page, and the rows follow it.
    client.get(f"{API}/grants/", {"citizen": anna.pk}, headers={"X-Request-ID": "req-api-list-2"})
    assert [(e.citizen_id_ref, e.after["filters"]) for e in rows("req-api-list-2")] == [(anna.pk, {"citizen": anna.pk})]


def test_opening_the_audit_log_is_logged_with_its_filters_not_typed_text(org, users):
    admin = users[Role.ADMIN]
    caseworker = users[Role.CASEWORKER]
    citizen = make_citizen(org, caseworker=caseworker)
    logged_in(caseworker).get(reverse("citizen-overview", args=[citizen.pk]))
    client = logged_in(admin)
    assert client.get(reverse("audit-log"), headers={"X-Request-ID": "req-auditlog-1"}).status_code == 200
    (row,) = rows("req-auditlog-1")
    assert (row.action, row.citizen_id_ref, row.object_type) == (Action.AUDIT_SEARCH, None, "core.AuditEvent")
    typed = caseworker.username[:6]
    params = {"borger": citizen.pk, "bruger": typed, "handling": "read", "fra": "2020-01-01", "til": "ikke en dato"}
    response = client.get(reverse("audit-log"), params, headers={"X-Request-ID": "req-auditlog-2"})
    assert response.status_code == 200
    (row,) = rows("req-auditlog-2")
    assert row.citizen_id_ref == citizen.pk  # the citizen's own access log shows the look-up
    assert row.after == {
        "citizen": citizen.pk,
        "action": "read",
        "from": "2020-01-01",
        "to": "",
        "by_username": True,
        "page": 1,
    }
    assert typed not in str(row.after)
    from samplan.portal.access_log import entries

    (entry,) = entries([row], citizen)
    assert entry.what == "så listen over, hvem der har set dine oplysninger"


def _queries(client, url) -> tuple[int, int]:
    """(queries, audit rows written) of one GET."""
    before = AuditEvent.objects.count()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries), AuditEvent.objects.count() - before


def _pending_grants(org, caseworker, n):
    from samplan.cases import services

    for _ in range(n):
        citizen = make_citizen(org, caseworker=caseworker)
        case = walk_case(caseworker, citizen, org, until="granted")
        services.create_grant(caseworker, case["decision"], grant_spec(org, case["condition"], amount="30"))


def test_lists_log_every_citizen_in_a_constant_number_of_queries(org, users):
    """The committee queue (page and API) and an API list: 3 or 30 citizens, the same
    number of queries, and one row per citizen."""
    from samplan.standards.models import CompetenceRule

    caseworker, committee = users[Role.CASEWORKER], users[Role.COMMITTEE]
    CompetenceRule.objects.create(municipality=org["municipality"], legal_basis="§85", max_scope=27)
    pages = (logged_in(committee), reverse("committee-queue")), (api_for(committee), f"{API}/committee/grants/")
    _pending_grants(org, caseworker, 3)
    small = [_queries(client, url) for client, url in pages]
    _pending_grants(org, caseworker, 27)
    large = [_queries(client, url) for client, url in pages]
    assert [q for q, _ in small] == [q for q, _ in large]
    assert [n for _, n in small] == [3, 3] and [n for _, n in large] == [30, 30]


# --- Point 3: no CPR in a URL ------------------------------------------------------------------


def test_api_refuses_a_cpr_in_the_query_string_without_echoing_it(org, users):
    caseworker = users[Role.CASEWORKER]
    citizen = make_citizen(org, caseworker=caseworker)
    client = api_for(caseworker)
    before = AuditEvent.objects.count()
    for q in (citizen.cpr, format_cpr(citizen.cpr), f"Anna {citizen.cpr}", "010160 1234"):
        response = client.get(f"{API}/citizens/", {"q": q})
        assert response.status_code == 400, q
        body = response.json()
        assert body["kode"] == "invalid" and body["fejlkoder"] == {"q": ["cpr_in_url"]}
        assert "POST" in body["fejl"]["q"][0] and "CPR-nummer" in body["fejl"]["q"][0]
        assert not CPR_SHAPED.search(response.content.decode().replace(" ", "")), q
    assert AuditEvent.objects.count() == before  # refused before anything was searched
    # The birth date and names still work on GET; the full number through POST.
    assert [r["id"] for r in client.get(f"{API}/citizens/", {"q": citizen.cpr[:6]}).json()["results"]] == [citizen.pk]
    response = client.post(f"{API}/citizens/search/", {"q": format_cpr(citizen.cpr)}, format="json")
    assert response.status_code == 200 and [r["id"] for r in response.json()["results"]] == [citizen.pk]
    assert citizen.cpr not in response.content.decode()


def test_post_search_has_the_lists_policy_and_a_documented_schema(org, users):
    caseworker = users[Role.CASEWORKER]
    citizen = make_citizen(org, caseworker=caseworker)
    # Someone who may not see the citizen finds nothing, and a citizen finds only themself.
    other = make_user(Role.CASEWORKER, org, unit=org["other_team"])
    response = api_for(other).post(f"{API}/citizens/search/", {"q": citizen.cpr}, format="json")
    assert response.status_code == 200 and response.json()["results"] == []
    assert api_for(caseworker).post(f"{API}/citizens/search/", {}, format="json").json()["fejlkoder"] == {"q": ["required"]}
    assert APIClient().post(f"{API}/citizens/search/", {"q": citizen.cpr}, format="json").status_code == 401
    schema = api_for(caseworker).get(f"{API}/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/citizens/search/"]["post"]
    assert "requestBody" in operation and "200" in operation["responses"]
    described = schema["paths"]["/api/v1/citizens/"]["get"]["description"]
    assert "POST /api/v1/citizens/search/" in described


def _hrefs(html: str) -> list[str]:
    return re.findall(r'(?:href|action|hx-get|hx-post)="([^"]*)"', html)


def test_no_link_on_key_pages_carries_a_cpr(org, users):
    """The citizen overview, the worklist, the search result and the web search form: every
    link and form target, none CPR-shaped (the web search posts, so the query stays in the body)."""
    caseworker = users[Role.CASEWORKER]
    citizen = make_citizen(org, caseworker=caseworker)
    walk_case(caseworker, citizen, org, until="order")
    client = logged_in(caseworker)
    pages = [
        client.get(reverse("citizen-overview", args=[citizen.pk])),
        client.get(reverse("worklist")),
        client.get(reverse("citizen-search")),
        client.post(reverse("citizen-search"), {"q": citizen.cpr}),
    ]
    links = []
    for response in pages:
        assert response.status_code == 200
        links += _hrefs(response.content.decode())
    assert len(links) > 20
    assert [link for link in links if cpr_shaped(link)] == []
    search_form = pages[2].content.decode()
    assert re.search(r'<form[^>]*method="post"', search_form, re.IGNORECASE)


# --- Point 3: the logs mask what is CPR-shaped ------------------------------------------------


def _record(msg, *args) -> logging.LogRecord:
    return logging.LogRecord("django.request", logging.WARNING, __file__, 1, msg, args, None)


def test_the_filter_masks_cpr_shaped_numbers_in_a_record():
    record = _record("Bad Request: %s", "/api/v1/citizens/?q=010160-1234&x=0101601234&y=010160%2D1234")
    assert MaskCprFilter().filter(record) is True
    assert record.getMessage() == "Bad Request: /api/v1/citizens/?q=XXXXXX-XXXX&x=XXXXXX-XXXX&y=XXXXXX-XXXX"
    plain = _record("Not Found: %s", "/borgere/12/")
    MaskCprFilter().filter(plain)
    assert plain.getMessage() == "Not Found: /borgere/12/" and plain.args == ("/borgere/12/",)
    assert mask_cpr_shaped("tlf 12345678") == "tlf 12345678"


def test_settings_put_the_filter_on_every_handler_and_the_request_loggers():
    for handler in logging.getLogger().handlers:
        if type(handler).__module__.startswith("_pytest"):
            continue  # pytest's own capture
        assert any(isinstance(f, MaskCprFilter) for f in handler.filters), handler
    for name in ("django.server", "django.request"):
        logger = logging.getLogger(name)
        assert any(isinstance(f, MaskCprFilter) for f in logger.filters), name
        for handler in logger.handlers:
            if not type(handler).__module__.startswith("_pytest"):
                assert any(isinstance(f, MaskCprFilter) for f in handler.filters), (name, handler)
    assert logging.getLogger("django.server").handlers, "runserver's access log has its own, masking handler"


class _Capture(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(record.getMessage())


@pytest.mark.django_db(transaction=True)
def test_runservers_access_log_line_is_masked():
    """A real request through runserver's WSGIRequestHandler: its access-log line for a CPR
    in the query string has the number masked."""
    from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer
    from django.core.wsgi import get_wsgi_application

    server = WSGIServer(("127.0.0.1", 0), WSGIRequestHandler)
    server.set_app(get_wsgi_application())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    capture = _Capture()
    logger = logging.getLogger("django.server")
    logger.addHandler(capture)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/api/v1/citizens/?q=0101601234"
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.urlopen(url, timeout=10)  # noqa: S310 (our own test server)
        assert answer.value.code == 401  # anonymous; the line is logged all the same
    finally:
        server.shutdown()
        server.server_close()
        logger.removeHandler(capture)
    (line,) = [line for line in capture.lines if "/api/v1/citizens/" in line]
    assert "0101601234" not in line and "q=XXXXXX-XXXX" in line and " 401 " in line


def test_gunicorn_access_log_masks_cpr_numbers():
    from gunicorn.config import Config

    from samplan import gunicorn_conf

    cfg = Config()
    cfg.set("logger_class", "samplan.gunicorn_conf.MaskingLogger")
    cfg.set("accesslog", "-")
    cfg.set("access_log_format", gunicorn_conf.access_log_format)
    assert cfg.logger_class is gunicorn_conf.MaskingLogger and gunicorn_conf.logger_class is gunicorn_conf.MaskingLogger
    log = cfg.logger_class(cfg)
    capture = _Capture()
    log.access_log.addHandler(capture)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/api/v1/citizens/?q=010160-1234",
        "PATH_INFO": "/api/v1/citizens/",
        "QUERY_STRING": "q=010160-1234",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "192.0.2.1",
        "HTTP_REFERER": "https://samplan.example.invalid/?cpr=0101601234",
        "HTTP_USER_AGENT": "test",
    }
    response = types.SimpleNamespace(status="400 Bad Request", sent=120, headers=[("X-Request-ID", "req-gunicorn-01")])
    request = types.SimpleNamespace(headers=[("X-REQUEST-ID", "req-gunicorn-01")])
    log.access(response, request, environ, dt.timedelta(milliseconds=12))
    (line,) = capture.lines
    assert "010160-1234" not in line and "0101601234" not in line
    assert '"GET /api/v1/citizens/?q=XXXXXX-XXXX HTTP/1.1" 400 120' in line
    assert "?cpr=XXXXXX-XXXX" in line and line.endswith("req-gunicorn-01")
    # Its error log masks too.
    errors = _Capture()
    log.error_log.addHandler(errors)
    log.error("Invalid request from %s", "0101601234")
    assert errors.lines == ["Invalid request from XXXXXX-XXXX"]


# --- Point 8: X-Request-ID ------------------------------------------------------------------


@pytest.mark.parametrize("sent", ["req-0001-abcdef", "a1b2c3d4", "trace:2026.12.06_01", str(uuid.uuid4())])
def test_a_well_formed_request_id_is_kept_and_echoed(db, client, sent):
    assert client.get(reverse("healthz"), headers={"X-Request-ID": sent})["X-Request-ID"] == sent


@pytest.mark.parametrize(
    "sent",
    [
        "",
        "short",  # under 8 characters
        "-leading-dash-1234",
        "has space 12345",
        "<script>alert(1)</script>",
        "x" * 37,  # longer than the audit row keeps
        "æøå-12345678",
        "id\r\nX-Evil: 1",
    ],
)
def test_a_malformed_request_id_is_replaced_by_a_new_uuid(org, users, sent):
    caseworker = users[Role.CASEWORKER]
    citizen = make_citizen(org, caseworker=caseworker)
    client = logged_in(caseworker)
    response = client.get(reverse("citizen-overview", args=[citizen.pk]), headers={"X-Request-ID": sent} if sent else {})
    used = response["X-Request-ID"]
    assert used != sent and uuid.UUID(used).version == 4
    # The audit row carries the id the response names, not what the client sent.
    row = AuditEvent.objects.filter(citizen_id_ref=citizen.pk).order_by("-id").first()
    assert row.request_id == used


def test_request_id_from():
    assert audit.request_id_from("abcdefgh") == "abcdefgh"
    fresh = audit.request_id_from("abc")
    assert uuid.UUID(fresh).version == 4 and fresh != audit.request_id_from("abc")


def test_the_url_check_finds_a_cpr_but_not_a_uuid():
    assert cpr_shaped("/api/v1/citizens/?q=010160-1234") and cpr_shaped("/borgere/?cpr=0101601234")
    assert not cpr_shaped("/kurser/tilmelding/12345678-1234-4abc-8def-123456789012/")
    assert not cpr_shaped("/borgere/12/") and not cpr_shaped(f"/x/{uuid.uuid4()}/")
    assert not cpr_shaped("/konto/api-noegler/828a2d4ccc9e4a6b5f6d0980326488c123d6762ad1696fc77b2/tilbagekald/")
