"""Thin views of appeals: fetch through the policy, validate, call a service, render."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from samplan.cases.models import Case, Grant
from samplan.core import audit, policy
from samplan.core.steps import form_step

from . import services
from .forms import AppealForm, ForwardForm, ReconsiderForm, ResultForm
from .models import Appeal

LIST_LIMIT = 200


def _appeals():
    return Appeal.objects.select_related("citizen", "decision__case", "new_grant")


@login_required
def appeal_create(request, pk):
    case = policy.get_object(request.user, Case.objects.select_related("citizen", "decision"), pk, policy.APPEAL_WORK)
    decision = getattr(case, "decision", None)
    audit.record_read(request.user, case, after={"shown": "appeal_form"})
    return form_step(
        request,
        AppealForm(request.POST or None),
        lambda data: services.register_appeal(request.user, decision, **data),
        success="Klagen er registreret.",
        then=lambda appeal: ("appeal-detail", appeal.pk),
        template="appeals/appeal_form.html",
        context={"case": case, "decision": decision, "citizen": case.citizen},
    )


def _forms(appeal: Appeal, **bound) -> dict:
    version = {"version": appeal.row_version}
    grants = Grant.objects.filter(case_id=appeal.decision.case_id).order_by("-version")
    return {
        "reconsider_form": bound.get("reconsider") or ReconsiderForm(initial=version, grants=grants),
        "forward_form": bound.get("forward") or ForwardForm(initial=version),
        "result_form": bound.get("result") or ResultForm(initial=version),
    }


def _context(request, appeal: Appeal, **bound) -> dict:
    return {
        "appeal": appeal,
        "citizen": appeal.citizen,
        "events": list(appeal.events.select_related("by")),
        "can_work": policy.can(request.user, policy.APPEAL_WORK, appeal),
        "today": timezone.localdate(),
    } | _forms(appeal, **bound)


@login_required
@require_safe
def appeal_detail(request, pk):
    appeal = policy.get_object(request.user, _appeals(), pk, policy.APPEAL_VIEW)
    audit.record_read(request.user, appeal)
    return render(request, "appeals/appeal_detail.html", _context(request, appeal))


def _step(request, pk, form_class, run, success: str, key: str, grants=None):
    appeal = policy.get_object(request.user, _appeals(), pk, policy.APPEAL_WORK)
    form = form_class(request.POST, grants=grants(appeal)) if grants else form_class(request.POST)
    return form_step(
        request,
        form,
        lambda data: run(appeal, data),
        success=success,
        then=("appeal-detail", appeal.pk),
        template="appeals/appeal_detail.html",
        context=_context(request, appeal, **{key: form}) | {"failed_form": form},
    )


@login_required
@require_POST
def appeal_reconsider(request, pk):
    return _step(
        request,
        pk,
        ReconsiderForm,
        lambda appeal, d: services.reconsider(
            request.user,
            appeal,
            d["version"],
            upheld=d["upheld"],
            on=d["on"],
            justification=d["justification"],
            new_grant=d["new_grant"],
        ),
        "Genvurderingen er gemt.",
        "reconsider",
        grants=lambda appeal: Grant.objects.filter(case_id=appeal.decision.case_id),
    )


@login_required
@require_POST
def appeal_forward(request, pk):
    return _step(
        request,
        pk,
        ForwardForm,
        lambda appeal, d: services.forward(request.user, appeal, d["version"], on=d["on"]),
        "Klagen er sendt til Ankestyrelsen.",
        "forward",
    )


@login_required
@require_POST
def appeal_result(request, pk):
    return _step(
        request,
        pk,
        ResultForm,
        lambda appeal, d: services.record_result(request.user, appeal, d["version"], result=d["result"], on=d["on"]),
        "Ankestyrelsens afgørelse er gemt.",
        "result",
    )


@login_required
@require_safe
def appeal_list(request):
    policy.require(request.user, policy.LIST_APPEALS)
    appeals = list(
        policy.visible(request.user, _appeals().filter(status__in=Appeal.OPEN_STATUSES)).order_by("reconsideration_due", "pk")[
            :LIST_LIMIT
        ]
    )
    audit.record_reads(request.user, {a.citizen_id: a.citizen for a in appeals}.values(), object_type="appeals.Appeal")
    today = timezone.localdate()
    for a in appeals:
        a.days_left_today = a.days_left(today)
    return render(request, "appeals/appeal_list.html", {"appeals": appeals, "today": today})
