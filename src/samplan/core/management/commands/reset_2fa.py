"""manage.py reset_2fa BRUGERNAVN — nulstil en brugers godkendelsesapp (fx mistet telefon).

Brugerens apps fjernes, så næste login viser en ny QR-kode, og alle brugerens API-nøgler
holder op med at virke (core/api_tokens.py)."""

from django.core.management.base import BaseCommand, CommandError

from samplan.core import twofactor
from samplan.core.models import User


class Command(BaseCommand):
    help = "Nulstil en brugers godkendelsesapp; brugerens API-nøgler holder op med at virke."

    def add_arguments(self, parser):
        parser.add_argument("username", metavar="brugernavn")

    def handle(self, *args, username: str, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Brugeren findes ikke: {username}")
        count = twofactor.reset_devices(user)
        self.stdout.write(f"{count} godkendelsesapp(s) fjernet for {username}; brugerens API-nøgler er afsluttet.")
