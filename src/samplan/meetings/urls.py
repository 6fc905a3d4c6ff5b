from django.urls import path

from . import views

urlpatterns = [
    path("borgere/<int:pk>/moeder/", views.meeting_list, name="meeting-list"),
    path("borgere/<int:pk>/moeder/nyt/", views.meeting_create, name="meeting-create"),
    path("moeder/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("mit/moeder/", views.my_meetings, name="my-meetings"),
    path("mit/moeder/<int:pk>/", views.my_meeting, name="my-meeting"),
    path("mit/moeder/anmod/<int:pk>/", views.my_meeting_request, name="my-meeting-request"),
]
