from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "samplan.core"
    label = "core"
    verbose_name = "Organisation og adgang"
