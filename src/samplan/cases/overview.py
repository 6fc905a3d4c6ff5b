"""The citizen overview: the whole story in time order, in a fixed number of queries.

It lives with the case spine, whose rows make up the story; the citizen register
(``citizens``) sits below the spine and does not know it."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone

from samplan.core import policy
from samplan.journal.models import JournalNote
from samplan.questionnaires.overview import recovery_overview

from .measures import goal_trend
from .models import Assessment, Case, Condition, FollowUp, Grant, InterventionGoal, Order

NOTES_SHOWN = 50  # the newest; the note list has them all


@dataclass
class Event:
    at: dt.datetime
    kind: str
    title: str
    obj: object
    case: object


def _as_datetime(value, recorded: dt.datetime | None = None) -> dt.datetime:
    """When an event happened, for sorting. A date alone (a decision's, a grant's start) is
    placed at the moment the row was recorded when that was on the same day — so a decision
    made today sorts after the inquiry received this morning — else at the day's start."""
    if isinstance(value, dt.datetime):
        return value
    if recorded is not None and timezone.localtime(recorded).date() == value:
        return recorded
    return timezone.make_aware(dt.datetime.combine(value, dt.time.min))


# The spine's order, for events at the very same moment (never alphabetical by kind).
_STAGE = {
    "inquiry": 0,
    "contact": 1,
    "note": 2,
    "assessment": 3,
    "decision": 4,
    "grant": 5,
    "order": 6,
    "follow_up": 7,
}


def citizen_timeline(citizen, user) -> dict:
    """The story as far as ``user`` may know it: every query goes through ``policy.visible``,
    so provider staff get their orders, the grants behind them with goals and follow-ups,
    and no cases, inquiries, assessments or decisions."""
    grants = list(
        policy.visible(user, Grant.objects.filter(case__citizen=citizen), "case__citizen")
        .select_related("offer")
        .prefetch_related(
            "services",
            "target_groups__target_group",
            # Goals with what the goal trend (measures.goal_trend) shows, in this one query.
            Prefetch(
                "goals",
                queryset=InterventionGoal.objects.select_related("goal_type", "condition__theme", "condition__assessment"),
            ),
        )
    )
    cases = list(
        policy.visible(user, Case.objects.filter(citizen=citizen))
        .select_related("inquiry", "decision", "caseworker")
        .prefetch_related(
            Prefetch(
                "assessments",
                queryset=Assessment.objects.select_related("support_need").prefetch_related(
                    Prefetch("conditions", queryset=Condition.objects.select_related("theme").order_by("theme__sort_key"))
                ),
            ),
            "grants",  # Case.status_text: not "Bevilget" while the committee has the grant
        )
    )
    orders = list(policy.visible(user, Order.objects.filter(citizen=citizen)).select_related("provider", "grant"))
    follow_ups = list(policy.visible(user, FollowUp.objects.filter(citizen=citizen)).select_related("grant"))
    case_by_id = {c.pk: c for c in cases}
    # A grant's case only where the user sees the case (provider staff do not: no link).
    grant_case = {g.pk: case_by_id.get(g.case_id) for g in grants}
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
                    _as_datetime(decision.decided_at, decision.created_at),
                    "decision",
                    f"Afgørelse: {decision.get_outcome_display()}",
                    decision,
                    case,
                )
            )
    for g in grants:
        events.append(
            Event(
                _as_datetime(g.start_date, g.created_at),
                "grant",
                f"Bevilling {g.get_legal_basis_display()} (version {g.version})",
                g,
                grant_case.get(g.pk),
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
    # Notes: one query, only those the policy lets the user know of (the list of notes itself
    # is on its own page; the timeline shows what happened when).
    notes = list(
        policy.visible_notes(user, JournalNote.objects.filter(citizen=citizen)).select_related("author", "case")[:NOTES_SHOWN]
    )
    for n in notes:
        events.append(
            Event(n.occurred_at, "note", f"Notat ({n.get_kind_display().lower()}): {n.subject}", n, case_by_id.get(n.case_id))
        )
    events.sort(key=lambda e: (e.at, _STAGE.get(e.kind, 99)))
    return {
        **recovery_overview(citizen, cases),
        "cases": cases,
        "case_by_id": case_by_id,
        "events": events,
        "orders": orders,
        "follow_ups": follow_ups,
        "today": today,
        "whole_case": policy.knows_whole_case(user),
        "goal_trend": goal_trend(user, grants, include_assessment=policy.knows_whole_case(user)),
    }
