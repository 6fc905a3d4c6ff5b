from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "samplan.documents"
    label = "documents"
    verbose_name = "Dokumenter"
