from django.urls import path

from . import views

urlpatterns = [
    path("borgere/", views.citizen_search, name="citizen-search"),
    path("borgere/ny/", views.citizen_create, name="citizen-create"),
    path("borgere/<int:pk>/stamdata/", views.citizen_master_data, name="citizen-master-data"),
    path("borgere/<int:pk>/cpr/", views.reveal_cpr, name="citizen-reveal-cpr"),
]
