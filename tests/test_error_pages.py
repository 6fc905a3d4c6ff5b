"""Danish error pages (core/error_pages.py, templates 400–500.html): every status in Danish with
lang="da", a plain reason and a way back that fits the user; our own refusal messages are
shown, Django's technical ones never; HTMX requests get the message alone, aimed at the
page's live region; the API keeps its JSON error shape."""

import ast
import re
import uuid
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from samplan.citizens.models import NetworkMember
from samplan.consent import services as consent
from samplan.consent.models import ConsentEvent
from samplan.core import error_pages as errors
from samplan.core import policy
from samplan.core.models import Role
from samplan.plans import services as plans
from tests.error_urls import SECRET_DETAIL
from tests.factories import make_citizen, make_user

NO_CONSENT = "Borgeren har ikke givet samtykke til, at du kan se planen."
ENGLISH = ("Forbidden", "Not Found", "Bad Request", "Server Error", "Too Many Requests", "Traceback")
HTMX = {"HTTP_HX_REQUEST": "true"}


def assert_danish_page(response, status, *texts):
    assert response.status_code == status
    html = response.content.decode()
    assert '<html lang="da">' in html
    for text in texts:
        assert text in html, text
    for word in ENGLISH:
        assert word not in html, word
    return html


def assert_htmx_message(response, status, *texts):
    """The message alone (no page around it), sent into the live region of base.html."""
    assert response.status_code == status
    assert response["HX-Retarget"] == "#samplan-error"
    assert response["HX-Reswap"].split()[0] == "innerHTML"
    assert response["HX-Reselect"] == ".samplan-error-message"
    assert response["HX-Push-Url"] == "false"
    html = response.content.decode()
    assert html.lstrip().startswith('<div class="samplan-error-message alert alert-error">')
    assert "<html" not in html and "<h1" not in html
    for text in texts:
        assert text in html, text
    return html


def min_side_link(html):
    return f'<a href="{reverse("my-page")}">Gå til Min side</a>' in html


@pytest.fixture
def linked_relative(org):
    """A relative on Min side, linked to a citizen and allowed to see the plan."""
    cw = make_user(Role.CASEWORKER, org)
    citizen_user = make_user(Role.CITIZEN, org)
    citizen = make_citizen(org, caseworker=cw, user=citizen_user)
    plans.get_or_create_plan(citizen, cw)
    relative = make_user(Role.RELATIVE, org)
    member = NetworkMember.objects.create(citizen=citizen, user=relative, name="Lise", relation="Søster")
    consent.give(citizen_user, member, ConsentEvent.Kind.SEE_PLAN)
    client = Client()
    client.force_login(relative)
    return {"client": client, "citizen": citizen, "citizen_user": citizen_user, "member": member}


# --- 403 -----------------------------------------------------------------------------


def test_a_relative_whose_consent_is_withdrawn_gets_the_danish_explanation_and_min_side(linked_relative):
    client, citizen = linked_relative["client"], linked_relative["citizen"]
    url = reverse("plan-detail", args=[citizen.pk])
    assert client.get(url).status_code == 200

    consent.withdraw(linked_relative["citizen_user"], linked_relative["member"], ConsentEvent.Kind.SEE_PLAN)

    response = client.get(url)
    html = assert_danish_page(response, 403, "Du har ikke adgang til siden", NO_CONSENT)
    assert min_side_link(html)
    assert 'aria-label="Min side"' in html  # in Min side's frame, with its menu
    assert 'id="samplan-error" role="alert"' in html
    assert [t.name for t in response.templates][:2] == ["403.html", errors.FRAME_PORTAL]


def test_the_same_refusal_to_an_htmx_request_is_the_message_for_the_live_region(linked_relative):
    client, citizen = linked_relative["client"], linked_relative["citizen"]
    consent.withdraw(linked_relative["citizen_user"], linked_relative["member"], ConsentEvent.Kind.SEE_PLAN)

    html = assert_htmx_message(client.get(reverse("plan-detail", args=[citizen.pk]), **HTMX), 403, NO_CONSENT)
    assert min_side_link(html)
    assert 'role="alert"' not in html  # the region is the alert; no alert inside the alert


def test_staff_refused_a_function_see_our_reason_and_the_front_page(client, users):
    client.force_login(users[Role.CASEWORKER])
    response = client.get(reverse("audit-log"))  # administrators only
    html = assert_danish_page(response, 403, "Du har ikke adgang til siden", "Du har ikke adgang til denne funktion.")
    assert f'<a href="{reverse("home")}">Gå til forsiden</a>' in html
    assert 'aria-label="Min side"' not in html and not min_side_link(html)
    assert [t.name for t in response.templates][:2] == ["403.html", errors.FRAME_SITE]


