from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "samplan.documents"
    label = "documents"
    verbose_name = "Dokumenter"

    def ready(self):
        from samplan.portal import landing

        from . import citizen_views

        landing.register(citizen_views.landing_section)  # "Dokumenter" on Min side
