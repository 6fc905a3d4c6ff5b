"""Thin views of the case spine: fetch through the policy, call a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from samplan.core import audit, policy
from samplan.core.steps import FAILED, apply, form_step, status_of

from . import measures, order_views, reports, services
from .aggregates import municipality_figures
from .condition_views import conditions_context, conditions_response
from .consultations import consultation_state, decision_summary
from .forms import (
    CompleteAssessmentForm,
    ConditionForm,
    DecisionForm,
    FirstContactForm,
    FollowUpForm,
    GrantForm,
    InquiryForm,
    OrderForm,
    order_goals_text,
)
from .models import Assessment, Case, Condition, FollowUp, Grant, Order
from .overview import citizen_timeline
from .worklists import caseworker_worklist, provider_orders


def _get(request, queryset, pk, action=policy.VIEW):
    """An object of the spine for ``action``: 404 or 403 as the policy decides."""
    return policy.get_object(request.user, queryset, pk, action)


def _render_form(request, template, context, form):
    return render(request, template, context | {"form": form}, status=400 if form.is_bound and form.errors else 200)


@login_required
def worklist(request):
    policy.require(request.user, policy.VIEW_CASEWORKER_WORKLIST)
    context = caseworker_worklist(request.user) | {
        "can_note": policy.keeps_notes(request.user),
        # A coordinator coordinates and does not work cases: their own counters, and links they may open.
        "works_cases": policy.has_capability(request.user, policy.WORK_CASES),
    }
    # Every row of the list is one of "my citizens", so the citizens list names them all.
    audit.record_reads(request.user, context["citizens"], object_type="citizens.Citizen", after={"shown": "worklist"})
    return render(request, "cases/worklist.html", context)


@login_required
def orders(request):
    policy.require(request.user, policy.VIEW_PROVIDER_WORKLIST)
    orders = provider_orders(request.user)
    audit.record_reads(request.user, (o.citizen for o in orders), object_type="cases.Order", after={"shown": "provider_orders"})
    return render(request, "cases/provider_orders.html", {"orders": orders})


@login_required
def citizen_overview(request, pk):
    """The citizen's page: the whole story in time order (``overview.citizen_timeline``)."""
    citizen = policy.get_citizen(request.user, pk, policy.VIEW)
    audit.record_read(request.user, citizen)
    context = citizen_timeline(citizen, request.user)
    context.update(
        citizen=citizen,
        can_work=policy.can(request.user, policy.WORK_CASE, citizen),
        can_reveal=policy.can(request.user, policy.REVEAL_CPR, citizen),
        can_documents=policy.can(request.user, policy.VIEW_DOCUMENT, citizen),
        can_upload_document=policy.can(request.user, policy.UPLOAD_DOCUMENT, citizen),
        can_note=policy.can(request.user, policy.NOTE_WRITE, citizen),
        can_edit_master_data=policy.can(request.user, policy.EDIT_CITIZEN, citizen),
    )
    return render(request, "citizens/overview.html", context)


@login_required
def inquiry_create(request, pk):
    citizen = policy.get_citizen(request.user, pk, policy.WORK_CASE)
    audit.record_read(request.user, citizen, after={"shown": "inquiry_form"})
    return form_step(
        request,
        InquiryForm(request.POST or None),
        lambda data: services.register_inquiry(request.user, citizen, **data),
        success=lambda inquiry: f"Henvendelsen er registreret på sag {inquiry.case.case_number}.",
        then=lambda inquiry: ("case-detail", inquiry.case.pk),
        template="cases/inquiry_form.html",
        context={"citizen": citizen},
    )


