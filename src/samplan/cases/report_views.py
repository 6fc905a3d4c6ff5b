"""The report of grants ending within 60 days (issue 13 point 4). Who sees which grants,
and whether the citizen is named, is the policy's (``grants_ending_scope``,
``report_names_citizens``)."""

import csv

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
    names = policy.report_names_citizens(request.user)
    if request.GET.get("format") == "csv":
        return _csv(grants, names_citizens=names)
    return render(
        request,
        "cases/report_grants_ending.html",
        {"grants": grants, "names_citizens": names, "days": ENDING_SOON_DAYS},
    )


def _csv(grants: list, *, names_citizens: bool) -> HttpResponse:
    """The same rows as the page (semicolon-separated, as Danish spreadsheets expect)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="bevillinger-der-udloeber.csv"'
    response.write("\ufeff")  # so spreadsheets read the file as UTF-8
    writer = csv.writer(response, delimiter=";")
    head = ["Borger", "Sag"] if names_citizens else []
    writer.writerow([*head, "Bevilling", "Version", "Tilbud", "Sagsbehandler", "Slutdato", "Dage tilbage"])
    for g in grants:
        who = [g.case.citizen.full_name, g.case.case_number] if names_citizens else []
        caseworker = g.case.caseworker.get_full_name() if g.case.caseworker else ""
        end = g.end_date.isoformat()
        writer.writerow([*who, g.get_legal_basis_display(), g.version, g.offer.name, caseworker, end, g.days_left])
    return response
