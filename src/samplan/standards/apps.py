from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "samplan.standards"
    label = "standards"
    verbose_name = "Kvalitetsstandarder"
