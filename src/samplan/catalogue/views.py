"""Pages of the offer catalogue. The search and an offer's page are public (no login, no
personal data). Maintenance pages ask the access policy; changes go through services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST

from samplan.core import idempotency, policy
from samplan.core.steps import FAILED, apply, status_of
from samplan.terminology.models import Concept

from . import search, services
from .forms import OfferForm
from .models import Offer

PAGE_SIZE = 20


def catalogue_search(request):
    filters = search.Filters.from_params(request.GET)
    result = search.catalogue(filters)
    page = Paginator(result.offers, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"filters": filters, "facets": result.facets, "page": page, "kinds": Offer.Kind}
    partial = bool(request.htmx) and not request.htmx.history_restore_request
    response = render(request, "catalogue/_results.html" if partial else "catalogue/search.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _course_url(offer):
    """The course page of a recovery-school course in the catalogue, if there is one."""
    course = getattr(offer, "course", None)  # RelatedObjectDoesNotExist is an AttributeError
    return reverse("course-detail", args=[course.pk]) if course is not None else None


def _may_add_to_own_plan(user, offer) -> bool:
    """A logged-in citizen may put a public offer into their own plan (EDIT_OWN_PLAN)."""
    citizen = policy.own_citizen(user)
    return (
        citizen is not None
        and policy.can(user, policy.EDIT_OWN_PLAN, citizen)
        and search.public_offers().filter(pk=offer.pk).exists()
    )


def offer_detail(request, pk):
    offers = Offer.objects.select_related("owner", "standard", "municipality", "course").prefetch_related(
        Prefetch("target_groups", queryset=Concept.objects.order_by("sort_key")),
    )
    offer = get_object_or_404(offers, pk=pk)
    may_edit = policy.offers_editable_by(request.user).filter(pk=offer.pk).exists()
    if not offer.published and not may_edit:
        raise Http404("Siden findes ikke.")
    return render(
        request,
        "catalogue/detail.html",
        {
            "offer": offer,
            "standard_version": services.current_standard_version(offer),
            "course_url": _course_url(offer),
            "may_edit": may_edit,
            "may_add_to_plan": _may_add_to_own_plan(request.user, offer),
        },
    )


@login_required
def offer_manage(request):
    policy.require(request.user, policy.MANAGE_CATALOGUE)
    q = (request.GET.get("q") or "").strip()[:200]
    offers = search.search(policy.offers_editable_by(request.user), q).select_related("owner")
    page = Paginator(offers, 50).get_page(request.GET.get("page"))
    return render(request, "catalogue/manage.html", {"page": page, "q": q})


def _save(request, form, offer=None):
    """Run the service for the form; a refused change shows on the form (data kept)."""

    def run(d):
        if offer is None:
            return services.create_offer(request.user, **form.service_kwargs())
        return services.update_offer(request.user, offer, **form.service_kwargs())

    saved = apply(form, run)
    return None if saved is FAILED else saved


@login_required
def offer_create(request):
    policy.require(request.user, policy.MANAGE_CATALOGUE)
    form = OfferForm(request.POST or None, user=request.user)
    if request.method == "POST":
        # Once per form token: a repeated submit is sent to the offer the first one created.
        offer = idempotency.submit_once(
            request, lambda: _save(request, form) or FAILED, lambda o: reverse("catalogue-detail", args=[o.pk])
        )
        if isinstance(offer, HttpResponse):
            return offer
        if offer is not FAILED:
            messages.success(request, f"»{offer.title}« er oprettet.")
            return redirect("catalogue-detail", pk=offer.pk)
    return _form_page(request, form, None)


def _form_page(request, form, offer):
    fixed_owner = None if "owner" in form.fields else request.user.unit
    return render(
        request,
        "catalogue/offer_form.html",
        {"form": form, "offer": offer, "fixed_owner": fixed_owner},
        status=status_of(form) if form.errors else 200,
    )


def _editable(request, pk):
    policy.require(request.user, policy.MANAGE_CATALOGUE)
    return get_object_or_404(policy.offers_editable_by(request.user), pk=pk)


@login_required
def offer_edit(request, pk):
    offer = _editable(request, pk)
    form = OfferForm(request.POST or None, instance=offer, user=request.user)
    if request.method == "POST":
        saved = _save(request, form, offer)
        if saved is not None:
            messages.success(request, f"Ændringerne i »{saved.title}« er gemt.")
            return redirect("catalogue-detail", pk=saved.pk)
    return _form_page(request, form, offer)


@login_required
@require_POST
def offer_verify(request, pk):
    offer = services.verify_offer(request.user, _editable(request, pk))
    messages.success(request, f"Oplysningerne om »{offer.title}« er bekræftet i dag.")
    return redirect("catalogue-manage")