@login_required
def case_detail(request, pk):
    case = _get(
        request,
        Case.objects.select_related("citizen", "inquiry", "caseworker").prefetch_related(
            Prefetch(
                "assessments",
                queryset=Assessment.objects.prefetch_related(
                    Prefetch("conditions", queryset=Condition.objects.select_related("theme").order_by("theme__sort_key"))
                ),
            ),
            Prefetch(
                "grants",
                queryset=Grant.objects.select_related("offer", "standard_version").prefetch_related(
                    "services",
                    "target_groups__target_group",
                    "goals__goal_type",
                    "goals__condition__theme",
                    "orders__provider",
                    "follow_ups",
                    "reviews",
                    "next_version",
                ),
            ),
        ),
        pk,
    )
    audit.record_read(request.user, case)
    can_work = policy.can(request.user, policy.WORK_CASE, case)
    decision = getattr(case, "decision", None)
    consultations = consultation_state(case)
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "can_work": can_work,
            "can_note": policy.can(request.user, policy.NOTE_WRITE, case.citizen),
            "decision": decision,
            "consultations": consultations,
            "consultation_summary": decision_summary(decision, consultations),
            "contact_form": FirstContactForm() if can_work and not case.inquiry.first_contact_at else None,
            "can_upload_document": policy.can(request.user, policy.UPLOAD_DOCUMENT, case),
        },
    )


@login_required
@require_POST
def first_contact(request, pk):
    case = _get(request, Case.objects.select_related("inquiry", "citizen"), pk, policy.WORK_CASE)
    return form_step(
        request,
        FirstContactForm(request.POST),
        lambda data: services.record_first_contact(
            request.user, case.inquiry, data["first_contact_at"], how=data["how"], note=data["note"]
        ),
        success="Første kontakt er registreret.",
        then=("case-detail", case.pk),
        template="cases/first_contact_form.html",
        context={"case": case},
    )


@login_required
@require_POST
def assessment_start(request, pk):
    case = _get(request, Case.objects.select_related("inquiry", "citizen"), pk, policy.WORK_CASE)
    try:
        assessment = services.start_assessment(request.user, case)
    except ValidationError as e:
        for m in e.messages:
            messages.error(request, m)
        return redirect("case-detail", pk=case.pk)
    return redirect("assessment", pk=assessment.pk)


def _assessment(request, pk, action=policy.VIEW):
    return _get(request, Assessment.objects.select_related("case__citizen", "support_need"), pk, action)


def assessment_page(request, obj, *, condition_form=None, complete_form=None, failed=None, status=200):
    context = conditions_context(request, obj, condition_form=condition_form, failed=failed)
    context |= {
        "case": obj.case,
        "complete_form": complete_form
        or CompleteAssessmentForm(
            initial={"citizen_wishes": obj.citizen_wishes, "resources": obj.resources, "version": obj.row_version}
        ),
    }
    return render(request, "cases/assessment.html", context, status=status)


@login_required
def assessment(request, pk):
    obj = _assessment(request, pk)
    audit.record_read(request.user, obj)
    return assessment_page(request, obj)


@login_required
@require_POST
def assessment_condition(request, pk):
    """Add one condition (tilstand); with HTMX only the conditions are swapped."""
    obj = _assessment(request, pk, policy.WORK_CASE)
    form = ConditionForm(request.POST)
    saved = apply(form, lambda data: services.set_condition(request.user, obj, **_versioned(data))) is not FAILED
    if saved:
        messages.success(request, "Tilstanden er gemt.")
    if request.htmx:
        return conditions_response(request, obj, condition_form=None if saved else form, status=200 if saved else status_of(form))
    if saved:
        return redirect("assessment", pk=obj.pk)
    return assessment_page(request, obj, condition_form=form, status=status_of(form))


@login_required
@require_POST
def assessment_complete(request, pk):
    obj = _assessment(request, pk, policy.WORK_CASE)
    form = CompleteAssessmentForm(request.POST)
    if apply(form, lambda data: services.complete_assessment(request.user, obj, **_versioned(data))) is not FAILED:
        messages.success(request, "Udredningen er afsluttet. Sagen afventer afgørelse.")
        return redirect("case-detail", pk=obj.case_id)
    obj.refresh_from_db()  # a refused service may have set fields on it before the database said no
    return assessment_page(request, obj, complete_form=form, status=status_of(form))


