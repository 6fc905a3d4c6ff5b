"""Issue 11, point 7: the API's edges answer JSON in the documented error shape — ids and
filters beyond 64 bits, absurdly nested or large bodies, unknown addresses, other content
types — and never a 500 or an HTML page. Runs on SQLite and PostgreSQL alike."""

import pytest
from rest_framework.test import APIClient

from samplan.cases.models import Inquiry
from samplan.core.models import Role
from tests.factories import make_citizen

API = "/api/v1"
HUGE = str(2**70)
SHAPE = {"kode", "besked", "fejl", "fejlkoder"}


@pytest.fixture
def cw_client(users) -> APIClient:
    client = APIClient()
    client.force_login(users[Role.CASEWORKER])
    return client


def error(response, status: int, kode: str) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert set(body) == SHAPE
    assert body["kode"] == kode, body
    assert body["besked"]
    return body


@pytest.mark.parametrize(
    "path",
    [
        f"citizens/{HUGE}/",
        f"grants/{HUGE}/",
        f"cases/{HUGE}/",
        f"companion-ledgers/{HUGE}/",
        f"offers/{HUGE}/",
        f"citizens/{HUGE}/reveal-cpr/",
        "citizens/abc/",
        "citizens/١٢/",  # Arabic-Indic digits: str.isdigit() says yes, int() would too
        "grants/-1/",
        "nothing-here/",
        "cases/1/nothing/",
    ],
)
def test_unknown_address_is_404_json(cw_client, path):
    error(cw_client.get(f"{API}/{path}"), 404, "not_found")


def test_unknown_address_is_404_json_also_without_login():
    error(APIClient().get(f"{API}/{HUGE}/"), 404, "not_found")


@pytest.mark.parametrize("param", ["case", "citizen"])
@pytest.mark.parametrize("value", [HUGE, "9" * 19, "-1", "1.5", "٣"])
def test_integer_filter_out_of_range_is_400_json(cw_client, param, value):
    body = error(cw_client.get(f"{API}/inquiries/", {param: value}), 400, "invalid")
    assert body["fejl"] == {param: ["Angiv et heltal."]}


def test_largest_id_is_a_plain_miss(cw_client):
    error(cw_client.get(f"{API}/citizens/{'9' * 18}/"), 404, "not_found")
    assert cw_client.get(f"{API}/inquiries/", {"case": "9" * 18}).json()["results"] == []


def test_deeply_nested_json_is_400(org, users, cw_client):
    citizen = make_citizen(org, caseworker=users[Role.CASEWORKER])
    deep = "[" * 100_000 + "]" * 100_000
    body = error(cw_client.post(f"{API}/inquiries/", deep, content_type="application/json"), 400, "parse_error")
    assert "indlejret for dybt" in body["besked"]
    # The object is level 1, so 64 nested lists inside it make 65 levels.
    just_too_deep = f'{{"citizen": {citizen.pk}, "reason": {"[" * 64 + "]" * 64}}}'
    error(cw_client.post(f"{API}/inquiries/", just_too_deep, content_type="application/json"), 400, "parse_error")
    assert not Inquiry.objects.exists()


def test_invalid_json_is_400_in_danish(cw_client):
    body = error(cw_client.post(f"{API}/inquiries/", "{nope", content_type="application/json"), 400, "parse_error")
    assert body["besked"] == "Forespørgslens indhold er ikke gyldig JSON."


def test_five_mb_body_is_413_json(cw_client):
    big = '{"reason": "' + "x" * (5 * 1024 * 1024) + '"}'
    body = error(cw_client.post(f"{API}/inquiries/", big, content_type="application/json"), 413, "request_too_large")
    assert body["besked"] == "Forespørgslen er for stor. Den må højst fylde 4 MB."
    assert not Inquiry.objects.exists()


def test_five_mb_form_body_to_the_api_is_413_json(cw_client):
    response = cw_client.post(f"{API}/inquiries/", {"reason": "x" * (5 * 1024 * 1024)}, format="multipart")
    error(response, 413, "request_too_large")


def test_five_mb_page_post_is_a_danish_413_page(client, users):
    from tests.factories import PASSWORD

    assert client.login(username=users[Role.CASEWORKER].username, password=PASSWORD)
    response = client.post("/borgere/ny/", {"first_name": "x" * (5 * 1024 * 1024)})
    assert response.status_code == 413
    assert "Det sendte fylder for meget" in response.content.decode()


def test_other_content_types_are_415_json(cw_client):
    error(cw_client.post(f"{API}/inquiries/", {"reason": "x"}, format="multipart"), 415, "unsupported_media_type")
    error(
        cw_client.post(f"{API}/inquiries/", "reason=x", content_type="application/x-www-form-urlencoded"),
        415,
        "unsupported_media_type",
    )


def test_not_acceptable_and_method_not_allowed_are_json(cw_client):
    error(cw_client.get(f"{API}/inquiries/", HTTP_ACCEPT="text/html"), 406, "not_acceptable")
    error(cw_client.delete(f"{API}/inquiries/"), 405, "method_not_allowed")


def test_unauthenticated_is_401_json():
    error(APIClient().get(f"{API}/inquiries/"), 401, "not_authenticated")


@pytest.mark.parametrize("path", ["courses/", "offers/", "citizens/", "inquiries/"])
def test_null_character_in_a_filter_is_400_json(cw_client, path):
    # PostgreSQL refuses NUL in text (a 500 there before); both databases answer the same.
    body = error(cw_client.get(f"{API}/{path}", {"term": "a\x00b", "q": "x\x00"}), 400, "invalid")
    assert body["fejl"] == {"q": ["Null-tegn er ikke tilladte."], "term": ["Null-tegn er ikke tilladte."]}
