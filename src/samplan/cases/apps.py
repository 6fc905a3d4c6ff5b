from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "samplan.cases"
    label = "cases"
    verbose_name = "Sager"
