from django.urls import path

from . import views

urlpatterns = [
    path("mit/trivsel/", views.my_recovery, name="my-recovery"),
    path("mit/trivsel/ny/", views.my_recovery_new, name="my-recovery-new"),
    path("borgere/<int:citizen_pk>/trivsel/", views.citizen_recovery, name="citizen-recovery"),
]
