from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from samplan.core import audit, policy
from samplan.core.models import AuditEvent

from .cpr import format_cpr
from .forms import CitizenForm
from .models import Citizen
from .search import search_citizens
from .services import register_citizen


@login_required
def citizen_search(request):
    policy.require(request.user, policy.SEARCH_CITIZENS)
    # POST keeps names and CPR numbers out of URLs, server access logs and browser history.
    query = request.POST.get("q", "") if request.method == "POST" else ""
    results = list(search_citizens(request.user, query).select_related("caseworker")[:50]) if query.strip() else []
    if query.strip():
        # The query itself may be a CPR number: log that a search happened, not its text.
        audit.record(request.user, AuditEvent.Action.SEARCH, object_type="citizens.Citizen", after={"results": len(results)})
    template = "citizens/_search_results.html" if request.htmx else "citizens/search.html"
    return render(
        request,
        template,
        {"query": query, "results": results, "can_create": policy.has_capability(request.user, policy.CREATE_CITIZEN)},
    )


@login_required
def citizen_create(request):
    policy.require(request.user, policy.CREATE_CITIZEN)
    form = CitizenForm(request.POST or None, municipality=request.user.municipality)
    if request.method == "POST" and form.is_valid():
        try:
            citizen = register_citizen(request.user, **form.cleaned_data)
        except ValidationError as e:
            form.add_domain_error(e)
        else:
            messages.success(request, f"{citizen.full_name} er oprettet.")
            return redirect("citizen-overview", pk=citizen.pk)
    return render(request, "citizens/create.html", {"form": form}, status=400 if form.errors else 200)


def _visible_citizen(request, pk) -> Citizen:
    citizen = get_object_or_404(policy.citizens_for(request.user), pk=pk)
    policy.require(request.user, policy.VIEW, citizen)
    return citizen


@login_required
@require_POST
def reveal_cpr(request, pk):
    citizen = _visible_citizen(request, pk)
    policy.require(request.user, policy.REVEAL_CPR, citizen)
    audit.record(request.user, AuditEvent.Action.REVEAL_CPR, citizen)
    return render(request, "citizens/_cpr.html", {"citizen": citizen, "cpr": format_cpr(citizen.cpr)})
