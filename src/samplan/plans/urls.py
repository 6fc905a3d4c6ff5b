from django.urls import path

from . import views

urlpatterns = [
    path("borgere/<int:pk>/plan/", views.plan_detail, name="plan-detail"),
    path("borgere/<int:pk>/plan/versioner/", views.plan_versions, name="plan-versions"),
    path("borgere/<int:pk>/plan/forskel/", views.plan_diff, name="plan-diff"),
    path("borgere/<int:pk>/plan/pdf/", views.plan_pdf, name="plan-pdf"),
    path("borgere/<int:pk>/plan/tilbud/", views.plan_offers, name="plan-offers"),
    path("mit/plan/", views.my_plan, name="my-plan"),
    path("mit/plan/pdf/", views.my_plan_pdf, name="my-plan-pdf"),
    path("mit/plan/tilbud/", views.my_plan_offers, name="my-plan-offers"),
]
