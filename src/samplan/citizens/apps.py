from django.apps import AppConfig


class CitizensConfig(AppConfig):
    name = "samplan.citizens"
    label = "citizens"
    verbose_name = "Borgere"

    def ready(self) -> None:
        from samplan.core import audit_lookup

        from . import search

        # The audit search (core) finds citizens by name or CPR through this.
        audit_lookup.register(audit_lookup.CitizenLookup(find=search.audit_find, names=search.audit_names))
