"""Thin views of access requests: fetch through the policy, call a service, render."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST, require_safe

from samplan.core import audit, policy
from samplan.core.steps import form_step

from . import services
from .forms import AccessRequestForm, StepForm
from .models import AccessExport, AccessRequest


@login_required
def request_create(request, pk):
    citizen = policy.get_citizen(request.user, pk, policy.ACCESS_REQUEST_WORK)
    audit.record_read(request.user, citizen, after={"shown": "access_request_form"})
    return form_step(
        request,
        AccessRequestForm(request.POST or None),
        lambda data: services.register_request(request.user, citizen, **data),
        success="Anmodningen om aktindsigt er registreret.",
        then=lambda r: ("access-request-detail", r.pk),
        template="access_requests/request_form.html",
        context={"citizen": citizen},
    )


def _get(request, pk, action) -> AccessRequest:
    return policy.get_object(request.user, AccessRequest.objects.select_related("citizen", "letter"), pk, action)


def _context(request, access_request: AccessRequest, form=None) -> dict:
    return {
        "access_request": access_request,
        "citizen": access_request.citizen,
        "exports": list(access_request.exports.defer("pdf", "data")),
        "can_work": policy.can(request.user, policy.ACCESS_REQUEST_WORK, access_request),
        "step_form": form or StepForm(initial={"version": access_request.row_version}),
    }


@login_required
@require_safe
def request_detail(request, pk):
    access_request = _get(request, pk, policy.ACCESS_REQUEST_VIEW)
    audit.record_read(request.user, access_request)
    return render(request, "access_requests/request_detail.html", _context(request, access_request))


def _step(request, pk, run, success: str):
    access_request = _get(request, pk, policy.ACCESS_REQUEST_WORK)
    form = StepForm(request.POST)
    return form_step(
        request,
        form,
        lambda data: run(access_request, data["version"]),
        success=success,
        then=("access-request-detail", access_request.pk),
        template="access_requests/request_detail.html",
        context=_context(request, access_request, form),
    )


@login_required
@require_POST
def request_generate(request, pk):
    return _step(request, pk, lambda r, v: services.request_export(request.user, r, v), "Udtrækket laves i baggrunden.")


@login_required
@require_POST
def request_letter(request, pk):
    return _step(request, pk, lambda r, v: services.make_letter(request.user, r, v), "Brevet er lavet som kladde.")


@login_required
@require_safe
def export_download(request, pk, export_pk, kind):
    access_request = _get(request, pk, policy.ACCESS_REQUEST_VIEW)
    made = get_object_or_404(AccessExport.objects.select_related("citizen"), pk=export_pk, request=access_request)
    body = services.read_export(request.user, made, kind)
    content_type = "application/pdf" if kind == "pdf" else "application/json; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="aktindsigt-{made.pk}.{kind}"'
    response["Cache-Control"] = "no-store"
    return response
