"""Every read of citizen data leaves an audit row naming the citizen (issue 11, point 2).

The walk GETs every URL pattern of the URL map (pages and API, with the access matrix's
world filled in) as every actor. Each request carries its own ``X-Request-ID``; for every
200 whose body shows a citizen — their name, their masked CPR number or, in JSON, their id
under a ``citizen`` key — an ``AuditEvent`` of that request must name that citizen."""

import itertools
import json
import re
from collections import Counter

import pytest
from django.test import Client

from samplan.citizens.models import Citizen
from samplan.core.models import AuditEvent
from tests.test_access import ALL, api_world, every_url, log_in, world  # noqa: F401 (fixtures)

CPR_SHAPED = re.compile(r"\d{6}(?:-|%2[dD])?\d{4}")
# A UUID's or a token digest's hex digits may look like one: not counted.
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32,}", re.IGNORECASE)
LINK = re.compile(r'(?:href|action|src|hx-get|hx-post|hx-push-url)="([^"]*)"')


def cpr_shaped(url: str) -> bool:
    """A CPR-shaped number in a URL (not the digits of a UUID or a hex digest)."""
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
    # A name (or birth date) two citizens share does not say which one is shown: then the
    # other one decides. Masked CPRs show the birth date only.
    names, masks = Counter(c.full_name for c in citizens), Counter(c.masked_cpr for c in citizens)
    shown = {
        c.pk
        for c in citizens
        if (names[c.full_name] == 1 and c.full_name in body) or (masks[c.masked_cpr] == 1 and c.masked_cpr in body)
    }
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


def test_demo_pages_log_their_citizens_and_link_no_cpr(db):
    """The same checks on the demo municipality (manage.py seed_demo): each role's lists,
    the first citizens' overviews and the API lists."""
    import io

    from django.core.management import call_command
    from django.urls import reverse

    from samplan.core import policy
    from samplan.core.models import Role, User

    call_command("seed_demo", seed=1, stdout=io.StringIO())
    lists = ["worklist", "provider-orders", "committee-queue", "report-deviations", "report-deadlines", "citizen-search"]
    api = ["citizen-list", "case-list", "grant-list", "order-list", "follow-up-list", "committee-grant-list"]
    total = with_data_total = 0
    for role in (Role.CASEWORKER, Role.COORDINATOR, Role.COMMITTEE, Role.PROVIDER_STAFF, Role.MANAGER):
        user = User.objects.filter(role=role, municipality__code="0173", is_active=True).order_by("id").first()
        assert user is not None, role
        client = Client()
        client.force_login(user)
        citizens = policy.citizens_for(user).order_by("id")[:8]
        urls = [(name, reverse(name)) for name in lists] + [(name, reverse(f"api:{name}")) for name in api]
        urls += [("citizen-overview", reverse("citizen-overview", args=[c.pk])) for c in citizens]
        walked, with_data, unlogged = walk(client, role, urls)
        total, with_data_total = total + walked, with_data_total + with_data
        assert not unlogged, "\n".join(unlogged)
    print(f"\ndemo: {total} URLs walked, {with_data_total} showed citizen data, 0 unlogged reads")
    assert with_data_total >= 40
