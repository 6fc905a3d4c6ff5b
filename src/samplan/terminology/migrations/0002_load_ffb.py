"""Load the bundled FFB code system so every database has the terminology after migrate.
Idempotent; ``manage.py load_ffb`` loads newer versions beside it."""

from django.db import migrations


def load(apps, schema_editor):
    from samplan.terminology.loader import load_code_system

    load_code_system(apps=apps)


class Migration(migrations.Migration):
    dependencies = [("terminology", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
