from django.core.management.base import BaseCommand

from samplan.courses.brochure import send_brochure_reminders


class Command(BaseCommand):
    help = (
        "Minder de kursusansvarlige om kursusfolderen, når første kursus i en sæson starter om fem uger "
        "eller mindre (kør fx dagligt). Sendes én gang pr. sæson og samarbejdspart."
    )

    def handle(self, *args, **options):
        sent = send_brochure_reminders()
        for reminder in sent:
            self.stdout.write(f"{reminder.term}: påmindelse til {reminder.partner} sat i kø.")
        self.stdout.write(f"{len(sent)} påmindelse(r) sat i kø; baggrundsworkeren sender dem.")
