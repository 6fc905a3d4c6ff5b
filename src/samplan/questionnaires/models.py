"""Questionnaires (spørgeskemaer): versioned instruments with items on a scale, and the
citizen's responses (besvarelser).

An instrument version is frozen once a response refers to it (a new version is made
instead). Responses and their answers are never edited or deleted: a new response is
made instead, so the citizen's trend is an honest history."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format

USER = settings.AUTH_USER_MODEL

FROZEN = "Spørgeskemaet er allerede besvaret og kan ikke ændres. Opret en ny version i stedet."
NO_EDIT = "En besvarelse kan ikke ændres eller slettes. Udfyld en ny i stedet."


class Instrument(models.Model):
    """Spørgeskema, e.g. the built-in CHIME self-rating (key "chime")."""

    key = models.SlugField("nøgle", max_length=40, unique=True)
    name = models.CharField("navn", max_length=200)

    class Meta:
        verbose_name = "spørgeskema"
        verbose_name_plural = "spørgeskemaer"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Scale(models.Model):
    """Skala: whole numbers from ``min`` to ``max`` with plain words at both ends."""

    min = models.SmallIntegerField("laveste værdi")
    max = models.SmallIntegerField("højeste værdi")
    min_label = models.CharField("tekst ved laveste værdi", max_length=80)
    max_label = models.CharField("tekst ved højeste værdi", max_length=80)

    class Meta:
        verbose_name = "skala"
        verbose_name_plural = "skalaer"
        constraints = [models.CheckConstraint(condition=models.Q(min__lt=models.F("max")), name="scale_min_below_max")]

    def __str__(self):
        return f"{self.min}–{self.max} ({self.min_label} … {self.max_label})"

    @property
    def values(self) -> list[int]:
        return list(range(self.min, self.max + 1))


class InstrumentVersion(models.Model):
    """One published wording of an instrument. Frozen once it has responses."""

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveSmallIntegerField("version")
    published_on = models.DateField("udgivet")
    intro = models.TextField("indledning", blank=True)

    class Meta:
        verbose_name = "spørgeskemaversion"
        verbose_name_plural = "spørgeskemaversioner"
        ordering = ["instrument", "-version"]
        constraints = [models.UniqueConstraint(fields=["instrument", "version"], name="instrument_version_unique")]

    def __str__(self):
        return f"{self.instrument} (version {self.version})"

    def save(self, *args, **kwargs):
        if not self._state.adding and self.has_responses():
            raise ValidationError(FROZEN)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.has_responses():
            raise ValidationError(FROZEN)
        return super().delete(*args, **kwargs)

    def has_responses(self) -> bool:
        return self.pk is not None and self.responses.exists()


class Item(models.Model):
    """Spørgsmål in a version, answered on a scale, optionally with a comment."""

    version = models.ForeignKey(InstrumentVersion, on_delete=models.PROTECT, related_name="items")
    order = models.PositiveSmallIntegerField("rækkefølge")
    key = models.SlugField("nøgle", max_length=40)
    label = models.CharField("kort navn", max_length=80, help_text="Bruges i grafen og tabeller.")
    text = models.TextField("spørgsmål")
    help_text = models.TextField("hjælpetekst", blank=True)
    scale = models.ForeignKey(Scale, on_delete=models.PROTECT, related_name="items")
    allow_comment = models.BooleanField("må kommenteres", default=True)

    class Meta:
        verbose_name = "spørgsmål"
        verbose_name_plural = "spørgsmål"
        ordering = ["version", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="item_unique_key"),
            models.UniqueConstraint(fields=["version", "order"], name="item_unique_order"),
        ]

    def __str__(self):
        return self.label

    def save(self, *args, **kwargs):
        if self._frozen():
            raise ValidationError(FROZEN)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._frozen():
            raise ValidationError(FROZEN)
        return super().delete(*args, **kwargs)

    def _frozen(self) -> bool:
        return self.version_id is not None and Response.objects.filter(version_id=self.version_id).exists()


class Response(models.Model):
    """Besvarelse: one filled-in questionnaire by (or with) a citizen. Never edited."""

    # Marks the table for the database's guard (core.dbguard: triggers, INSERT/SELECT only).
    append_only = True

    class Channel(models.TextChoices):
        PORTAL = "portal", "Borgerportalen"
        STAFF = "staff", "Sammen med en medarbejder"

    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.PROTECT, related_name="questionnaire_responses")
    version = models.ForeignKey(InstrumentVersion, on_delete=models.PROTECT, related_name="responses")
    answered_at = models.DateTimeField("besvaret")
    answered_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name="registreret af")
    with_staff = models.BooleanField("udfyldt sammen med en medarbejder", default=False)
    channel = models.CharField("kanal", max_length=10, choices=Channel.choices)

    class Meta:
        verbose_name = "besvarelse"
        verbose_name_plural = "besvarelser"
        ordering = ["answered_at", "id"]
        indexes = [models.Index(fields=["citizen", "version", "answered_at"])]

    def __str__(self):
        return f"{self.version} {date_format(timezone.localtime(self.answered_at), 'SHORT_DATE_FORMAT')}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(NO_EDIT)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(NO_EDIT)


class Answer(models.Model):
    """Svar on one item of a response. Never edited."""

    append_only = True  # see Response

    response = models.ForeignKey(Response, on_delete=models.PROTECT, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="answers")
    value = models.SmallIntegerField("værdi")
    comment = models.TextField("kommentar", blank=True)

    class Meta:
        verbose_name = "svar"
        verbose_name_plural = "svar"
        ordering = ["response", "item__order"]
        constraints = [models.UniqueConstraint(fields=["response", "item"], name="answer_unique_item")]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(NO_EDIT)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(NO_EDIT)
