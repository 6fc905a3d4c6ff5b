"""Journal notes (journalnotater): what happened with a citizen, noted by the person who was there.

The notatpligt (offentlighedsloven § 13) makes a note evidence: once locked — by its author,
or 24 hours after it was written — it is never rewritten. Locked is computed (``locked_at``
set, or ``created_at`` older than ``LOCK_AFTER``), so no job has to lock notes. The model's
save, its queryset's update and delete, and on PostgreSQL a trigger (migration 0002) refuse
to change a locked note; what is learned later is a ``NoteAddendum`` (append-only), and a
correction is shown beneath the original, which stays visible.

The app sits below the case spine (cases records a note at first contact), so the ties to
cases and meetings are foreign keys by label, not imports."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from samplan.core.locking import Versioned
from samplan.core.models import AppendOnly, Role
from samplan.core.validators import TEXT_MAX, TextLengthValidator, validate_case_date

LOCK_AFTER = dt.timedelta(hours=24)
SUBJECT_MAX = 200
LOCKED_MESSAGE = "Notatet er låst og kan ikke ændres. Skriv en tilføjelse eller en rettelse i stedet."
DELETE_MESSAGE = "Et journalnotat kan ikke slettes."


def locked_q(now: dt.datetime | None = None) -> Q:
    """The notes that are locked at ``now``."""
    now = now or timezone.now()
    return Q(locked_at__isnull=False) | Q(created_at__lte=now - LOCK_AFTER)


class JournalNoteQuerySet(models.QuerySet):
    def locked(self) -> JournalNoteQuerySet:
        return self.filter(locked_q())

    def update(self, **kwargs):
        # The guard of bulk paths (save_if_unchanged, queryset.update, bulk_update): a set
        # containing a locked note changes nothing.
        if self.filter(locked_q()).exists():
            raise PermissionError(LOCKED_MESSAGE)
        return super().update(**kwargs)

    def delete(self):
        raise PermissionError(DELETE_MESSAGE)


class JournalNote(Versioned):
    class Kind(models.TextChoices):
        PHONE = "telefon", "Telefon"
        MEETING = "moede", "Møde"
        HOME_VISIT = "hjemmebesoeg", "Hjemmebesøg"
        EMAIL = "email", "E-mail"
        LETTER = "brev", "Brev"
        INTERNAL = "intern", "Intern note"
        DIARY = "dagbog", "Dagbog"  # provider staff only

    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.PROTECT, related_name="journal_notes")
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="journal_notes", verbose_name="sag"
    )
    grant = models.ForeignKey(
        "cases.Grant", on_delete=models.PROTECT, null=True, blank=True, related_name="journal_notes", verbose_name="bevilling"
    )
    order = models.ForeignKey(
        "cases.Order", on_delete=models.PROTECT, null=True, blank=True, related_name="journal_notes", verbose_name="bestilling"
    )
    meeting = models.ForeignKey(
        "meetings.NetworkMeeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="journal_notes",
        verbose_name="netværksmøde",
    )
    follow_up = models.ForeignKey(
        "cases.FollowUp",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="journal_notes",
        verbose_name="opfølgning",
    )
    # A provider's notes carry the provider (unit); they are read by that provider's staff and
    # the caseworker. Authority notes have none.
    provider_unit = models.ForeignKey(
        "core.OrgUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="tilbud"
    )
    kind = models.CharField("art", max_length=20, choices=Kind.choices)
    occurred_at = models.DateTimeField("tidspunkt", validators=[validate_case_date])
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_role = models.CharField("rolle", max_length=30, choices=Role.choices)
    subject = models.CharField("emne", max_length=SUBJECT_MAX)
    text = models.TextField("notat", validators=[TextLengthValidator(TEXT_MAX)])
    shared_with_citizen = models.BooleanField("delt med borgeren", default=False)
    locked_at = models.DateTimeField("låst", null=True, blank=True)
    created_at = models.DateTimeField("skrevet", default=timezone.now, editable=False)

    objects = JournalNoteQuerySet.as_manager()

    class Meta:
        base_manager_name = "objects"  # related access and collectors use the guarded queryset
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["citizen", "-occurred_at"], name="journal_note_citizen_time")]
        verbose_name = "journalnotat"
        verbose_name_plural = "journalnotater"

    def __str__(self) -> str:
        return self.subject

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None or self.created_at <= timezone.now() - LOCK_AFTER

    @property
    def corrected(self) -> bool:
        """Has a correction been added (from the prefetched addenda on lists)?"""
        return any(a.kind == NoteAddendum.Kind.CORRECTION for a in self.addenda.all())

    @property
    def locks_at(self) -> dt.datetime:
        """When the note is or will be locked."""
        return self.locked_at or self.created_at + LOCK_AFTER

    def save(self, *args, **kwargs):
        if self.pk is not None and type(self).objects.filter(pk=self.pk).filter(locked_q()).exists():
            raise PermissionError(LOCKED_MESSAGE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(DELETE_MESSAGE)


class NoteAddendum(AppendOnly):
    """What is added to a locked note: a tilføjelse, or a rettelse that keeps the original."""

    changed_message = "En tilføjelse til et notat kan ikke ændres; skriv en ny."
    deleted_message = "En tilføjelse til et notat kan ikke slettes."

    class Kind(models.TextChoices):
        ADDENDUM = "tilfoejelse", "Tilføjelse"
        CORRECTION = "rettelse", "Rettelse"

    note = models.ForeignKey(JournalNote, on_delete=models.PROTECT, related_name="addenda")
    kind = models.CharField("art", max_length=20, choices=Kind.choices)
    text = models.TextField("tekst", validators=[TextLengthValidator(TEXT_MAX)])
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_role = models.CharField("rolle", max_length=30, choices=Role.choices)
    created_at = models.DateTimeField("skrevet", default=timezone.now, editable=False)

    class Meta(AppendOnly.Meta):
        ordering = ["created_at", "pk"]
        verbose_name = "tilføjelse"
        verbose_name_plural = "tilføjelser"

    @property
    def citizen(self):
        return self.note.citizen
