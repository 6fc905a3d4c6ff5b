"""Give every municipality (or one) the shipped plain-Danish letter templates where it has
none of a kind yet; existing texts are left alone."""

from django.core.management.base import BaseCommand

from samplan.core.models import Municipality
from samplan.letters import services


class Command(BaseCommand):
    help = "Indlæs standardskabelonerne til breve for kommuner, der mangler dem."

    def add_arguments(self, parser):
        parser.add_argument("--municipality", type=int, help="Kun denne kommune (id).")

    def handle(self, *args, **options):
        municipalities = Municipality.objects.all()
        if options.get("municipality"):
            municipalities = municipalities.filter(pk=options["municipality"])
        count = 0
        for municipality in municipalities:
            services.ensure_templates(municipality)
            count += 1
        self.stdout.write(f"Brevskabeloner klar for {count} kommune(r).")
