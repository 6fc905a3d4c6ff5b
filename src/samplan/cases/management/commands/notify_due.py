from django.core.management.base import BaseCommand

from samplan.cases.due import notify_due


class Command(BaseCommand):
    help = "Notificér om bevillinger, der udløber, og opfølgninger og frister, der nærmer sig (kør dagligt)."

    def handle(self, *args, **options):
        result = notify_due()
        self.stdout.write(
            f"{result.notified} notifikationer, {result.tasks_made} nye opgaver, {result.tasks_closed} opgaver lukket."
        )
