"""Pages for the CHIME self-rating (trivsel): the citizen's own pages in the portal and
the staff page on a citizen. Thin: the policy decides access, services do the rest.
Every page view writes one audit READ row; each new response is audited by the service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from samplan.core import audit, idempotency, policy
from samplan.core.steps import FAILED, apply
from samplan.portal.decorators import citizen_required

from . import services
from .chart import trend_chart
from .forms import ResponseForm
from .models import Response


def _version():
    version = services.current_version()
    if version is None:
        raise Http404("Spørgeskemaet findes ikke.")
    return version


def _submit(request, form, citizen, version, *, channel, with_staff, then: str) -> HttpResponse | bool:
    """Whether the answers were saved, or the redirect of a repeated submit (once per form
    token: the same answers sent twice are one response)."""

    def run(d):
        return services.submit_response(request.user, citizen, version, form.answers(), channel=channel, with_staff=with_staff)

    result = idempotency.submit_once(request, lambda: apply(form, run), lambda _: then)
    return result if isinstance(result, HttpResponse) else result is not FAILED


def _trend_context(citizen, version, *, own: bool):
    trend = services.trend(citizen, version=version)
    return {
        "citizen": citizen,
        "version": version,
        "trend": trend,
        "own": own,
        "chart": trend_chart(trend, title="Udvikling i dine svar" if own else f"Udvikling i {citizen.first_name}s svar"),
    }


@citizen_required
def my_recovery(request):
    citizen = policy.require_own_citizen(request.user)
    version = _version()
    audit.record_read(request.user, citizen, object_type="questionnaires.Response", after={"shown": "my_recovery"})
    return render(request, "questionnaires/my_recovery.html", _trend_context(citizen, version, own=True))


@citizen_required
def my_recovery_new(request):
    citizen = policy.require_own_citizen(request.user)
    version = _version()
    items = services.items_of(version)
    form = ResponseForm(items, request.POST or None)
    if request.method == "POST":
        done = _submit(
            request, form, citizen, version, channel=Response.Channel.PORTAL, with_staff=False, then=reverse("my-recovery")
        )
        if isinstance(done, HttpResponse):
            return done
        if done:
            messages.success(request, "Tak! Dine svar er gemt.")
            return redirect("my-recovery")
    else:
        audit.record_read(request.user, citizen, object_type="questionnaires.Response", after={"shown": "my_recovery_new"})
    return render(
        request,
        "questionnaires/my_recovery_new.html",
        {
            "citizen": citizen,
            "version": version,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@login_required
def citizen_recovery(request, citizen_pk):
    citizen = policy.get_citizen(request.user, citizen_pk, policy.VIEW)
    version = _version()
    can_fill = policy.can(request.user, policy.WORK_CASE, citizen)
    form = ResponseForm(services.items_of(version), request.POST or None) if can_fill else None
    status = 200
    if request.method == "POST":
        policy.require(request.user, policy.WORK_CASE, citizen)
        done = _submit(
            request,
            form,
            citizen,
            version,
            channel=Response.Channel.STAFF,
            with_staff=True,
            then=reverse("citizen-recovery", kwargs={"citizen_pk": citizen.pk}),
        )
        if isinstance(done, HttpResponse):
            return done
        if done:
            messages.success(request, f"Svarene fra {citizen.full_name} er gemt.")
            return redirect("citizen-recovery", citizen_pk=citizen.pk)
        status = 400
    audit.record_read(request.user, citizen, object_type="questionnaires.Response", after={"shown": "citizen_recovery"})
    context = _trend_context(citizen, version, own=False)
    context.update(form=form, can_fill=can_fill)
    return render(request, "questionnaires/citizen_recovery.html", context, status=status)
