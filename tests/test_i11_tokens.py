"""API tokens (issue 11, point 1): hashed, new per login, expiring, and ended by logout,
deactivation, a reset of the second factor and revocation by the user or the administrator."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken
from rest_framework.test import APIClient

from samplan.core import twofactor
from samplan.core.models import AuditEvent, Role
from tests.factories import PASSWORD, make_org, make_user
from tests.test_portal import code_for

TOKEN_URL = "/api/v1/auth/token/"
PROBE = "/api/v1/terminology/systems/"  # any staff endpoint


@pytest.fixture(autouse=True)
def staff_2fa(settings):
    """The production default: staff send their app code with the password."""
    settings.SAMPLAN_STAFF_REQUIRE_2FA = True
    cache.clear()  # the token endpoint's throttle
    yield settings
    cache.clear()


@pytest.fixture
def caseworker(users):
    return users[Role.CASEWORKER]


def get_token(user) -> dict:
    device = twofactor.ensure_confirmed_device(user)
    response = APIClient().post(
        TOKEN_URL, {"username": user.username, "password": PASSWORD, "code": code_for(device)}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()


def api(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def works(key: str) -> bool:
    status = api(key).get(PROBE).status_code
    assert status in (200, 401), status  # anything else is another fault
    return status == 200


def web_client(user) -> Client:
    """A browser logged in through the real two-step login (password, then the app code)."""
    client = Client()
    device = twofactor.ensure_confirmed_device(user)
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    response = client.post(reverse("login-totp"), {"code": code_for(device)})
    assert response.status_code == 302 and reverse("login-totp") not in response["Location"]
    return client


def token_of(key: str) -> AuthToken:
    return AuthToken.objects.get(token_key=key[:15])


# --- Issuing --------------------------------------------------------------------------------


def test_the_key_is_not_stored_in_clear(caseworker):
    key = get_token(caseworker)["token"]
    row = token_of(key)
    assert row.digest != key and key not in row.digest
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(AuthToken._meta.db_table)}")  # noqa: S608
        stored = repr(cursor.fetchall())
    assert key not in stored  # only the digest and the first 15 characters are in the table
    assert row.token_key == key[:15]


def test_each_login_gives_a_new_token_that_expires(caseworker, settings):
    first = get_token(caseworker)
    second = get_token(caseworker)
    assert first["token"] != second["token"]
    assert AuthToken.objects.filter(user=caseworker).count() == 2
    assert works(first["token"]) and works(second["token"])
    expiry = dt.datetime.fromisoformat(second["expiry"])
    expected = timezone.now() + dt.timedelta(hours=8)
    assert abs((expiry - expected).total_seconds()) < 60


def test_staff_need_the_code_for_a_token(caseworker):
    twofactor.ensure_confirmed_device(caseworker)
    response = APIClient().post(TOKEN_URL, {"username": caseworker.username, "password": PASSWORD}, format="json")
    assert response.status_code == 400
    assert response.json()["fejlkoder"]["code"] == ["required"]
    assert not AuthToken.objects.filter(user=caseworker).exists()


def test_an_expired_token_is_refused_without_a_write(caseworker):
    key = get_token(caseworker)["token"]
    assert works(key)
    AuthToken.objects.filter(user=caseworker).update(expiry=timezone.now() - dt.timedelta(seconds=1))
    response = api(key).get(PROBE)
    assert response.status_code == 401
    assert response.json()["kode"] == "authentication_failed"
    assert "udløbet" in response.json()["besked"]
    assert AuthToken.objects.filter(user=caseworker).count() == 1  # a GET never writes
    get_token(caseworker)  # the next login prunes it
    assert not AuthToken.objects.filter(user=caseworker, expiry__lt=timezone.now()).exists()


def test_expiry_follows_the_setting(caseworker, settings):
    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_TTL": dt.timedelta(hours=2)}
    expiry = dt.datetime.fromisoformat(get_token(caseworker)["expiry"])
    assert abs((expiry - (timezone.now() + dt.timedelta(hours=2))).total_seconds()) < 60


# --- Ends ---------------------------------------------------------------------------------------


def test_web_logout_ends_the_users_tokens(caseworker, users):
    key = get_token(caseworker)["token"]
    others = get_token(users[Role.COORDINATOR])["token"]
    client = web_client(caseworker)
    assert works(key)
    assert client.post(reverse("logout")).status_code == 302
    assert not works(key)
    assert works(others)  # another user's token is not touched


def test_a_deactivated_user_loses_their_tokens(caseworker):
    key = get_token(caseworker)["token"]
    caseworker.is_active = False
    caseworker.save()
    assert not works(key)
    assert not AuthToken.objects.filter(user=caseworker).exists()


def test_a_2fa_reset_ends_the_tokens(caseworker):
    key = get_token(caseworker)["token"]
    TOTPDevice.objects.filter(user=caseworker).delete()  # the reset: the app is removed
    assert not works(key)


def test_a_new_key_on_the_device_ends_the_tokens(caseworker):
    key = get_token(caseworker)["token"]
    device = twofactor.confirmed_device(caseworker)
    device.key = TOTPDevice(user=caseworker).key  # a new secret: the app is set up anew
    device.save()
    assert not works(key)


def test_the_api_logout_ends_this_token_and_logout_all_ends_all(caseworker):
    one, two, three = (get_token(caseworker)["token"] for _ in range(3))
    assert api(one).post("/api/v1/auth/logout/").status_code == 204
    assert not works(one) and works(two) and works(three)
    assert api(two).post("/api/v1/auth/logout-all/").status_code == 204
    assert not works(two) and not works(three)


# --- The pages --------------------------------------------------------------------------------


def test_the_user_sees_and_revokes_their_own_token(caseworker):
    key = get_token(caseworker)["token"]
    row = token_of(key)
    client = web_client(caseworker)
    page = client.get(reverse("api-tokens"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "…" + row.token_key[-4:] in html
    assert key not in html and row.token_key not in html  # only the last prefix characters
    url = reverse("api-token-revoke", args=[row.digest])
    assert client.get(url).status_code == 405  # a GET never writes
    assert works(key)
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("api-tokens")
    assert not works(key)
    event = AuditEvent.objects.filter(object_type="knox.AuthToken").get()
    assert event.after["status"] == "tilbagekaldt" and event.user_id_ref == caseworker.pk


def test_a_user_cannot_revoke_someone_elses_token(caseworker, users):
    key = get_token(users[Role.COORDINATOR])["token"]
    client = web_client(caseworker)
    assert client.post(reverse("api-token-revoke", args=[token_of(key).digest])).status_code == 404
    assert works(key)
    assert "…" + key[11:15] not in client.get(reverse("api-tokens")).content.decode()


def test_the_admin_sees_and_revokes_a_users_token(caseworker, users):
    key = get_token(caseworker)["token"]
    admin = web_client(users[Role.ADMIN])
    page = admin.get(reverse("api-tokens-admin"))
    assert page.status_code == 200 and "…" + key[11:15] in page.content.decode()
    response = admin.post(reverse("api-token-revoke", args=[token_of(key).digest]))
    assert response.status_code == 302 and response["Location"] == reverse("api-tokens-admin")
    assert not works(key)


def test_another_municipalitys_admin_cannot(caseworker):
    key = get_token(caseworker)["token"]
    other_org = make_org(code="0101", name="København")
    other_admin = web_client(make_user(Role.ADMIN, other_org))
    assert "…" + key[11:15] not in other_admin.get(reverse("api-tokens-admin")).content.decode()
    assert other_admin.post(reverse("api-token-revoke", args=[token_of(key).digest])).status_code == 404
    assert works(key)


def test_the_admin_page_is_for_administrators_only(caseworker):
    assert web_client(caseworker).get(reverse("api-tokens-admin")).status_code == 403


# --- The policy's rules (unit) ----------------------------------------------------------------


def test_policy_token_owners(users):
    from samplan.core import policy

    caseworker, admin = users[Role.CASEWORKER], users[Role.ADMIN]
    other_admin = make_user(Role.ADMIN, make_org(code="0101", name="København"))
    assert set(policy.api_token_owners(caseworker)) == {caseworker}
    assert set(policy.api_token_owners(admin)) == set(type(admin).objects.filter(municipality=admin.municipality))
    assert caseworker not in set(policy.api_token_owners(other_admin))
    caseworker.is_active = False
    assert not policy.api_token_owners(caseworker).exists()


def test_policy_get_api_token(users):
    from django.http import Http404

    from samplan.core import api_tokens, policy

    row, _ = api_tokens.issue(users[Role.COORDINATOR])
    assert policy.get_api_token(users[Role.COORDINATOR], row.digest, policy.REVOKE_API_ACCESS) == row
    assert policy.get_api_token(users[Role.ADMIN], row.digest, policy.REVOKE_API_ACCESS) == row
    for user in (users[Role.CASEWORKER], users[Role.MANAGER], make_user(Role.ADMIN, make_org(code="0101", name="Kbh"))):
        with pytest.raises(Http404):
            policy.get_api_token(user, row.digest, policy.REVOKE_API_ACCESS)
    with pytest.raises(ValueError):
        policy.get_api_token(users[Role.ADMIN], row.digest, policy.VIEW)


@pytest.mark.django_db(transaction=True)
def test_the_migration_drops_the_old_clear_tokens():
    """An installation from before knox has DRF's clear-text ``authtoken_token``: it goes."""
    import importlib

    from django.db.migrations.recorder import MigrationRecorder

    migration = importlib.import_module("samplan.core.migrations.0007_i11tokens_drop_authtoken")
    with connection.cursor() as cursor:
        cursor.execute('CREATE TABLE "authtoken_token" ("key" varchar(40) PRIMARY KEY, "user_id" bigint NOT NULL)')
        cursor.execute("INSERT INTO \"authtoken_token\" VALUES ('0123456789abcdef0123456789abcdef01234567', 1)")
    MigrationRecorder.Migration.objects.create(app="authtoken", name="0001_initial")
    with connection.schema_editor() as editor:
        migration.drop_old_tokens(None, editor)
        migration.drop_old_tokens(None, editor)  # and again: nothing left to drop
    assert "authtoken_token" not in connection.introspection.table_names()
    assert not MigrationRecorder.Migration.objects.filter(app="authtoken").exists()


def test_the_reset_command_ends_the_tokens(caseworker):
    from io import StringIO

    from django.core.management import call_command

    key = get_token(caseworker)["token"]
    out = StringIO()
    call_command("reset_2fa", caseworker.username, stdout=out)
    assert "1 godkendelsesapp(s) fjernet" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=caseworker).exists()
    assert not works(key)
