from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "samplan.meetings"
    label = "meetings"
    verbose_name = "Netværksmøder"

    def ready(self):
        from samplan.consent.signals import consent_withdrawn

        from . import services

        consent_withdrawn.connect(services.consent_withdrawn_receiver, dispatch_uid="meetings.consent_withdrawn")
