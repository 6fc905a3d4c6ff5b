from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "samplan.letters"
    label = "letters"
    verbose_name = "Breve"

    def ready(self):
        from samplan.cases import worklists
        from samplan.portal import landing

        from . import citizen_views, consultation_views, services

        landing.register(citizen_views.landing_section)  # "Breve" on Min side

        # A letter that could not be delivered is the caseworker's to act on (cases sits below).
        worklists.register_section(services.failed_letters_section)
        # The citizen's open partshøringer on Min side's landing page (portal sits below).
        landing.register(consultation_views.landing_section)
