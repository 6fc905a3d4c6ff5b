"""DRF glue for the one access policy (samplan.core.policy). No rules live here."""

from django.utils import timezone
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.throttling import AnonRateThrottle

from samplan.core import policy


class VerifiedSessionAuthentication(SessionAuthentication):
    """Session authentication that ignores a staff session still waiting for its second
    factor (SAMPLAN_STAFF_REQUIRE_2FA, samplan.core.twofactor): such a request is anonymous.
    ``request._request.user`` is the user django-otp's OTPMiddleware wrapped, so the session's
    device is loaded once per request, shared with StaffTwoFactorMiddleware."""

    def authenticate(self, request):
        from samplan.core import twofactor

        if twofactor.staff_unverified(request._request):
            return None
        return super().authenticate(request)


API_LOGIN_REFUSED = "API-nøglen er ugyldig, udløbet eller tilbagekaldt. Hent en ny med POST /api/v1/auth/token/."


class ExpiringTokenAuthentication(KnoxTokenAuthentication):
    """``Authorization: Token <key>`` against the hashed tokens of django-rest-knox
    (core/api_tokens.py), with Danish refusals. An expired token is refused but not deleted
    here (a GET never writes); the next token issued to the user prunes it."""

    def authenticate_credentials(self, token: bytes):
        try:
            return super().authenticate_credentials(token)
        except (exceptions.AuthenticationFailed, UnicodeDecodeError):
            raise exceptions.AuthenticationFailed(API_LOGIN_REFUSED) from None

    def _cleanup_token(self, auth_token) -> bool:
        return auth_token.expiry is not None and auth_token.expiry <= timezone.now()

    def validate_user(self, auth_token):
        if not auth_token.user.is_active:
            raise exceptions.AuthenticationFailed(API_LOGIN_REFUSED)
        return (auth_token.user, auth_token)


# Token first, so a request without credentials gets 401 with "WWW-Authenticate: Token".
AUTHENTICATION_CLASSES = [ExpiringTokenAuthentication, VerifiedSessionAuthentication]


class PolicyCapability(BasePermission):
    """Checks ``view.required_capability`` (a policy capability) when the view sets one.
    ``policy.require`` raises PermissionDenied with its Danish message → 403."""

    def has_permission(self, request, view):
        capability = getattr(view, "required_capability", None)
        if capability:
            policy.require(request.user, capability)
        return True


class TokenLoginThrottle(AnonRateThrottle):
    """Slows down password guessing against the token endpoint (per client IP)."""

    scope = "api_token"
    rate = "10/minute"
