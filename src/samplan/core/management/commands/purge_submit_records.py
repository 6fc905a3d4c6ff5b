"""Delete old one-time submit records (form tokens and API Idempotency-Keys).

A record only has to outlive the window in which a submit could be repeated (a double
click, a client's retry); after that it is just stored data. Run it daily, e.g. from cron."""

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from samplan.core.models import SubmitRecord


class Command(BaseCommand):
    help = "Delete submit records (form tokens, Idempotency-Keys) older than --days (default 30)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30)

    def handle(self, *args, days: int, **options):
        cutoff = timezone.now() - dt.timedelta(days=max(days, 1))
        deleted, _ = SubmitRecord.objects.filter(created_at__lt=cutoff).delete()
        self.stdout.write(f"{deleted} submit records deleted.")
