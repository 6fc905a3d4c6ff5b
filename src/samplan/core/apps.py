from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "samplan.core"
    label = "core"
    verbose_name = "Organisation og adgang"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
