from django.urls import path

from . import views

urlpatterns = [
    path("sager/<int:pk>/klage/ny/", views.appeal_create, name="appeal-create"),
    path("klager/", views.appeal_list, name="appeal-list"),
    path("klager/<int:pk>/", views.appeal_detail, name="appeal-detail"),
    path("klager/<int:pk>/genvurdering/", views.appeal_reconsider, name="appeal-reconsider"),
    path("klager/<int:pk>/ankestyrelsen/", views.appeal_forward, name="appeal-forward"),
    path("klager/<int:pk>/resultat/", views.appeal_result, name="appeal-result"),
]