def test_a_refused_csrf_check_is_the_danish_403_not_djangos_english_one(users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users[Role.CASEWORKER])
    response = client.post(reverse("logout"))
    html = assert_danish_page(response, 403, "Formularen var udløbet")
    assert "verification failed" not in html and "cookie not set" not in html  # Django's reason stays out

    assert_htmx_message(client.post(reverse("logout"), **HTMX), 403, "Formularen var udløbet")


# --- 404 -----------------------------------------------------------------------------


def test_an_unknown_address_for_a_visitor_links_to_the_login_and_the_catalogue(db):
    response = Client().get("/findes-ikke-her/")
    html = assert_danish_page(response, 404, "Siden blev ikke fundet", "Måske er adressen skrevet forkert")
    assert f'<a href="{reverse("login")}">Log ind</a>' in html
    assert f'<a href="{reverse("catalogue-search")}">Se tilbud og kurser</a>' in html
    assert "findes-ikke-her" not in html  # no path, no list of tried patterns


def test_an_unknown_address_on_min_side_links_to_min_sides_login(db):
    html = assert_danish_page(Client().get("/mit/findes-ikke-her/"), 404, "Siden blev ikke fundet")
    assert f'<a href="{reverse("portal-login")}">Log ind på Min side</a>' in html


def test_our_own_not_found_message_is_shown(db):
    # The course evaluation's personal link (no login) raises Http404("Linket findes ikke.").
    response = Client().get(reverse("evaluation-answer", args=[uuid.uuid4()]))
    assert_danish_page(response, 404, "Siden blev ikke fundet", "Linket findes ikke.")


def test_djangos_own_not_found_message_is_never_shown(client, users, org):
    client.force_login(users[Role.CASEWORKER])
    # get_object_or_404 of an offer that does not exist: Django's "No Offer matches the given query."
    response = client.get(reverse("catalogue-detail", args=[999999]))
    html = assert_danish_page(response, 404, "Siden findes ikke. Måske er adressen skrevet forkert")
    assert "Offer" not in html and "matches" not in html
    # The policy's own refusal of a citizen of another team is shown as it is.
    other_team = make_citizen(org, unit=org["other_team"])
    html = assert_danish_page(client.get(reverse("citizen-overview", args=[other_team.pk])), 404, policy.NOT_FOUND)
    assert f'<a href="{reverse("home")}">Gå til forsiden</a>' in html


def test_not_found_for_an_htmx_request_is_the_message_for_the_live_region(client, users, org):
    client.force_login(users[Role.CASEWORKER])
    other_team = make_citizen(org, unit=org["other_team"])
    html = assert_htmx_message(
        client.get(reverse("citizen-overview", args=[other_team.pk]), **HTMX), 404, "Siden blev ikke fundet"
    )
    assert f'<a href="{reverse("home")}">Gå til forsiden</a>' in html


def test_the_api_keeps_its_json_error_shape_for_unknown_addresses(client, users):
    client.force_login(users[Role.CASEWORKER])
    unknown = client.get("/api/v1/findes-ikke-her/")
    missing = client.get("/api/v1/citizens/999999/")  # a miss inside the API's own views
    assert unknown.status_code == 404 and missing.status_code == 404
    assert unknown["Content-Type"] == "application/json"
    assert unknown.json() == {"kode": "not_found", "besked": missing.json()["besked"], "fejl": {}, "fejlkoder": {}}
    assert missing.json()["besked"] == "Ikke fundet."


# --- 429 -----------------------------------------------------------------------------


@override_settings(SAMPLAN_PUBLIC_POSTS_PER_HOUR=1)
def test_too_many_posts_get_the_danish_429_page_and_the_htmx_message(db):
    from django.core.cache import cache

    cache.clear()
    url = reverse("evaluation-answer", args=[uuid.uuid4()])
    client = Client(REMOTE_ADDR="203.0.113.99")
    assert client.post(url).status_code == 404  # the first POST counts (and finds no invite)
    html = assert_danish_page(client.post(url), 429, "For mange henvendelser", "Der er kommet for mange svar")
    assert f'<a href="{url}">Tilbage</a>' in html

    assert_htmx_message(client.post(url, **HTMX), 429, "Der er kommet for mange svar")
    cache.clear()


# --- 400 -----------------------------------------------------------------------------


def test_a_bad_request_is_danish_and_says_nothing_technical(db):
    response = Client().get("/", HTTP_HOST="ikke-tilladt.example")  # DisallowedHost
    html = assert_danish_page(response, 400, "Siden kunne ikke vises", "Gå tilbage, og prøv igen.")
    assert "ikke-tilladt.example" not in html and "ALLOWED_HOSTS" not in html


