from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "samplan.plans"
    label = "plans"
    verbose_name = "Den samlede plan (én plan pr. borger)"

    def ready(self) -> None:
        # The follow-up form (cases, below plans) shows the provider's latest status note.
        from samplan.cases.measures import register_status_source

        from .follow_up import latest_status_note

        register_status_source(latest_status_note)
