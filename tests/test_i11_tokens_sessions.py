"""Sessions (issue 11, point 10): staff idle timeout, absolute lifetime for everyone, the
Permissions-Policy header, and production settings that pass ``check --deploy``."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from samplan.core import api_tokens
from samplan.core.middleware import LOGIN_AT_KEY, SEEN_AT_KEY
from samplan.core.models import Role
from tests.factories import PASSWORD, make_citizen

ROOT = Path(__file__).resolve().parent.parent


def logged_in(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def shift(client: Client, *, idle_minutes: float = 0, since_login_hours: float = 0) -> None:
    """Move the session's clocks back, as if time had passed (no sleeping)."""
    session = client.session
    now = time.time()
    session[SEEN_AT_KEY] = now - idle_minutes * 60
    session[LOGIN_AT_KEY] = now - max(since_login_hours * 3600, idle_minutes * 60)
    session.save()


def is_logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def caseworker(users):
    return users[Role.CASEWORKER]


@pytest.fixture
def citizen_user(org, users):
    make_citizen(org, caseworker=users[Role.CASEWORKER], user=users[Role.CITIZEN])
    return users[Role.CITIZEN]


def test_login_stamps_the_session(caseworker):
    client = logged_in(caseworker)
    session = client.session
    assert abs(session[LOGIN_AT_KEY] - time.time()) < 5 and abs(session[SEEN_AT_KEY] - time.time()) < 5


def test_an_idle_staff_session_ends_after_31_minutes(caseworker):
    client = logged_in(caseworker)
    shift(client, idle_minutes=31)
    response = client.get(reverse("worklist"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert not is_logged_in(client)
    text = [str(m) for m in get_messages(response.wsgi_request)]
    assert text == ["Du er blevet logget ud, fordi du ikke har været aktiv i 30 minutter. Log ind igen."]
    # The next page is the login's, not the worklist.
    assert client.get(reverse("worklist")).status_code == 302


def test_an_active_staff_session_goes_on(caseworker):
    client = logged_in(caseworker)
    shift(client, idle_minutes=29)
    assert client.get(reverse("worklist")).status_code == 200
    assert is_logged_in(client)
    assert time.time() - client.session[SEEN_AT_KEY] < 5  # the request counted as activity


def test_the_idle_limit_is_configurable(caseworker, settings):
    settings.SAMPLAN_SESSION_IDLE_MINUTES = 10
    client = logged_in(caseworker)
    shift(client, idle_minutes=11)
    assert client.get(reverse("worklist")).status_code == 302
    assert not is_logged_in(client)


def test_htmx_gets_hx_redirect(caseworker):
    client = logged_in(caseworker)
    shift(client, idle_minutes=31)
    response = client.get(reverse("worklist"), headers={"HX-Request": "true"})
    assert response.status_code == 200 and response["HX-Redirect"] == reverse("login")
    assert not is_logged_in(client)


def test_the_api_with_an_idle_session_is_anonymous(caseworker):
    client = logged_in(caseworker)
    shift(client, idle_minutes=31)
    response = client.get("/api/v1/terminology/systems/")
    assert response.status_code == 401 and response.json()["kode"] == "not_authenticated"


def test_a_timeout_is_no_logout_of_the_api_tokens(caseworker):
    """The user did not log out: their API tokens keep their own expiry."""
    _, key = api_tokens.issue(caseworker)
    client = logged_in(caseworker)
    shift(client, idle_minutes=31)
    client.get(reverse("worklist"))
    assert not is_logged_in(client)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/terminology/systems/").status_code == 200


def test_a_citizen_is_not_idle_timed_out(citizen_user):
    client = logged_in(citizen_user)
    shift(client, idle_minutes=31)
    assert client.get(reverse("my-page")).status_code == 200
    assert is_logged_in(client)


def test_every_session_ends_8_hours_after_login(citizen_user, caseworker):
    client = logged_in(citizen_user)
    shift(client, idle_minutes=1, since_login_hours=8.1)
    response = client.get(reverse("my-page"))
    assert response.status_code == 302 and response["Location"] == reverse("portal-login")
    assert not is_logged_in(client)
    text = [str(m) for m in get_messages(response.wsgi_request)]
    assert text == ["Du er blevet logget ud, fordi du har været logget ind i 8 timer. Log ind igen."]
    staff = logged_in(caseworker)
    shift(staff, idle_minutes=1, since_login_hours=8.1)
    assert staff.get(reverse("worklist"))["Location"] == reverse("login")
    assert not is_logged_in(staff)


def test_within_8_hours_the_session_goes_on(citizen_user):
    client = logged_in(citizen_user)
    shift(client, idle_minutes=1, since_login_hours=7.9)
    assert client.get(reverse("my-page")).status_code == 200


def test_a_get_leaves_a_fresh_session_unsaved(caseworker):
    """Last-seen moves only after a minute: a quick GET does not even save the session."""
    client = logged_in(caseworker)
    before = dict(client.session.items())
    response = client.get(reverse("worklist"))
    assert response.status_code == 200
    assert "sessionid" not in response.cookies  # not saved, so no new cookie
    assert dict(client.session.items()) == before


# --- Headers and production settings --------------------------------------------------------


@pytest.mark.parametrize("path", ["/login/", "/api/v1/schema/", "/findes-ikke/", "/healthz"])
def test_permissions_policy_on_every_response(db, path):
    response = Client().get(path)
    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in policy, (path, feature)


def _production_env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SAMPLAN_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="samplan.settings",
        SAMPLAN_DEBUG="0",
        SAMPLAN_SECRET_KEY="k8#Qz!r2Vw9@pL4sX7^mN1&bT6*yH3(eJ0)uF5-cG8+aD2=oR7?iW4%nE9$zK6~",
        SAMPLAN_ALLOWED_HOSTS="samplan.example.dk",
        SAMPLAN_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        SAMPLAN_VAR_DIR=str(ROOT / "var"),
    )
    return env


def test_check_deploy_has_no_warnings_in_production():
    result = subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
        [sys.executable, str(ROOT / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_redirects_to_https_with_hsts_and_secure_cookies():
    code = (
        "import json; from django.conf import settings as s; print(json.dumps({k: getattr(s, k) for k in "
        "['SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', "
        "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_AGE']}))"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=_production_env(), capture_output=True, text=True, timeout=60, check=True
    )
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_AGE": 8 * 3600,
    }
