import time

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from . import policy
from .audit import bind_request, current_request_id, unbind_request


class RequestIdMiddleware:
    """The request's scope: an id that every audit row of the request carries, and the
    access policy's memo, which lives exactly as long as the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tokens = bind_request(request)
        memo = policy.open_request_memo()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = current_request_id()
            return response
        finally:
            policy.close_request_memo(memo)
            unbind_request(tokens)


class PermissionsPolicyMiddleware:
    """``Permissions-Policy`` on every response: the browser features Samplan never uses
    (camera, microphone, location, payment, USB …) are off, also for anything injected.
    Django has no setting for it; the value is ``settings.SAMPLAN_PERMISSIONS_POLICY``."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.value = getattr(settings, "SAMPLAN_PERMISSIONS_POLICY", "")

    def __call__(self, request):
        response = self.get_response(request)
        if self.value:
            response.setdefault("Permissions-Policy", self.value)
        return response


# Session keys of SessionLifetimeMiddleware: epoch seconds of the login and the last request.
LOGIN_AT_KEY = "samplan_login_at"
SEEN_AT_KEY = "samplan_seen_at"
# Last-seen is written only when it moved more than this, so most requests save nothing.
SEEN_RESOLUTION_SECONDS = 60
IDLE_MESSAGE = "Du er blevet logget ud, fordi du ikke har været aktiv i {minutes} minutter. Log ind igen."
MAX_AGE_MESSAGE = "Du er blevet logget ud, fordi du har været logget ind i {hours} timer. Log ind igen."


def _number(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def session_expiry_reason(request, now: float) -> str | None:
    """Why this session has ended (a Danish message), or None. Everyone's session ends
    SAMPLAN_SESSION_MAX_HOURS after login; a staff session also after
    SAMPLAN_SESSION_IDLE_MINUTES without a request (citizens have only the absolute limit:
    Min side is read slowly and holds no one else's data)."""
    session = request.session
    max_hours = float(getattr(settings, "SAMPLAN_SESSION_MAX_HOURS", 8))
    idle_minutes = float(getattr(settings, "SAMPLAN_SESSION_IDLE_MINUTES", 30))
    login_at = session.get(LOGIN_AT_KEY)
    seen_at = session.get(SEEN_AT_KEY)
    if isinstance(login_at, int | float) and now - login_at > max_hours * 3600:
        return MAX_AGE_MESSAGE.format(hours=_number(max_hours))
    if (
        isinstance(seen_at, int | float)
        and policy.is_staff_user(request.user)
        and idle_minutes > 0
        and now - seen_at > idle_minutes * 60
    ):
        return IDLE_MESSAGE.format(minutes=_number(idle_minutes))
    return None


class SessionLifetimeMiddleware:
    """Ends a logged-in session that is too old or (staff) idle too long: logs out, and sends
    the browser to the login with a Danish message (HTMX requests get ``HX-Redirect``; API
    calls go on as anonymous and get 401). Login and last-seen time live in the session; the
    session is saved only when last-seen moved by more than a minute, and the database is
    not touched otherwise (a GET never writes a model)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response = self._check(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _check(self, request):
        now = time.time()
        reason = session_expiry_reason(request, now)
        if reason is None:
            session = request.session
            if not isinstance(session.get(LOGIN_AT_KEY), int | float):
                session[LOGIN_AT_KEY] = int(now)
            seen_at = session.get(SEEN_AT_KEY)
            if not isinstance(seen_at, int | float) or now - seen_at > SEEN_RESOLUTION_SECONDS:
                session[SEEN_AT_KEY] = int(now)
            return None
        portal_user = policy.is_portal_user(request.user)
        from .api_tokens import TIMEOUT_ATTR

        setattr(request, TIMEOUT_ATTR, True)  # a timeout leaves the API tokens alone
        auth.logout(request)
        if request.path.startswith("/api/"):
            return None
        messages.info(request, reason)
        target = reverse("portal-login" if portal_user else "login")
        if request.headers.get("HX-Request") == "true":
            return HttpResponse(status=200, headers={"HX-Redirect": target})
        return redirect(target)


@receiver(user_logged_in, dispatch_uid="samplan_session_login_at")
def _stamp_login(sender, request, user, **kwargs) -> None:
    """The absolute lifetime counts from the login (auth.login rotates the session)."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[LOGIN_AT_KEY] = now
        request.session[SEEN_AT_KEY] = now
