"""Thin pages for the calculators: fetch through the policy, call a service, render.

Reads write one audit row; writes need ``policy.WORK_CASE`` and are audited by the
services. A refused form is shown again with what was typed (status 400)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from samplan.cases.models import Grant
from samplan.citizens.models import Citizen
from samplan.core import audit, idempotency, l10n, policy
from samplan.core.steps import FAILED

from . import services
from .forms import CompanionUsageForm, ExtraCostForm, ExtraCostItemFormSet, LedgerDateForm


@login_required
def companion_ledger(request, pk):
    grants = Grant.objects.filter(legal_basis=services.COMPANION_BASIS).select_related(
        "case__citizen", "standard_version", "offer"
    )
    grant = policy.get_object(request.user, grants, pk, policy.VIEW)
    today = timezone.localdate()
    status = 200

    date_form = LedgerDateForm(request.GET if "dato" in request.GET else None, initial={"dato": today})
    on = today
    if date_form.is_bound:
        if date_form.is_valid():
            on = date_form.cleaned_data["dato"] or today
        else:
            status = 400

    usage_form = CompanionUsageForm(initial={"used_on": today})
    if request.method == "POST":
        policy.require(request.user, policy.WORK_CASE, grant)
        usage_form = CompanionUsageForm(request.POST)

        def record():
            if not usage_form.is_valid():
                return FAILED
            data = usage_form.cleaned_data
            try:
                services.record_companion_usage(request.user, grant, data["used_on"], data["hours"], data["note"])
            except ValidationError as e:
                usage_form.add_domain_error(e)
                return FAILED
            return data

        # Once per form token: a double click draws the hours once.
        done = idempotency.submit_once(request, record, lambda _: reverse("companion-ledger", args=[grant.pk]))
        if isinstance(done, HttpResponse):
            return done
        if done is not FAILED:
            messages.success(request, f"{l10n.decimal(done['hours'])} timers ledsagelse er registreret.")
            return redirect("companion-ledger", pk=grant.pk)
        status = 400

    ledger, ledger_error = None, ""
    try:
        ledger = services.companion_ledger(grant, on)
    except ValidationError as e:
        ledger_error = " ".join(e.messages)
    audit.record_read(request.user, grant, after={"shown": "companion_ledger", "on": on.isoformat()})
    return render(
        request,
        "calculators/companion_ledger.html",
        {
            "grant": grant,
            "citizen": grant.case.citizen,
            "case": grant.case,
            "on": on,
            "today": today,
            "ledger": ledger,
            "ledger_error": ledger_error,
            "date_form": date_form,
            "form": usage_form,
            "can_work": policy.can(request.user, policy.WORK_CASE, grant) and grant.status == Grant.Status.ACTIVE,
        },
        status=status,
    )


@login_required
def extra_costs(request, pk):
    citizen = policy.get_citizen(request.user, pk, policy.VIEW, Citizen.objects.select_related("municipality"))
    today = timezone.localdate()
    form = ExtraCostForm(citizen, request.POST or None)
    item_forms = ExtraCostItemFormSet(request.POST or None, prefix="items")
    status = 200
    if request.method == "POST":
        policy.require(request.user, policy.WORK_CASE, citizen)
        form_ok, items_ok = form.is_valid(), item_forms.is_valid()

        def calculate():
            if not (form_ok and items_ok):
                return FAILED
            data = form.cleaned_data
            try:
                return services.calculate_extra_costs(
                    request.user,
                    citizen,
                    items=item_forms.items(),
                    application_received=data["application_received"],
                    calculated_on=data["calculated_on"],
                    on_demand=data["on_demand"],
                    grant=data["grant"],
                )
            except ValidationError as e:
                form.add_domain_error(e)
                return FAILED

        def shown_url(calculation) -> str:
            return f"{reverse('extra-costs', args=[citizen.pk])}?beregning={calculation.pk}"

        # Once per form token: a repeated submit shows the first calculation, makes no second.
        calculation = idempotency.submit_once(request, calculate, shown_url)
        if isinstance(calculation, HttpResponse):
            return calculation
        if calculation is not FAILED:
            messages.success(request, "Beregningen er gemt.")
            return redirect(shown_url(calculation))
        if not items_ok:
            form.add_error(None, "Ret fejlene i merudgifterne nedenfor.")
        status = 400

    # Through the policy: provider staff see the citizen but not the authority's §100 calculations.
    history = list(
        policy.visible(request.user, citizen.extra_cost_calculations.all())
        .select_related("standard_version", "created_by", "grant")
        .order_by("-calculated_on", "-id")
    )
    wanted = request.GET.get("beregning", "")
    shown = next((c for c in history if str(c.pk) == wanted), history[0] if history else None)
    version = services.extra_costs_version_in_force(citizen.municipality, today)
    rules_error = ""
    if version is None:
        rules_error = "Der er ingen kvalitetsstandard for § 100 i kraft i dag, så tilskuddet kan ikke beregnes."
    else:
        try:
            services.extra_cost_params_for(version)
        except ValidationError as e:
            rules_error = " ".join(e.messages)
    audit.record_read(request.user, citizen, after={"shown": "extra_costs", "calculations": [c.pk for c in history]})
    return render(
        request,
        "calculators/extra_costs.html",
        {
            "citizen": citizen,
            "form": form,
            "items": item_forms,
            "history": history,
            "shown": shown,
            "latest": history[0] if history else None,
            "version": version,
            "rules_error": rules_error,
            "can_work": policy.can(request.user, policy.WORK_CASE, citizen),
        },
        status=status,
    )
