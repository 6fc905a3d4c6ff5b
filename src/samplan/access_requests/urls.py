from django.urls import path

from . import views

urlpatterns = [
    path("borgere/<int:pk>/aktindsigt/ny/", views.request_create, name="access-request-create"),
    path("aktindsigt/<int:pk>/", views.request_detail, name="access-request-detail"),
    path("aktindsigt/<int:pk>/udtraek/", views.request_generate, name="access-request-generate"),
    path("aktindsigt/<int:pk>/brev/", views.request_letter, name="access-request-letter"),
    path("aktindsigt/<int:pk>/udtraek/<int:export_pk>.pdf", views.export_download, {"kind": "pdf"}, name="access-export-pdf"),
    path("aktindsigt/<int:pk>/udtraek/<int:export_pk>.json", views.export_download, {"kind": "json"}, name="access-export-json"),
]
