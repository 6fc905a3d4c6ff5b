from django.urls import path

from . import views

urlpatterns = [
    path("borgere/<int:pk>/dokumenter/", views.citizen_documents, name="citizen-documents"),
    path("borgere/<int:pk>/dokumenter/upload/", views.upload, name="document-upload"),
    path("dokumenter/<int:pk>/fil/", views.download, name="document-download"),
]
