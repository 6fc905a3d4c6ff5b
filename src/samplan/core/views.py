from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from . import api_tokens, audit, audit_search, login_throttle, policy, twofactor
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


@require_http_methods(["GET", "POST"])
@login_required
def audit_log(request):
    """The audit search. Its form is a POST, so a name or CPR number searched for is never in
    a URL or an access log; a GET (older links) filters by internal citizen id only. The
    export button gives the matching rows as CSV — itself an audited read."""
    policy.require(request.user, policy.VIEW_AUDIT)
    posted = request.method == "POST"
    query = audit_search.parse(request.user, request.POST if posted else request.GET, allow_text=posted)
    qs = audit_search.rows(request.user, query)
    if posted and request.POST.get("eksport") == "csv":
        events = list(qs[: audit_search.EXPORT_LIMIT])
        audit_search.record(request.user, query, events, page=0, export="csv")
        response = HttpResponse(audit_search.export_csv(events), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="adgangslog.csv"'
        return response
    page = Paginator(qs, 50).get_page((request.POST if posted else request.GET).get("side"))
    audit_search.record(request.user, query, list(page.object_list), page=page.number)
    context = {
        "page": page,
        "query": query,
        "filters": query.filters,
        "actions": AuditEvent.Action.choices,
    }
    return render(request, "core/audit_log.html", context)


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
