from django.urls import path

from . import views

urlpatterns = [
    path("mit/samtykke/", views.my_consents, name="my-consents"),
    path("borgere/<int:pk>/samtykke/", views.citizen_consents, name="citizen-consents"),
]
