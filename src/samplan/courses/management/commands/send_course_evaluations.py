from django.core.management.base import BaseCommand

from samplan.courses.evaluation import send_due_evaluations


class Command(BaseCommand):
    help = "Sender evalueringslinks for kurser, hvis sidste kursusgang er holdt (kør fx dagligt). Sender kun én gang pr. kursus."

    def handle(self, *args, **options):
        sent = send_due_evaluations()
        for course, n in sent.items():
            self.stdout.write(f"Kursus {course.number}: {course.title} ({course.term}): {n} evalueringslink(s) sat i kø.")
        self.stdout.write(f"{len(sent)} kursus/kurser behandlet; baggrundsworkeren sender e-mails.")
