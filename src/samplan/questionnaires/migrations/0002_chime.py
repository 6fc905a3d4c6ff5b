"""The built-in CHIME self-rating, version 1 (see samplan.questionnaires.builtin)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from samplan.questionnaires.builtin import install_chime

    install_chime(apps)


class Migration(migrations.Migration):
    dependencies = [("questionnaires", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
