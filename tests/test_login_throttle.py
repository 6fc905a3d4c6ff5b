"""Brute-force protection of the logins (django-axes, samplan/core/login_throttle.py).

The staff login /login/, Min side's password step /mit/log-ind/ and the API's token
endpoint count wrong passwords per username + client IP; at AXES_FAILURE_LIMIT (5) that
username is locked from that IP for the cool-off (15 minutes): a Danish 429 page, or the
API's JSON error shape. The test settings switch axes off; every test here turns it on."""

import datetime as dt
import logging

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.core.cache import cache
from django.core.management import call_command
from django.db.models import F
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from samplan.core import login_throttle
from samplan.core.models import Role
from samplan.portal import twofactor
from tests.factories import PASSWORD, make_user
from tests.test_portal import code_for

TOKEN_URL = "/api/v1/auth/token/"
WRONG = "forkert-kodeord"
LOCKED_TEXT = "For mange forkerte forsøg. Prøv igen om 15 minutter"


@pytest.fixture(autouse=True)
def axes_on(settings, db):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
    cache.clear()  # the API token endpoint's own per-IP throttle
    yield settings
    cache.clear()


def staff_login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def portal_login(client, username, password):
    return client.post(reverse("portal-login"), {"username": username, "password": password})


def token_login(client, username, password):
    return client.post(TOKEN_URL, {"username": username, "password": password}, format="json")


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def wait_out_cooloff():
    """Time travel: every recorded failure happened 16 minutes ago."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - dt.timedelta(minutes=16))


# --- Staff login /login/ ------------------------------------------------------------------


def test_staff_login_locks_after_five_wrong_passwords(org):
    user = make_user(Role.CASEWORKER, org)
    other = make_user(Role.CASEWORKER, org)
    client = Client()
    for _ in range(4):
        response = staff_login(client, user.username, WRONG)
        assert response.status_code == 200  # the form again, with its error
        assert "For mange" not in response.text
    # The fifth failure reaches the limit: locked from here on.
    response = staff_login(client, user.username, WRONG)
    assert response.status_code == 429
    # The sixth attempt is refused even with the right password.
    response = staff_login(client, user.username, PASSWORD)
    assert response.status_code == 429
    assert LOCKED_TEXT in response.text and "kontakt din it-afdeling" in response.text
    assert response["Retry-After"] == str(15 * 60)
    assert 'href="/login/"' in response.text
    assert not logged_in(client)

    # Another user from the same IP is not locked.
    other_client = Client()
    response = staff_login(other_client, other.username, PASSWORD)
    assert response.status_code == 302 and logged_in(other_client)

    # The same user from another IP is not locked either (username + IP together).
    elsewhere = Client(REMOTE_ADDR="203.0.113.50")
    response = staff_login(elsewhere, user.username, PASSWORD)
    assert response.status_code == 302 and logged_in(elsewhere)

    # Every failure is also kept in the failure log; no password anywhere.
    assert AccessFailureLog.objects.filter(username=user.username).count() == 6
    attempt = AccessAttempt.objects.get(username=user.username, ip_address="127.0.0.1")
    assert WRONG not in attempt.post_data and PASSWORD not in attempt.post_data


def test_staff_login_works_again_after_the_cooloff(org):
    user = make_user(Role.CASEWORKER, org)
    client = Client()
    for _ in range(5):
        staff_login(client, user.username, WRONG)
    assert staff_login(client, user.username, PASSWORD).status_code == 429

    wait_out_cooloff()
    response = staff_login(client, user.username, PASSWORD)
    assert response.status_code == 302 and logged_in(client)


def test_axes_reset_unlocks_at_once(org):
    user = make_user(Role.CASEWORKER, org)
    client = Client()
    for _ in range(5):
        staff_login(client, user.username, WRONG)
    assert staff_login(client, user.username, PASSWORD).status_code == 429

    call_command("axes_reset", stdout=open("/dev/null", "w"))
    assert not AccessAttempt.objects.exists()
    response = staff_login(client, user.username, PASSWORD)
    assert response.status_code == 302 and logged_in(client)


def test_a_successful_staff_login_resets_the_count(org):
    user = make_user(Role.CASEWORKER, org)
    client = Client()
    for _ in range(4):
        assert staff_login(client, user.username, WRONG).status_code == 200
    assert staff_login(client, user.username, PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username=user.username).exists()

    client = Client()
    for _ in range(4):  # four more are allowed again: the earlier four no longer count
        assert staff_login(client, user.username, WRONG).status_code == 200
    assert staff_login(client, user.username, PASSWORD).status_code == 302


def test_the_limit_and_cooloff_come_from_settings(org, axes_on):
    axes_on.AXES_FAILURE_LIMIT = 2
    axes_on.AXES_COOLOFF_TIME = dt.timedelta(minutes=1)
    user = make_user(Role.CASEWORKER, org)
    client = Client()
    assert staff_login(client, user.username, WRONG).status_code == 200
    response = staff_login(client, user.username, WRONG)
    assert response.status_code == 429
    assert "Prøv igen om 1 minut," in response.text


# --- Min side /mit/log-ind/ -------------------------------------------------------------


def test_portal_login_locks_after_five_wrong_passwords(org):
    citizen = make_user(Role.CITIZEN, org)
    relative = make_user(Role.RELATIVE, org)
    client = Client()
    for _ in range(4):
        assert portal_login(client, citizen.username, WRONG).status_code == 400
    assert portal_login(client, citizen.username, WRONG).status_code == 429
    response = portal_login(client, citizen.username, PASSWORD)
    assert response.status_code == 429
    assert LOCKED_TEXT in response.text and "kontakt din sagsbehandler" in response.text
    assert f'href="{reverse("portal-login")}"' in response.text
    assert twofactor.pending_user(_request_for(client)) is None  # the password step did not pass

    # Another login from the same IP goes on to the code step.
    response = portal_login(Client(), relative.username, PASSWORD)
    assert response.status_code == 302 and response["Location"].startswith(reverse("portal-totp"))

    wait_out_cooloff()
    response = portal_login(client, citizen.username, PASSWORD)
    assert response.status_code == 302 and response["Location"].startswith(reverse("portal-totp"))


def test_portal_login_with_the_code_resets_the_count(org):
    citizen = make_user(Role.CITIZEN, org)
    device = twofactor.ensure_confirmed_device(citizen)
    client = Client()
    for _ in range(4):
        assert portal_login(client, citizen.username, WRONG).status_code == 400
    # The password alone is not a login yet: the failures stay until the code step.
    assert portal_login(client, citizen.username, PASSWORD).status_code == 302
    assert AccessAttempt.objects.filter(username=citizen.username).exists()
    response = client.post(reverse("portal-totp"), {"code": code_for(device)})
    assert response.status_code == 302 and logged_in(client)
    assert not AccessAttempt.objects.filter(username=citizen.username).exists()


def _request_for(client):
    """A request object carrying the test client's session (to read the pending login)."""
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.session = client.session
    return request


