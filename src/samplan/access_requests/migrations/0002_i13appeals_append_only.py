"""On PostgreSQL the database itself refuses UPDATE and DELETE on this app's history table,
for every role, so raw SQL cannot rewrite it either (the ORM guard stays for SQLite)."""

from django.db import migrations

from samplan.core.dbguard import install_append_only_trigger, remove_append_only_trigger

TABLES = [
    ("access_requests_accessexport", "Et udtræk kan ikke ændres eller slettes."),
]


def up(apps, schema_editor):
    for table, message in TABLES:
        install_append_only_trigger(schema_editor, table, message)


def down(apps, schema_editor):
    for table, _message in TABLES:
        remove_append_only_trigger(schema_editor, table)


class Migration(migrations.Migration):
    dependencies = [("access_requests", "0001_i13appeals_access_requests")]
    operations = [migrations.RunPython(up, down)]
