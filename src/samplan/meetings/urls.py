from django.urls import path

from . import views

# One URL per action: staff under /moeder/<pk>/, the citizen and invited relatives under /mit/moeder/<pk>/.
urlpatterns = [
    path("borgere/<int:pk>/moeder/", views.meeting_list, name="meeting-list"),
    path("borgere/<int:pk>/moeder/nyt/", views.meeting_create, name="meeting-create"),
    path("moeder/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("moeder/<int:pk>/planlaeg/", views.meeting_schedule, name="meeting-schedule"),
    path("moeder/<int:pk>/aflys/", views.meeting_cancel, name="meeting-cancel"),
    path("moeder/<int:pk>/professionel/", views.meeting_add_professional, name="meeting-add-professional"),
    path("moeder/<int:pk>/deltagere/", views.meeting_add_invitees, name="meeting-add-invitees"),
    path("moeder/<int:pk>/mig/", views.meeting_join, name="meeting-join"),
    path("moeder/<int:pk>/emne/", views.meeting_topic, name="meeting-topic"),
    path("moeder/<int:pk>/referat/", views.meeting_minutes, name="meeting-minutes"),
    path("mit/moeder/", views.my_meetings, name="my-meetings"),
    path("mit/moeder/<int:pk>/", views.my_meeting, name="my-meeting"),
    path("mit/moeder/<int:pk>/emne/", views.my_meeting_topic, name="my-meeting-topic"),
    path("mit/moeder/<int:pk>/perspektiv/", views.my_meeting_perspective, name="my-meeting-perspective"),
    path("mit/moeder/<int:pk>/deltagelse/", views.my_meeting_participation, name="my-meeting-participation"),
    path("mit/moeder/<int:pk>/deltagere/", views.my_meeting_participants, name="my-meeting-participants"),
    path("mit/moeder/anmod/<int:pk>/", views.my_meeting_request, name="my-meeting-request"),
]
