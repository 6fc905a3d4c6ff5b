"""Brute-force protection of the logins, on top of django-axes (settings: AXES_*).

Three logins count failed attempts, because each calls
``django.contrib.auth.authenticate(request=...)``: the staff login /login/, Min side's
password step /mit/log-ind/ and the API's /api/v1/auth/token/. After
``AXES_FAILURE_LIMIT`` failures in a row for one username from one client IP, that
username is locked from that IP for ``AXES_COOLOFF_TIME`` (a correct password included).

This module holds the callables the settings point axes to:

* ``lockout_response`` — the 429 answer: the Danish error page (core/error_pages.py, 429.html), or
  for the API the JSON error shape (``kode`` ``locked_out``) with Retry-After.
* ``lockout_username`` — the username as axes stores and compares it. Usernames are never
  CPR numbers, but a citizen may type one: such input is kept only as a keyed hash.
* ``client_ip`` — the client's address (REMOTE_ADDR, or X-Forwarded-For behind
  ``SAMPLAN_TRUSTED_PROXY_COUNT`` trusted proxies).

plus ``locked_out(request)`` and ``reset_after_success(request, user)`` for the API token
view, which gets a DRF request (axes marks that one, not Django's, so the middleware does
not see it) and logs no one in (so axes's reset on ``user_logged_in`` does not run)."""

import math
import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import JsonResponse
from django.urls import reverse
from django.utils.crypto import salted_hmac

from . import error_pages

LOCKED_OUT_CODE = "locked_out"
_CPR_LIKE = re.compile(r"^[0-9]{6}-?[0-9]{4}$")


# --- What axes stores ------------------------------------------------------------------


def _username_field() -> str:
    return str(getattr(settings, "AXES_USERNAME_FORM_FIELD", "") or get_user_model().USERNAME_FIELD)


def lockout_username(request, credentials=None) -> str | None:
    """The typed username (from the credentials given to ``authenticate``, else the POST
    body), with anything shaped like a CPR number replaced by a keyed hash."""
    field = _username_field()
    if credentials:
        username = credentials.get(field)
    else:
        data = getattr(request, "data", None)
        if data is None:
            data = request.POST
        username = data.get(field) if hasattr(data, "get") else None
    if isinstance(username, str) and _CPR_LIKE.match("".join(username.split())):
        digits = "".join(ch for ch in username if ch.isdigit())
        return "cpr-hash:" + salted_hmac("samplan.core.login_throttle", digits, algorithm="sha256").hexdigest()[:32]
    return username


def client_ip(request) -> str | None:
    """The client's exact address for axes (see ratelimit.client_address: X-Forwarded-For only
    behind ``settings.SAMPLAN_TRUSTED_PROXY_COUNT`` proxies, counted from the right)."""
    from .ratelimit import client_address

    address = client_address(request)
    return str(address) if address is not None else None


# --- The answer to a locked-out attempt --------------------------------------------------


def cooloff_seconds(request=None) -> int:
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    return int(cool_off.total_seconds()) if cool_off else 0


def message(request) -> str:
    """One Danish sentence: how long to wait and whom to contact."""
    minutes = math.ceil(cooloff_seconds(request) / 60)
    path = getattr(request, "path", "") or ""
    whom = "din sagsbehandler" if path.startswith("/mit/") else "din it-afdeling"
    if minutes <= 0:  # no cool-off configured: only an administrator unlocks (manage.py axes_reset)
        return f"For mange forkerte forsøg. Kontakt {whom} for at få din adgang åbnet igen."
    wait = "1 minut" if minutes == 1 else f"{minutes} minutter"
    return f"For mange forkerte forsøg. Prøv igen om {wait}, eller kontakt {whom}, hvis du har glemt din adgangskode."


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: 429 with the Danish page, or JSON for the API."""
    status = int(getattr(settings, "AXES_HTTP_RESPONSE_CODE", 429))
    seconds = cooloff_seconds(request)
    text = message(request)
    path = getattr(request, "path", "") or ""
    if path.startswith("/api/"):
        from .rest.errors import error_body

        response = JsonResponse(error_body(LOCKED_OUT_CODE, text), status=status)
    else:
        if path.startswith("/mit/"):
            back = error_pages.Link(reverse("portal-login"), "Tilbage til log ind på Min side")
        else:
            back = error_pages.Link(reverse("login"), "Tilbage til log ind")
        response = error_pages.error_response(request, status, reason=text, heading="Du kan ikke logge ind lige nu", links=[back])
    if seconds:
        response["Retry-After"] = str(seconds)
    return response


# --- The API token view -----------------------------------------------------------------


def locked_out(request) -> bool:
    """Whether axes refused this request's login (DRF requests carry the mark themselves)."""
    if not getattr(settings, "AXES_ENABLED", True):
        return False
    inner = getattr(request, "_request", None)
    return bool(getattr(request, "axes_locked_out", False) or getattr(inner, "axes_locked_out", False))


def reset_after_success(request, user) -> int:
    """After a correct password without a session login: clear the user's failures from
    this IP, as axes does on ``user_logged_in`` (AXES_RESET_ON_SUCCESS)."""
    if not (getattr(settings, "AXES_ENABLED", True) and getattr(settings, "AXES_RESET_ON_SUCCESS", False)):
        return 0
    from axes.helpers import get_client_ip_address, get_client_username, get_credentials
    from axes.utils import reset

    username = get_client_username(request, get_credentials(user.get_username()))
    ip = get_client_ip_address(request)
    if not username or not ip:
        return 0
    return reset(ip=ip, username=username)
