from django.apps import AppConfig


class AccessRequestsConfig(AppConfig):
    name = "samplan.access_requests"
    verbose_name = "Aktindsigt"
