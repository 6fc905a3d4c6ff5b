from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "samplan.meetings"
    label = "meetings"
    verbose_name = "Netværksmøder"
