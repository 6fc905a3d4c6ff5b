"""Min side (/mit/): two-factor login (password + TOTP), MitID via OpenID Connect against a
local test provider, the portal frame and the citizen's access log in plain words.

The test settings switch the portal's two-factor requirement off for the other apps'
tests; the ``two_factor`` fixture turns it back on here."""

import datetime as dt
import logging
import time
from urllib.parse import urlsplit

import pytest
import requests
from django.apps import apps
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from samplan.core import audit
from samplan.core.models import AuditEvent, Role
from samplan.portal import access_log, twofactor
from tests.factories import PASSWORD, make_citizen, make_user
from tests.oidc_provider import OIDCProvider


def code_for(device: TOTPDevice, offset: int = 0) -> str:
    device.refresh_from_db()
    step_now = int(time.time() - device.t0) // device.step
    target = max(step_now + device.drift, device.last_t + 1) + offset
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=target - step_now):06d}"


def setup_device_of(client) -> TOTPDevice:
    """The device the first-time setup page shows: its key waits in the session and nothing
    is stored until the first code is posted (a GET never writes)."""
    from samplan.core.twofactor import SETUP_SESSION_KEY

    return TOTPDevice(key=client.session[SETUP_SESSION_KEY]["key"])


def code_now(device: TOTPDevice) -> str:
    """The current code of a device that is not stored yet."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def wrong_code(device: TOTPDevice) -> str:
    right = {code_for(device, o) for o in (-1, 0, 1, 2)}
    return next(c for c in ("000000", "111111", "222222", "333333", "444444") if c not in right)


@pytest.fixture
def two_factor(settings):
    settings.SAMPLAN_PORTAL_REQUIRE_2FA = True
    return settings


@pytest.fixture
def people(org, users):
    cw, coordinator = users[Role.CASEWORKER], users[Role.COORDINATOR]
    cw.phone, cw.email = "45 11 22 33", "sara@example.invalid"
    cw.save()
    coordinator.phone, coordinator.email = "45 99 88 77", "koordinator@example.invalid"
    coordinator.save()
    citizen = make_citizen(org, caseworker=cw, user=users[Role.CITIZEN], coordinator=coordinator)
    other_user = make_user(Role.CITIZEN, org)
    other = make_citizen(org, caseworker=cw, user=other_user, first_name="Bo")
    device = twofactor.ensure_confirmed_device(users[Role.CITIZEN])
    relative_device = twofactor.ensure_confirmed_device(users[Role.RELATIVE])
    return {
        "citizen": citizen,
        "user": users[Role.CITIZEN],
        "device": device,
        "other": other,
        "other_user": other_user,
        "relative": users[Role.RELATIVE],
        "relative_device": relative_device,
        "cw": cw,
        "coordinator": coordinator,
        "users": users,
    }


# --- Two factors -------------------------------------------------------------------------


def test_password_only_citizen_is_sent_to_the_code_step(two_factor, people):
    client = Client()
    # The staff login page refuses citizens when Min side requires a second factor (see
    # test_portal_users_cannot_use_password_only_logins_when_2fa_is_required); a session
    # without the second factor (e.g. from before 2FA was switched on) is sent to the code step.
    client.force_login(people["user"])
    for name in ("my-page", "my-access-log"):
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("portal-totp") + "?next=/mit/"), name
    response = client.get(reverse("portal-totp"))
    assert response.status_code == 200
    assert "Skriv din kode" in response.text and people["user"].username in response.text
    response = client.post(reverse("portal-totp") + "?next=/mit/indsigt/", {"code": code_for(people["device"])})
    assert response.status_code == 302 and response["Location"] == "/mit/indsigt/"
    assert client.get(reverse("my-access-log")).status_code == 200


def test_portal_login_wrong_code_is_refused_and_the_right_code_lets_in(two_factor, people, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # a wrong code then the right one at once
    client = Client()
    username = people["user"].username
    response = client.post(reverse("portal-login"), {"username": username, "password": PASSWORD, "next": "/mit/"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("portal-totp"))
    # Not logged in yet: the password alone opens nothing.
    assert client.get(reverse("my-page"))["Location"].startswith(reverse("portal-login"))

    response = client.post(reverse("portal-totp"), {"code": wrong_code(people["device"]), "next": "/mit/"})
    assert response.status_code == 400
    assert "Koden er forkert" in response.text
    assert f'value="{username}"' in response.text and f"<strong>{username}</strong>" in response.text
    assert client.get(reverse("my-page")).status_code == 302

    response = client.post(reverse("portal-totp"), {"code": code_for(people["device"]), "next": "/mit/"})
    assert response.status_code == 302 and response["Location"] == "/mit/"
    page = client.get(reverse("my-page"))
    assert page.status_code == 200
    assert people["coordinator"].get_full_name() in page.text


def test_repeated_wrong_codes_are_slowed_down(two_factor, people):
    client = Client()
    client.post(reverse("portal-login"), {"username": people["user"].username, "password": PASSWORD})
    client.post(reverse("portal-totp"), {"code": wrong_code(people["device"])})
    response = client.post(reverse("portal-totp"), {"code": code_for(people["device"])})
    assert response.status_code == 400 and "Vent et øjeblik" in response.text


def test_wrong_password_keeps_the_username_and_staff_are_sent_to_their_own_login(two_factor, people):
    client = Client()
    response = client.post(reverse("portal-login"), {"username": people["user"].username, "password": "forkert-kode-1"})
    assert response.status_code == 400
    assert "Brugernavn eller adgangskode er forkert" in response.text
    assert f'value="{people["user"].username}"' in response.text
    cw = people["cw"]
    response = client.post(reverse("portal-login"), {"username": cw.username, "password": PASSWORD})
    assert response.status_code == 400 and "Medarbejdere logger ind" in response.text
    assert not client.session.get(twofactor.PENDING_SESSION_KEY)


def test_relative_needs_the_code_too(two_factor, people, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    client = Client()
    client.force_login(people["relative"])
    assert client.get(reverse("my-page"))["Location"].startswith(reverse("portal-totp"))
    response = client.post(reverse("portal-totp"), {"code": wrong_code(people["relative_device"])})
    assert response.status_code == 400 and "Koden er forkert" in response.text
    response = client.post(reverse("portal-totp"), {"code": code_for(people["relative_device"])})
    assert response.status_code == 302
    assert client.get(reverse("my-page")).status_code == 200
    # The access log is the citizen's own.
    assert client.get(reverse("my-access-log")).status_code == 403


def test_staff_login_is_unchanged(two_factor, people):
    client = Client()
    response = client.post(reverse("login"), {"username": people["cw"].username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("worklist")).status_code == 200
    assert client.get(reverse("my-page"))["Location"] == reverse("home")
    assert client.get(reverse("my-access-log")).status_code == 403


def test_first_time_setup_shows_a_qr_code_and_confirms_the_app(two_factor, org, users):
    user = make_user(Role.CITIZEN, org)
    make_citizen(org, caseworker=users[Role.CASEWORKER], user=user)
    client = Client()
    client.post(reverse("portal-login"), {"username": user.username, "password": PASSWORD})
    response = client.get(reverse("portal-totp"))
    assert response.status_code == 200
    assert "Tilføj Samplan til din godkendelsesapp" in response.text
    assert "<svg" in response.text and "style=" not in response.text.split("<svg", 1)[1].split("</svg>")[0]
    assert not TOTPDevice.objects.filter(user=user).exists()  # the GET stored nothing
    shown = setup_device_of(client)
    assert twofactor.secret_base32(shown) in response.text
    response = client.post(reverse("portal-totp"), {"code": code_now(shown)})
    assert response.status_code == 302
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed and device.key == shown.key
    assert client.get(reverse("my-page")).status_code == 200


def test_without_the_setting_a_password_session_is_enough(people, settings):
    settings.SAMPLAN_PORTAL_REQUIRE_2FA = False
    client = Client()
    client.force_login(people["user"])
    assert client.get(reverse("my-page")).status_code == 200


def test_anonymous_is_sent_to_the_portal_login(people):
    response = Client().get(reverse("my-access-log"))
    assert response.status_code == 302 and response["Location"] == "/mit/log-ind/?next=/mit/indsigt/"


def test_totp_code_command_is_demo_only(people, monkeypatch, capsys):
    call_command("totp_code", people["user"].username)
    code = capsys.readouterr().out.strip()
    assert len(code) == 6 and code.isdigit()
    assert twofactor.check_code(people["device"], code) == twofactor.CodeResult.OK
    monkeypatch.setenv("SAMPLAN_DEMO", "0")
    with pytest.raises(CommandError, match="Kun til demo"):
        call_command("totp_code", people["user"].username)


# --- MitID (OpenID Connect) --------------------------------------------------------------


@pytest.fixture
def provider(settings):
    provider = OIDCProvider().start()
    settings.SAMPLAN_OIDC = provider.settings()
    settings.SAMPLAN_PORTAL_REQUIRE_2FA = True
    try:
        yield provider
    finally:
        provider.stop()


def _mitid_round_trip(client, next_url="/mit/indsigt/"):
    """Django → provider (authorize, auto-approved) → Django callback; returns the callback response."""
    start = client.get(reverse("oidc-login") + f"?next={next_url}")
    assert start.status_code == 302, start.status_code
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302
    back = urlsplit(at_provider.headers["Location"])
    assert back.path == reverse("oidc-callback")
    return client.get(f"{back.path}?{back.query}")


def test_mitid_logs_the_matching_citizen_in_as_two_factor(provider, people, caplog):
    citizen = people["citizen"]
    provider.login_as(sub="mitid-uuid-1", cpr=f"{citizen.cpr[:6]}-{citizen.cpr[6:]}")
    client = Client()
    assert "Log ind med MitID" in client.get(reverse("portal-login")).text
    with caplog.at_level(logging.DEBUG):
        response = _mitid_round_trip(client)
    assert response.status_code == 302 and response["Location"] == "/mit/indsigt/"
    assert int(client.session["_auth_user_id"]) == people["user"].pk
    assert client.get(reverse("my-page")).status_code == 200  # verified without an app code
    assert {"/.well-known/openid-configuration", "/authorize", "/token", "/jwks"} <= set(provider.requests)
    assert citizen.cpr not in caplog.text and citizen.cpr[:6] not in caplog.text


def test_mitid_with_an_unknown_cpr_is_refused(provider, people, caplog):
    provider.login_as(sub="mitid-uuid-2", cpr="6612801234")
    client = Client()
    with caplog.at_level(logging.DEBUG):
        response = _mitid_round_trip(client)
    assert response.status_code == 403
    assert "Vi kan ikke finde dig som borger" in response.text
    assert "_auth_user_id" not in client.session
    assert "6612801234" not in caplog.text


def test_mitid_without_a_cpr_claim_or_with_a_forged_state_is_refused(provider, people):
    provider.login_as(sub="mitid-uuid-3")
    client = Client()
    response = _mitid_round_trip(client)
    assert response.status_code == 403 and "CPR-nummer" in response.text
    # A callback that this session did not start.
    response = Client().get(reverse("oidc-callback") + "?code=abc&state=forfalsket")
    assert response.status_code == 400 and "lykkedes ikke" in response.text


def test_mitid_is_hidden_and_off_when_not_configured(people):
    client = Client()
    assert "MitID" not in client.get(reverse("portal-login")).text
    assert client.get(reverse("oidc-login")).status_code == 404
    assert client.get(reverse("oidc-callback")).status_code == 404


# --- Min side and the access log ---------------------------------------------------------


def test_my_page_shows_the_contact_person_and_meetings(people, settings):
    client = Client()
    client.force_login(people["user"])
    text = client.get(reverse("my-page")).text
    coordinator = people["coordinator"]
    assert coordinator.get_full_name() in text and coordinator.phone in text and coordinator.email in text
    assert "Ingen planlagte møder" in text
    assert AuditEvent.objects.filter(citizen_id_ref=people["citizen"].pk, object_type="portal.my_page").exists()
    # Without a coordinator the caseworker is the contact person.
    other = Client()
    other.force_login(people["other_user"])
    text = other.get(reverse("my-page")).text
    assert people["cw"].get_full_name() in text and "Din sagsbehandler" in text


def test_my_page_shows_the_plans_next_meeting(people):
    if not apps.is_installed("samplan.plans"):
        pytest.skip("the plans app is not installed")
    Plan = apps.get_model("plans", "Plan")
    day = timezone.localdate() + dt.timedelta(days=9)
    Plan.objects.create(citizen=people["citizen"], next_meeting=day)
    client = Client()
    client.force_login(people["user"])
    text = client.get(reverse("my-page")).text
    assert "Ingen planlagte møder" not in text and str(day.year) in text


def test_access_log_in_plain_words_only_for_the_citizen(people, org):
    citizen, other = people["citizen"], people["other"]
    cw, provider_staff = people["cw"], people["users"][Role.PROVIDER_STAFF]
    staff = Client()
    staff.force_login(cw)
    assert staff.get(reverse("citizen-overview", args=[citizen.pk])).status_code == 200  # a read with request id and path
    audit.record(cw, AuditEvent.Action.REVEAL_CPR, citizen)
    audit.record_read(provider_staff, other)  # another citizen's row
    client = Client()
    client.force_login(people["user"])
    response = client.get(reverse("my-access-log"))
    assert response.status_code == 200
    text = response.text
    assert f"{cw.get_full_name()} (sagsbehandler)" in text
    assert "så dine oplysninger" in text and "så dit CPR-nummer" in text
    assert provider_staff.get_full_name() not in text
    row = AuditEvent.objects.filter(citizen_id_ref=citizen.pk, user_id_ref=cw.pk).exclude(request_id="").first()
    assert row.request_id and row.request_id not in text
    assert row.path and row.path not in text and "/borgere/" not in text and "citizens.Citizen" not in text
    assert access_log.Entry(who="", what="", at=row.at).when in text  # date and time of that very row
    # Reading the log is itself logged, and shown when the citizen asks for their own visits.
    assert (
        AuditEvent.objects.filter(
            citizen_id_ref=citizen.pk, object_type="portal.access_log", user_id_ref=people["user"].pk
        ).count()
        == 1
    )
    own = client.get(reverse("my-access-log") + "?egne=1").text
    own_text = " ".join(own.replace("<strong>", "").replace("</strong>", "").split())
    assert "Du så listen over, hvem der har set dine oplysninger" in own_text

    # Another citizen sees only their own rows.
    other_client = Client()
    other_client.force_login(people["other_user"])
    text = other_client.get(reverse("my-access-log")).text
    assert provider_staff.get_full_name() in text and cw.get_full_name() not in text


def test_access_log_is_paginated(people):
    for _ in range(30):
        audit.record_read(people["cw"], people["citizen"])
    client = Client()
    client.force_login(people["user"])
    first = client.get(reverse("my-access-log")).text
    assert "Side 1 af 2" in first and "?side=2" in first
    assert client.get(reverse("my-access-log") + "?side=2").status_code == 200


def test_plain_words_for_every_action_and_date():
    moment = dt.datetime(2026, 3, 12, 9, 14, tzinfo=dt.UTC)  # 10.14 in Copenhagen
    assert access_log.Entry(who="Sara Lindberg (sagsbehandler)", what="så din sag", at=moment).sentence == (
        "Sara Lindberg (sagsbehandler) så din sag 12. marts 2026 kl. 10.14"
    )
    for action in AuditEvent.Action.values:
        event = AuditEvent(action=action, object_type="cases.Case")
        assert access_log._what(event)


@pytest.mark.parametrize("role", ["citizen", "relative"])
def test_portal_users_cannot_use_password_only_logins_when_2fa_is_required(client, settings, users, role):
    """No password-only session or API token for citizens and relatives: they must pass
    the second factor on Min side, so they cannot reach their data through other routes."""
    settings.SAMPLAN_PORTAL_REQUIRE_2FA = True
    user = users[role]
    r = client.post("/login/", {"username": user.username, "password": PASSWORD})
    assert r.status_code == 200 and "logger ind på Min side" in r.content.decode()
    assert "_auth_user_id" not in client.session
    r = client.post("/api/v1/auth/token/", {"username": user.username, "password": PASSWORD}, content_type="application/json")
    assert r.status_code == 403
    staff = users["caseworker"]
    r = client.post("/api/v1/auth/token/", {"username": staff.username, "password": PASSWORD}, content_type="application/json")
    assert r.status_code == 200
