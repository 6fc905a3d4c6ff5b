from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "samplan.portal"
    label = "portal"
    verbose_name = "Borgerportal"
