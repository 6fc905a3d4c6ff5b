"""Min side (/mit/): login with two factors, the landing page and the citizen's access log."""

import datetime as dt

from authlib.integrations.base_client.errors import OAuthError
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from samplan.core import audit, policy
from samplan.core.models import AuditEvent
from samplan.core.views import totp_step

from . import access_log, landing, oidc, twofactor
from .decorators import citizen_required
from .forms import PortalLoginForm


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("my-page")


# --- Login -------------------------------------------------------------------------------


@never_cache
@sensitive_post_parameters("password")
def portal_login(request):
    """Step 1 of 2: username and password (or MitID)."""
    if twofactor.is_portal_user(request.user) and twofactor.session_suffices(request):
        return redirect(_next(request))
    form = PortalLoginForm(request, data=request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            twofactor.remember_password_step(request, form.get_user())
            return redirect(f"{reverse('portal-totp')}?{urlencode({'next': _next(request)})}")
        status = 400
    return render(
        request,
        "portal/login.html",
        {"form": form, "next": _next(request), "mitid": oidc.enabled()},
        status=status,
    )


@never_cache
def portal_totp(request):
    """Step 2 of 2: the code from the authenticator app. A citizen without a confirmed
    app first sees the QR code and the secret to add Samplan to the app."""
    if twofactor.is_portal_user(request.user):
        user = request.user
        if twofactor.session_suffices(request):
            return redirect(_next(request))
    else:
        user = twofactor.pending_user(request)
    if user is None:
        return redirect(f"{reverse('portal-login')}?{urlencode({'next': _next(request)})}")
    return totp_step(
        request,
        user,
        pending_key=twofactor.PENDING_SESSION_KEY,
        next_url=_next(request),
        action_url=reverse("portal-totp"),
        restart_url=reverse("portal-login"),
    )


@never_cache
def oidc_login(request):
    """Start a MitID login at NemLog-in (hidden and 404 unless configured)."""
    if not oidc.enabled():
        raise Http404("MitID-login er ikke slået til.")
    redirect_uri = oidc.config().get("REDIRECT_URI") or request.build_absolute_uri(reverse("oidc-callback"))
    request.session["portal_oidc_next"] = _next(request)
    try:
        return oidc.client().authorize_redirect(request, redirect_uri, **oidc.authorize_params())
    except Exception:  # provider unreachable or its discovery document is broken
        oidc.logger.warning("MitID login could not start", exc_info=True)
        return _refused(request, "Login med MitID virker ikke lige nu. Prøv igen senere.", status=503)


@never_cache
def oidc_callback(request):
    """NemLog-in sends the citizen back here with a code; the citizen is found by CPR."""
    if not oidc.enabled():
        raise Http404("MitID-login er ikke slået til.")
    client = oidc.client()
    try:
        token = client.authorize_access_token(request)
        claims = token.get("userinfo")
        if not claims:
            raise OAuthError(description="no id_token")
        cpr = oidc.cpr_from(claims)
        if not cpr and client.load_server_metadata().get("userinfo_endpoint"):
            cpr = oidc.cpr_from({}, client.userinfo(token=token))
        user = oidc.citizen_user_for_cpr(cpr)
    except oidc.LoginRefused as exc:
        return _refused(request, str(exc), status=403)
    except Exception as exc:  # state, signature, nonce, issuer, expiry or the provider itself
        oidc.logger.warning("MitID login failed: %s", type(exc).__name__)
        return _refused(request, "Login med MitID lykkedes ikke. Prøv igen.", status=400)
    target = request.session.pop("portal_oidc_next", "") or reverse("my-page")
    twofactor.complete_mitid_login(request, user)
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = reverse("my-page")
    return redirect(target)


def _refused(request, message: str, *, status: int):
    return render(request, "portal/login_refused.html", {"message": message}, status=status)


# --- Pages -------------------------------------------------------------------------------


def _next_meeting(citizen):
    """The plan's next meeting (samplan.plans), if the citizen has a plan with one ahead."""
    try:
        plan = citizen.plan
    except (ObjectDoesNotExist, AttributeError):
        return None
    day = getattr(plan, "next_meeting", None)
    if isinstance(day, dt.datetime):
        day = timezone.localtime(day).date()
    return day if day and day >= timezone.localdate() else None


@citizen_required(relatives=True, others_home=True)
def my_page(request):
    """Min side: contact person, next meeting and the way to the rest of the portal."""
    citizen = policy.own_citizen(request.user)
    context: dict[str, object] = {"citizen": citizen}
    if citizen is not None:
        audit.record_read(request.user, citizen, object_type="portal.my_page")
        context.update(
            contact=citizen.coordinator or citizen.caseworker,
            contact_is_coordinator=bool(citizen.coordinator_id),
            next_meeting=_next_meeting(citizen),
        )
    context.update(landing.context(request.user))  # e.g. samplan.consent: what a relative may see
    return render(request, "portal/my_page.html", context)


@citizen_required
def my_access_log(request):
    """Hvem har set mine oplysninger: the citizen's audit rows in plain words."""
    citizen = policy.require_own_citizen(request.user)
    include_own = request.GET.get("egne") == "1"
    page = Paginator(access_log.events_for(citizen, include_own=include_own), 25).get_page(request.GET.get("side"))
    rows = access_log.entries(page.object_list, citizen)
    # Reading one's own log is itself a read of one's data (and shows up with "egne").
    audit.record(request.user, AuditEvent.Action.READ, citizen, object_type="portal.access_log")
    return render(request, "portal/access_log.html", {"page": page, "rows": rows, "include_own": include_own})
