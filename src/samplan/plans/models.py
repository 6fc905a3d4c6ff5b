"""Den samlede plan (DOMAIN.md §8): one coherent plan per citizen across cases, centres,
sectors and civil society.

The live rows (goals, efforts, agreements, comments, the provider's pedagogical plan and
status notes) are changed only through ``plans.services``, which writes a new immutable
``PlanVersion`` with a snapshot of the whole plan and an audit row for every change.
Professional data (grants, intervention goals) are linked, never copied."""

from django.conf import settings
from django.db import models

from samplan.core.locking import Versioned
from samplan.core.models import AppendOnly
from samplan.core.validators import CASE_DATE_MIN, validate_case_date

USER = settings.AUTH_USER_MODEL


class LifeDomain(models.TextChoices):
    """Livsområder (001): community life, social life, private life."""

    EDUCATION_WORK = "education_work", "Uddannelse og arbejde"
    SOCIAL = "social", "Socialt liv og fritid"
    HOME = "home", "Egen bolig"
    ECONOMY = "economy", "Økonomi"
    SELF_CARE = "self_care", "Egenomsorg"
    RELATIONS = "relations", "Nære relationer"
    HEALTH = "health", "Helbred"


class Plan(Versioned):
    """Samlet plan. ``version`` is the number of the newest PlanVersion (0 = nothing yet).

    The lock token of optimistic concurrency is the separate ``row_version`` (``Versioned``),
    not ``version``: ``version`` counts every change of the whole plan (a comment, a goal, a
    provider's status note), so as a token it would refuse a wishes save because someone
    commented on a goal meanwhile — a false conflict, and after an HTMX swap of another
    section the page's own wishes form would be stale too. ``row_version`` counts changes of
    this row's own edited fields (wishes, next meeting); goals and efforts have their own."""

    citizen = models.OneToOneField("citizens.Citizen", on_delete=models.PROTECT, related_name="plan")
    wishes = models.TextField("Mit liv og mine ønsker", blank=True)
    next_meeting = models.DateField("næste møde", null=True, blank=True, validators=[validate_case_date])
    version = models.PositiveIntegerField("version", default=0)
    updated_at = models.DateTimeField("senest ændret", null=True, blank=True)
    updated_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "samlet plan"
        verbose_name_plural = "samlede planer"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(next_meeting__isnull=True) | models.Q(next_meeting__gte=CASE_DATE_MIN),
                name="plan_next_meeting_plausible",
            )
        ]

    def __str__(self):
        return f"Plan for {self.citizen}"

    @property
    def contact_person(self):
        """The coordinating contact person (tovholder); the caseworker when none is named."""
        return self.citizen.coordinator or self.citizen.caseworker


class PlanPart:
    """Every live row belongs to a plan and so to a citizen (policy.citizen_of)."""

    @property
    def citizen(self):
        return self.plan.citizen


