"""Worklists: what a caseworker or provider must act on, with dates and days left.
Each list is one query regardless of its length."""

import datetime as dt
from collections.abc import Callable

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from samplan.core import policy

from .models import Case, FollowUp, Grant, Inquiry, Order

DUE_SOON_DAYS = 30
ENDING_SOON_DAYS = 60  # issue 13: a list of grants ending within 60 days

# Parts of the caseworker's worklist added by apps above the spine (e.g. letters that could
# not be sent), registered in their AppConfig.ready: (user, my citizens queryset) -> a dict
# with "template" (included on the worklist) and its context.
WorklistSection = Callable[..., dict]
_sections: list[WorklistSection] = []


def register_section(section: WorklistSection) -> WorklistSection:
    if section not in _sections:  # ready() may run more than once (e.g. in tests)
        _sections.append(section)
    return section


def caseworker_worklist(user, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    mine = policy.my_citizens(user)
    citizens = list(
        mine.annotate(open_cases=Count("cases", filter=~Q(cases__status__in=[Case.Status.CLOSED, Case.Status.REFUSED]))).order_by(
            "last_name", "first_name"
        )
    )
    mine_ids = mine.values("pk")
    inquiries = list(
        Inquiry.objects.filter(case__citizen__in=mine_ids, first_contact_at__isnull=True)
        .select_related("case__citizen")
        .order_by(F("deadline").asc(nulls_last=True), "received_at")
    )
    awaiting = list(
        Case.objects.filter(citizen__in=mine_ids, status__in=[Case.Status.AWAITING_DECISION, Case.Status.ASSESSMENT])
        .select_related("citizen", "inquiry")
        .order_by(F("inquiry__deadline").asc(nulls_last=True), "opened_at")
    )
    follow_ups = list(
        FollowUp.objects.filter(
            citizen__in=mine_ids, status=FollowUp.Status.PLANNED, due_date__lte=today + dt.timedelta(days=DUE_SOON_DAYS)
        )
        .select_related("citizen", "grant")
        .order_by("due_date")
    )
    order_answers = provider_answers(mine_ids)
    ending = ending_soon(Grant.objects.filter(case__citizen__in=mine_ids), today)
    now = timezone.now()
    for i in inquiries:
        i.days_waiting = (now - i.received_at).days
        i.days_to_deadline = (i.deadline - today).days if i.deadline else None
    for c in awaiting:
        c.days_to_deadline = (c.inquiry.deadline - today).days if c.inquiry.deadline else None
    for f in follow_ups:
        f.days_left = (f.due_date - today).days
        f.days_overdue = -f.days_left
    return {
        "citizens": citizens,
        "inquiries": inquiries,
        "awaiting": awaiting,
        "follow_ups_overdue": [f for f in follow_ups if f.days_left < 0],
        "follow_ups_due": [f for f in follow_ups if f.days_left >= 0],
        "order_answers": order_answers,
        "grants_ending": ending,
        "today": today,
        "sections": [section(user, mine_ids) for section in _sections],
    }


def ending_soon(grants, today: dt.date) -> list:
    """The active grants among ``grants`` ending within ENDING_SOON_DAYS, soonest first, each
    with ``days_left``. One query."""
    ending = list(
        grants.filter(status=Grant.Status.ACTIVE, end_date__gte=today, end_date__lte=today + dt.timedelta(days=ENDING_SOON_DAYS))
        .select_related("case__citizen", "case__caseworker", "offer")
        .order_by("end_date", "pk")
    )
    for g in ending:
        setattr(g, "days_left", (g.end_date - today).days)  # noqa: B010 - shown, not a field
    return ending


def provider_orders(user) -> list:
    qs = policy.visible(user, Order.objects.filter(provider_id=user.unit_id, status__in=Order.ACTIVE_STATUSES))
    return list(qs.select_related("citizen", "grant").order_by("-sent_at"))


def provider_answers(citizens) -> list:
    """Orders the caseworker must act on after the provider's answer: a proposed start date,
    or a decline on an active grant not yet ordered elsewhere. One query."""
    other_active = Order.objects.filter(grant=OuterRef("grant"), status__in=Order.ACTIVE_STATUSES)
    answers = Order.objects.filter(citizen__in=citizens, grant__status=Grant.Status.ACTIVE).filter(
        Q(status=Order.Status.PROPOSED) | (Q(status=Order.Status.DECLINED) & ~Exists(other_active))
    )
    return list(answers.select_related("citizen", "provider", "grant").order_by("-responded_at", "-id"))
