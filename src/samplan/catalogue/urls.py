from django.urls import path

from . import views

urlpatterns = [
    path("tilbud/", views.catalogue_search, name="catalogue-search"),
    path("tilbud/<int:pk>/", views.offer_detail, name="catalogue-detail"),
    path("tilbud/redigering/", views.offer_manage, name="catalogue-manage"),
    path("tilbud/ny/", views.offer_create, name="catalogue-create"),
    path("tilbud/<int:pk>/rediger/", views.offer_edit, name="catalogue-edit"),
    path("tilbud/<int:pk>/bekraeft/", views.offer_verify, name="catalogue-verify"),
]
