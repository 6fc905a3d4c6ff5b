"""Two-factor login for citizens and relatives (tofaktorlogin på Min side).

A portal session counts as *verified* when the citizen has typed a correct code from
their authenticator app (a confirmed django-otp ``TOTPDevice``, remembered in the session
by ``django_otp.login``) or logged in with MitID through NemLog-in (which is two-factor in
itself). A login at the staff page /login/ with a password only is never verified, so the
portal pages send such a citizen on to the code step first.

The password step does not log the user in: it remembers who typed a correct password for
a few minutes, and only the code step calls ``django.contrib.auth.login``."""

import base64
import time

from django.conf import settings
from django.contrib import auth
from django.db import transaction
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from samplan.core.models import Role, User

PORTAL_ROLES = (Role.CITIZEN, Role.RELATIVE)
PENDING_SESSION_KEY = "portal_pending_login"
MITID_SESSION_KEY = "portal_mitid_user"
PENDING_SECONDS = 5 * 60
DEVICE_NAME = "Godkendelsesapp"
BACKEND = "django.contrib.auth.backends.ModelBackend"


def required() -> bool:
    """Whether portal pages demand a verified session (SAMPLAN_PORTAL_REQUIRE_2FA)."""
    return bool(getattr(settings, "SAMPLAN_PORTAL_REQUIRE_2FA", True))


def is_portal_user(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role in PORTAL_ROLES)


def is_verified(request) -> bool:
    """True when this session's user passed a second factor (code or MitID)."""
    user = request.user
    if not user.is_authenticated:
        return False
    if request.session.get(MITID_SESSION_KEY) == user.pk:
        return True
    persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
    if not persistent_id:
        return False
    device = Device.from_persistent_id(persistent_id)
    return device is not None and device.user_id == user.pk and device.confirmed


# --- Devices -----------------------------------------------------------------------------

def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def setup_device(user) -> TOTPDevice:
    """The unconfirmed device shown on the first-time setup page (one per user at a time)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def secret_base32(device: TOTPDevice) -> str:
    """The device key as authenticator apps expect it (base32, as in the QR code)."""
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


def ensure_confirmed_device(user, key: str | None = None) -> TOTPDevice:
    """A confirmed device for ``user`` (used by the demo data and tests)."""
    device = confirmed_device(user)
    if device is None:
        kwargs = {"key": key} if key else {}
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True, **kwargs)
    return device


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


# --- Session steps -----------------------------------------------------------------------

def remember_password_step(request, user) -> None:
    request.session[PENDING_SESSION_KEY] = {"user": user.pk, "at": int(time.time())}


def pending_user(request) -> User | None:
    """The user who typed a correct password in the last few minutes, if any."""
    pending = request.session.get(PENDING_SESSION_KEY)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user = User.objects.filter(pk=pending.get("user"), is_active=True, role__in=PORTAL_ROLES).first()
    return user


def complete_code_login(request, user, device: TOTPDevice) -> None:
    """Log ``user`` in (if not already) and mark the session verified by ``device``."""
    request.session.pop(PENDING_SESSION_KEY, None)
    if not request.user.is_authenticated or request.user.pk != user.pk:
        auth.login(request, user, backend=BACKEND)
    otp_login(request, device)


def complete_mitid_login(request, user) -> None:
    request.session.pop(PENDING_SESSION_KEY, None)
    auth.login(request, user, backend=BACKEND)
    request.session[MITID_SESSION_KEY] = user.pk
