"""Two-factor login for citizens and relatives (tofaktorlogin på Min side).

A portal session counts as *verified* when the citizen has typed a correct code from
their authenticator app (a confirmed django-otp ``TOTPDevice``, remembered in the session
by ``django_otp.login``) or logged in with MitID through NemLog-in (which is two-factor in
itself). A login at the staff page /login/ with a password only is never verified, so the
portal pages send such a citizen on to the code step first.

The TOTP machinery (devices, codes, the password → code session steps, wrong codes counted
by django-axes) is shared with the staff login and lives in samplan.core.twofactor; this
module adds the portal's rules, its own pending-login key and MitID; the code step itself
is samplan.core.views.totp_step."""

from django.contrib import auth

from samplan.core import twofactor as core
from samplan.core.models import PORTAL_ROLES, User
from samplan.core.twofactor import (  # noqa: F401  (used through this module by the demo data, a command and tests)
    BACKEND,
    CodeResult,
    check_code,
    confirmed_device,
    ensure_confirmed_device,
    is_portal_user,
    secret_base32,
)

# The staff login refuses portal users by the same rule, so both live in core.twofactor.
required = core.portal_required

PENDING_SESSION_KEY = "portal_pending_login"
MITID_SESSION_KEY = "portal_mitid_user"


def session_suffices(request) -> bool:
    """Does this session pass Min side's gate (a second factor, when one is required)?"""
    return not required() or is_verified(request)


def is_verified(request) -> bool:
    """True when this session's user passed a second factor (code or MitID)."""
    user = request.user
    if not user.is_authenticated:
        return False
    if request.session.get(MITID_SESSION_KEY) == user.pk:
        return True
    return core.device_verified(request)


# --- Session steps -----------------------------------------------------------------------


def remember_password_step(request, user) -> None:
    core.remember_password_step(request, user, PENDING_SESSION_KEY)


def pending_user(request) -> User | None:
    """The citizen or relative who typed a correct password in the last few minutes, if any."""
    return core.pending_user(request, PENDING_SESSION_KEY, roles=PORTAL_ROLES)


def complete_mitid_login(request, user) -> None:
    request.session.pop(PENDING_SESSION_KEY, None)
    auth.login(request, user, backend=BACKEND)
    request.session[MITID_SESSION_KEY] = user.pk
