"""The shipped partshøring text now names the facts and the response deadline (merge fields
``partshoering_fakta`` and ``svarfrist``). A municipality still on the old shipped text gets
the new one as a new version (versions are append-only); one that wrote its own keeps it."""

import json
from pathlib import Path

from django.db import migrations

OLD_BODY = "Kære {{ borger_navn }}\n\nVi er ved at behandle din sag ({{ sagsnummer }}) om hjælp efter servicelovens {{ paragraf }}. Før vi træffer afgørelse, skal du have mulighed for at se og kommentere de oplysninger, vi vil lægge vægt på.\n\n## Det lægger vi vægt på\n\n{{ begrundelse }}\n\n## Sådan svarer du\n\nDu kan svare på Min side, skrive til os eller ringe. Svarer du ikke, træffer vi afgørelse ud fra de oplysninger, vi har.\n\nKontakt: {{ kontaktperson|default:'din sagsbehandler' }}\n\nVenlig hilsen\n{{ kommune }}"


def add_version(apps, schema_editor):
    LetterTemplate = apps.get_model("letters", "LetterTemplate")
    LetterTemplateVersion = apps.get_model("letters", "LetterTemplateVersion")
    texts = json.loads((Path(__file__).resolve().parent.parent / "data" / "default_templates.json").read_text("utf-8"))
    text = texts["consultation"]
    for template in LetterTemplate.objects.filter(kind="consultation"):
        current = LetterTemplateVersion.objects.filter(template=template).order_by("-version").first()
        if current is None or current.body != OLD_BODY:
            continue
        LetterTemplateVersion.objects.create(
            template=template, version=current.version + 1, subject=text["subject"], body=text["body"]
        )


class Migration(migrations.Migration):
    dependencies = [("letters", "0003_i12consult_letter_consultation")]
    operations = [migrations.RunPython(add_version, migrations.RunPython.noop)]
