"""Consent pages: the citizen's own (/mit/samtykke/) and the caseworker's for a citizen.
Thin: fetch through the policy, validate, call a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from samplan.core import audit, idempotency, policy
from samplan.core.models import AuditEvent
from samplan.core.steps import FAILED, apply
from samplan.portal.decorators import citizen_required

from . import network, services
from .forms import ConsentChangeForm, NetworkMemberForm
from .models import ConsentEvent


@citizen_required  # the citizen only, with Min side's second factor like the other /mit/ pages
def my_consents(request):
    return _consent_page(request, policy.require_own_citizen(request.user), own=True)


@login_required
def citizen_consents(request, pk):
    citizen = policy.get_citizen(request.user, pk, policy.WORK_CASE)  # the staff page: caseworkers only
    return _consent_page(request, citizen, own=False)


def _added(request, citizen, form, own, url: str) -> HttpResponse | None:
    """Add a person to the citizen's network from ``form`` (shared by both pages): the
    redirect back to ``url``, or None when refused. Once per form token: a repeated submit
    adds no second person."""
    member = idempotency.submit_once(
        request, lambda: apply(form, lambda data: services.add_member(request.user, citizen, **data)), lambda _: url
    )
    if isinstance(member, HttpResponse):
        return member
    if member is FAILED:
        return None
    messages.success(request, f"{member.display_name} er tilføjet til {'dit' if own else 'borgerens'} netværk.")
    return redirect(url)


def _rows(citizen, state=None):
    state = services.current_for(citizen) if state is None else state
    return [
        {
            "member": m,
            "cells": [
                {"kind": k, "label": label, "granted": state.get(m.pk, {}).get(k, False)}
                for k, label in ConsentEvent.Kind.choices
            ],
        }
        for m in citizen.network.select_related("user").order_by("id")
    ]


def _consent_page(request, citizen, *, own):
    url = request.path
    member_form = NetworkMemberForm(prefix="ny")
    status = 200
    if request.method == "POST":
        if request.POST.get("handling") == "tilfoej":
            member_form = NetworkMemberForm(request.POST, prefix="ny")
            if (done := _added(request, citizen, member_form, own, url)) is not None:
                return done
            status = 400
        else:
            return _change(request, citizen, url, own)
    audit.record(request.user, AuditEvent.Action.READ, None, citizen=citizen, object_type="consent.ConsentEvent")
    context = {
        "citizen": citizen,
        "own": own,
        "rows": _rows(citizen),
        "history": services.history(citizen, request.user),
        "member_form": member_form,
        "kinds": ConsentEvent.Kind.choices,
        "url": url,
    }
    template = "consent/my_consents.html" if own else "consent/citizen_consents.html"
    return render(request, template, context, status=status)


def _change(request, citizen, url, own):
    form = ConsentChangeForm(request.POST)
    if not form.is_valid():
        return render(request, "consent/_bad_request.html", status=400)
    member = get_object_or_404(citizen.network, pk=form.cleaned_data["member"])
    do = services.give if form.cleaned_data["granted"] else services.withdraw
    event = do(request.user, member, form.cleaned_data["kind"], form.cleaned_data["note"])
    label = ConsentEvent.Kind(form.cleaned_data["kind"]).label.lower()
    if event is None:
        text = "Samtykket var allerede sådan – intet er ændret."
    elif event.granted:
        text = f"Samtykket er givet: {member.display_name} {label.replace('min', 'din') if own else label}."
    else:
        withdrawn = label.replace("må", "må ikke længere")
        withdrawn = withdrawn.replace("min", "din") if own else withdrawn
        text = f"Samtykket er trukket tilbage med det samme: {member.display_name} {withdrawn}."
    if request.htmx:
        row = next(r for r in _rows(citizen) if r["member"].pk == member.pk)
        return render(
            request,
            "consent/_changed.html",
            {
                "row": row,
                "url": url,
                "status_text": text,
                "history": services.history(citizen, request.user),
                "own": own,
            },
        )
    messages.success(request, text)
    return redirect(url)


# --- the network map (netværkskort) ---------------------------------------------------------


@citizen_required
def my_network(request):
    return _network_page(request, policy.require_own_citizen(request.user), own=True)


@login_required
def citizen_network(request, pk):
    citizen = policy.get_citizen(request.user, pk, policy.VIEW)
    return _network_page(request, citizen, own=False)


def _network_page(request, citizen, *, own):
    may_add = policy.can(request.user, policy.MANAGE_CONSENT, citizen)
    member_form = NetworkMemberForm(prefix="ny") if may_add else None
    status = 200
    if request.method == "POST":
        policy.require(request.user, policy.MANAGE_CONSENT, citizen)
        member_form = NetworkMemberForm(request.POST, prefix="ny")
        if (done := _added(request, citizen, member_form, own, request.path)) is not None:
            return done
        status = 400
    audit.record_read(request.user, citizen, object_type="consent.network_map")
    context = {
        "citizen": citizen,
        "own": own,
        "map": network.network_map(citizen),
        "member_form": member_form,
        "url": request.path,
    }
    template = "consent/my_network.html" if own else "consent/citizen_network.html"
    return render(request, template, context, status=status)
