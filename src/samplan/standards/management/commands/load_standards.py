"""manage.py load_standards [--municipality 0173] [--file sti] — indlæs kvalitetsstandarder.

Uden --file indlæses Lyngby-Taarbæk Kommunes 11 kvalitetsstandarder fra juni 2019 med
sagsbehandlingsfrister og kompetenceregler. Indlæsningen kan gentages: det, der allerede
findes, røres ikke (en ændret standard er en ny version, som oprettes i brugerfladen)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from samplan.core.models import Municipality
from samplan.standards.loader import DEFAULT_PATH, load_standards


class Command(BaseCommand):
    help = "Indlæs kvalitetsstandarder, sagsbehandlingsfrister og kompetenceregler for en kommune."

    def add_arguments(self, parser):
        parser.add_argument("--municipality", default="0173", help="kommunekode (standard 0173, Lyngby-Taarbæk)")
        parser.add_argument("--file", type=Path, default=DEFAULT_PATH, help="JSON-fil (standard: LTK's standarder fra 2019)")

    def handle(self, *args, municipality, file, **options):
        try:
            target = Municipality.objects.get(code=municipality)
        except Municipality.DoesNotExist:
            raise CommandError(f"Kommunen med kode {municipality} findes ikke.") from None
        if not file.is_file():
            raise CommandError(f"Filen findes ikke: {file}")
        try:
            counts = load_standards(target, file)
        except (ValueError, KeyError, json.JSONDecodeError) as exc:
            raise CommandError(f"Kunne ikke indlæse {file}: {exc}") from exc
        for warning in counts["warnings"]:
            self.stderr.write(self.style.WARNING(f"Advarsel: {warning}"))
        out = self.stdout.write
        out(f"{target.name} ({target.code}):")
        out(f"  Kvalitetsstandarder: {counts['standards_created']} oprettet, {counts['standards_existing']} fandtes i forvejen")
        out(
            f"  Versioner: {counts['versions_created']} oprettet, "
            f"{counts['versions_existing']} standarder havde allerede en version"
        )
        out(f"  FFB-målgrupper koblet på: {counts['target_groups_linked']}")
        out(
            f"  Sagsbehandlingsfrister: {counts['deadlines_created']} oprettet, {counts['deadlines_existing']} fandtes i forvejen"
        )
        out(f"  Kompetenceregler: {counts['competence_created']} oprettet, {counts['competence_existing']} fandtes i forvejen")
        created = sum(counts[k] for k in ("standards_created", "versions_created", "deadlines_created", "competence_created"))
        if created:
            self.stdout.write(self.style.SUCCESS("Indlæsningen er færdig."))
        else:
            self.stdout.write("Alt fandtes i forvejen; intet er ændret.")
