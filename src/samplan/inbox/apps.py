from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "samplan.inbox"
    label = "inbox"
    verbose_name = "Indbakke og opgaver"
