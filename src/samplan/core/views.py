import datetime as dt

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from . import api_tokens, audit, login_throttle, policy, twofactor
from .forms import CodeForm
from .models import AuditEvent, User


class StaffLoginForm(AuthenticationForm):
    """The password-only login. Citizens and relatives log in on Min side with a second
    factor (or MitID) whenever the portal requires it, so they are refused here."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        refused = twofactor.password_login_refused(user)
        if refused:
            raise ValidationError(refused, code="portal_user")


class LoginView(auth_views.LoginView):
    """Step 1: username and password (through ``authenticate(request=...)``, so axes counts
    wrong passwords). Staff who need a second factor (SAMPLAN_STAFF_REQUIRE_2FA) are not
    logged in here: they go on to the code step /login/kode/."""

    template_name = "registration/login.html"
    authentication_form = StaffLoginForm

    @property
    def redirect_authenticated_user(self):
        # A staff session still waiting for its code may start again with another user.
        return not twofactor.staff_unverified(self.request)

    def form_valid(self, form):
        user = form.get_user()
        if not twofactor.staff_needs_code(user):
            return super().form_valid(form)
        twofactor.remember_password_step(self.request, user)
        return redirect(f"{reverse('login-totp')}?{urlencode({'next': self.get_success_url()})}")


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def totp_step(request, user, *, pending_key: str, next_url: str, action_url: str, restart_url: str):
    """The code step of a two-factor login, shared by /login/kode/ and Min side's
    /mit/log-ind/kode/: the code from the user's authenticator app, or first the QR code
    and key to add Samplan to the app. A wrong code keeps the page (400, Danish error) and
    counts as a failed login in axes; at the limit the user is locked out (429)."""
    if twofactor.code_locked(request, user):
        return login_throttle.lockout_response(request)
    device = twofactor.confirmed_device(user)
    setup = device is None
    if setup:
        device = twofactor.setup_device(request, user)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            device = twofactor.save_setup_device(request, device)
            error = twofactor.verify_code(request, user, device, form.cleaned_data["code"])
            if error is None:
                twofactor.complete_code_login(request, user, device, pending_key)
                return redirect(next_url)
            form.add_error("code", error)
        status = 400
    context = {
        "form": form,
        "next": next_url,
        "login_user": user,
        "setup": setup,
        "action_url": action_url,
        "restart_url": restart_url,
    }
    if setup:
        context.update(qr_svg=twofactor.qr_svg(device), secret=twofactor.secret_base32(device))
    return render(request, "registration/totp.html", context, status=status)


@never_cache
def login_totp(request):
    """Step 2 for staff: the code from the authenticator app (or the first-time setup)."""
    next_url = _safe_next(request, reverse("home"))
    user = twofactor.pending_user(request)
    if user is None and twofactor.staff_unverified(request):
        user = request.user
    if user is None:
        if request.user.is_authenticated:
            return redirect(next_url)
        return redirect(f"{reverse('login')}?{urlencode({'next': next_url})}")
    return totp_step(
        request,
        user,
        pending_key=twofactor.STAFF_PENDING_SESSION_KEY,
        next_url=next_url,
        action_url=reverse("login-totp"),
        restart_url=reverse("login"),
    )


@login_required
def home(request):
    return redirect(policy.landing_page(request.user))


@login_required
def audit_log(request):
    policy.require(request.user, policy.VIEW_AUDIT)
    qs = AuditEvent.objects.filter(municipality_id_ref=request.user.municipality_id)
    filters = {
        "username": request.GET.get("bruger", "").strip(),
        "citizen": request.GET.get("borger", "").strip(),
        "action": request.GET.get("handling", "").strip(),
        "date_from": request.GET.get("fra", "").strip(),
        "date_to": request.GET.get("til", "").strip(),
    }
    date_from, date_to = _iso_date(filters["date_from"]), _iso_date(filters["date_to"])
    citizen_id = int(filters["citizen"]) if filters["citizen"].isdigit() and len(filters["citizen"]) < 19 else None
    action = filters["action"] if filters["action"] in AuditEvent.Action.values else ""
    if filters["username"]:
        qs = qs.filter(username__icontains=filters["username"])
    if citizen_id is not None:
        qs = qs.filter(citizen_id_ref=citizen_id)
    if action:
        qs = qs.filter(action=action)
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    page = Paginator(qs, 50).get_page(request.GET.get("side"))
    _record_audit_search(request.user, citizen_id, page, action, date_from, date_to, bool(filters["username"]))
    return render(request, "core/audit_log.html", {"page": page, "filters": filters, "actions": AuditEvent.Action.choices})


def _iso_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _record_audit_search(user, citizen_id, page, action, date_from, date_to, by_username: bool) -> None:
    """Who looked in the audit trail, and for what: the filters as ids, codes and dates,
    never the typed text (a username filter is recorded only as having been used). A search
    for one citizen that showed rows names that citizen, so it shows on their access log."""
    after = {
        "citizen": citizen_id,
        "action": action,
        "from": date_from.isoformat() if date_from else "",
        "to": date_to.isoformat() if date_to else "",
        "by_username": by_username,
        "page": page.number,
    }
    kind, label = AuditEvent.Action.AUDIT_SEARCH, "core.AuditEvent"
    # The rows shown are of the user's municipality, so the citizen is one of it.
    if citizen_id is not None and page.object_list:
        audit.record_reads(user, [(citizen_id, user.municipality_id)], object_type=label, action=kind, after=after)
    else:
        audit.record(user, kind, object_type=label, after=after)


# --- API tokens (core/api_tokens.py) ---------------------------------------------------------


def _token_rows(tokens) -> list[dict]:
    return [
        {"token": t, "shown": api_tokens.shown_key(t), "revoke_url": reverse("api-token-revoke", args=[t.digest])} for t in tokens
    ]


@require_safe
@login_required
def api_tokens_mine(request):
    """The user's own working API tokens: created, expires, the last prefix characters."""
    tokens = api_tokens.active_for(User.objects.filter(pk=request.user.pk))
    return render(request, "core/api_tokens.html", {"rows": _token_rows(tokens), "admin": False})


@require_safe
@login_required
def api_tokens_admin(request):
    """An administrator's view of every working API token of the municipality's users."""
    policy.require(request.user, policy.MANAGE_API_TOKENS)
    tokens = api_tokens.active_for(policy.api_token_owners(request.user))
    return render(request, "core/api_tokens.html", {"rows": _token_rows(tokens), "admin": True})


@require_POST
@login_required
def api_token_revoke(request, digest: str):
    """Revoke one token: its owner, or an administrator of the owner's municipality (404 else)."""
    token = policy.get_api_token(request.user, digest, policy.REVOKE_API_ACCESS)
    owner, shown = token.user, api_tokens.shown_key(token)
    api_tokens.revoke(token)
    audit.record(
        request.user,
        AuditEvent.Action.TRANSITION,
        object_type="knox.AuthToken",
        before={"bruger_id": owner.pk, "nøgle": shown, "status": "aktiv"},
        after={"bruger_id": owner.pk, "nøgle": shown, "status": "tilbagekaldt"},
    )
    messages.success(request, f"API-nøglen {shown} er tilbagekaldt og virker ikke længere.")
    if owner.pk == request.user.pk:
        return redirect("api-tokens")
    return redirect("api-tokens-admin")
