"""Course evaluation (personal link, no login), the shared course report and the brochure."""

from django.urls import path

from . import evaluation_views as views

urlpatterns = [
    path("kurser/evaluering/<uuid:token>/", views.evaluation_answer, name="evaluation-answer"),
    path("kurser/rapport/", views.course_report, name="course-report"),
    path("kurser/rapport/tilmeldinger.csv", views.course_report_csv, name="course-report-csv"),
    path("kurser/brochure/<slug:term>.pdf", views.course_brochure, name="course-brochure"),
]
