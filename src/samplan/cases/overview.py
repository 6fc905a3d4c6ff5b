"""The citizen overview: the whole story in time order, in a fixed number of queries.

It lives with the case spine, whose rows make up the story; the citizen register
(``citizens``) sits below the spine and does not know it."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone

from samplan.core import policy
from samplan.questionnaires.overview import recovery_overview

from .models import Assessment, Case, Condition, FollowUp, Grant, Order


@dataclass
class Event:
    at: dt.datetime
    kind: str
    title: str
    obj: object
    case: object


def _as_datetime(value) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return timezone.make_aware(dt.datetime.combine(value, dt.time.min))


def citizen_timeline(citizen, user) -> dict:
    grants = Grant.objects.select_related("offer").prefetch_related(
        "services",
        "target_groups__target_group",
        "goals__goal_type",
        "goals__condition__theme",
    )
    cases = list(
        Case.objects.filter(citizen=citizen)
        .select_related("inquiry", "decision", "caseworker")
        .prefetch_related(
            Prefetch(
                "assessments",
                queryset=Assessment.objects.select_related("support_need").prefetch_related(
                    Prefetch("conditions", queryset=Condition.objects.select_related("theme").order_by("theme__sort_key"))
                ),
            ),
            Prefetch("grants", queryset=grants),
        )
    )
    orders = list(policy.visible(user, Order.objects.filter(citizen=citizen)).select_related("provider", "grant"))
    follow_ups = list(FollowUp.objects.filter(citizen=citizen).select_related("grant"))
    case_by_id = {c.pk: c for c in cases}
    grant_case = {g.pk: c for c in cases for g in c.grants.all()}
    events = []
    for case in cases:
        inquiry = getattr(case, "inquiry", None)
        if inquiry:
            events.append(Event(inquiry.received_at, "inquiry", "Henvendelse modtaget", inquiry, case))
            if inquiry.first_contact_at:
                events.append(Event(inquiry.first_contact_at, "contact", "Første kontakt", inquiry, case))
        for a in case.assessments.all():
            events.append(
                Event(
                    a.completed_at or a.started_at,
                    "assessment",
                    "Udredning" + (" afsluttet" if a.completed_at else " påbegyndt"),
                    a,
                    case,
                )
            )
        decision = getattr(case, "decision", None)
        if decision:
            events.append(
                Event(
                    _as_datetime(decision.decided_at), "decision", f"Afgørelse: {decision.get_outcome_display()}", decision, case
                )
            )
        for g in case.grants.all():
            events.append(
                Event(
                    _as_datetime(g.start_date), "grant", f"Bevilling {g.get_legal_basis_display()} (version {g.version})", g, case
                )
            )
    for o in orders:
        events.append(Event(o.sent_at, "order", f"Bestilling til {o.provider.name}", o, grant_case.get(o.grant_id)))
    today = timezone.localdate()
    for f in follow_ups:
        when = f.done_at or f.due_date
        events.append(
            Event(
                _as_datetime(when),
                "follow_up",
                f.get_kind_display() + (" gennemført" if f.done_at else " planlagt"),
                f,
                grant_case.get(f.grant_id),
            )
        )
    events.sort(key=lambda e: (e.at, e.kind))
    return {
        **recovery_overview(citizen, cases),
        "cases": cases,
        "case_by_id": case_by_id,
        "events": events,
        "orders": orders,
        "follow_ups": follow_ups,
        "today": today,
    }
