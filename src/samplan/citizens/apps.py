from django.apps import AppConfig


class CitizensConfig(AppConfig):
    name = "samplan.citizens"
    label = "citizens"
    verbose_name = "Borgere"
