"""Appeals (*klager*) of a decision: received, reconsidered by the municipality within four
weeks (retssikkerhedsloven § 66), then upheld for the citizen (medhold) or forwarded to
Ankestyrelsen, whose result closes it. The original ``cases.Decision`` is never rewritten:
the reconsideration is recorded here, and a changed grant is a new grant version (linked)."""

import datetime as dt

from django.conf import settings
from django.db import models

from samplan.core.locking import Versioned
from samplan.core.models import AppendOnly

USER = settings.AUTH_USER_MODEL
RECONSIDERATION_DAYS = 28  # four weeks from receipt


class Appeal(Versioned):
    class FromWhom(models.TextChoices):
        CITIZEN = "citizen", "Borgeren selv"
        REPRESENTATIVE = "representative", "En repræsentant"

    class Status(models.TextChoices):
        RECEIVED = "received", "Modtaget – genvurderes"
        UPHELD = "upheld", "Medhold ved genvurdering"
        MAINTAINED = "maintained", "Fastholdt – sendes til Ankestyrelsen"
        FORWARDED = "forwarded", "Sendt til Ankestyrelsen"
        DECIDED = "decided", "Afgjort af Ankestyrelsen"

    class Result(models.TextChoices):
        CONFIRMED = "confirmed", "Stadfæstet"
        CHANGED = "changed", "Ændret"
        REMITTED = "remitted", "Hjemvist"
        ANNULLED = "annulled", "Ophævet"

    OPEN_STATUSES = (Status.RECEIVED, Status.MAINTAINED, Status.FORWARDED)
    # Ankestyrelsen's results that go the citizen's way (counted with medhold in the figures).
    FOR_CITIZEN = (Result.CHANGED, Result.REMITTED, Result.ANNULLED)

    municipality = models.ForeignKey("core.Municipality", on_delete=models.PROTECT, related_name="+")
    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.PROTECT, related_name="appeals")
    decision = models.ForeignKey("cases.Decision", on_delete=models.PROTECT, related_name="appeals", verbose_name="afgørelse")
    received_on = models.DateField("modtaget")
    from_whom = models.CharField("klager", max_length=20, choices=FromWhom.choices)
    representative_name = models.CharField("repræsentantens navn", max_length=200, blank=True)
    summary = models.TextField("klagens indhold (kort)")
    reconsideration_due = models.DateField("frist for genvurdering")
    status = models.CharField("status", max_length=12, choices=Status.choices, default=Status.RECEIVED)
    reconsidered_on = models.DateField("genvurderet", null=True, blank=True)
    reconsideration = models.TextField("begrundelse for genvurderingen", blank=True)
    # Medhold that changes what the citizen gets: the grant version made in the grant flow.
    new_grant = models.ForeignKey(
        "cases.Grant", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="ny bevilling"
    )
    forwarded_on = models.DateField("sendt til Ankestyrelsen", null=True, blank=True)
    result = models.CharField("Ankestyrelsens afgørelse", max_length=10, choices=Result.choices, blank=True)
    result_on = models.DateField("Ankestyrelsens afgørelsesdato", null=True, blank=True)
    registered_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "klage"
        verbose_name_plural = "klager"
        ordering = ["reconsideration_due", "pk"]
        indexes = [models.Index(fields=["municipality", "status"])]

    def __str__(self) -> str:
        return f"Klage {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def days_left(self, today: dt.date) -> int:
        return (self.reconsideration_due - today).days


class AppealEvent(AppendOnly):
    """The appeal's history, append-only: who did which step when."""

    changed_message = "En klagehændelse kan ikke ændres."
    deleted_message = "En klagehændelse kan ikke slettes."

    class Kind(models.TextChoices):
        REGISTERED = "registered", "Klage registreret"
        UPHELD = "upheld", "Medhold ved genvurdering"
        MAINTAINED = "maintained", "Afgørelsen fastholdt"
        FORWARDED = "forwarded", "Sendt til Ankestyrelsen"
        DECIDED = "decided", "Ankestyrelsens afgørelse"

    appeal = models.ForeignKey(Appeal, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField("hændelse", max_length=12, choices=Kind.choices)
    on = models.DateField("dato")
    summary = models.CharField("resumé", max_length=300, blank=True)
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    role = models.CharField("rolle", max_length=20)
    at = models.DateTimeField(auto_now_add=True)

    class Meta(AppendOnly.Meta):
        verbose_name = "klagehændelse"
        verbose_name_plural = "klagehændelser"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on}"