# --- API /api/v1/auth/token/ ------------------------------------------------------------


def test_token_endpoint_locks_with_a_json_429(org):
    user = make_user(Role.CASEWORKER, org)
    other = make_user(Role.CASEWORKER, org)
    client = APIClient()
    for _ in range(4):
        response = token_login(client, user.username, WRONG)
        assert response.status_code == 400 and response.json()["kode"] == "invalid"
    assert token_login(client, user.username, WRONG).status_code == 429
    response = token_login(client, user.username, PASSWORD)
    assert response.status_code == 429
    body = response.json()
    assert set(body) == {"kode", "besked", "fejl", "fejlkoder"}
    assert body["kode"] == "locked_out" and body["fejl"] == {} and body["fejlkoder"] == {}
    assert body["besked"].startswith(LOCKED_TEXT)
    assert response["Retry-After"] == str(15 * 60)
    assert "token" not in body

    assert token_login(APIClient(), other.username, PASSWORD).status_code == 200

    call_command("axes_reset_username", user.username, stdout=open("/dev/null", "w"))
    response = token_login(client, user.username, PASSWORD)
    assert response.status_code == 200 and response.json()["token"]


def test_a_token_resets_the_count(org):
    user = make_user(Role.CASEWORKER, org)
    client = APIClient()
    for _ in range(4):
        assert token_login(client, user.username, WRONG).status_code == 400
    assert token_login(client, user.username, PASSWORD).status_code == 200
    assert not AccessAttempt.objects.filter(username=user.username).exists()
    for _ in range(4):
        assert token_login(client, user.username, WRONG).status_code == 400


