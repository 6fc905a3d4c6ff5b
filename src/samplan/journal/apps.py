from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "samplan.journal"
    label = "journal"
    verbose_name = "Journalnotater"
