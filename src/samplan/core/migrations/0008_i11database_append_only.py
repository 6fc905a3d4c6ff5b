"""The audit table's trigger (0002) now uses the shared function with a Danish message."""

from django.db import migrations

from samplan.core.dbguard import install_append_only_trigger, remove_append_only_trigger

TABLES = [
    ("core_auditevent", "Revisionsloggen kan ikke ændres eller slettes."),
]
OLD_FUNCTION = """
CREATE OR REPLACE FUNCTION samplan_audit_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit rows are append-only';
END;
$$ LANGUAGE plpgsql;
"""


def up(apps, schema_editor):
    for table, message in TABLES:
        install_append_only_trigger(schema_editor, table, message)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS samplan_audit_append_only()")


def down(apps, schema_editor):
    for table, _message in TABLES:
        remove_append_only_trigger(schema_editor, table)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(OLD_FUNCTION)
        schema_editor.execute(
            "CREATE TRIGGER core_auditevent_append_only BEFORE UPDATE OR DELETE ON core_auditevent "
            "FOR EACH ROW EXECUTE FUNCTION samplan_audit_append_only()"
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0007_i11tokens_drop_authtoken")]
    operations = [migrations.RunPython(up, down)]
