from django.apps import AppConfig


class TerminologyConfig(AppConfig):
    name = "samplan.terminology"
    label = "terminology"
    verbose_name = "Terminologi"
