"""A network meeting for the demo citizen, made through the services (invitations are
queued for the task worker, which writes them to var/mail/ in the demo)."""

import datetime as dt

from django.utils import timezone

from samplan.citizens.models import NetworkMember
from samplan.consent import services as consent
from samplan.consent.models import ConsentEvent
from samplan.meetings import services


def seed_demo_meeting(citizen, caseworker):
    if citizen.meetings.exists():
        return None
    members = list(NetworkMember.objects.filter(citizen=citizen, user__isnull=False))
    for member in members:
        if not member.email:  # invitations go by e-mail; a fictional address for the demo
            member.email = f"{member.user.username}@example.invalid"
            member.save(update_fields=["email"])
        consent.give(caseworker, member, ConsentEvent.Kind.INVITE)
    meeting = services.request_meeting(
        caseworker, citizen, purpose="Få mine aftaler med psykiatrien og kommunen til at passe sammen"
    )
    for text in ("Hvordan jeg kommer i gang med gartnerskolen", "Hvem jeg ringer til, når det er svært om aftenen"):
        services.propose_topic(caseworker, meeting, text)
    services.choose_participants(
        caseworker,
        meeting,
        members=members,
        staff=[caseworker],
        professionals=[{"name": "Sygeplejerske Mette Berg", "email": "mette.berg@region.example.invalid", "sector": "regional"}],
    )
    start = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0) + dt.timedelta(days=10)
    services.schedule(caseworker, meeting, start, start + dt.timedelta(hours=1, minutes=30), "Lyngby Rådhus, mødelokale 3")
    return meeting
