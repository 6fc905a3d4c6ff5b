from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "samplan.consent"
    label = "consent"
    verbose_name = "Samtykke (netværk og pårørende)"

    def ready(self):
        from samplan.portal import landing

        from . import services

        landing.register(services.relative_landing)
