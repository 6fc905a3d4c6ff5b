from django.urls import include, path

# Danish error pages, also in place for HTMX requests (core/error_pages.py).
handler400 = "samplan.core.error_pages.bad_request"
handler403 = "samplan.core.error_pages.permission_denied"
handler404 = "samplan.core.error_pages.page_not_found"
handler500 = "samplan.core.error_pages.server_error"

urlpatterns = [
    path("", include("samplan.core.urls")),
    path("", include("samplan.citizens.urls")),
    path("", include("samplan.cases.urls")),
    path("", include("samplan.journal.urls")),
    path("", include("samplan.inbox.urls")),
    path("", include("samplan.standards.urls")),
    path("", include("samplan.calculators.urls")),
    path("", include("samplan.plans.urls")),
    path("", include("samplan.portal.urls")),
    path("", include("samplan.questionnaires.urls")),
    path("", include("samplan.consent.urls")),
    path("", include("samplan.meetings.urls")),
    path("", include("samplan.letters.urls")),
    path("", include("samplan.catalogue.urls")),
    path("", include("samplan.courses.urls")),
    path("", include("samplan.courses.urls_evaluation")),
    path("", include("samplan.documents.urls")),
    path("", include("samplan.appeals.urls")),
    path("", include("samplan.access_requests.urls")),
    path("api/v1/", include("samplan.api.urls")),
]