class PlanGoal(PlanPart, Versioned):
    """Mål på et livsområde: the citizen's own wording, optionally linked to the
    authority's intervention goal (indsatsmål) of a grant."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="goals")
    domain = models.CharField("livsområde", max_length=20, choices=LifeDomain.choices)
    citizen_wording = models.TextField("målet med borgerens egne ord")
    intervention_goal = models.ForeignKey(
        "cases.InterventionGoal",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan_goals",
        verbose_name="indsatsmål",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "mål"
        verbose_name_plural = "mål"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class PlanEffort(PlanPart, Versioned):
    """Indsats from any owner: municipal grant, other centre, jobcenter, region, GP,
    volunteers and civil society, peer support."""

    class OwnerKind(models.TextChoices):
        GRANT = "grant", "Kommunal bevilling"
        CENTRE = "centre", "Andet center i kommunen"
        JOBCENTER = "jobcenter", "Jobcenter"
        REGION = "region", "Regionspsykiatrien"
        GP = "gp", "Egen læge"
        CIVIL = "civil", "Frivillige og foreninger"
        PEER = "peer", "Peerstøtte"
        OTHER = "other", "Andet"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planlagt"
        ACTIVE = "active", "I gang"
        PAUSED = "paused", "Sat på pause"
        ENDED = "ended", "Afsluttet"

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="efforts")
    owner_kind = models.CharField("hvem står for indsatsen", max_length=20, choices=OwnerKind.choices)
    title = models.CharField("indsats", max_length=200)
    owner_name = models.CharField("sted / organisation", max_length=200, blank=True)
    responsible = models.CharField("ansvarlig person", max_length=200, blank=True)
    status = models.CharField("status", max_length=10, choices=Status.choices, default=Status.PLANNED)
    start = models.DateField("start", null=True, blank=True)
    end = models.DateField("slut", null=True, blank=True)
    grant = models.ForeignKey(
        "cases.Grant", null=True, blank=True, on_delete=models.PROTECT, related_name="plan_efforts", verbose_name="bevilling"
    )
    # An offer from the public catalogue (a course, a café, a volunteer group …), linked not copied.
    offer = models.ForeignKey(
        "catalogue.Offer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan_efforts",
        verbose_name="tilbud fra kataloget",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "indsats"
        verbose_name_plural = "indsatser"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class Agreement(PlanPart, models.Model):
    """Aftale: who does what by when; done or not done."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="agreements")
    who = models.CharField("hvem", max_length=200)
    what = models.TextField("hvad")
    due = models.DateField("hvornår", null=True, blank=True)
    responsible_is_citizen = models.BooleanField("borgeren står selv for aftalen", default=False)
    done = models.BooleanField("gjort", default=False)
    done_at = models.DateTimeField("markeret gjort", null=True, blank=True)
    done_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "aftale"
        verbose_name_plural = "aftaler"
        ordering = ["done", "due", "id"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class PlanComment(PlanPart, models.Model):
    """Kommentar to a goal or an agreement (exactly one)."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="comments")
    goal = models.ForeignKey(PlanGoal, null=True, blank=True, on_delete=models.PROTECT, related_name="comments")
    agreement = models.ForeignKey(Agreement, null=True, blank=True, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    text = models.TextField("kommentar")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "kommentar"
        verbose_name_plural = "kommentarer"
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(goal__isnull=False, agreement__isnull=True)
                | models.Q(goal__isnull=True, agreement__isnull=False),
                name="plan_comment_one_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class ProviderPlan(PlanPart, models.Model):
    """Pædagogisk plan: the provider's plan with the citizen for one order (bestilling)."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="provider_plans")
    order = models.OneToOneField("cases.Order", on_delete=models.PROTECT, related_name="provider_plan")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "pædagogisk plan"
        verbose_name_plural = "pædagogiske planer"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class ProviderPlanItem(models.Model):
    """Delmål or aktivitet in the pedagogical plan, towards one of the authority's goals."""

    class Kind(models.TextChoices):
        SUB_GOAL = "sub_goal", "Delmål"
        ACTIVITY = "activity", "Aktivitet"

    provider_plan = models.ForeignKey(ProviderPlan, on_delete=models.PROTECT, related_name="items")
    kind = models.CharField("type", max_length=10, choices=Kind.choices)
    text = models.TextField("beskrivelse")
    intervention_goal = models.ForeignKey(
        "cases.InterventionGoal",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="provider_items",
        verbose_name="indsatsmål",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "punkt i pædagogisk plan"
        verbose_name_plural = "punkter i pædagogisk plan"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"

    @property
    def citizen(self):
        return self.provider_plan.plan.citizen


class StatusNote(PlanPart, models.Model):
    """Statusnotat written with the citizen before a follow-up (004:L5126)."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="status_notes")
    order = models.ForeignKey("cases.Order", on_delete=models.PROTECT, related_name="status_notes")
    follow_up = models.ForeignKey(
        "cases.FollowUp", null=True, blank=True, on_delete=models.PROTECT, related_name="status_notes", verbose_name="opfølgning"
    )
    text = models.TextField("statusnotat")
    written_with_citizen = models.BooleanField("skrevet sammen med borgeren", default=True)
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "statusnotat"
        verbose_name_plural = "statusnotater"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class PlanVersion(AppendOnly):
    """One immutable version of the whole plan: written by every change, never edited."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField("version")
    snapshot = models.JSONField("indhold")
    changed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    changed_by_name = models.CharField("ændret af", max_length=200)
    changed_by_role = models.CharField("rolle", max_length=20)
    changed_at = models.DateTimeField("tidspunkt", auto_now_add=True)
    summary = models.CharField("ændring", max_length=300)

    changed_message = "Planversioner kan ikke ændres."
    deleted_message = "Planversioner kan ikke slettes."

    class Meta:
        verbose_name = "planversion"
        verbose_name_plural = "planversioner"
        ordering = ["-number"]
        base_manager_name = "objects"
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique_number")]

    @property
    def citizen(self):
        return self.plan.citizen