@override_settings(ROOT_URLCONF="tests.error_urls")
def test_a_bad_request_raised_in_a_view_and_its_htmx_message(client, users):
    client.force_login(users[Role.CASEWORKER])
    html = assert_danish_page(client.get("/test-fejl/400/"), 400, "Siden kunne ikke vises")
    assert SECRET_DETAIL not in html and "plan_id" not in html
    html = assert_htmx_message(client.get("/test-fejl/400/", **HTMX), 400, "Siden kunne ikke vises")
    assert "plan_id" not in html


# --- 500 -----------------------------------------------------------------------------


@override_settings(ROOT_URLCONF="tests.error_urls")
def test_a_server_error_is_danish_without_details_and_without_scripts(users):
    client = Client(raise_request_exception=False)
    client.force_login(users[Role.CASEWORKER])
    response = client.get("/test-fejl/500/")
    html = assert_danish_page(response, 500, "Der opstod en fejl", "Prøv igen om lidt.")
    assert f'<a href="{reverse("home")}">Gå til forsiden</a>' in html
    assert "plan_id" not in html and "/internal/path" not in html and "RuntimeError" not in html
    assert "dkfds.min.css" in html and "<script" not in html  # static CSS only
    assert users[Role.CASEWORKER].username not in html  # no request context: no user in the header

    html = assert_htmx_message(client.get("/test-fejl/500/", **HTMX), 500, "Der opstod en fejl")
    assert "plan_id" not in html


def test_the_500_page_needs_neither_the_database_nor_the_session_nor_the_user(rf):
    # No db fixture: pytest-django fails any query. The user and session blow up when touched.
    def touched():
        raise AssertionError("the 500 page touched request.user or request.session")

    request = rf.get("/et-sted/")
    request.user = SimpleLazyObject(touched)
    request.session = SimpleLazyObject(touched)
    response = errors.server_error(request)
    assert response.status_code == 500
    assert "Der opstod en fejl" in response.content.decode()


def test_the_api_gets_json_for_a_server_error(rf):
    response = errors.server_error(rf.get("/api/v1/cases/"))
    assert response.status_code == 500 and response["Content-Type"] == "application/json"
    assert response.content.decode().startswith('{"kode": "server_error"')


# --- The rule behind showing messages ---------------------------------------------------------


def _refusals_in_source():
    """Every ``raise PermissionDenied(...)``/``raise Http404(...)`` of Django's in src/samplan."""
    root = Path(__file__).resolve().parent.parent / "src" / "samplan"
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        django_names = {
            alias.asname or alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module in ("django.core.exceptions", "django.http")
            for alias in node.names
            if alias.name in ("PermissionDenied", "Http404")
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and isinstance(node.exc.func, ast.Name):
                if node.exc.func.id in django_names:
                    yield f"{path.relative_to(root)}:{node.lineno}", node.exc


def test_every_refusal_we_raise_carries_one_danish_sentence_for_the_user():
    """The error pages show the message of a PermissionDenied/Http404 that our code raised,
    so each must be a plain Danish sentence: a literal, capitalised, ending in a full stop,
    with no path, code or interpolation."""
    from samplan.core import policy

    found = list(_refusals_in_source())
    assert len(found) > 20  # the scan sees the policy's and the views' refusals
    sentence = re.compile(r"^[A-ZÆØÅ][^/{}<>_]*[.!]$")
    # The policy's refusals are named constants (and its decisions carry only those).
    named = {name: getattr(policy, name) for name in dir(policy) if name.isupper() and isinstance(getattr(policy, name), str)}
    for value in named.values():
        if " " in value:  # a message, not an action's name
            assert sentence.match(value), value
    for where, call in found:
        assert len(call.args) == 1 and not call.keywords, where
        (arg,) = call.args
        if isinstance(arg, ast.Attribute) and arg.attr == "reason":
            continue  # a policy Decision's reason: one of the constants checked above
        if isinstance(arg, (ast.Name, ast.Attribute)):
            name = arg.id if isinstance(arg, ast.Name) else arg.attr
            assert name in named, f"{where}: not a literal message or a policy constant"
            continue
        assert isinstance(arg, ast.Constant) and isinstance(arg.value, str), f"{where}: not a literal message"
        assert sentence.match(arg.value), f"{where}: {arg.value!r}"


def test_a_message_counts_as_ours_only_when_our_code_raised_it():
    from django.core.exceptions import PermissionDenied
    from django.http import Http404
    from django.shortcuts import get_object_or_404

    from samplan.core import policy
    from samplan.core.models import User

    try:
        policy.require(None, policy.VIEW_AUDIT)
    except PermissionDenied as exc:
        assert errors.user_message(exc) == "Du har ikke adgang til denne funktion."
    try:
        raise PermissionDenied("Raised in a test module")
    except PermissionDenied as exc:
        assert errors.user_message(exc) is None
    assert errors.user_message(Http404("Never raised")) is None  # no traceback at all
    with pytest.raises(Http404) as caught:
        get_object_or_404(User.objects.none(), pk=1)
    assert errors.user_message(caught.value) is None
