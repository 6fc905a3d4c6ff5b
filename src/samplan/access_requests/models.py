"""Access requests (*aktindsigt*, GDPR art. 15): the request with its deadline of 7 working
days, and each export made for it (append-only: a new export is a new row)."""

from django.conf import settings
from django.db import models

from samplan.core.locking import Versioned
from samplan.core.models import AppendOnly

USER = settings.AUTH_USER_MODEL
DEADLINE_WORKING_DAYS = 7


class AccessRequest(Versioned):
    class FromWhom(models.TextChoices):
        CITIZEN = "citizen", "Borgeren selv"
        REPRESENTATIVE = "representative", "En repræsentant"

    class Status(models.TextChoices):
        RECEIVED = "received", "Modtaget"
        GENERATING = "generating", "Udtrækket laves"
        READY = "ready", "Udtræk klar"
        LETTER = "letter", "Brev lavet"

    municipality = models.ForeignKey("core.Municipality", on_delete=models.PROTECT, related_name="+")
    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.PROTECT, related_name="access_requests")
    received_on = models.DateField("modtaget")
    from_whom = models.CharField("anmoder", max_length=20, choices=FromWhom.choices)
    representative_name = models.CharField("repræsentantens navn", max_length=200, blank=True)
    note = models.TextField("bemærkning", blank=True)
    deadline = models.DateField("frist")
    status = models.CharField("status", max_length=12, choices=Status.choices, default=Status.RECEIVED)
    letter = models.ForeignKey("letters.Letter", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    registered_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "anmodning om aktindsigt"
        verbose_name_plural = "anmodninger om aktindsigt"
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"Aktindsigt {self.pk}"


class AccessExport(AppendOnly):
    """One export of everything held about the citizen: the JSON and the PDF report."""

    changed_message = "Et udtræk ændres ikke; lav et nyt."
    deleted_message = "Et udtræk kan ikke slettes."

    request = models.ForeignKey(AccessRequest, on_delete=models.PROTECT, related_name="exports")
    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.PROTECT, related_name="+")
    data = models.JSONField("data")
    pdf = models.BinaryField("PDF", editable=False)
    generated_at = models.DateTimeField(auto_now_add=True)

    class Meta(AppendOnly.Meta):
        verbose_name = "udtræk"
        verbose_name_plural = "udtræk"
        ordering = ["-generated_at", "-pk"]

    def __str__(self) -> str:
        return f"Udtræk {self.pk}"
