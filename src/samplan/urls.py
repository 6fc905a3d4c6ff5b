from django.urls import include, path

urlpatterns = [
    path("", include("samplan.core.urls")),
    path("", include("samplan.citizens.urls")),
    path("", include("samplan.cases.urls")),
    path("", include("samplan.standards.urls")),
    path("", include("samplan.calculators.urls")),
    path("api/v1/", include("samplan.api.urls")),
]
