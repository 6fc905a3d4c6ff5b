"""The database's own guards (PostgreSQL; the ORM guards stay for SQLite) and the shipped
template texts for every municipality that exists already.

* template versions and delivery attempts are append-only (``core.dbguard``);
* a sent letter is the record of what the citizen received: a trigger refuses UPDATE and
  DELETE of a row whose stored status is ``sent`` (drafts stay editable)."""

import json
from pathlib import Path

from django.db import migrations

from samplan.core.dbguard import FUNCTION, FUNCTION_SQL, install_append_only_trigger, remove_append_only_trigger

TABLES = [
    ("letters_lettertemplateversion", "En skabelonversion kan ikke ændres eller slettes."),
    ("letters_deliveryattempt", "Et forsendelsesforsøg kan ikke ændres eller slettes."),
]
SENT_TRIGGER = "letters_letter_sent_immutable"
SENT_MESSAGE = "Brevet er sendt og kan ikke ændres."


def up(apps, schema_editor):
    for table, message in TABLES:
        install_append_only_trigger(schema_editor, table, message)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION_SQL)
        schema_editor.execute(f'DROP TRIGGER IF EXISTS "{SENT_TRIGGER}" ON "letters_letter"')
        schema_editor.execute(
            f'CREATE TRIGGER "{SENT_TRIGGER}" BEFORE UPDATE OR DELETE ON "letters_letter" '
            f"FOR EACH ROW WHEN (OLD.status = 'sent') EXECUTE FUNCTION {FUNCTION}('{SENT_MESSAGE}')"
        )


def down(apps, schema_editor):
    for table, _message in TABLES:
        remove_append_only_trigger(schema_editor, table)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP TRIGGER IF EXISTS "{SENT_TRIGGER}" ON "letters_letter"')


def load_defaults(apps, schema_editor):
    Municipality = apps.get_model("core", "Municipality")
    LetterTemplate = apps.get_model("letters", "LetterTemplate")
    LetterTemplateVersion = apps.get_model("letters", "LetterTemplateVersion")
    texts = json.loads((Path(__file__).resolve().parent.parent / "data" / "default_templates.json").read_text("utf-8"))
    for municipality in Municipality.objects.all():
        for kind, text in texts.items():
            template, _ = LetterTemplate.objects.get_or_create(municipality=municipality, kind=kind)
            if not LetterTemplateVersion.objects.filter(template=template).exists():
                LetterTemplateVersion.objects.create(template=template, version=1, subject=text["subject"], body=text["body"])


class Migration(migrations.Migration):
    dependencies = [("letters", "0001_i12letters_letters"), ("core", "0008_i11database_append_only")]
    operations = [migrations.RunPython(up, down), migrations.RunPython(load_defaults, migrations.RunPython.noop)]
