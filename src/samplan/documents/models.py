"""A document on a citizen (optionally on one of their cases): a doctor's statement, a
consent form, a statement from a provider. The file itself lives in the ``documents``
storage (``settings.STORAGES``) under a random name; this row says what it is. A document
is never changed or deleted once uploaded: a corrected version is a new upload."""

import uuid

from django.db import models

from samplan.core.models import AppendOnly, Role


def new_storage_name() -> str:
    # Random, so no user's file name (with its path tricks, length or personal data) ever
    # reaches the storage; two levels of folders keep directories small on a file system.
    name = uuid.uuid4().hex
    return f"{name[:2]}/{name}"


class Document(AppendOnly):
    class Kind(models.TextChoices):
        MEDICAL_STATEMENT = "medical_statement", "Lægeerklæring"
        CONSENT = "consent", "Samtykke"
        STATEMENT = "statement", "Udtalelse"
        OTHER = "other", "Andet"

    class ScanStatus(models.TextChoices):
        NOT_SCANNED = "not_scanned", "Ikke virusscannet"
        CLEAN = "clean", "Virusscannet"

    municipality = models.ForeignKey("core.Municipality", on_delete=models.PROTECT, related_name="+")
    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.PROTECT, related_name="documents")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="documents")
    kind = models.CharField("art", max_length=30, choices=Kind.choices)
    title = models.CharField("titel", max_length=200)
    # As the user's computer named it: shown, never used as a path or trusted for the type.
    original_name = models.CharField("oprindeligt filnavn", max_length=255)
    content_type = models.CharField("filtype", max_length=100)  # detected from the content (sniffing.py)
    size = models.PositiveBigIntegerField("størrelse (bytes)")
    sha256 = models.CharField("SHA-256", max_length=64)
    storage_name = models.CharField("lagernavn", max_length=100, unique=True, default=new_storage_name)
    uploaded_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    uploaded_by_role = models.CharField("rolle", max_length=20, choices=Role.choices)
    # The provider (or team) the uploader worked for: provider staff see their provider's uploads.
    uploaded_by_unit = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    uploaded_at = models.DateTimeField("uploadet", auto_now_add=True, db_index=True)
    shared_with_citizen = models.BooleanField("delt med borgeren", default=False)
    scan_status = models.CharField("virusscanning", max_length=20, choices=ScanStatus.choices)
    # What the citizen wrote with a document they sent from Min side (staff uploads leave it empty).
    comment = models.TextField("kommentar", blank=True, default="")
    # Sent by the citizen themself from Min side (staff see it marked "Fra borgeren").
    from_citizen = models.BooleanField("fra borgeren", default=False)

    changed_message = "Et dokument kan ikke ændres; upload en ny version i stedet."
    deleted_message = "Et dokument kan ikke slettes."

    class Meta:
        verbose_name = "dokument"
        verbose_name_plural = "dokumenter"
        ordering = ["-uploaded_at", "-pk"]
        base_manager_name = "objects"

    def __str__(self) -> str:
        return self.title

    @property
    def file_type(self):
        from .sniffing import BY_CONTENT_TYPE

        return BY_CONTENT_TYPE.get(self.content_type)
