"""The report of grants ending within 60 days (issue 13 point 4). Who sees which grants,
and whether the citizen is named, is the policy's (``grants_ending_scope``,
``report_names_citizens``)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from samplan.core import audit, policy

from . import reports
from .worklists import ENDING_SOON_DAYS


@login_required
def grants_ending(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, policy.VIEW_GRANTS_ENDING)
    grants = reports.grants_ending(request.user)
    # The end of a citizen's grant is their data, named or not: one row per citizen listed.
    audit.record_reads(
        request.user, (g.case.citizen for g in grants), object_type="cases.Grant", after={"shown": "grants_ending"}
    )
    return render(
        request,
        "cases/report_grants_ending.html",
        {"grants": grants, "names_citizens": policy.report_names_citizens(request.user), "days": ENDING_SOON_DAYS},
    )
