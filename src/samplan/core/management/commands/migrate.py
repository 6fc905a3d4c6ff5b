"""``migrate`` as the owner role when ``SAMPLAN_MIGRATE_DATABASE_URL`` is set.

The application connects with ``DATABASE_URL`` as a role that owns no tables; this wrapper
reconnects as the owner for the migrations (and their data migrations and post-migrate
signals) and then grants the application role, so new tables get its privileges at once.
Without the variable (SQLite, development, the test runner) it is Django's migrate."""

from typing import Any

from django.core.management.base import CommandError
from django.core.management.commands.migrate import Command as DjangoMigrate

from samplan.core import dbguard


class Command(DjangoMigrate):
    help = DjangoMigrate.help + " Connects as SAMPLAN_MIGRATE_DATABASE_URL's owner role when set, then grants the app role."

    def handle(self, *args: Any, **options: Any) -> None:
        alias = options["database"]
        app_user = dbguard.switch_to_owner(alias)
        super().handle(*args, **options)
        if app_user and not options.get("plan") and not options.get("check_unapplied"):
            try:
                dbguard.grant_app_role(app_user, alias)
            except dbguard.AppRoleError as exc:
                raise CommandError(str(exc)) from exc
            if options["verbosity"]:
                self.stdout.write(f"Granted the application role {app_user}.")