def test_the_cooloff_ends_for_the_token_endpoint(org):
    user = make_user(Role.CASEWORKER, org)
    client = APIClient()
    for _ in range(5):
        token_login(client, user.username, WRONG)
    assert token_login(client, user.username, PASSWORD).status_code == 429
    wait_out_cooloff()
    assert token_login(client, user.username, PASSWORD).status_code == 200


# --- What is stored and logged ------------------------------------------------------------


def test_a_cpr_number_typed_as_username_is_neither_stored_nor_logged(org, caplog):
    cpr = "0101901234"
    client = Client()
    with caplog.at_level(logging.DEBUG), caplog.at_level(logging.DEBUG, logger="axes"):
        for typed in (cpr, "010190-1234"):
            assert staff_login(client, typed, WRONG).status_code == 200
    attempts = list(AccessAttempt.objects.all())
    assert len(attempts) == 1  # both spellings count as the same username
    attempt = attempts[0]
    assert attempt.username.startswith("cpr-hash:") and attempt.failures_since_start == 2
    for row in (attempt, *AccessFailureLog.objects.all()):
        stored = " ".join(str(getattr(row, f.attname)) for f in row._meta.concrete_fields)
        assert "010190" not in stored and "901234" not in stored
    assert "010190" not in caplog.text and "901234" not in caplog.text and WRONG not in caplog.text


def test_axes_log_lines_leave_out_usernames_and_addresses(org, caplog):
    user = make_user(Role.CASEWORKER, org)
    client = Client()
    with caplog.at_level(logging.INFO, logger="axes"):
        for _ in range(5):
            staff_login(client, user.username, WRONG)
        assert staff_login(Client(), make_user(Role.CASEWORKER, org).username, PASSWORD).status_code == 302
    axes_lines = [r.getMessage() for r in caplog.records if r.name.startswith("axes")]
    assert any("Locking out" in line for line in axes_lines)
    for line in axes_lines:
        assert user.username not in line and "127.0.0.1" not in line and WRONG not in line


# --- The client's address behind reverse proxies -------------------------------------------


def test_client_ip_trusts_forwarded_for_only_behind_configured_proxies(rf, settings):
    request = rf.post("/login/", REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR="192.0.2.66, 203.0.113.9")
    settings.SAMPLAN_TRUSTED_PROXY_COUNT = 0
    assert login_throttle.client_ip(request) == "198.51.100.1"  # the header is the client's own claim
    settings.SAMPLAN_TRUSTED_PROXY_COUNT = 1
    assert login_throttle.client_ip(request) == "203.0.113.9"  # added by our one proxy
    settings.SAMPLAN_TRUSTED_PROXY_COUNT = 2
    assert login_throttle.client_ip(request) == "192.0.2.66"
    request.META["HTTP_X_FORWARDED_FOR"] = "ikke-en-adresse"
    assert login_throttle.client_ip(request) == "198.51.100.1"


def test_behind_a_proxy_clients_are_locked_separately(org, settings):
    settings.SAMPLAN_TRUSTED_PROXY_COUNT = 1
    user = make_user(Role.CASEWORKER, org)
    attacker = Client(REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR="203.0.113.66")
    for _ in range(5):
        staff_login(attacker, user.username, WRONG)
    assert staff_login(attacker, user.username, PASSWORD).status_code == 429
    assert AccessAttempt.objects.get().ip_address == "203.0.113.66"
    colleague = Client(REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert staff_login(colleague, user.username, PASSWORD).status_code == 302
