"""Two-factor login with an authenticator app (TOTP, django-otp), shared by the staff login
(/login/ → /login/kode/) and Min side (/mit/log-ind/ → /mit/log-ind/kode/, see
samplan.portal.twofactor for the portal's own rules and MitID).

The password step never logs anyone in: it remembers who typed a correct password for a
few minutes (``remember_password_step``), and only the code step calls
``django.contrib.auth.login`` together with ``django_otp.login``, which marks the session
*verified* by the user's confirmed ``TOTPDevice``. A user without a confirmed device first
adds Samplan to the app (QR code + key) and confirms it with a code.

Wrong codes count as failed logins in django-axes (``record_code_failure`` sends
``user_login_failed``), so guessing the six digits locks the username out from that IP
like wrong passwords do; a correct code logs in, which resets the count.

Staff (every role but citizen and relative) need the code when
``SAMPLAN_STAFF_REQUIRE_2FA`` is on (the default); ``StaffTwoFactorMiddleware`` keeps an
unverified staff session away from every page but the code step, and the API's session
authentication ignores it (samplan.core.rest.permissions).

Whether a session is verified is read from ``request.user.is_verified()``, which
django-otp's ``OTPMiddleware`` (settings.MIDDLEWARE, right after AuthenticationMiddleware)
installs: it loads the session's device lazily, once per request, however often the
middleware, the API's authentication and the portal ask."""

import base64
import time

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from . import policy
from .models import PORTAL_ROLES, User

STAFF_PENDING_SESSION_KEY = "staff_pending_login"
PENDING_SECONDS = 5 * 60
DEVICE_NAME = "Godkendelsesapp"
BACKEND = "django.contrib.auth.backends.ModelBackend"


# --- Staff -------------------------------------------------------------------------------


def staff_required() -> bool:
    """Whether staff logins demand a code (SAMPLAN_STAFF_REQUIRE_2FA)."""
    return bool(getattr(settings, "SAMPLAN_STAFF_REQUIRE_2FA", True))


def staff_needs_code(user) -> bool:
    """True for a staff user who must pass the code step to log in."""
    return staff_required() and policy.is_staff_user(user)


# --- Citizens and relatives (the rest of their rules is samplan.portal.twofactor) --------


def portal_required() -> bool:
    """Whether portal pages demand a verified session (SAMPLAN_PORTAL_REQUIRE_2FA)."""
    return bool(getattr(settings, "SAMPLAN_PORTAL_REQUIRE_2FA", True))


def is_portal_user(user) -> bool:
    return policy.is_portal_user(user)


def password_login_refused(user) -> str | None:
    """Why ``user`` may not log in with a password only (the staff login /login/ and the API
    token), or None. Citizens and relatives pass a second factor (or MitID) on Min side
    whenever the portal requires it (SAMPLAN_PORTAL_REQUIRE_2FA)."""
    if portal_required() and is_portal_user(user):
        return "Borgere og pårørende logger ind på Min side (/mit/log-ind/)."
    return None


def staff_unverified(request) -> bool:
    """An authenticated staff session without the second factor, while it is required."""
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and staff_needs_code(user) and not device_verified(request))


def device_verified(request) -> bool:
    """True when this session's user typed a correct code from a confirmed device.

    ``OTPMiddleware`` has wrapped ``request.user`` so that the first call loads the session's
    device (one query) and later calls in the same request reuse it. A user object it has
    not wrapped (just logged in by ``auth.login`` in this request, or a request that did not
    pass the middleware) falls back to the device ``django_otp.login`` set, or the session."""
    user = request.user
    if not user.is_authenticated:
        return False
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None:
        return bool(is_verified())
    device = getattr(user, "otp_device", None)
    if device is None:
        persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
        device = Device.from_persistent_id(persistent_id) if persistent_id else None
    return device is not None and device.user_id == user.pk and device.confirmed


# --- Devices -----------------------------------------------------------------------------


def confirmed_device(user) -> TOTPDevice | None:
    if user is None:
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


SETUP_SESSION_KEY = "totp_setup"


def setup_device(request, user) -> TOTPDevice:
    """The device of the first-time setup page. Until the first code is posted it is not
    stored: its key waits in the session (a GET never writes); ``save_setup_device`` stores
    it unconfirmed when a code comes, and the right code confirms it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is not None:
        return device
    pending = request.session.get(SETUP_SESSION_KEY) or {}
    if pending.get("user") != user.pk:
        pending = {"user": user.pk, "key": random_hex(20)}
        request.session[SETUP_SESSION_KEY] = pending
    return TOTPDevice(user=user, name=DEVICE_NAME, confirmed=False, key=pending["key"])


def save_setup_device(request, device: TOTPDevice) -> TOTPDevice:
    """Store a setup device before its first code is checked (throttling needs the row)."""
    if device.pk is None:
        device.save()
        request.session.pop(SETUP_SESSION_KEY, None)
    return device


def secret_base32(device: TOTPDevice) -> str:
    """The device key as authenticator apps expect it (base32, as in the QR code)."""
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


def qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// URL as an inline SVG QR code (no style attributes: CSP)."""
    import segno

    title = "QR-kode til din godkendelsesapp"
    svg = segno.make(device.config_url, error="m").svg_inline(scale=4, border=2, title=title, svgclass="samplan-qr")
    return svg.replace("<svg ", f'<svg role="img" aria-label="{title}" ', 1)


