"""DRF glue for the one access policy (samplan.core.policy). No rules live here."""

from rest_framework.authentication import SessionAuthentication, TokenAuthentication
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


# Token first, so a request without credentials gets 401 with "WWW-Authenticate: Token".
AUTHENTICATION_CLASSES = [TokenAuthentication, VerifiedSessionAuthentication]


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
