from django.urls import path

from . import views

urlpatterns = [
    path("borgere/<int:pk>/notater/", views.note_list, name="note-list"),
    path("borgere/<int:pk>/notater/ny/", views.note_create, name="note-create"),
    path("notater/<int:pk>/", views.note_detail, name="note-detail"),
    path("notater/<int:pk>/ret/", views.note_edit, name="note-edit"),
    path("notater/<int:pk>/laas/", views.note_lock, name="note-lock"),
    path("notater/<int:pk>/tilfoej/", views.note_addendum, name="note-addendum"),
    path("mit/notater/", views.my_notes, name="my-notes"),
]
