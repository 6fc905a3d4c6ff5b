from django.urls import path

from . import views

urlpatterns = [
    # Public, without login.
    path("kurser/", views.course_list, name="course-list"),
    path("kurser/<int:pk>/", views.course_detail, name="course-detail"),
    path("kurser/<int:pk>/tilmeld/", views.course_enrol, name="course-enrol"),
    path("kurser/tilmelding/<uuid:token>/", views.enrolment_manage, name="enrolment-manage"),
    # Partner staff.
    path("kurser/administration/", views.course_admin, name="course-admin"),
    path("kurser/administration/<int:pk>/", views.course_manage, name="course-manage"),
    path("kurser/administration/<int:pk>/aflys/", views.course_cancel, name="course-cancel"),
    path("kurser/administration/<int:pk>/afmeld/", views.course_enrolment_cancel, name="course-enrolment-cancel"),
    path("kurser/administration/<int:pk>/gennemfoert/", views.course_completion, name="course-completion"),
    path("kurser/administration/<int:pk>/fremmoede/<int:session_pk>/", views.course_attendance, name="course-attendance"),
]
