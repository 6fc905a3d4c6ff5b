"""manage.py totp_code BRUGERNAVN — vis den aktuelle 6-cifrede kode for en demobruger.

Virker for alle demobrugere med en godkendelsesapp: borger, pårørende og medarbejdere.
Kun til demo (SAMPLAN_DEMO=1): i drift har brugeren koden i sin egen godkendelsesapp."""

import os
import time

from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp

from samplan.core.models import User
from samplan.portal import twofactor


def current_code(device, at: float | None = None) -> str:
    """The code the user's app shows now (not yet used for a login)."""
    now = int(at if at is not None else time.time())
    step_now = (now - device.t0) // device.step
    # A code works only once: if this step's code was just used, give the next one (the
    # device accepts one step ahead).
    target = max(step_now + device.drift, device.last_t + 1)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=target - step_now)
    return f"{code:0{device.digits}d}"


class Command(BaseCommand):
    help = "Vis den aktuelle kode fra godkendelsesappen for en demobruger (kun demo)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        if os.environ.get("SAMPLAN_DEMO") != "1":
            raise CommandError("Kun til demo: sæt SAMPLAN_DEMO=1.")
        user = User.objects.filter(username=username).first()
        device = twofactor.confirmed_device(user) if user else None
        if device is None:
            raise CommandError(f"{username} har ingen godkendelsesapp tilknyttet.")
        self.stdout.write(current_code(device))
