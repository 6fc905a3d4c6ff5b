import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from samplan.inbox.models import InboxSettings
from samplan.inbox.tasks import send_digest


class Command(BaseCommand):
    help = "Sæt dagens oversigt (antal ulæste pr. slags) i kø til de brugere, der har bedt om den."

    def handle(self, *args, **options):
        since = (timezone.now() - dt.timedelta(days=1)).isoformat()
        ids = InboxSettings.objects.filter(daily_digest=True, user__is_active=True).values_list("user_id", flat=True)
        count = 0
        for user_id in ids:
            send_digest.enqueue(user_id, since)
            count += 1
        self.stdout.write(f"{count} oversigter sat i kø.")
