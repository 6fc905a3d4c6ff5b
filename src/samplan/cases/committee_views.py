"""The allocation committee (visitationsudvalget, DOMAIN.md §5, 004:L2116): the queue of
grants beyond a caseworker's competence and the page where one is approved, rejected or
returned. Thin like the other case views: fetch through the policy, call
``services.review_grant``, render."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import render

from samplan.core import audit, policy
from samplan.core.steps import form_step

from . import services
from .forms import CommitteeReviewForm
from .models import CommitteeReview, Grant, GrantTargetGroup, InterventionGoal

REVIEWED_MESSAGES = {
    CommitteeReview.Outcome.APPROVED: "Bevillingen på sag {case} er godkendt og trådt i kraft.",
    CommitteeReview.Outcome.REJECTED: "Bevillingen på sag {case} er afvist.",
    CommitteeReview.Outcome.RETURNED: "Bevillingen på sag {case} er sendt retur til sagsbehandleren.",
}


def pending_grants(user):
    """Grants waiting for the committee among the citizens the user may see, oldest first."""
    queryset = Grant.objects.filter(status=Grant.Status.PENDING).select_related("case__citizen", "offer", "created_by")
    return policy.visible(user, queryset, "case__citizen").order_by("created_at", "id")


@login_required
def queue(request):
    policy.require(request.user, policy.REVIEW_GRANTS)
    grants = list(pending_grants(request.user))
    audit.record_reads(
        request.user, (g.case.citizen for g in grants), object_type="cases.Grant", after={"shown": "committee_queue"}
    )
    return render(request, "cases/committee_queue.html", {"grants": grants})


def _evaluation(grant: Grant) -> dict:
    """The stored verdict of the quality standard, with its dates as dates."""
    evaluation = dict(grant.evaluation or {})
    dates = []
    for value in evaluation.get("follow_up_dates") or []:
        try:
            dates.append(dt.date.fromisoformat(value))
        except (TypeError, ValueError):
            continue
    evaluation["follow_up_dates"] = dates
    return evaluation


def _history(grant: Grant):
    """The versions before this one (newest first) with their committee reviews: what was
    in force and why earlier proposals were returned or rejected."""
    versions, previous = [], grant.previous
    while previous is not None:
        versions.append(previous)
        previous = previous.previous
    reviews = CommitteeReview.objects.filter(grant__in=versions).select_related("grant") if versions else []
    return versions, list(reviews)


@login_required
def review(request, pk):
    grant = policy.get_object(
        request.user,
        Grant.objects.select_related(
            "case__citizen",
            "case__caseworker",
            "decision",
            "offer",
            "created_by",
            "standard_version",
            "previous",
        ).prefetch_related(
            "services",
            Prefetch("target_groups", queryset=GrantTargetGroup.objects.select_related("target_group")),
            Prefetch("goals", queryset=InterventionGoal.objects.select_related("goal_type", "condition__theme")),
            Prefetch("reviews", queryset=CommitteeReview.objects.select_related("reviewed_by")),
        ),
        pk,
        policy.REVIEW_GRANT,
    )
    audit.record_read(request.user, grant)
    versions, earlier_reviews = _history(grant)
    form = CommitteeReviewForm(request.POST or None)
    return form_step(
        request,
        form,
        lambda data: services.review_grant(request.user, grant, outcome=data["outcome"], reason=data["reason"]),
        success=lambda r: REVIEWED_MESSAGES[r.outcome].format(case=grant.case.case_number),
        then=("committee-queue",),
        template="cases/committee_review.html",
        context={
            "grant": grant,
            "case": grant.case,
            "evaluation": _evaluation(grant),
            "pending": grant.status == Grant.Status.PENDING,
            "in_force": next((v for v in versions if v.status == Grant.Status.ACTIVE), None),
            "versions": versions,
            "earlier_reviews": earlier_reviews,
        },
    )
