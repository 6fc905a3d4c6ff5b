from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "samplan.consent"
    label = "consent"
    verbose_name = "Samtykke (netværk og pårørende)"
