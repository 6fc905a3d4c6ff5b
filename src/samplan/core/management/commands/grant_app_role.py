"""manage.py grant_app_role <role>: give the application's PostgreSQL role its privileges.

Run as the owner (``SAMPLAN_MIGRATE_DATABASE_URL``, else ``DATABASE_URL``'s user); ``migrate``
runs it by itself after migrating as the owner. Idempotent: re-run after every migrate that
adds a table."""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from samplan.core import dbguard


class Command(BaseCommand):
    help = "Grant the application role S/I/U/D on ordinary tables and only INSERT/SELECT on append-only ones."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", help="the PostgreSQL role the application connects as")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args: object, **options: str) -> None:
        dbguard.switch_to_owner(options["database"])
        try:
            tables = dbguard.grant_app_role(options["role"], options["database"])
        except dbguard.AppRoleError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Granted {options['role']}; append-only (INSERT/SELECT only): {', '.join(tables)}")
