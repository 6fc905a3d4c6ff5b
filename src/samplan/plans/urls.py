from django.urls import path

from . import views

# Reading pages, then one URL per change: staff under /borgere/<pk>/plan/, the citizen under /mit/plan/.
urlpatterns = [
    path("borgere/<int:pk>/plan/", views.plan_detail, name="plan-detail"),
    path("borgere/<int:pk>/plan/versioner/", views.plan_versions, name="plan-versions"),
    path("borgere/<int:pk>/plan/forskel/", views.plan_diff, name="plan-diff"),
    path("borgere/<int:pk>/plan/pdf/", views.plan_pdf, name="plan-pdf"),
    path("borgere/<int:pk>/plan/tilbud/", views.plan_offers, name="plan-offers"),
    path("borgere/<int:pk>/plan/oensker/", views.plan_wishes, name="plan-wishes"),
    path("borgere/<int:pk>/plan/naeste-moede/", views.plan_meeting, name="plan-meeting"),
    path("borgere/<int:pk>/plan/maal/", views.plan_goal_add, name="plan-goal-add"),
    path("borgere/<int:pk>/plan/maal/<int:item>/", views.plan_goal_edit, name="plan-goal-edit"),
    path("borgere/<int:pk>/plan/maal/<int:item>/kommentar/", views.plan_goal_comment, name="plan-goal-comment"),
    path("borgere/<int:pk>/plan/indsatser/", views.plan_effort_add, name="plan-effort-add"),
    path("borgere/<int:pk>/plan/indsatser/<int:item>/", views.plan_effort_edit, name="plan-effort-edit"),
    path("borgere/<int:pk>/plan/aftaler/", views.plan_agreement_add, name="plan-agreement-add"),
    path("borgere/<int:pk>/plan/aftaler/<int:item>/marker/", views.plan_agreement_mark, name="plan-agreement-mark"),
    path("borgere/<int:pk>/plan/aftaler/<int:item>/kommentar/", views.plan_agreement_comment, name="plan-agreement-comment"),
    path("borgere/<int:pk>/plan/bestillinger/<int:order>/punkt/", views.plan_provider_item, name="plan-provider-item"),
    path("borgere/<int:pk>/plan/bestillinger/<int:order>/statusnotat/", views.plan_status_note, name="plan-status-note"),
    path("mit/plan/", views.my_plan, name="my-plan"),
    path("mit/plan/pdf/", views.my_plan_pdf, name="my-plan-pdf"),
    path("mit/plan/tilbud/", views.my_plan_offers, name="my-plan-offers"),
    path("mit/plan/oensker/", views.my_plan_wishes, name="my-plan-wishes"),
    path("mit/plan/maal/<int:item>/", views.my_plan_goal_edit, name="my-plan-goal-edit"),
    path("mit/plan/maal/<int:item>/kommentar/", views.my_plan_goal_comment, name="my-plan-goal-comment"),
    path("mit/plan/aftaler/<int:item>/marker/", views.my_plan_agreement_mark, name="my-plan-agreement-mark"),
    path("mit/plan/aftaler/<int:item>/kommentar/", views.my_plan_agreement_comment, name="my-plan-agreement-comment"),
]
