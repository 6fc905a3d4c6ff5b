from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from . import policy
from .aggregates import municipality_figures
from .models import AuditEvent, Role


class StaffLoginForm(AuthenticationForm):
    """The password-only login. Citizens and relatives log in on Min side with a second
    factor (or MitID) whenever the portal requires it, so they are refused here."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        from samplan.portal import twofactor

        if twofactor.required() and twofactor.is_portal_user(user):
            raise ValidationError("Borgere og pårørende logger ind på Min side (/mit/log-ind/).", code="portal_user")


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True
    authentication_form = StaffLoginForm


@login_required
def home(request):
    role = request.user.role
    if role in (Role.CASEWORKER, Role.COORDINATOR):
        return redirect("worklist")
    if role == Role.PROVIDER_STAFF:
        return redirect("provider-orders")
    if role in (Role.MANAGER, Role.ADMIN):
        return redirect("aggregates")
    if role == Role.COMMITTEE:
        return redirect("committee-queue")
    return redirect("my-page")


@login_required
def aggregates(request):
    policy.require(request.user, policy.VIEW_AGGREGATES)
    return render(request, "core/aggregates.html", {"figures": municipality_figures(request.user.municipality)})


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
    if filters["username"]:
        qs = qs.filter(username__icontains=filters["username"])
    if filters["citizen"].isdigit():
        qs = qs.filter(citizen_id_ref=int(filters["citizen"]))
    if filters["action"] in AuditEvent.Action.values:
        qs = qs.filter(action=filters["action"])
    if filters["date_from"]:
        qs = qs.filter(at__date__gte=filters["date_from"])
    if filters["date_to"]:
        qs = qs.filter(at__date__lte=filters["date_to"])
    page = Paginator(qs, 50).get_page(request.GET.get("side"))
    return render(
        request, "core/audit_log.html", {"page": page, "filters": filters, "actions": AuditEvent.Action.choices}
    )
