"""The case spine (DOMAIN.md §3): inquiry → case → assessment → decision → grant →
order → follow-up. Rows are created and moved only by ``cases.services``; history is
kept (a changed grant is a new version, never an edited row)."""

from django.conf import settings
from django.db import models

from samplan.core.locking import Versioned
from samplan.core.models import AppendOnly

# Shared with the quality standards, which are defined in them (and sit below the spine).
from samplan.core.validators import (
    CASE_DATE_MIN,
    CASE_DATETIME_MIN,
    hours_week_validators,
    validate_case_date,
)
from samplan.standards.legal import LEGAL_BASES, ScopeUnit

# §82 a/c/d help is given without a formal appeal route (004:L5161).
NO_APPEAL_BASES = {"§82a", "§82c", "§82d"}
# ... and is "very temporary", so it is not followed up (004:L5323).
NO_FOLLOW_UP_BASES = NO_APPEAL_BASES

USER = settings.AUTH_USER_MODEL


class Case(models.Model):
    """Sag. Its status is the case's place in the flow; only services change it."""

    class Status(models.TextChoices):
        INQUIRY = "inquiry", "Henvendelse modtaget"
        ASSESSMENT = "assessment", "Under udredning"
        AWAITING_DECISION = "awaiting_decision", "Afventer afgørelse"
        GRANTED = "granted", "Bevilget"
        REFUSED = "refused", "Afslag"
        CLOSED = "closed", "Afsluttet"

    municipality = models.ForeignKey("core.Municipality", on_delete=models.PROTECT, related_name="cases")
    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.PROTECT, related_name="cases")
    case_number = models.CharField("sagsnummer", max_length=30)
    status = models.CharField("status", max_length=20, choices=Status.choices, default=Status.INQUIRY)
    caseworker = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="cases", verbose_name="sagsbehandler")
    opened_at = models.DateTimeField("oprettet", auto_now_add=True)
    closed_at = models.DateTimeField("afsluttet", null=True, blank=True)

    class Meta:
        verbose_name = "sag"
        verbose_name_plural = "sager"
        ordering = ["-opened_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["municipality", "case_number"], name="case_unique_number")]

    def __str__(self):
        return self.case_number

    # What the case page says about a granted case, by the status of its grants: a decision to
    # grant is only "Bevilget" once a grant has taken effect. While the allocation committee
    # has the grant (or sent it back or rejected it), saying so would be untrue.
    GRANT_STATE_TEXTS = {
        "pending": "Afventer visitationsudvalget",
        "returned": "Sendt retur af visitationsudvalget",
        "rejected": "Afvist af visitationsudvalget",
    }
    NO_GRANT_YET_TEXT = "Afgjort – bevillingen er ikke oprettet endnu"

    @property
    def status_text(self) -> str:
        """The status as shown to people (uses ``grants`` as prefetched on the case page)."""
        if self.status != self.Status.GRANTED:
            return self.get_status_display()
        statuses = {g.status for g in self.grants.all()}
        if statuses & {"active", "ended"}:
            return self.get_status_display()
        for status, text in self.GRANT_STATE_TEXTS.items():
            if status in statuses:
                return text
        return self.NO_GRANT_YET_TEXT

    @property
    def grant_in_force(self) -> bool:
        """Has a grant of this case taken effect (approved or within competence)?"""
        return any(g.status in ("active", "ended") for g in self.grants.all())


class CommitteeReview(models.Model):
    """Visitationsudvalgets behandling af en bevilling uden for sagsbehandlerens kompetence."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", "Godkendt"
        REJECTED = "rejected", "Afvist"
        RETURNED = "returned", "Sendt retur"

    grant = models.ForeignKey("Grant", on_delete=models.PROTECT, related_name="reviews")
    outcome = models.CharField("udfald", max_length=10, choices=Outcome.choices)
    reason = models.TextField("begrundelse")
    reviewed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "behandling i visitationsudvalget"
        verbose_name_plural = "behandlinger i visitationsudvalget"
        ordering = ["-reviewed_at", "-id"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class Inquiry(models.Model):
    """Henvendelse / anledning."""

    class Source(models.TextChoices):
        CITIZEN = "citizen", "Borgeren selv"
        RELATIVE = "relative", "Pårørende"
        HOSPITAL = "hospital", "Hospital / psykiatri"
        GP = "gp", "Egen læge"
        JOBCENTER = "jobcenter", "Jobcenter"
        POLICE = "police", "Politi"
        PROVIDER = "provider", "Tilbud / leverandør"
        OTHER_MUNICIPAL = "municipal", "Anden kommunal enhed"
        OTHER = "other", "Andet"

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="inquiry")
    source = models.CharField("hvem henvendte sig", max_length=20, choices=Source.choices)
    reason = models.TextField("anledning")
    applied_for = models.CharField(
        "søgt efter",
        max_length=10,
        choices=LEGAL_BASES,
        blank=True,
        help_text="Den paragraf henvendelsen drejer sig om; bestemmer sagsbehandlingsfristen.",
    )
    received_at = models.DateTimeField("modtaget", validators=[validate_case_date])
    deadline = models.DateField("sagsbehandlingsfrist", null=True, blank=True)
    first_contact_at = models.DateTimeField("første kontakt", null=True, blank=True)
    registered_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "henvendelse"
        verbose_name_plural = "henvendelser"
        constraints = [
            models.CheckConstraint(condition=models.Q(received_at__gte=CASE_DATETIME_MIN), name="inquiry_received_plausible")
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class Assessment(Versioned):
    """Udredning. A completed assessment is final; a new one is made for re-assessment.
    While a draft it is edited in place (conditions, wishes): ``row_version`` is bumped by
    every change, so a page read before someone else's change gets a conflict, not an
    overwrite (``core.locking``)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Kladde"
        COMPLETED = "completed", "Afsluttet"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="assessments")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    citizen_wishes = models.TextField("borgerens ønsker for fremtiden (med egne ord)", blank=True)
    resources = models.TextField("ressourcer og netværk", blank=True)
    support_need = models.ForeignKey(
        "terminology.Concept", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="støttebehov"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    assessed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "udredning"
        verbose_name_plural = "udredninger"
        ordering = ["-started_at", "-id"]
        constraints = [
            # A case has at most one assessment in progress (services.start_assessment's rule).
            models.UniqueConstraint(fields=["case"], condition=models.Q(status="draft"), name="assessment_one_draft_per_case")
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class Condition(models.Model):
    """Tilstand per FFB theme. Functioning level only on Aktivitet og deltagelse."""

    class Level(models.IntegerChoices):
        NONE = 0, "0 – Intet problem"
        LIGHT = 1, "1 – Let problem"
        MODERATE = 2, "2 – Moderat problem"
        SEVERE = 3, "3 – Svært problem"
        COMPLETE = 4, "4 – Fuldstændigt problem"

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="conditions")
    theme = models.ForeignKey("terminology.Concept", on_delete=models.PROTECT, related_name="+", verbose_name="tema")
    functioning_level = models.PositiveSmallIntegerField("funktionsevneniveau", null=True, blank=True, choices=Level.choices)
    description = models.TextField("beskrivelse", blank=True)

    class Meta:
        verbose_name = "tilstand"
        verbose_name_plural = "tilstande"
        constraints = [
            models.UniqueConstraint(fields=["assessment", "theme"], name="condition_unique_theme"),
            models.CheckConstraint(
                condition=models.Q(functioning_level__isnull=True) | models.Q(functioning_level__gte=0, functioning_level__lte=4),
                name="condition_level_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class Decision(models.Model):
    """Afgørelse: grant or refusal with legal basis, justification and appeal guidance."""

    class Outcome(models.TextChoices):
        GRANTED = "granted", "Bevilget"
        REFUSED = "refused", "Afslag"

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="decision")
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField("afgørelse", max_length=10, choices=Outcome.choices)
    legal_basis = models.CharField("lovgrundlag", max_length=10, choices=LEGAL_BASES)
    justification = models.TextField("begrundelse")
    decided_at = models.DateField("afgørelsesdato", validators=[validate_case_date])
    appeal_deadline = models.DateField("klagefrist", null=True, blank=True)
    appeal_guidance = models.TextField("klagevejledning", blank=True)
    # The quality standard in force on the decision date; its plain summary goes to the citizen.
    standard_version = models.ForeignKey(
        "standards.StandardVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name="kvalitetsstandard",
    )
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Partshøring (forvaltningsloven § 19): a refusal or a partial grant rests on a sent
    # consultation of the case, or says why none was needed (``consultations.check_decision``).
    partial = models.BooleanField("delvis bevilling", default=False)
    consultation = models.ForeignKey(
        "cases.Consultation", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="partshøring"
    )
    consultation_not_needed_reason = models.TextField("partshøring ikke nødvendig, fordi", blank=True)

    class Meta:
        verbose_name = "afgørelse"
        verbose_name_plural = "afgørelser"
        constraints = [models.CheckConstraint(condition=models.Q(decided_at__gte=CASE_DATE_MIN), name="decision_date_plausible")]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class Grant(models.Model):
    """Bevilling/indsats. Versioned: a change makes a new row pointing at the previous."""

    class Status(models.TextChoices):
        PENDING = "pending", "Afventer visitationsudvalget"
        ACTIVE = "active", "Aktiv"
        RETURNED = "returned", "Sendt retur af visitationsudvalget"
        REJECTED = "rejected", "Afvist af visitationsudvalget"
        SUPERSEDED = "superseded", "Erstattet af ny version"
        ENDED = "ended", "Ophørt"

    class ServiceLevel(models.TextChoices):
        WITHIN = "within", "Inden for serviceniveauet"
        ABOVE = "above", "Over serviceniveauet"
        BELOW = "below", "Under serviceniveauet"
        NONE = "none", "Ingen kvalitetsstandard"

    ScopeUnit = ScopeUnit  # standards.legal.ScopeUnit, kept here as Grant.ScopeUnit for callers

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="grants")
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="grants")
    version = models.PositiveIntegerField("version", default=1)
    previous = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="next_version")
    status = models.CharField("status", max_length=20, choices=Status.choices, default=Status.ACTIVE)
    legal_basis = models.CharField("lovgrundlag", max_length=10, choices=LEGAL_BASES)
    services = models.ManyToManyField("terminology.Concept", related_name="+", verbose_name="ydelser")
    offer = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="grants", verbose_name="tilbud / leverandør")
    scope_amount = models.DecimalField("omfang", max_digits=9, decimal_places=2)
    scope_unit = models.CharField("enhed", max_length=20, choices=ScopeUnit.choices)
    start_date = models.DateField("startdato", validators=[validate_case_date])
    end_date = models.DateField("slutdato", null=True, blank=True, validators=[validate_case_date])
    change_reason = models.TextField("årsag til ændring", blank=True)
    # The quality standard the grant was made under, and what the rule engine found then.
    standard_version = models.ForeignKey(
        "standards.StandardVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grants",
        verbose_name="kvalitetsstandard",
    )
    service_level = models.CharField("serviceniveau", max_length=10, choices=ServiceLevel.choices, default=ServiceLevel.NONE)
    package = models.CharField("pakke", max_length=10, blank=True)
    deviation_justification = models.TextField("begrundelse for afvigelse fra serviceniveauet", blank=True)
    evaluation = models.JSONField("vurdering efter kvalitetsstandarden", default=dict, blank=True)
    assessed_hours_week = models.DecimalField(
        "vurderet støttebehov (timer pr. uge)",
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=hours_week_validators,
    )
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateField("ophørsdato", null=True, blank=True)

    class Meta:
        verbose_name = "bevilling"
        verbose_name_plural = "bevillinger"
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="grant_end_after_start",
            ),
            models.CheckConstraint(condition=models.Q(scope_amount__gt=0), name="grant_scope_positive"),
            models.CheckConstraint(condition=models.Q(start_date__gte=CASE_DATE_MIN), name="grant_start_plausible"),
            # The scope keeps its unit's natural bound (core.validators.SCOPE_MAX).
            models.CheckConstraint(
                condition=~models.Q(
                    models.Q(scope_unit="hours_week", scope_amount__gt=168)
                    | models.Q(scope_unit="hours_month", scope_amount__gt=744)
                    | models.Q(scope_unit="days_week", scope_amount__gt=7)
                    | models.Q(scope_unit="days_year", scope_amount__gt=366)
                ),
                name="grant_scope_within_unit",
            ),
            # A week has 168 hours (core.validators).
            models.CheckConstraint(
                condition=models.Q(assessed_hours_week__isnull=True)
                | models.Q(assessed_hours_week__gte=0, assessed_hours_week__lte=168),
                name="grant_assessed_hours_week_range",
            ),
        ]

    def __str__(self):
        return f"{self.get_legal_basis_display()} (v{self.version})"

    @property
    def has_active_order(self) -> bool:
        """From the prefetched orders: a declined order leaves the grant free to order again."""
        return any(o.status in Order.ACTIVE_STATUSES for o in self.orders.all())


