"""The citizen's consents per person in their network: an append-only history of events.

The current state of a consent is the latest event for (member, kind); no event means no
consent. Events are never updated or deleted — a withdrawal is a new event."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from samplan.core.models import AppendOnly


class ConsentEvent(AppendOnly):
    changed_message = "Samtykkehistorik kan ikke ændres."
    deleted_message = "Samtykkehistorik kan ikke slettes."

    class Kind(models.TextChoices):
        CONTACT = "contact", "Må kontaktes"
        INVITE = "invite", "Må inviteres til møder"
        SEE_PLAN = "see_plan", "Må se min plan"

    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.PROTECT, related_name="consent_events")
    member = models.ForeignKey(
        "citizens.NetworkMember", on_delete=models.PROTECT, related_name="consent_events", verbose_name="person i netværket"
    )
    kind = models.CharField("samtykke", max_length=20, choices=Kind.choices)
    granted = models.BooleanField("givet")
    by_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="ændret af")
    by_role = models.CharField("rolle", max_length=20)
    at = models.DateTimeField("tidspunkt", auto_now_add=True, db_index=True)
    note = models.CharField("bemærkning", max_length=300, blank=True)

    class Meta:
        verbose_name = "samtykkehændelse"
        verbose_name_plural = "samtykkehistorik"
        ordering = ["-at", "-id"]
        base_manager_name = "objects"
        indexes = [models.Index(fields=["member", "kind", "at"]), models.Index(fields=["citizen", "at"])]

    def __str__(self):
        return f"{self.get_kind_display()}: {'givet' if self.granted else 'trukket tilbage'}"

    def clean(self):
        if self.member_id and self.citizen_id and self.member.citizen_id != self.citizen_id:
            raise ValidationError("Personen hører ikke til borgerens netværk.")