def ensure_confirmed_device(user, key: str | None = None) -> TOTPDevice:
    """A confirmed device for ``user`` (used by the demo data and tests)."""
    device = confirmed_device(user)
    if device is None:
        kwargs = {"key": key} if key else {}
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True, **kwargs)
    return device


def reset_devices(user) -> int:
    """Reset ``user``'s second factor (a lost phone): every authenticator app of theirs is
    removed, so the next login sets one up anew with a QR code. Deleting the devices also
    ends the user's API tokens (core/api_tokens.py). Returns how many devices there were."""
    deleted = 0
    for device in TOTPDevice.objects.filter(user=user):
        device.delete()  # one by one, so each sends post_delete
        deleted += 1
    return deleted


class CodeResult:
    OK = "ok"
    WRONG = "wrong"
    THROTTLED = "throttled"


def check_code(device: TOTPDevice, code: str) -> str:
    """Check a typed code; repeated wrong codes slow further attempts (django-otp throttling)."""
    code = "".join((code or "").split())
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            return CodeResult.THROTTLED
        if not (code.isdigit() and len(code) == device.digits):
            device.throttle_increment()
            return CodeResult.WRONG
        if not device.verify_token(code):
            return CodeResult.WRONG
        if not device.confirmed:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
    return CodeResult.OK


CODE_MESSAGES = {
    CodeResult.THROTTLED: "Der er tastet forkert flere gange. Vent et øjeblik, og prøv igen.",
    CodeResult.WRONG: "Koden er forkert eller for gammel. Skriv den kode, din app viser nu.",
}


def verify_code(request, user, device: TOTPDevice, code: str) -> str | None:
    """Check ``user``'s typed code against ``device``: None when it is right, else the Danish
    message for the form, after counting the failure in axes (``record_code_failure``)."""
    result = check_code(device, code)
    if result == CodeResult.OK:
        return None
    record_code_failure(request, user)
    return CODE_MESSAGES[result]


# --- Failed codes in django-axes ---------------------------------------------------------


def _credentials(user) -> dict:
    from .login_throttle import _username_field

    return {_username_field(): user.get_username()}


def code_locked(request, user) -> bool:
    """Whether axes has locked ``user`` out from this client (wrong passwords or codes)."""
    if not getattr(settings, "AXES_ENABLED", True):
        return False
    from axes.handlers.proxy import AxesProxyHandler

    return AxesProxyHandler.is_locked(request, _credentials(user))


def record_code_failure(request, user) -> None:
    """Count a wrong (or throttled) code as a failed login of ``user`` in axes. At the limit
    axes marks the request locked out and its middleware answers with the 429 page."""
    user_login_failed.send(sender=__name__, credentials=_credentials(user), request=request)


# --- Session steps -----------------------------------------------------------------------


def remember_password_step(request, user, key: str = STAFF_PENDING_SESSION_KEY) -> None:
    request.session[key] = {"user": user.pk, "at": int(time.time())}


def pending_user(request, key: str = STAFF_PENDING_SESSION_KEY, roles=None) -> User | None:
    """The user who typed a correct password in the last few minutes, if any (of ``roles``,
    or any staff role when ``roles`` is None)."""
    pending = request.session.get(key)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    users = User.objects.filter(pk=pending.get("user"), is_active=True)
    users = users.filter(role__in=roles) if roles is not None else users.exclude(role__in=PORTAL_ROLES)
    return users.first()


def complete_code_login(request, user, device: TOTPDevice, key: str = STAFF_PENDING_SESSION_KEY) -> None:
    """Log ``user`` in (if not already) and mark the session verified by ``device``."""
    request.session.pop(key, None)
    if not request.user.is_authenticated or request.user.pk != user.pk:
        auth.login(request, user, backend=BACKEND)
    otp_login(request, device)


# --- Central gate for staff ----------------------------------------------------------------

# URL names an unverified staff session may still open: the logins and the way out.
OPEN_URL_NAMES = {"login", "login-totp", "logout", "healthz"}


class StaffTwoFactorMiddleware:
    """Staff sessions without the second factor reach no page: they are sent to the code step
    (/login/kode/?next=…). For the API (/api/) the request goes on, and the API's session
    authentication treats the session as not logged in (samplan.core.rest.permissions)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if staff_unverified(request) and not request.path.startswith("/api/"):
            try:
                name = resolve(request.path_info).url_name
            except Resolver404:
                name = None
            if name not in OPEN_URL_NAMES and not request.path.startswith(settings.STATIC_URL or "/static/"):
                target = request.get_full_path() if request.method == "GET" else reverse("home")
                return redirect(f"{reverse('login-totp')}?{urlencode({'next': target})}")
        return self.get_response(request)
