from django.urls import path

from . import views

urlpatterns = [
    path("mit/samtykke/", views.my_consents, name="my-consents"),
    path("borgere/<int:pk>/samtykke/", views.citizen_consents, name="citizen-consents"),
    path("mit/netvaerk/", views.my_network, name="my-network"),
    path("borgere/<int:pk>/netvaerk/", views.citizen_network, name="citizen-network"),
]
