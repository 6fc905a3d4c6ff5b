"""The daily e-mail digest, sent by the database worker: counts per kind and a link — no
citizen's name, no CPR number, no notification text."""

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.urls import reverse

from samplan.core.models import User

from . import services


def build_digest(user: User, since) -> EmailMessage | None:
    counts = services.digest_counts(user, since)
    if not counts or not user.email:
        return None
    total = sum(n for _, n in counts)
    body = ["Hej", "", f"Du har {total} nye ulæste i din indbakke i Samplan:", ""]
    body += [f"- {label}: {n}" for label, n in counts]
    body += ["", f"Se dem i Samplan: {settings.SAMPLAN_BASE_URL}{reverse('inbox')}", "", "Venlig hilsen", "Samplan"]
    return EmailMessage("Din daglige oversigt fra Samplan", "\n".join(body), settings.DEFAULT_FROM_EMAIL, [user.email])


@task()
def send_digest(user_id: int, since_iso: str) -> bool:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    message = build_digest(user, dt.datetime.fromisoformat(since_iso))
    if message is None:
        return False
    message.send()
    return True
