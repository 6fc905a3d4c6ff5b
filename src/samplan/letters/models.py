"""Letters from templates: the municipality's versioned templates per kind and the letters
made from them (a decision letter, a consultation, a meeting notice …).

A ``Letter`` is a draft the caseworker may edit (``row_version``), then approved (the PDF is
made and frozen), queued, and sent or failed by ``letters.delivery``. Once sent it is the
record of what the citizen received: the ORM refuses any change and on PostgreSQL a trigger
does too (migration 0002). Template versions are append-only: a new text is a new version,
so every letter keeps the text it was made from."""

from django.conf import settings
from django.db import models

from samplan.core.locking import Versioned
from samplan.core.models import AppendOnly

USER = settings.AUTH_USER_MODEL

SENT_MESSAGE = "Brevet er sendt og kan ikke ændres."


class Kind(models.TextChoices):
    GRANT = "grant", "Bevilling"
    PARTIAL_GRANT = "partial_grant", "Delvis bevilling"
    REFUSAL = "refusal", "Afslag"
    CONSULTATION = "consultation", "Partshøring"
    MEETING = "meeting", "Indkaldelse til møde"
    FOLLOW_UP = "follow_up", "Opfølgning"
    ACCESS_TO_FILES = "access_to_files", "Aktindsigt"


# Kinds that tell the citizen they get help: made only from a grant that has taken effect.
GRANT_KINDS = frozenset({Kind.GRANT, Kind.PARTIAL_GRANT})
# Kinds that are a decision (forvaltningsloven §§ 22–25: reasons and appeal guidance).
DECISION_KINDS = GRANT_KINDS | {Kind.REFUSAL}


class LetterTemplate(models.Model):
    """One kind of letter of one municipality; its text lives in the versions."""

    municipality = models.ForeignKey("core.Municipality", on_delete=models.PROTECT, related_name="letter_templates")
    kind = models.CharField("brevtype", max_length=20, choices=Kind.choices)

    class Meta:
        verbose_name = "brevskabelon"
        verbose_name_plural = "brevskabeloner"
        ordering = ["municipality", "kind"]
        constraints = [models.UniqueConstraint(fields=["municipality", "kind"], name="lettertemplate_one_per_kind")]

    def __str__(self):
        return self.get_kind_display()

    def current(self) -> "LetterTemplateVersion | None":
        return self.versions.order_by("-version").first()


class LetterTemplateVersion(AppendOnly):
    """An immutable text of a template (Django template syntax, merge fields only)."""

    changed_message = "En skabelonversion kan ikke ændres; gem en ny version."
    deleted_message = "En skabelonversion kan ikke slettes."

    template = models.ForeignKey(LetterTemplate, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField("version")
    subject = models.CharField("emne", max_length=200)
    body = models.TextField("brødtekst")
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "version af brevskabelon"
        verbose_name_plural = "versioner af brevskabeloner"
        base_manager_name = "objects"
        ordering = ["template", "-version"]
        constraints = [models.UniqueConstraint(fields=["template", "version"], name="lettertemplateversion_unique")]

    def __str__(self):
        return f"{self.template} v{self.version}"


class LetterQuerySet(models.QuerySet):
    """Bulk changes may not reach a sent letter either."""

    def update(self, **kwargs):
        if self.filter(status=Letter.Status.SENT).exists():
            raise PermissionError(SENT_MESSAGE)
        return super().update(**kwargs)

    def delete(self):
        if self.filter(status=Letter.Status.SENT).exists():
            raise PermissionError(SENT_MESSAGE)
        return super().delete()


class Letter(Versioned):
    class Status(models.TextChoices):
        DRAFT = "draft", "Kladde"
        APPROVED = "approved", "Godkendt"
        QUEUED = "queued", "Sendes"
        SENT = "sent", "Sendt"
        FAILED = "failed", "Kunne ikke sendes"

    municipality = models.ForeignKey("core.Municipality", on_delete=models.PROTECT, related_name="+")
    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.PROTECT, related_name="letters")
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="letters")
    decision = models.ForeignKey("cases.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="letters")
    grant = models.ForeignKey("cases.Grant", null=True, blank=True, on_delete=models.PROTECT, related_name="letters")
    # The partshøring this letter carries (kind consultation); its delivery makes it sent.
    consultation = models.ForeignKey(
        "cases.Consultation", null=True, blank=True, on_delete=models.PROTECT, related_name="letters"
    )
    kind = models.CharField("brevtype", max_length=20, choices=Kind.choices)
    template_version = models.ForeignKey(LetterTemplateVersion, on_delete=models.PROTECT, related_name="letters")
    # The merge fields as they were when the draft was made (so the preview, the PDF and a
    # later reader see the same facts even if the case moves on).
    fields = models.JSONField("flettefelter", default=dict)
    subject = models.CharField("emne", max_length=200)
    body = models.TextField("brødtekst")
    status = models.CharField("status", max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    pdf = models.BinaryField("PDF", null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    backend = models.CharField("forsendelse", max_length=30, blank=True)
    receipt = models.JSONField("kvittering", default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField("forsøg", default=0)
    failure = models.CharField("fejl", max_length=300, blank=True)

    objects = LetterQuerySet.as_manager()

    class Meta:
        verbose_name = "brev"
        verbose_name_plural = "breve"
        base_manager_name = "objects"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.subject

    def _stored_status(self) -> str | None:
        return type(self)._base_manager.filter(pk=self.pk).values_list("status", flat=True).first()

    def save(self, *args, **kwargs):
        if self.pk is not None and self._stored_status() == self.Status.SENT:
            raise PermissionError(SENT_MESSAGE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.pk is not None and self._stored_status() == self.Status.SENT:
            raise PermissionError(SENT_MESSAGE)
        return super().delete(*args, **kwargs)

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class DeliveryAttempt(AppendOnly):
    """Each try to deliver a letter, kept: the receipt or why it failed."""

    changed_message = "Et forsendelsesforsøg kan ikke ændres."
    deleted_message = "Et forsendelsesforsøg kan ikke slettes."

    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, related_name="delivery_attempts")
    number = models.PositiveSmallIntegerField("forsøg nr.")
    backend = models.CharField("forsendelse", max_length=30)
    succeeded = models.BooleanField("lykkedes")
    detail = models.CharField("detaljer", max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "forsendelsesforsøg"
        verbose_name_plural = "forsendelsesforsøg"
        base_manager_name = "objects"
        ordering = ["letter", "number"]
