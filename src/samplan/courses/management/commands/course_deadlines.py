"""Cancel courses that are below their minimum on their deadline and tell everyone enrolled
or waitlisted (courses.services.apply_minimum_deadlines). Run daily; safe to run again."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from samplan.courses import services


class Command(BaseCommand):
    help = "Aflys kurser under mindsteantallet på deres frist, og giv alle tilmeldte og ventende besked."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Kør som om det var denne dato (ÅÅÅÅ-MM-DD); standard er i dag.")

    def handle(self, *args, date=None, **options):
        today = None
        if date:
            try:
                today = dt.date.fromisoformat(date)
            except ValueError as error:
                raise CommandError("--date skal være en dato som 2026-03-01.") from error
        cancelled = services.apply_minimum_deadlines(today)
        for course in cancelled:
            self.stdout.write(
                f"Aflyst: kursus {course.number} »{course.title}« ({course.term.name}, id {course.pk}) – "
                f"færre end {course.min_participants} tilmeldte."
            )
        self.stdout.write(f"{len(cancelled)} kursus aflyst." if len(cancelled) == 1 else f"{len(cancelled)} kurser aflyst.")
