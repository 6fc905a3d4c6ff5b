"""manage.py load_ffb [sti ...] — indlæs en FFB-version (FHIR CodeSystem JSON).

Uden sti indlæses den medfølgende CodeSystem-FFB.json. En version, der allerede er
indlæst, røres ikke; en ny version indlæses ved siden af den gamle, så eksisterende
registreringer beholder deres begreber."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from samplan.terminology.loader import FFB_FILE, load_code_system
from samplan.terminology.models import CodeSystem


class Command(BaseCommand):
    help = "Indlæs FFB-kodesystemet fra FHIR CodeSystem JSON (standard: den medfølgende version)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", type=Path, metavar="sti", help="CodeSystem JSON-fil(er)")

    def handle(self, *args, paths, **options):
        for path in paths or [FFB_FILE]:
            if not path.is_file():
                raise CommandError(f"Filen findes ikke: {path}")
            try:
                result = load_code_system(path)
            except (ValueError, KeyError, json.JSONDecodeError) as exc:
                raise CommandError(f"Kunne ikke indlæse {path}: {exc}") from exc
            system = CodeSystem.objects.get(pk=result.system_id)
            label = f"{system.name} version {system.version}"
            if result.created:
                self.stdout.write(self.style.SUCCESS(f"Indlæste {result.concepts} begreber fra {label}."))
            else:
                self.stdout.write(f"{label} er allerede indlæst ({result.concepts} begreber); intet ændret.")
