from django.urls import path

from . import views

urlpatterns = [
    path("indbakke/", views.inbox, name="inbox"),
    path("indbakke/<int:pk>/aabn/", views.notification_open, name="notification-open"),
    path("indbakke/<int:pk>/laest/", views.notification_read, name="notification-read"),
    path("indbakke/alle-laest/", views.notifications_all_read, name="notifications-all-read"),
    path("indbakke/indstillinger/", views.digest_setting, name="inbox-settings"),
    path("opgaver/", views.tasks, name="tasks"),
    path("opgaver/ny/", views.task_create, name="task-create"),
    path("opgaver/<int:pk>/udfoert/", views.task_done, name="task-done"),
]
