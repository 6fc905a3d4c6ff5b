from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "samplan.api"
    label = "api"
    verbose_name = "API"
