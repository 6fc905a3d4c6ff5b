"""Every read of citizen data leaves an audit row naming the citizen (issue 11, point 2).

The walk GETs every URL pattern of the URL map (pages and API, with the access matrix's
world filled in) as every actor. Each request carries its own ``X-Request-ID``; for every
200 whose body shows a citizen — their name, their masked CPR number or, in JSON, their id
under a ``citizen`` key — an ``AuditEvent`` of that request must name that citizen."""

import itertools
import json
import re

import pytest
from django.test import Client

from samplan.citizens.models import Citizen
from samplan.core.models import AuditEvent
from tests.test_access import ALL, api_world, every_url, log_in, world  # noqa: F401 (fixtures)

CPR_SHAPED = re.compile(r"\d{6}(?:-|%2[dD])?\d{4}")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)
LINK = re.compile(r'(?:href|action|src|hx-get|hx-post|hx-push-url)="([^"]*)"')


def cpr_shaped(url: str) -> bool:
    """A CPR-shaped number in a URL (a UUID's digits may look like one: not counted)."""
    return bool(CPR_SHAPED.search(UUID.sub("", url)))


# Request ids the walk sends: well-formed, so the middleware keeps them.
_ids = itertools.count(1)


def _request_id(actor: str) -> str:
    return f"walk-{actor}-{next(_ids):06d}"[:36]


def _json_citizen_ids(data) -> set[int]:
    """Citizen ids a JSON body names under a ``citizen`` key (any depth)."""
    found: set[int] = set()
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if key == "citizen" and isinstance(value, int):
                    found.add(value)
                else:
                    stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)
    return found


def citizens_shown(response, citizens: list[Citizen]) -> set[int]:
    """The citizens whose data the response body shows."""
    content_type = response.get("Content-Type", "")
    if not (content_type.startswith("text/html") or content_type.startswith("application/json")):
        return set()  # PDFs, calendars and CSVs without citizens: checked by their own tests
    body = response.content.decode()
    shown = {c.pk for c in citizens if c.full_name in body or c.masked_cpr in body}
    if content_type.startswith("application/json"):
        ids = {c.pk for c in citizens}
        shown |= _json_citizen_ids(json.loads(body)) & ids
        if response.wsgi_request.path.startswith("/api/v1/citizens/"):
            shown |= {row["id"] for row in _rows(json.loads(body)) if row.get("id") in ids}
    return shown


def _rows(data) -> list[dict]:
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        return [r for r in data["results"] if isinstance(r, dict)]
    return [data] if isinstance(data, dict) else []


def walk(client: Client, actor: str, urls) -> tuple[int, int, list[str]]:
    """GET every URL: (pages walked, responses with citizen data, unlogged reads). A URL
    the app generates (the URL map's, and every link and form target on the pages) with a
    CPR-shaped number in it counts as a fault too."""
    citizens = list(Citizen.objects.all())
    walked = with_data = 0
    unlogged = []
    for name, url in urls:
        request_id = _request_id(actor)
        response = client.get(url, headers={"X-Request-ID": request_id})
        walked += 1
        assert response["X-Request-ID"] == request_id, name
        if response.status_code != 200:
            continue
        if response.get("Content-Type", "").startswith("text/html"):
            links = [url, *LINK.findall(response.content.decode())]
            unlogged += [f"{actor}: GET {name} links to {link}, a URL with a CPR number" for link in links if cpr_shaped(link)]
        shown = citizens_shown(response, citizens)
        if not shown:
            continue
        with_data += 1
        logged = set(AuditEvent.objects.filter(request_id=request_id).values_list("citizen_id_ref", flat=True))
        for pk in sorted(shown - logged):
            unlogged.append(f"{actor}: GET {name} ({url}) shows citizen {pk} without an audit row naming them")
    return walked, with_data, unlogged


@pytest.mark.parametrize("actor", sorted(ALL))
def test_every_read_of_a_citizen_is_logged_with_the_citizen(api_world, actor):  # noqa: F811
    actors, objs = api_world
    client = Client()
    log_in(client, actors[actor], "test")
    urls = every_url(objs)
    walked, with_data, unlogged = walk(client, actor, urls)
    print(f"\n{actor}: {walked} URLs walked, {with_data} showed citizen data, {len(unlogged)} unlogged reads")
    assert walked == len(urls)
    assert not unlogged, "\n".join(unlogged)


def test_the_walk_sees_citizen_data(api_world):  # noqa: F811
    """The walk can fail: the caseworker's pages show the world's citizen on many URLs."""
    actors, objs = api_world
    client = Client()
    log_in(client, actors["caseworker"], "test")
    walked, with_data, unlogged = walk(client, "caseworker", every_url(objs))
    assert with_data >= 30 and not unlogged
