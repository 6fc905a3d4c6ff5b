"""manage.py index_offers — recompute the search columns of every offer (after a bulk
import, or after a change to what catalogue.search indexes)."""

from django.core.management.base import BaseCommand

from samplan.catalogue.models import Offer
from samplan.catalogue.search import index


class Command(BaseCommand):
    help = "Genberegn søgeindekset for alle tilbud i tilbudskataloget."

    def handle(self, *args, **options):
        count = index(Offer.objects.all())
        self.stdout.write(f"{count} tilbud er indekseret.")
