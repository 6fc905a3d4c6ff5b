"""The work that finds the worker: notifications (the inbox), tasks (mine and the team's) and
stand-in periods. Other apps create them through ``services`` (notify, ensure_task …); the
rows name the citizen only by a foreign key, and the short text is shown inside Samplan only."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from samplan.core.locking import Versioned

USER = settings.AUTH_USER_MODEL


class Notification(models.Model):
    class Kind(models.TextChoices):
        COMMITTEE_RETURNED = "committee_returned", "Bevilling sendt retur"
        COMMITTEE_APPROVED = "committee_approved", "Bevilling godkendt"
        COMMITTEE_REJECTED = "committee_rejected", "Bevilling afvist"
        ORDER_NEW = "order_new", "Ny bestilling"
        ORDER_CHANGED = "order_changed", "Ændret bestilling"
        ORDER_ACCEPTED = "order_accepted", "Bestilling modtaget"
        ORDER_DECLINED = "order_declined", "Bestilling afvist"
        ORDER_PROPOSED = "order_proposed", "Anden startdato foreslået"
        CONSULTATION_ANSWERED = "consultation_answered", "Partshøring besvaret"
        MEETING_REQUESTED = "meeting_requested", "Ønske om netværksmøde"
        GRANT_ENDING = "grant_ending", "Bevilling udløber snart"
        FOLLOW_UP_DUE = "follow_up_due", "Opfølgning forfalder"
        CASE_DEADLINE_DUE = "case_deadline_due", "Sagsbehandlingsfrist nærmer sig"
        LETTER_FAILED = "letter_failed", "Brev kunne ikke sendes"
        TASK_ASSIGNED = "task_assigned", "Ny opgave"
        HANDOVER = "handover", "Overdragelse"
        APPEAL_RECEIVED = "appeal_received", "Klage modtaget"
        ACCESS_REQUEST = "access_request", "Anmodning om aktindsigt"

    recipient = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="notifications", verbose_name="modtager")
    kind = models.CharField("art", max_length=30, choices=Kind.choices)
    text = models.CharField("tekst", max_length=300)
    url = models.CharField("link", max_length=300)
    citizen = models.ForeignKey(
        "citizens.Citizen", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name="borger"
    )
    created_at = models.DateTimeField("oprettet", auto_now_add=True, db_index=True)
    read_at = models.DateTimeField("læst", null=True, blank=True)
    # The same key for the same recipient makes no second row ("grant_ending:<grant id>").
    key = models.CharField("nøgle", max_length=100, blank=True)

    class Meta:
        verbose_name = "notifikation"
        verbose_name_plural = "notifikationer"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], condition=~Q(key=""), name="notification_unique_key"),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class Task(Versioned):
    class Kind(models.TextChoices):
        FOLLOW_UP_DUE = "follow_up_due", "Opfølgning"
        CASE_DEADLINE = "case_deadline", "Sagsbehandlingsfrist"
        CONSULTATION_DEADLINE = "consultation_deadline", "Frist for partshøring"
        APPEAL_RECONSIDERATION = "appeal_reconsideration", "Genvurdering af klage"
        ACCESS_REQUEST = "access_request", "Aktindsigt"
        MANUAL = "manual", "Opgave"

    class Status(models.TextChoices):
        OPEN = "open", "Åben"
        DONE = "done", "Udført"

    owner = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="tasks", verbose_name="ansvarlig")
    unit = models.ForeignKey(
        "core.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="tasks", verbose_name="team"
    )
    title = models.CharField("titel", max_length=200)
    kind = models.CharField("art", max_length=30, choices=Kind.choices, default=Kind.MANUAL)
    due = models.DateField("frist")
    url = models.CharField("link", max_length=300, blank=True)
    citizen = models.ForeignKey(
        "citizens.Citizen", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="borger"
    )
    status = models.CharField("status", max_length=10, choices=Status.choices, default=Status.OPEN)
    # Automatic tasks carry the key of their object ("follow_up_due:<id>"): one open task per key.
    key = models.CharField("nøgle", max_length=100, blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("oprettet", auto_now_add=True)
    done_at = models.DateTimeField("udført", null=True, blank=True)
    done_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "opgave"
        verbose_name_plural = "opgaver"
        ordering = ["due", "id"]
        indexes = [models.Index(fields=["owner", "status"]), models.Index(fields=["unit", "status"])]
        constraints = [
            models.UniqueConstraint(fields=["key"], condition=Q(status="open") & ~Q(key=""), name="task_unique_open_key"),
        ]

    def __str__(self) -> str:
        return self.title


class Substitution(models.Model):
    """A stand-in period: while it runs, what is sent to ``absent`` is also sent to
    ``substitute`` (notify and ensure_task), and the absent one's tasks show on the
    substitute's own list."""

    absent = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name="fraværende")
    substitute = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name="stedfortræder")
    starts = models.DateField("fra")
    ends = models.DateField("til")
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("oprettet", auto_now_add=True)

    class Meta:
        verbose_name = "stedfortræder"
        verbose_name_plural = "stedfortrædere"
        constraints = [models.CheckConstraint(condition=Q(ends__gte=models.F("starts")), name="substitution_period")]

    def __str__(self) -> str:
        return f"{self.starts:%d.%m.%Y}–{self.ends:%d.%m.%Y}"


class InboxSettings(models.Model):
    """The user's own choice of a daily e-mail digest (off unless they turn it on)."""

    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="inbox_settings")
    daily_digest = models.BooleanField("Send mig en daglig oversigt", default=False)

    def __str__(self) -> str:
        return "daglig oversigt" if self.daily_digest else "ingen oversigt"