def _versioned(data: dict) -> dict:
    """A versioned form's cleaned data as service arguments: ``version`` → ``expected_version``."""
    data = dict(data)
    data["expected_version"] = data.pop("version")
    return data


@login_required
def decision_create(request, pk):
    case = _get(request, Case.objects.select_related("citizen"), pk, policy.WORK_CASE)
    audit.record_read(request.user, case, after={"shown": "decision_form"})
    return form_step(
        request,
        DecisionForm(request.POST or None, case=case),
        lambda data: services.make_decision(request.user, case, **data),
        success="Afgørelsen er gemt.",
        then=("case-detail", case.pk),
        template="cases/decision_form.html",
        context={"case": case, "consultations": consultation_state(case)},
    )


def _spec_from(d: dict) -> services.GrantSpec:
    return services.GrantSpec(
        legal_basis=d["legal_basis"],
        services=d["services"],
        offer=d["offer"],
        scope_amount=d["scope_amount"],
        scope_unit=d["scope_unit"],
        start_date=d["start_date"],
        end_date=d.get("end_date"),
        primary_target_group=d["primary_target_group"],
        secondary_target_groups=d.get("secondary_target_groups") or [],
        goals=[
            services.GoalSpec(
                goal_type=d["goal_type"],
                target_level=d["target_level"],
                condition=d["goal_condition"],
                description=d.get("goal_description", ""),
            )
        ],
        change_reason=d.get("change_reason", ""),
        deviation_justification=d.get("deviation_justification", ""),
        assessed_hours_week=d.get("assessed_hours_week"),
    )


def _grant_saved_message(grant) -> str:
    if grant.status == Grant.Status.PENDING:
        return "Bevillingen er sendt til visitationsudvalget. Den træder først i kraft, når den er godkendt."
    return "Bevillingen er gemt og trådt i kraft, og opfølgningen er planlagt efter kvalitetsstandarden."


def _grant_page(request, case, form, save, *, grant=None):
    """Create and change share one page: the standard's verdict beside the form, updated as
    the caseworker types (HTMX) or by the 'Vurdér' button without JavaScript."""
    assessment = case.decision.assessment
    inputs = form.evaluation_inputs() if form.is_bound else None
    evaluation = services.preview_grant(case, assessment, replaces=grant, **inputs) if inputs else None
    context = {"case": case, "grant": grant, "change": grant is not None, "evaluation": evaluation}
    if request.htmx and "evaluate" in request.POST:
        return render(request, "cases/_evaluation.html", context)
    if "evaluate" in request.POST:
        return render(request, "cases/grant_form.html", context | {"form": form})
    return form_step(
        request,
        form,
        save,
        success=_grant_saved_message,
        then=("case-detail", case.pk),
        template="cases/grant_form.html",
        context=context,
    )


@login_required
def grant_create(request, pk):
    case = _get(request, Case.objects.select_related("citizen", "decision__assessment"), pk, policy.WORK_CASE)
    decision = getattr(case, "decision", None)
    if decision is None:
        messages.error(request, "Der er endnu ikke truffet afgørelse på sagen.")
        return redirect("case-detail", pk=case.pk)
    audit.record_read(request.user, case, after={"shown": "grant_form"})
    form = GrantForm(
        request.POST or None,
        initial={"legal_basis": decision.legal_basis},
        municipality=case.municipality,
        assessment=decision.assessment,
    )
    return _grant_page(request, case, form, lambda data: services.create_grant(request.user, decision, _spec_from(data)))


@login_required
def grant_change(request, pk):
    grant = _get(
        request,
        Grant.objects.select_related("case__citizen", "case__decision__assessment", "decision__assessment"),
        pk,
        policy.WORK_CASE,
    )
    audit.record_read(request.user, grant, after={"shown": "grant_change_form"})
    form = GrantForm(
        request.POST or None,
        initial=GrantForm.initial_from(grant),
        municipality=grant.case.municipality,
        assessment=grant.decision.assessment,
        change=True,
    )
    return _grant_page(
        request, grant.case, form, lambda data: services.change_grant(request.user, grant, _spec_from(data)), grant=grant
    )


