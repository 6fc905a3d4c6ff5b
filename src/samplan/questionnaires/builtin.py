"""The built-in CHIME self-rating (trivselsskema), in Samplan's own plain Danish.

CHIME (DOMAIN.md §8) names five elements of personal recovery: Connectedness, Hope and
optimism, Identity, Meaning, Empowerment. The wording below is written for Samplan; it
is not taken from any licensed instrument (e.g. the Recovery Star)."""

import datetime as dt

CHIME_KEY = "chime"
CHIME_NAME = "Sådan har du det – trivsel og recovery (CHIME)"
CHIME_VERSION = 1
CHIME_PUBLISHED = dt.date(2026, 1, 1)
CHIME_INTRO = (
    "Her kan du sætte ord og tal på, hvordan du har det lige nu. Der er fem spørgsmål. "
    "Du giver hvert spørgsmål et tal fra 1 til 10, hvor 1 er »slet ikke« og 10 er »i meget høj grad«. "
    "Der er ingen rigtige eller forkerte svar – det er din egen vurdering, der tæller. "
    "Du kan skrive en kommentar, hvis du har lyst. Dine svar kan ikke rettes bagefter, "
    "men du kan altid udfylde skemaet igen og se, hvordan det udvikler sig over tid."
)
SCALE = {"min": 1, "max": 10, "min_label": "Slet ikke", "max_label": "I meget høj grad"}
CHIME_ITEMS = [
    (
        "connectedness",
        "Forbundethed",
        "Hvor meget føler du dig forbundet med andre mennesker?",
        "Tænk fx på familie, venner, naboer, fællesskaber eller andre, du kan være sammen med eller tale med.",
    ),
    (
        "hope",
        "Håb og optimisme",
        "Hvor meget håb har du for din fremtid?",
        "Tænk på, om du tror på, at tingene kan blive bedre, og om du har noget at se frem til.",
    ),
    (
        "identity",
        "Identitet",
        "Hvor godt kan du lide den, du er?",
        "Tænk på, om du kan se dig selv som mere end dine vanskeligheder – med dine egne sider, styrker og interesser.",
    ),
    (
        "meaning",
        "Mening",
        "Hvor meget mening oplever du i din hverdag?",
        "Tænk fx på ting, du gør, som betyder noget for dig eller for andre.",
    ),
    (
        "empowerment",
        "Indflydelse på eget liv",
        "Hvor meget oplever du, at du selv bestemmer over dit liv?",
        "Tænk på, om du er med til at træffe beslutningerne om din hverdag, din støtte og dine mål.",
    ),
]


def install_chime(apps=None):
    """Create the CHIME instrument, version 1, if missing (idempotent). ``apps`` is the
    migration's app registry; without it the current models are used."""
    if apps is None:
        from django.apps import apps as django_apps

        apps = django_apps
    Instrument = apps.get_model("questionnaires", "Instrument")
    InstrumentVersion = apps.get_model("questionnaires", "InstrumentVersion")
    Scale = apps.get_model("questionnaires", "Scale")
    Item = apps.get_model("questionnaires", "Item")

    instrument, _ = Instrument.objects.get_or_create(key=CHIME_KEY, defaults={"name": CHIME_NAME})
    version = InstrumentVersion.objects.filter(instrument=instrument, version=CHIME_VERSION).first()
    if version is not None:
        return version
    version = InstrumentVersion.objects.create(
        instrument=instrument,
        version=CHIME_VERSION,
        published_on=CHIME_PUBLISHED,
        intro=CHIME_INTRO,
    )
    scale = Scale.objects.filter(**SCALE).first() or Scale.objects.create(**SCALE)
    for order, (key, label, text, help_text) in enumerate(CHIME_ITEMS, start=1):
        Item.objects.create(
            version=version,
            order=order,
            key=key,
            label=label,
            text=text,
            help_text=help_text,
            scale=scale,
            allow_comment=True,
        )
    return version
