from django.apps import AppConfig


class CalculatorsConfig(AppConfig):
    name = "samplan.calculators"
    label = "calculators"
    verbose_name = "Beregnere (§ 97 ledsagelse og § 100 merudgifter)"
