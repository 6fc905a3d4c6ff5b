"""On PostgreSQL the database itself refuses UPDATE and DELETE on documents, for every role:
a document is never changed or deleted once uploaded (the ORM guard stays for SQLite)."""

from django.db import migrations

from samplan.core.dbguard import install_append_only_trigger, remove_append_only_trigger

TABLE = "documents_document"
MESSAGE = "Et dokument kan ikke ændres eller slettes; upload en ny version i stedet."


def up(apps, schema_editor):
    install_append_only_trigger(schema_editor, TABLE, MESSAGE)


def down(apps, schema_editor):
    remove_append_only_trigger(schema_editor, TABLE)


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_i12docs_initial")]
    operations = [migrations.RunPython(up, down)]
