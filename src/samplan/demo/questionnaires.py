"""Demo CHIME responses (called from samplan.demo.generator.seed): a few self-ratings over
the last year for the demo citizen ``borger`` and some other citizens, created through
services.submit_response (so they are validated and audited). Deterministic per seed."""

import datetime as dt
import random

from django.utils import timezone

from samplan.citizens.models import Citizen
from samplan.questionnaires import services
from samplan.questionnaires.builtin import CHIME_KEY, install_chime
from samplan.questionnaires.models import Response

LTK_CODE = "0173"  # the demo municipality (samplan.demo.generator.LTK_CODE)

COMMENTS = {
    "connectedness": ["Jeg har fået en ven i løbegruppen.", "Savner min familie.", "Det hjælper at komme i værestedet."],
    "hope": ["Jeg glæder mig til foråret.", "Det går op og ned.", "Jeg tror på, at det bliver bedre."],
    "identity": ["Jeg er mere end mine vanskeligheder.", "Jeg er begyndt at tegne igen."],
    "meaning": ["Frivilligt arbejde giver mening.", "Dagene er lange."],
    "empowerment": ["Jeg var selv med til at lave min plan.", "Jeg vil gerne bestemme mere selv."],
}


def _values(rng, level: float) -> dict:
    return {k: max(1, min(10, round(level + rng.uniform(-1.5, 1.5)))) for k in COMMENTS}


def seed_recovery(*, seed: int, now: dt.datetime | None = None, others: int = 8) -> int:
    """Create responses for ``borger``'s citizen (5, portal and with staff) and for up to
    ``others`` further LTK citizens with a caseworker (2–4 each, with staff). Returns how
    many responses were made; does nothing if the demo citizens already have some."""
    now = now or timezone.now()
    rng = random.Random(f"samplan-demo-chime:{seed}")
    version = services.current_version(CHIME_KEY, on=now.date()) or install_chime()
    citizens = list(
        Citizen.objects.filter(caseworker__isnull=False, municipality__code=LTK_CODE)
        .select_related("user", "caseworker")
        .order_by("pk")
    )
    borger = [c for c in citizens if c.user and c.user.username == "borger"]
    rest = [c for c in citizens if c not in borger][: others * 3]
    chosen = borger + rng.sample(rest, min(others, len(rest)))
    if Response.objects.filter(citizen__in=chosen).exists():
        return 0
    made = 0
    for citizen in chosen:
        own = citizen in borger
        count = 5 if own else rng.randint(2, 4)
        # Spread over the last year, oldest first, a little irregular.
        days = [max(3, round(350 * (count - n) / count) - rng.randint(0, 20)) for n in range(count)]
        level = rng.uniform(3, 5)
        for n, days_ago in enumerate(days):
            level = min(9.0, level + rng.uniform(-0.5, 1.5))
            values = _values(rng, level)
            answers = {}
            for key, value in values.items():
                comment = rng.choice(COMMENTS[key]) if rng.random() < 0.25 else ""
                answers[key] = (value, comment)
            portal = own and citizen.user and n % 2 == 1
            user = citizen.user if portal else citizen.caseworker
            at = now - dt.timedelta(days=days_ago, hours=rng.randint(0, 6))
            services.submit_response(
                user,
                citizen,
                version,
                answers,
                answered_at=at,
                channel=Response.Channel.PORTAL if portal else Response.Channel.STAFF,
                with_staff=not portal,
            )
            made += 1
    return made
