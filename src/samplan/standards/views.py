from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from samplan.core import idempotency, policy

from .forms import StandardVersionForm
from .models import QualityStandard
from .services import new_version


def _standard(request, pk):
    policy.require(request.user, policy.VIEW_STANDARDS)
    return get_object_or_404(QualityStandard.objects.filter(municipality_id=request.user.municipality_id), pk=pk)


@login_required
def standard_list(request):
    policy.require(request.user, policy.VIEW_STANDARDS)
    standards = QualityStandard.objects.filter(municipality_id=request.user.municipality_id).prefetch_related("versions")
    return render(request, "standards/list.html", {"standards": standards})


@login_required
def standard_detail(request, pk):
    standard = _standard(request, pk)
    versions = list(standard.versions.order_by("-version").prefetch_related("target_groups"))
    wanted = request.GET.get("version", "")
    shown = next((v for v in versions if str(v.version) == wanted), versions[0] if versions else None)
    return render(
        request,
        "standards/detail.html",
        {
            "standard": standard,
            "versions": versions,
            "version": shown,
            "can_manage": policy.has_capability(request.user, policy.MANAGE_STANDARDS),
        },
    )


@login_required
def standard_new_version(request, pk):
    standard = _standard(request, pk)
    policy.require(request.user, policy.MANAGE_STANDARDS)
    latest = standard.versions.order_by("-version").first()
    form = StandardVersionForm(request.POST or None, instance=latest)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        # Once per form token: a repeated submit makes no second version.
        version = idempotency.submit_once(
            request,
            lambda: new_version(request.user, standard, rules=form.cleaned_data["rules"], **data),
            lambda _: reverse("standard-detail", args=[standard.pk]),
        )
        if isinstance(version, HttpResponse):
            return version
        messages.success(request, f"Version {version.version} er gemt. Eksisterende bevillinger beholder deres version.")
        return redirect("standard-detail", pk=standard.pk)
    return render(
        request, "standards/version_form.html", {"standard": standard, "form": form}, status=400 if form.errors else 200
    )
