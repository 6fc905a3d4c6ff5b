"""Correcting an open assessment's conditions: change one's level and description, or
remove one registered by mistake. POST only; with HTMX only the conditions section (and
the one message region) is swapped, so saved-messages never pile up."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from samplan.core import policy
from samplan.core.steps import FAILED, apply, status_of

from . import services
from .forms import ConditionChangeForm, ConditionForm, ConditionRemoveForm
from .models import Assessment, Condition


def change_form(condition: Condition, version: int, data=None) -> ConditionChangeForm:
    initial = {"functioning_level": condition.functioning_level, "description": condition.description, "version": version}
    return ConditionChangeForm(data, prefix=f"c{condition.pk}", initial=initial)


def conditions_context(
    request: HttpRequest,
    assessment: Assessment,
    *,
    condition_form: ConditionForm | None = None,
    failed: tuple[int, ConditionChangeForm] | None = None,
) -> dict:
    """What `cases/_conditions.html` shows: the list, the add form and, while the
    assessment is open, one change form per condition (a refused one with its errors)."""
    can_work = policy.can(request.user, policy.WORK_CASE, assessment) and assessment.status == Assessment.Status.DRAFT
    conditions = list(assessment.conditions.select_related("theme").order_by("id"))
    rows = []
    for c in conditions:
        form = failed[1] if failed and failed[0] == c.pk else change_form(c, assessment.row_version)
        rows.append({"condition": c, "form": form if can_work else None})
    return {
        "assessment": assessment,
        "condition_rows": rows,
        "condition_form": condition_form or ConditionForm(initial={"version": assessment.row_version}),
        "remove_version": assessment.row_version,
        "can_work": can_work,
    }


def conditions_response(request: HttpRequest, assessment: Assessment, *, status: int = 200, **kwargs) -> HttpResponse:
    """The HTMX answer: the conditions section, the completion form's new version and the
    message region, each swapped in place."""
    context = conditions_context(request, assessment, **kwargs)
    context |= {"oob_version": assessment.row_version, "oob_messages": True}
    return render(request, "cases/_conditions.html", context, status=status)


def _open(request: HttpRequest, pk: int, condition_pk: int) -> tuple[Assessment, Condition]:
    assessment = policy.get_object(request.user, Assessment.objects.select_related("case__citizen"), pk, policy.WORK_CASE)
    condition = assessment.conditions.select_related("theme", "assessment").filter(pk=condition_pk).first()
    if condition is None:
        raise Http404("Tilstanden findes ikke.")
    return assessment, condition


def _answer(request: HttpRequest, assessment: Assessment, saved: bool, status: int, **kwargs) -> HttpResponse:
    assessment.refresh_from_db()
    if getattr(request, "htmx", False):
        return conditions_response(request, assessment, status=200 if saved else status, **kwargs)
    if saved:
        return redirect("assessment", pk=assessment.pk)
    from .views import assessment_page  # the full page around the section

    return assessment_page(request, assessment, status=status, **kwargs)


@login_required
@require_POST
def condition_change(request: HttpRequest, pk: int, condition_pk: int) -> HttpResponse:
    assessment, condition = _open(request, pk, condition_pk)
    form = change_form(condition, assessment.row_version, request.POST)

    def run(data: dict) -> Condition:
        return services.change_condition(
            request.user,
            condition,
            functioning_level=data["functioning_level"],
            description=data["description"],
            expected_version=data["version"],
        )

    saved = apply(form, run) is not FAILED
    if saved:
        messages.success(request, f"Tilstanden »{condition.theme.display}« er rettet.")
    return _answer(request, assessment, saved, status_of(form), failed=None if saved else (condition.pk, form))


@login_required
@require_POST
def condition_remove(request: HttpRequest, pk: int, condition_pk: int) -> HttpResponse:
    assessment, condition = _open(request, pk, condition_pk)
    form = ConditionRemoveForm(request.POST)
    theme = condition.theme.display
    saved = (
        apply(form, lambda data: services.remove_condition(request.user, condition, expected_version=data["version"]))
        is not FAILED
    )
    if saved:
        messages.success(request, f"Tilstanden »{theme}« er fjernet.")
    else:
        for error in form.non_field_errors() or [e for errors in form.errors.values() for e in errors]:
            messages.error(request, str(error))
    return _answer(request, assessment, saved, status_of(form))
