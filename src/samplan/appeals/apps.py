from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "samplan.appeals"
    verbose_name = "Klager"

    def ready(self) -> None:
        from samplan.cases import aggregates

        from . import services

        aggregates.register_section(services.figures_section)
