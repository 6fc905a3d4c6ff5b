from django.urls import path

from . import committee_views, order_views, report_views, views

urlpatterns = [
    path("arbejdsliste/", views.worklist, name="worklist"),
    path("bestillinger/", views.orders, name="provider-orders"),
    path("bestillinger/<int:pk>/", views.order_detail, name="order-detail"),
    path("bestillinger/<int:pk>/modtag/", views.order_accept, name="order-accept"),
    path("bestillinger/<int:pk>/foreslaa-start/", order_views.order_propose, name="order-propose"),
    path("bestillinger/<int:pk>/afvis/", order_views.order_decline, name="order-decline"),
    path("borgere/<int:pk>/", views.citizen_overview, name="citizen-overview"),
    path("borgere/<int:pk>/henvendelse/", views.inquiry_create, name="inquiry-create"),
    path("sager/<int:pk>/", views.case_detail, name="case-detail"),
    path("sager/<int:pk>/foerste-kontakt/", views.first_contact, name="case-first-contact"),
    path("sager/<int:pk>/udredning/", views.assessment_start, name="assessment-start"),
    path("sager/<int:pk>/afgoerelse/", views.decision_create, name="decision-create"),
    path("sager/<int:pk>/afgoerelse/brev/", views.decision_letter, name="decision-letter"),
    path("sager/<int:pk>/bevilling/", views.grant_create, name="grant-create"),
    path("udredninger/<int:pk>/", views.assessment, name="assessment"),
    path("udredninger/<int:pk>/tilstand/", views.assessment_condition, name="assessment-condition"),
    path("udredninger/<int:pk>/afslut/", views.assessment_complete, name="assessment-complete"),
    path("bevillinger/<int:pk>/aendr/", views.grant_change, name="grant-change"),
    path("bevillinger/<int:pk>/bestilling/", views.order_create, name="order-create"),
    path("opfoelgninger/<int:pk>/", views.follow_up, name="follow-up"),
    path("overblik/", views.aggregates, name="aggregates"),
    path("rapporter/sagsbehandlingsfrister/", views.report_deadlines, name="report-deadlines"),
    path("rapporter/afvigelser/", views.report_deviations, name="report-deviations"),
    path("rapporter/bevillinger-der-udloeber/", report_views.grants_ending, name="report-grants-ending"),
    path("visitationsudvalg/", committee_views.queue, name="committee-queue"),
    path("visitationsudvalg/<int:pk>/", committee_views.review, name="committee-review"),
]