class ActiveGrantService(models.Model):
    """One row per service of the grant version in force: the database's guard that a
    decision has at most one active grant for a service. ``services`` is many-to-many, so a
    unique constraint on the grant itself cannot say it; the services keep these rows in step
    with ``Grant.status`` (written when a version takes effect, removed when it is
    superseded or ends), and a second active version — a double submit, two concurrent
    requests — fails on the unique index instead of making two."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey("terminology.Concept", on_delete=models.PROTECT, related_name="+")
    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="active_services")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["decision", "service"], name="grant_one_active_version_per_decision_service")
        ]

    def __str__(self) -> str:
        return f"{self.decision_id}:{self.service_id}"


class GrantTargetGroup(models.Model):
    """Målgruppe on a grant: rank 1 is the primary target group, rank 2 secondary."""

    class Rank(models.IntegerChoices):
        PRIMARY = 1, "Primær"
        SECONDARY = 2, "Sekundær"

    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="target_groups")
    target_group = models.ForeignKey("terminology.Concept", on_delete=models.PROTECT, related_name="+", verbose_name="målgruppe")
    rank = models.PositiveSmallIntegerField("rang", choices=Rank.choices)

    class Meta:
        ordering = ["rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["grant", "target_group"], name="grant_target_group_unique"),
            models.UniqueConstraint(fields=["grant"], condition=models.Q(rank=1), name="grant_one_primary_target_group"),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class InterventionGoal(models.Model):
    """Indsatsmål: goal type + target functioning level, addressing exactly one primary
    Aktivitet og deltagelse condition (``condition``, required, one per goal)."""

    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="goals")
    goal_type = models.ForeignKey("terminology.Concept", on_delete=models.PROTECT, related_name="+", verbose_name="måltype")
    target_level = models.PositiveSmallIntegerField("mål for funktionsevneniveau", choices=Condition.Level.choices)
    condition = models.ForeignKey(Condition, on_delete=models.PROTECT, related_name="goals", verbose_name="primær tilstand")
    description = models.TextField("mål", blank=True)

    class Meta:
        verbose_name = "indsatsmål"
        verbose_name_plural = "indsatsmål"
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(target_level__gte=0, target_level__lte=4), name="goal_target_level_range")
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class Order(Versioned, models.Model):
    """Bestilling to the provider with purpose and concrete goals. The provider answers it:
    accepts, proposes another start date (still active, awaiting the caseworker) or declines
    with a reason (no longer active: the grant may be ordered elsewhere)."""

    class Status(models.TextChoices):
        SENT = "sent", "Sendt"
        ACCEPTED = "accepted", "Modtaget af tilbuddet"
        PROPOSED = "proposed", "Tilbuddet foreslår en anden startdato"
        DECLINED = "declined", "Afvist af tilbuddet"
        ENDED = "ended", "Afsluttet"

    ACTIVE_STATUSES = (Status.SENT, Status.ACCEPTED, Status.PROPOSED)

    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="orders")
    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.PROTECT, related_name="orders")
    provider = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="orders", verbose_name="tilbud")
    purpose = models.TextField("formål")
    goals = models.TextField("konkrete mål")
    status = models.CharField("status", max_length=20, choices=Status.choices, default=Status.SENT)
    sent_at = models.DateTimeField("sendt", auto_now_add=True)
    accepted_at = models.DateTimeField("modtaget", null=True, blank=True)
    ended_at = models.DateTimeField("afsluttet", null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    responded_at = models.DateTimeField("besvaret", null=True, blank=True)
    proposed_start = models.DateField("foreslået startdato", null=True, blank=True)
    response_reason = models.TextField("tilbuddets begrundelse", blank=True)

    class Meta:
        verbose_name = "bestilling"
        verbose_name_plural = "bestillinger"
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["provider", "status"])]
        constraints = [
            # services.create_order's rule, also under a race: one active order per grant.
            models.UniqueConstraint(
                fields=["grant"],
                condition=models.Q(status__in=["sent", "accepted", "proposed"]),
                name="order_one_active_per_grant",
            )
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class FollowUp(models.Model):
    """Opfølgning. Due ≤ 3 months after a new/changed grant starts, then ≤ 12 months after
    the previous follow-up (004:L5113–5119)."""

    class Kind(models.TextChoices):
        FIRST = "first", "Første opfølgning"
        YEARLY = "yearly", "Løbende opfølgning"
        DURING = "during", "Opfølgning undervejs"
        END = "end", "Opfølgning ved afslutning"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planlagt"
        DONE = "done", "Gennemført"
        CANCELLED = "cancelled", "Annulleret"

    class Result(models.TextChoices):
        CONTINUE = "continue", "Fortsæt indsatsen"
        CHANGE = "change", "Ændr indsatsen"
        END = "end", "Afslut indsatsen"
        END_AND_REFER = "end_refer", "Afslut og visitér til ny indsats"

    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="follow_ups")
    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.PROTECT, related_name="follow_ups")
    kind = models.CharField("type", max_length=10, choices=Kind.choices)
    due_date = models.DateField("senest", validators=[validate_case_date])
    status = models.CharField("status", max_length=10, choices=Status.choices, default=Status.PLANNED)
    done_at = models.DateField("gennemført", null=True, blank=True, validators=[validate_case_date])
    result = models.CharField("resultat", max_length=10, choices=Result.choices, blank=True)
    note = models.TextField("notat", blank=True)
    done_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "opfølgning"
        verbose_name_plural = "opfølgninger"
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


CONSULTATION_SENT_MESSAGE = "Partshøringen er sendt og kan ikke ændres."


class Consultation(models.Model):
    """Partshøring (forvaltningsloven § 19): the facts a refusal or partial grant will rest on,
    sent to the citizen with a response deadline. Made with its letter draft; it counts as
    sent when that letter is delivered (``consultations.mark_sent``), and from then on the
    row is the record of what the citizen was asked: its save refuses any change."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="consultations")
    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.PROTECT, related_name="consultations")
    facts = models.TextField("oplysninger, afgørelsen vil bygge på")
    response_deadline = models.DateField("svarfrist")
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField("sendt", null=True, blank=True)

    class Meta:
        verbose_name = "partshøring"
        verbose_name_plural = "partshøringer"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"

    def save(self, *args, **kwargs):
        if self.pk is not None and type(self)._base_manager.filter(pk=self.pk, sent_at__isnull=False).exists():
            raise PermissionError(CONSULTATION_SENT_MESSAGE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.sent_at is not None:
            raise PermissionError(CONSULTATION_SENT_MESSAGE)
        return super().delete(*args, **kwargs)

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None


class ConsultationAnswer(AppendOnly):
    """The citizen's answer to a consultation (a second answer is a new row)."""

    changed_message = "Et svar på en partshøring kan ikke ændres."
    deleted_message = "Et svar på en partshøring kan ikke slettes."

    class Channel(models.TextChoices):
        MIN_SIDE = "min_side", "Min side"
        LETTER = "brev", "Brev"

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="answers")
    text = models.TextField("svar")
    received_at = models.DateTimeField("modtaget")
    channel = models.CharField("kanal", max_length=10, choices=Channel.choices)
    # An answer by letter is registered as a journal note of kind "brev" (notatpligt).
    note = models.ForeignKey("journal.JournalNote", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    registered_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta(AppendOnly.Meta):
        verbose_name = "svar på partshøring"
        verbose_name_plural = "svar på partshøringer"
        ordering = ["received_at", "id"]


class GoalMeasurement(AppendOnly):
    """Effektmåling: at a follow-up, one intervention goal's functioning level now (FFB 0–4)
    and whether the goal is met. Written by ``services.complete_follow_up`` in the same
    transaction as the follow-up; never changed (a later follow-up measures again)."""

    changed_message = "En måling ved en opfølgning kan ikke ændres; mål igen ved næste opfølgning."
    deleted_message = "En måling ved en opfølgning kan ikke slettes."

    class Attainment(models.TextChoices):
        MET = "met", "Opnået"
        PARTLY = "partly", "Delvist opnået"
        NOT_MET = "not_met", "Ikke opnået"

    follow_up = models.ForeignKey(FollowUp, on_delete=models.PROTECT, related_name="measurements")
    goal = models.ForeignKey(InterventionGoal, on_delete=models.PROTECT, related_name="measurements", verbose_name="indsatsmål")
    level = models.PositiveSmallIntegerField("funktionsevneniveau nu", choices=Condition.Level.choices)
    attainment = models.CharField("målopfyldelse", max_length=10, choices=Attainment.choices)
    measured_at = models.DateField("målt", validators=[validate_case_date])

    class Meta:
        verbose_name = "måling af indsatsmål"
        verbose_name_plural = "målinger af indsatsmål"
        ordering = ["measured_at", "id"]
        base_manager_name = "objects"
        constraints = [
            models.UniqueConstraint(fields=["follow_up", "goal"], name="goal_measurement_once_per_follow_up"),
            models.CheckConstraint(condition=models.Q(level__gte=0, level__lte=4), name="goal_measurement_level_range"),
            models.CheckConstraint(
                condition=models.Q(attainment__in=["met", "partly", "not_met"]), name="goal_measurement_attainment_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"
