"""/api/v1/ — the JSON API. No documentation UI is served (it would load CDN assets);
the OpenAPI 3 schema is at /api/v1/schema/ (?format=json for JSON)."""

from django.urls import include, path
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import SimpleRouter

from samplan.calculators import api as calculators
from samplan.catalogue import api as catalogue_api
from samplan.core.rest.permissions import AUTHENTICATION_CLASSES
from samplan.courses import api as courses_api
from samplan.documents import api as documents_api
from samplan.journal import api as journal_api
from samplan.letters import api as letters_api
from samplan.letters import consultation_api
from samplan.plans import api as plans_api
from samplan.questionnaires import api as questionnaires_api

from . import committee, views
from .schema import SchemaView

app_name = "api"

router = SimpleRouter()
router.register("citizens", views.CitizenViewSet, basename="citizen")
router.register("cases", views.CaseViewSet, basename="case")
router.register("inquiries", views.InquiryViewSet, basename="inquiry")
router.register("assessments", views.AssessmentViewSet, basename="assessment")
router.register("decisions", views.DecisionViewSet, basename="decision")
router.register("grants", views.GrantViewSet, basename="grant")
router.register("orders", views.OrderViewSet, basename="order")
router.register("follow-ups", views.FollowUpViewSet, basename="follow-up")
router.register("committee/grants", committee.CommitteeQueueViewSet, basename="committee-grant")
router.register("terminology/concepts", views.ConceptViewSet, basename="concept")
router.register("terminology/systems", views.CodeSystemViewSet, basename="code-system")
router.register("companion-ledgers", calculators.CompanionLedgerViewSet, basename="companion-ledger")
router.register("companion-usages", calculators.CompanionUsageViewSet, basename="companion-usage")
router.register("extra-cost-calculations", calculators.ExtraCostCalculationViewSet, basename="extra-cost-calculation")
router.register("recovery-responses", questionnaires_api.RecoveryResponseViewSet, basename="recovery-response")
router.register("letters", letters_api.LetterViewSet, basename="letter")  # read and PDF; made on the pages
router.register("consultations", consultation_api.ConsultationViewSet, basename="consultation")  # read; sent on the pages
router.register("notes", journal_api.NoteViewSet, basename="note")  # journal notes; ETag / If-Match on PATCH
router.register("plans", plans_api.PlanViewSet, basename="plan")  # ETag / If-Match (core.rest.concurrency)
router.register("offers", catalogue_api.OfferViewSet, basename="offer")  # public, read-only
router.register("courses", courses_api.CourseViewSet, basename="course")  # public: read and enrol
router.register("course-enrolments", courses_api.EnrolmentViewSet, basename="course-enrolment")  # partner staff
router.register("documents", documents_api.DocumentViewSet, basename="document")  # multipart upload, file download

urlpatterns = [
    path("", include(router.urls)),
    path("auth/token/", views.TokenView.as_view(), name="token"),
    path("auth/logout/", views.TokenLogoutView.as_view(), name="token-logout"),
    path("auth/logout-all/", views.TokenLogoutAllView.as_view(), name="token-logout-all"),
    path(
        "schema/",
        SchemaView.as_view(permission_classes=[IsAuthenticated], authentication_classes=AUTHENTICATION_CLASSES),
        name="schema",
    ),
]
