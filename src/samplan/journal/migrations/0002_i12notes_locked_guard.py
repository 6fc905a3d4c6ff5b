"""The database refuses to change a locked journal note (PostgreSQL; SQLite keeps the ORM guard).

A note is locked when ``locked_at`` is set or it was written more than 24 hours ago
(``journal.models.LOCK_AFTER``); UPDATE and DELETE of such a row raise. Addenda are
append-only like the audit trail."""

from django.db import migrations

from samplan.core.dbguard import install_append_only_trigger, remove_append_only_trigger

FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION samplan_journal_note_locked() RETURNS trigger AS $$
BEGIN
  IF OLD.locked_at IS NOT NULL OR OLD.created_at <= now() - interval '24 hours' THEN
    RAISE EXCEPTION USING MESSAGE = 'Notatet er låst og kan ikke ændres.';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""


def up(apps, schema_editor):
    install_append_only_trigger(
        schema_editor, "journal_noteaddendum", "En tilføjelse til et notat kan ikke ændres eller slettes."
    )
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION_SQL)
    schema_editor.execute("DROP TRIGGER IF EXISTS journal_journalnote_locked ON journal_journalnote")
    schema_editor.execute(
        "CREATE TRIGGER journal_journalnote_locked BEFORE UPDATE OR DELETE ON journal_journalnote "
        "FOR EACH ROW EXECUTE FUNCTION samplan_journal_note_locked()"
    )


def down(apps, schema_editor):
    remove_append_only_trigger(schema_editor, "journal_noteaddendum")
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP TRIGGER IF EXISTS journal_journalnote_locked ON journal_journalnote")
    schema_editor.execute("DROP FUNCTION IF EXISTS samplan_journal_note_locked()")


class Migration(migrations.Migration):
    dependencies = [("journal", "0001_initial")]
    operations = [migrations.RunPython(up, down)]
