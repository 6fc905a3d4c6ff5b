from django.urls import path

from . import views

urlpatterns = [
    path("bevillinger/<int:pk>/ledsagelse/", views.companion_ledger, name="companion-ledger"),
    path("borgere/<int:pk>/merudgifter/", views.extra_costs, name="extra-costs"),
]
