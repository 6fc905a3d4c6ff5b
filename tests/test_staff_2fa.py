"""Two-factor login for staff (SAMPLAN_STAFF_REQUIRE_2FA, samplan/core/twofactor.py).

Staff log in at /login/ with their password and then the code from an authenticator app at
/login/kode/ (first time: a QR code to add Samplan to the app). A staff session without
the second factor reaches no staff page and counts as anonymous in the API; the token
endpoint wants the code in ``code``. Wrong codes count as failed logins in django-axes.
The test settings switch the requirement off; the ``staff_2fa`` fixture turns it on."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from samplan.core import twofactor
from samplan.core.models import Role
from samplan.portal import twofactor as portal_twofactor
from tests.factories import PASSWORD, make_citizen, make_user
from tests.test_portal import code_for, code_now, setup_device_of, wrong_code

TOKEN_URL = "/api/v1/auth/token/"
API_CITIZENS = "/api/v1/citizens/"


@pytest.fixture
def staff_2fa(settings):
    settings.SAMPLAN_STAFF_REQUIRE_2FA = True
    return settings


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
    cache.clear()
    yield settings
    cache.clear()


@pytest.fixture
def caseworker(users):
    return users[Role.CASEWORKER]


@pytest.fixture
def device(caseworker):
    return twofactor.ensure_confirmed_device(caseworker)


def password_step(client, user, next_url=None):
    data = {"username": user.username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- The password alone is not enough -------------------------------------------------------


def test_password_alone_opens_neither_pages_nor_the_api(staff_2fa, caseworker, device):
    client = Client()
    response = password_step(client, caseworker, "/arbejdsliste/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login-totp") + "?next=")
    assert not logged_in(client)
    response = client.get(reverse("worklist"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.get(API_CITIZENS).status_code in (401, 403)

    page = client.get(response["Location"].replace("/login/?", "/login/kode/?"))
    assert page.status_code == 200
    assert "Skriv din kode" in page.text and caseworker.username in page.text
    assert "<svg" not in page.text  # the app is set up already: no QR code


def test_a_session_without_the_code_is_sent_to_the_code_step(staff_2fa, caseworker, device):
    client = Client()
    client.force_login(caseworker)  # e.g. a session from before the setting was switched on
    for name in ("worklist", "home", "citizen-search"):
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("login-totp") + "?next="), name
    api = APIClient()
    api.force_login(caseworker)
    response = api.get(API_CITIZENS)
    assert response.status_code in (401, 403)
    assert response.json()["kode"] == "not_authenticated"
    # The code step itself, the login page and the way out stay open.
    assert client.get(reverse("login-totp")).status_code == 200
    assert client.get(reverse("login")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302


def test_the_right_code_logs_in(staff_2fa, caseworker, device):
    client = Client()
    password_step(client, caseworker, "/arbejdsliste/")
    response = client.post(reverse("login-totp"), {"code": code_for(device), "next": "/arbejdsliste/"})
    assert response.status_code == 302 and response["Location"] == "/arbejdsliste/"
    assert logged_in(client)
    assert client.get(reverse("worklist")).status_code == 200
    # The verified session also works in the API (session authentication).
    assert client.get(API_CITIZENS).status_code == 200
    # The pending password step is gone; the code page now just sends on.
    assert twofactor.STAFF_PENDING_SESSION_KEY not in client.session
    assert client.get(reverse("login-totp"))["Location"] == reverse("home")


def test_a_wrong_code_is_refused_in_danish_and_counted(staff_2fa, axes_on, caseworker, device, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # a wrong code then the right one at once
    client = Client()
    password_step(client, caseworker)
    response = client.post(reverse("login-totp"), {"code": wrong_code(device), "next": "/arbejdsliste/"})
    assert response.status_code == 400
    assert "Koden er forkert eller for gammel" in response.text
    assert 'value="/arbejdsliste/"' in response.text  # where to go next is kept
    assert f"<strong>{caseworker.username}</strong>" in response.text
    assert not logged_in(client)
    assert client.get(reverse("worklist")).status_code == 302
    assert AccessAttempt.objects.get(username=caseworker.username).failures_since_start == 1

    response = client.post(reverse("login-totp"), {"code": code_for(device), "next": "/arbejdsliste/"})
    assert response.status_code == 302 and logged_in(client)
    # A full login resets the count (AXES_RESET_ON_SUCCESS).
    assert not AccessAttempt.objects.filter(username=caseworker.username).exists()


def test_guessing_codes_locks_out_like_wrong_passwords(staff_2fa, axes_on, caseworker, device, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    client = Client()
    password_step(client, caseworker)
    for _ in range(4):
        assert client.post(reverse("login-totp"), {"code": wrong_code(device)}).status_code == 400
    response = client.post(reverse("login-totp"), {"code": wrong_code(device)})
    assert response.status_code == 429
    assert "For mange forkerte forsøg" in response.text
    # Locked: even the right code and the right password are refused now.
    assert client.post(reverse("login-totp"), {"code": code_for(device)}).status_code == 429
    assert not logged_in(client)
    assert password_step(Client(), caseworker).status_code == 429


def test_first_time_setup_shows_a_qr_code_and_confirms_the_app(staff_2fa, org):
    user = make_user(Role.MANAGER, org)
    client = Client()
    password_step(client, user)
    response = client.get(reverse("login-totp"))
    assert response.status_code == 200
    assert "Tilføj Samplan til din godkendelsesapp" in response.text
    svg = response.text.split("<svg", 1)[1].split("</svg>")[0]
    assert "style=" not in svg and 'role="img"' in response.text
    assert not TOTPDevice.objects.filter(user=user).exists()  # the GET stored nothing
    shown = setup_device_of(client)
    assert twofactor.secret_base32(shown) in response.text
    assert not logged_in(client)

    response = client.post(reverse("login-totp"), {"code": code_now(shown)})
    assert response.status_code == 302
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed and device.key == shown.key and logged_in(client)
    assert client.get(reverse("aggregates")).status_code == 200


def test_the_code_step_needs_the_password_step_first(staff_2fa, caseworker, device):
    response = Client().get(reverse("login-totp"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    response = Client().post(reverse("login-totp"), {"code": code_for(device)})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login") + "?")


# --- API token ---------------------------------------------------------------------------


def test_token_endpoint_needs_the_code(staff_2fa, caseworker, device, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    cache.clear()
    client = APIClient()
    response = client.post(TOKEN_URL, {"username": caseworker.username, "password": PASSWORD}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["kode"] == "invalid" and body["fejlkoder"] == {"code": ["required"]}
    assert "godkendelsesapp" in body["fejl"]["code"][0]

    response = client.post(
        TOKEN_URL, {"username": caseworker.username, "password": PASSWORD, "code": wrong_code(device)}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["fejl"]["code"] == ["Koden er forkert eller for gammel. Skriv den kode, din app viser nu."]
    assert "token" not in response.json()

    response = client.post(
        TOKEN_URL, {"username": caseworker.username, "password": PASSWORD, "code": code_for(device)}, format="json"
    )
    assert response.status_code == 200 and response.json()["token"]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert api.get(API_CITIZENS).status_code == 200


def test_wrong_codes_at_the_token_endpoint_lock_out(staff_2fa, axes_on, caseworker, device, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    client = APIClient()
    data = {"username": caseworker.username, "password": PASSWORD}
    for _ in range(4):
        assert client.post(TOKEN_URL, {**data, "code": wrong_code(device)}, format="json").status_code == 400
    response = client.post(TOKEN_URL, {**data, "code": wrong_code(device)}, format="json")
    assert response.status_code == 429 and response.json()["kode"] == "locked_out"
    response = client.post(TOKEN_URL, {**data, "code": code_for(device)}, format="json")
    assert response.status_code == 429


def test_token_for_staff_without_an_app_is_refused(staff_2fa, org):
    cache.clear()
    user = make_user(Role.ADMIN, org)
    response = APIClient().post(TOKEN_URL, {"username": user.username, "password": PASSWORD, "code": "123456"}, format="json")
    assert response.status_code == 400 and response.json()["fejlkoder"] == {"code": ["no_device"]}


# --- Citizens, relatives and the setting off ------------------------------------------------


def test_citizens_and_relatives_are_unaffected(staff_2fa, settings, org, users):
    settings.SAMPLAN_PORTAL_REQUIRE_2FA = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    citizen_user = users[Role.CITIZEN]
    make_citizen(org, caseworker=users[Role.CASEWORKER], user=citizen_user)
    device = portal_twofactor.ensure_confirmed_device(citizen_user)
    client = Client()
    response = client.post(reverse("portal-login"), {"username": citizen_user.username, "password": PASSWORD})
    assert response["Location"].startswith(reverse("portal-totp"))
    response = client.post(reverse("portal-totp"), {"code": code_for(device), "next": "/mit/"})
    assert response.status_code == 302 and response["Location"] == "/mit/"
    assert client.get(reverse("my-page")).status_code == 200

    # With Min side's own requirement off, a relative's password login at /login/ is as before.
    settings.SAMPLAN_PORTAL_REQUIRE_2FA = False
    client = Client()
    response = client.post(reverse("login"), {"username": users[Role.RELATIVE].username, "password": PASSWORD})
    assert response.status_code == 302 and logged_in(client)
    assert client.get(reverse("my-page")).status_code == 200


def test_setting_off_is_the_old_password_login(caseworker, device, settings):
    settings.SAMPLAN_STAFF_REQUIRE_2FA = False
    client = Client()
    response = password_step(client, caseworker)
    assert response.status_code == 302 and logged_in(client)
    assert client.get(reverse("worklist")).status_code == 200
    cache.clear()
    response = APIClient().post(TOKEN_URL, {"username": caseworker.username, "password": PASSWORD}, format="json")
    assert response.status_code == 200


def test_totp_code_command_works_for_staff(caseworker, device, capsys):
    call_command("totp_code", caseworker.username)
    code = capsys.readouterr().out.strip()
    assert twofactor.check_code(device, code) == twofactor.CodeResult.OK


# --- The session's device is loaded once per request ---------------------------------------


def device_queries(queries) -> int:
    return sum(1 for q in queries if TOTPDevice._meta.db_table in q["sql"])


def test_a_verified_request_loads_the_device_once(staff_2fa, caseworker, device):
    """OTPMiddleware loads the session's device lazily, once per request: the staff gate,
    the API's session authentication and the pages asking again cost no further query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = Client()
    password_step(client, caseworker, "/arbejdsliste/")
    client.post(reverse("login-totp"), {"code": code_for(device), "next": "/arbejdsliste/"})
    for url in (reverse("worklist"), API_CITIZENS):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200, url
        assert device_queries(captured.captured_queries) == 1, url
