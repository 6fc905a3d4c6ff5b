from django.urls import path

from . import views

urlpatterns = [
    path("kvalitetsstandarder/", views.standard_list, name="standard-list"),
    path("kvalitetsstandarder/<int:pk>/", views.standard_detail, name="standard-detail"),
    path("kvalitetsstandarder/<int:pk>/ny-version/", views.standard_new_version, name="standard-new-version"),
]
