from django.core.management.base import BaseCommand

from samplan.meetings.services import queue_reminders


class Command(BaseCommand):
    help = "Sætter påmindelser i kø for netværksmøder inden for de næste 48 timer (kør fx hver time)."

    def handle(self, *args, **options):
        queued = queue_reminders()
        self.stdout.write(f"{queued} påmindelse(r) sat i kø; baggrundsworkeren sender dem.")
