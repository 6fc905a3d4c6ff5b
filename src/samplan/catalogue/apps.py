from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "samplan.catalogue"
    label = "catalogue"
    verbose_name = "Tilbudskatalog"
