from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_POST

from samplan.core import audit, policy
from samplan.core.models import AuditEvent
from samplan.core.steps import form_step

from .cpr import format_cpr
from .forms import CitizenForm, MasterDataForm
from .search import search_citizens
from .services import register_citizen, update_master_data


@login_required
def citizen_search(request):
    policy.require(request.user, policy.SEARCH_CITIZENS)
    # POST keeps names and CPR numbers out of URLs, server access logs and browser history.
    query = request.POST.get("q", "") if request.method == "POST" else ""
    results = list(search_citizens(request.user, query).select_related("caseworker")[:50]) if query.strip() else []
    if query.strip():
        # The query itself may be a CPR number: log that a search happened, not its text,
        # and one row per citizen found, so the citizen's own access log shows the search.
        after = {"results": len(results)}
        if not audit.record_reads(
            request.user, results, object_type="citizens.Citizen", action=AuditEvent.Action.SEARCH, after=after
        ):
            audit.record(request.user, AuditEvent.Action.SEARCH, object_type="citizens.Citizen", after=after)
    template = "citizens/_search_results.html" if request.htmx else "citizens/search.html"
    return render(
        request,
        template,
        {"query": query, "results": results, "can_create": policy.has_capability(request.user, policy.CREATE_CITIZEN)},
    )


@login_required
def citizen_create(request):
    policy.require(request.user, policy.CREATE_CITIZEN)
    return form_step(
        request,
        CitizenForm(request.POST or None, municipality=request.user.municipality),
        lambda data: register_citizen(request.user, **data),
        success=lambda citizen: f"{citizen.full_name} er oprettet.",
        then=lambda citizen: ("citizen-overview", citizen.pk),
        template="citizens/create.html",
        context={},
    )


@login_required
@require_POST
def reveal_cpr(request, pk):
    citizen = policy.get_citizen(request.user, pk, policy.REVEAL_CPR)
    audit.record(request.user, AuditEvent.Action.REVEAL_CPR, citizen)
    return render(request, "citizens/_cpr.html", {"citizen": citizen, "cpr": format_cpr(citizen.cpr)})


@login_required
def citizen_master_data(request, pk):
    """Correct the citizen's master data (stamdata); a GET shows them (an audited read)."""
    citizen = policy.get_citizen(request.user, pk, policy.EDIT_CITIZEN)
    if request.method != "POST":
        audit.record_read(request.user, citizen, after={"shown": "master_data"})
    form = MasterDataForm(request.POST or None, citizen=citizen)

    def run(data: dict):
        fields = {k: v for k, v in data.items() if k != "version"}
        return update_master_data(request.user, citizen, expected_version=data["version"], **fields)

    return form_step(
        request,
        form,
        run,
        success="Stamdata er gemt.",
        then=("citizen-overview", citizen.pk),
        template="citizens/master_data.html",
        context={"citizen": citizen},
    )
