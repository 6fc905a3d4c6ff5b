"""The database's own guards for partshøring (PostgreSQL; the ORM guards stay for SQLite):
answers are append-only, and a sent consultation is the record of what the citizen was
asked, so a trigger refuses UPDATE and DELETE of a row whose stored ``sent_at`` is set."""

from django.db import migrations

from samplan.core.dbguard import FUNCTION, FUNCTION_SQL, install_append_only_trigger, remove_append_only_trigger

ANSWERS = "cases_consultationanswer"
SENT_TRIGGER = "cases_consultation_sent_immutable"
SENT_MESSAGE = "Partshøringen er sendt og kan ikke ændres."


def up(apps, schema_editor):
    install_append_only_trigger(schema_editor, ANSWERS, "Et svar på en partshøring kan ikke ændres eller slettes.")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION_SQL)
        schema_editor.execute(f'DROP TRIGGER IF EXISTS "{SENT_TRIGGER}" ON "cases_consultation"')
        schema_editor.execute(
            f'CREATE TRIGGER "{SENT_TRIGGER}" BEFORE UPDATE OR DELETE ON "cases_consultation" '
            f"FOR EACH ROW WHEN (OLD.sent_at IS NOT NULL) EXECUTE FUNCTION {FUNCTION}('{SENT_MESSAGE}')"
        )


def down(apps, schema_editor):
    remove_append_only_trigger(schema_editor, ANSWERS)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP TRIGGER IF EXISTS "{SENT_TRIGGER}" ON "cases_consultation"')


class Migration(migrations.Migration):
    dependencies = [("cases", "0009_i12consult_consultations"), ("core", "0008_i11database_append_only")]
    operations = [migrations.RunPython(up, down)]
