from django.urls import path

from . import citizen_views, views

urlpatterns = [
    path("borgere/<int:pk>/dokumenter/", views.citizen_documents, name="citizen-documents"),
    path("borgere/<int:pk>/dokumenter/upload/", views.upload, name="document-upload"),
    path("dokumenter/<int:pk>/fil/", views.download, name="document-download"),
    # Min side
    path("mit/dokumenter/", citizen_views.my_documents, name="my-documents"),
    path("mit/dokumenter/ny/", citizen_views.my_document_upload, name="my-document-upload"),
    path("mit/dokumenter/<int:pk>/fil/", citizen_views.my_document_file, name="my-document-file"),
]