@login_required
def order_create(request, pk):
    grant = _get(
        request,
        Grant.objects.select_related("case__citizen", "offer").prefetch_related("goals__goal_type", "goals__condition__theme"),
        pk,
        policy.WORK_CASE,
    )
    audit.record_read(request.user, grant, after={"shown": "order_form"})
    return form_step(
        request,
        OrderForm(request.POST or None, initial={"goals": order_goals_text(grant)}),
        lambda data: services.create_order(request.user, grant, **data),
        success=f"Bestillingen er sendt til {grant.offer.name}.",
        then=("case-detail", grant.case_id),
        template="cases/order_form.html",
        context={"grant": grant, "case": grant.case},
    )


@login_required
def order_detail(request, pk):
    order = _get(request, order_views.order_queryset(), pk)
    audit.record_read(request.user, order)
    return render(request, "cases/order_detail.html", order_views.detail_context(request.user, order))


@login_required
@require_POST
def order_accept(request, pk):
    order = _get(request, Order.objects.select_related("citizen"), pk, policy.ACCEPT_ORDER)
    try:
        services.accept_order(request.user, order)
    except ValidationError as e:
        for m in e.messages:
            messages.error(request, m)
    else:
        messages.success(request, "Bestillingen er markeret som modtaget.")
    return redirect("order-detail", pk=order.pk)


@login_required
def follow_up(request, pk):
    fu = _get(request, FollowUp.objects.select_related("citizen", "grant__case", "grant__offer"), pk, policy.WORK_CASE)
    audit.record_read(request.user, fu, after={"shown": "follow_up_form"})
    rows = measures.goal_rows(fu)
    return form_step(
        request,
        FollowUpForm(request.POST or None, goal_rows=rows),
        lambda data: services.complete_follow_up(request.user, fu, **data),
        success="Opfølgningen er registreret.",
        then=("citizen-overview", fu.citizen_id),
        template="cases/follow_up_form.html",
        context={"follow_up": fu, "case": fu.grant.case, "provider_status": measures.latest_provider_status(fu)},
    )


@login_required
def aggregates(request):
    """Figures for managers, without names (``aggregates.municipality_figures``)."""
    policy.require(request.user, policy.VIEW_AGGREGATES)
    return render(request, "cases/aggregates.html", {"figures": municipality_figures(request.user.municipality)})


@login_required
def report_deadlines(request):
    policy.require(request.user, policy.VIEW_REPORTS)
    return render(request, "cases/report_deadlines.html", {"report": reports.deadline_compliance(request.user.municipality)})


@login_required
def report_deviations(request):
    """Managers see counts; staff who work with citizens also see the grants and the
    written justifications of the citizens they may see."""
    policy.require(request.user, policy.VIEW_REPORTS)
    grants = reports.deviating_grants(request.user)
    # The justifications may be health data: each citizen listed gets a row.
    audit.record_reads(request.user, (g.case.citizen for g in grants), object_type="cases.Grant", after={"shown": "deviations"})
    return render(
        request,
        "cases/report_deviations.html",
        {"counts": reports.deviation_counts(request.user.municipality), "grants": grants},
    )


@login_required
def decision_letter(request, pk):
    """The decision as the citizen receives it: plain Danish, the standard's summary of
    what to expect, and how to complain."""
    case = _get(
        request,
        Case.objects.select_related(
            "citizen", "caseworker", "municipality", "decision__standard_version", "decision__decided_by"
        ),
        pk,
    )
    decision = getattr(case, "decision", None)
    if decision is None:
        raise Http404("Der er ingen afgørelse på sagen.")
    audit.record_read(request.user, decision)
    return render(
        request, "cases/decision_letter.html", {"case": case, "decision": decision, "version": decision.standard_version}
    )
