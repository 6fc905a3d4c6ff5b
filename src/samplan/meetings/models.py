"""Cross-sector network meetings (netværksmøder) after Region Hovedstaden's template with an
Open Dialogue frame (DOMAIN.md §7). The citizen's wishes for topics and participants come
first. ``MeetingEvent`` rows are the meeting's history and are never edited."""

import uuid

from django.conf import settings
from django.db import models

from samplan.core.locking import Versioned
from samplan.core.models import AppendOnly
from samplan.core.validators import CASE_DATE_MIN, validate_case_date


def _uid() -> str:
    return f"{uuid.uuid4()}@samplan"


class NetworkMeeting(Versioned):
    class InitiatedBy(models.TextChoices):
        MUNICIPALITY = "municipality", "Kommunen"
        PSYCHIATRY = "psychiatry", "Psykiatrien"
        CITIZEN = "citizen", "Borgeren"
        RELATIVE = "relative", "Pårørende"

    class Participation(models.TextChoices):
        IN_PERSON = "in_person", "Jeg kommer til mødet"
        SHORT = "short", "Et kortere møde"
        ONLINE = "online", "Online"
        SUPPORT = "support", "Med en støtteperson"

    class Status(models.TextChoices):
        DRAFT = "draft", "Under forberedelse"
        SCHEDULED = "scheduled", "Planlagt"
        CANCELLED = "cancelled", "Aflyst"
        HELD = "held", "Afholdt"

    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.PROTECT, related_name="meetings")
    initiated_by = models.CharField("indkaldt af", max_length=20, choices=InitiatedBy.choices)
    requested_by_member = models.ForeignKey(
        "citizens.NetworkMember", null=True, blank=True, on_delete=models.PROTECT, related_name="requested_meetings"
    )
    purpose = models.TextField("formål")
    participation = models.CharField(
        "sådan deltager borgeren", max_length=20, choices=Participation.choices, default=Participation.IN_PERSON
    )
    status = models.CharField("status", max_length=20, choices=Status.choices, default=Status.DRAFT)
    starts_at = models.DateTimeField("starter", null=True, blank=True)
    ends_at = models.DateTimeField("slutter", null=True, blank=True)
    location = models.CharField("sted", max_length=200, blank=True)
    uid = models.CharField("kalender-id", max_length=80, default=_uid, unique=True, editable=False)
    sequence = models.PositiveIntegerField("kalenderversion", default=0)
    reminded_at = models.DateTimeField("påmindelse sendt", null=True, blank=True)
    citizen_summary = models.TextField("borgerens opsummering", blank=True)
    next_meeting_at = models.DateField("næste møde", null=True, blank=True, validators=[validate_case_date])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "netværksmøde"
        verbose_name_plural = "netværksmøder"
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(next_meeting_at__isnull=True) | models.Q(next_meeting_at__gte=CASE_DATE_MIN),
                name="meeting_next_meeting_plausible",
            ),
            # services._check_times: a meeting ends after it starts.
            models.CheckConstraint(
                condition=models.Q(starts_at__isnull=True)
                | models.Q(ends_at__isnull=True)
                | models.Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"Netværksmøde {self.pk}"

    @property
    def is_open(self) -> bool:
        """Still being prepared or planned: topics, participants and times may change."""
        return self.status in (self.Status.DRAFT, self.Status.SCHEDULED)

    @property
    def cross_sector(self) -> bool:
        """At least one municipal and one regional (psychiatry) participant."""
        sectors = {p.sector for p in self.participants.all() if p.invitation_status != MeetingParticipant.Invitation.CANCELLED}
        return MeetingParticipant.Sector.MUNICIPAL in sectors and MeetingParticipant.Sector.REGIONAL in sectors


class MeetingParticipant(models.Model):
    class Sector(models.TextChoices):
        MUNICIPAL = "municipal", "Kommunen"
        REGIONAL = "regional", "Regionen (psykiatrien)"
        CITIZEN = "citizen", "Borgeren"
        NETWORK = "network", "Netværk"

    class Invitation(models.TextChoices):
        NONE = "none", "Ikke inviteret"
        INVITED = "invited", "Inviteret"
        CANCELLED = "cancelled", "Invitation trukket tilbage"

    meeting = models.ForeignKey(NetworkMeeting, on_delete=models.CASCADE, related_name="participants")
    member = models.ForeignKey("citizens.NetworkMember", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField("navn", max_length=150)
    email = models.EmailField("e-mail", blank=True)
    sector = models.CharField("sektor", max_length=20, choices=Sector.choices)
    invitation_status = models.CharField("invitation", max_length=20, choices=Invitation.choices, default=Invitation.NONE)
    perspective_before = models.TextField("perspektiv før mødet", blank=True)
    perspective = models.TextField("perspektiv på mødet", blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"

    @property
    def citizen(self):
        return self.meeting.citizen


class MeetingTopic(models.Model):
    class ProposedBy(models.TextChoices):
        CITIZEN = "citizen", "Borgeren"
        STAFF = "staff", "Medarbejder"
        RELATIVE = "relative", "Pårørende"

    meeting = models.ForeignKey(NetworkMeeting, on_delete=models.CASCADE, related_name="topics")
    text = models.CharField("emne", max_length=300)
    proposed_by = models.CharField("foreslået af", max_length=20, choices=ProposedBy.choices)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class MeetingEvent(AppendOnly):
    changed_message = "Mødehistorikken kan ikke ændres."
    deleted_message = "Mødehistorikken kan ikke slettes."

    class Kind(models.TextChoices):
        SCHEDULED = "scheduled", "Planlagt"
        RESCHEDULED = "rescheduled", "Flyttet"
        CANCELLED = "cancelled", "Aflyst"
        HELD = "held", "Afholdt"

    meeting = models.ForeignKey(NetworkMeeting, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reason = models.TextField("begrundelse", blank=True)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["at", "id"]
        base_manager_name = "objects"
