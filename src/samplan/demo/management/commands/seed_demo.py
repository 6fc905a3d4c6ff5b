"""manage.py seed_demo [--seed N] [--citizens N] [--if-empty] — opret demodata.

Opretter Lyngby-Taarbæk Kommune (0173) med centre, myndighedsteams, tilbud og regionale
samarbejdsparter, én bruger pr. rolle, fiktive borgere med erstatningspersonnumre og sager
i alle faser (gennem sagsservicerne), samt nogle få borgere i Gladsaxe Kommune (0159).
Alle demobrugere får samme adgangskode: SAMPLAN_DEMO_PASSWORD eller "demo-kode-2026".
Den er kun til demo og udskrives på skærmen."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from samplan.demo import generator


class Command(BaseCommand):
    help = "Opret fiktive demodata (borgere, sager og brugere) for Lyngby-Taarbæk Kommune."

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed", type=int, default=generator.DEFAULT_SEED, help="startværdi for tilfældighed (samme seed giver samme data)"
        )
        parser.add_argument(
            "--citizens", type=int, default=generator.DEFAULT_CITIZENS, help="antal borgere i Lyngby-Taarbæk (standard 64)"
        )
        parser.add_argument("--if-empty", action="store_true", help="gør intet, hvis kommunen allerede har borgere")

    def handle(self, *args, seed, citizens, if_empty, **options):
        if citizens < 1:
            raise CommandError("--citizens skal være mindst 1.")
        if generator.has_demo_data():
            if not if_empty:
                raise CommandError(
                    f"{generator.LTK_NAME} har allerede borgere, så demodata oprettes ikke igen. "
                    "Brug --if-empty for at springe over, eller start fra en tom database "
                    "(slet databasefilen og kør manage.py migrate)."
                )
            self.stdout.write(f"{generator.LTK_NAME} har allerede borgere; demodata er ikke ændret.")
            generator.ensure_staff_devices()  # demo data from before staff logged in with an app code
        else:
            started = time.monotonic()
            try:
                with transaction.atomic():
                    result = generator.seed(seed=seed, citizens=citizens)
            except RuntimeError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(
                self.style.SUCCESS(
                    f"Oprettede {result.citizens} fiktive borgere og {result.cases} sager "
                    f"på {time.monotonic() - started:.1f} s (seed {seed})."
                )
            )
        self.print_logins()

    def print_logins(self):
        rows = generator.login_rows()
        headers = ("Rolle", "Brugernavn", "Adgangskode", "Bemærkning")
        table = [headers] + [(r.role, r.username, r.password, r.note) for r in rows]
        widths = [max(len(row[i]) for row in table) for i in range(len(headers) - 1)]
        out = self.stdout.write
        out("")
        out("Demo-logins (kun fiktive data; adgangskoden er ikke hemmelig):")
        for i, row in enumerate(table):
            out("  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)) + "  " + row[-1])
            if i == 0:
                out("  " + "  ".join("-" * w for w in widths) + "  " + "-" * len(headers[-1]))
        out("")
        out(f"Log ind på {generator.LOGIN_URL}")
        out(
            "Koden fra godkendelsesappen (TOTP-nøglen ovenfor), eller uden app: "
            "SAMPLAN_DEMO=1 .venv/bin/python manage.py totp_code BRUGERNAVN"
        )
