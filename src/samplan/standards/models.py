"""Quality standards (kvalitetsstandarder) as versioned data, and the municipality's rules
around them: case-processing deadlines and the caseworker's competence.

A standard is an identity (municipality + key such as "§85"); what it says lives in
``StandardVersion`` rows that are never edited: an administrator's change is a new version
(``services.new_version``), and every grant keeps the version it was made under."""

from django.conf import settings
from django.db import models

from .legal import LEGAL_BASES, ScopeUnit


class QualityStandard(models.Model):
    municipality = models.ForeignKey("core.Municipality", on_delete=models.PROTECT, related_name="standards")
    key = models.CharField("nøgle", max_length=10, help_text="fx §85 eller §82")
    legal_bases = models.JSONField("paragraffer", default=list, help_text='Lovgrundlag der dækkes, fx ["§82a", "§82c", "§82d"]')

    class Meta:
        verbose_name = "kvalitetsstandard"
        verbose_name_plural = "kvalitetsstandarder"
        ordering = ["municipality", "key"]
        constraints = [models.UniqueConstraint(fields=["municipality", "key"], name="standard_unique_key")]

    def __str__(self):
        return f"{self.key} ({self.municipality})"


class StandardVersion(models.Model):
    """One adopted version of a standard. ``rules`` holds the §-specific parameters the
    rule engine reads (packages, caps, thresholds, calculator amounts); amounts are data
    because they are indexed every year."""

    standard = models.ForeignKey(QualityStandard, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField("version")
    title = models.CharField("titel", max_length=200)
    adopted_on = models.DateField("vedtaget")
    revision_due = models.DateField("skal revideres senest", help_text="Én gang i hver kommunalbestyrelsesperiode")
    min_age = models.PositiveSmallIntegerField("minimumsalder", null=True, blank=True)
    max_age = models.PositiveSmallIntegerField("maksimumsalder", null=True, blank=True)
    target_group_text = models.TextField("målgruppe")
    target_groups = models.ManyToManyField("terminology.Concept", blank=True, related_name="+", verbose_name="FFB-målgrupper")
    content = models.TextField("ydelsens indhold")
    exclusions = models.TextField("indsatsen omfatter ikke", blank=True)
    citizen_summary = models.TextField(
        "til borgeren", help_text="Hvad du kan forvente, hvor længe, og hvordan du klager – i et klart sprog"
    )
    visitation_required = models.BooleanField("kræver visitation", default=True)
    appeal_allowed = models.BooleanField("klageadgang", default=True)
    scope_unit = models.CharField("omfangsenhed", max_length=20, choices=ScopeUnit.choices, blank=True)
    level_min = models.DecimalField("serviceniveau, mindst", max_digits=9, decimal_places=2, null=True, blank=True)
    level_max = models.DecimalField("serviceniveau, højst", max_digits=9, decimal_places=2, null=True, blank=True)
    rules = models.JSONField("regler og satser", default=dict, blank=True)
    follow_up_first_months = models.PositiveSmallIntegerField("første opfølgning senest (måneder)", null=True, blank=True)
    follow_up_every_months = models.PositiveSmallIntegerField("derefter senest hver (måneder)", null=True, blank=True)
    follow_up_during_and_end = models.BooleanField("opfølgning undervejs og ved afslutning", default=False)
    free_choice = models.BooleanField("frit valg af leverandør", default=False)
    provider_rules = models.TextField("levering", blank=True)
    unit_price = models.DecimalField("enhedspris (kr.)", max_digits=11, decimal_places=2, null=True, blank=True)
    citizen_payment = models.TextField("borgerens egenbetaling", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "version af kvalitetsstandard"
        verbose_name_plural = "versioner af kvalitetsstandarder"
        ordering = ["standard", "-version"]
        constraints = [models.UniqueConstraint(fields=["standard", "version"], name="standard_version_unique")]

    def __str__(self):
        return f"{self.title} (version {self.version})"

    @property
    def has_follow_up(self) -> bool:
        return bool(self.follow_up_first_months or self.follow_up_during_and_end)


class CaseDeadline(models.Model):
    """Sagsbehandlingsfrist per § (each municipality publishes its own)."""

    municipality = models.ForeignKey("core.Municipality", on_delete=models.PROTECT, related_name="case_deadlines")
    legal_basis = models.CharField("lovgrundlag", max_length=10, choices=LEGAL_BASES)
    days = models.PositiveSmallIntegerField("frist i dage")

    class Meta:
        verbose_name = "sagsbehandlingsfrist"
        verbose_name_plural = "sagsbehandlingsfrister"
        constraints = [models.UniqueConstraint(fields=["municipality", "legal_basis"], name="deadline_unique_basis")]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class CompetenceRule(models.Model):
    """What a caseworker may grant alone under a §: up to a scope, up to a monthly price,
    and whether deviations from the service level are theirs to make. Anything else goes
    to the allocation committee (visitationsudvalget)."""

    municipality = models.ForeignKey("core.Municipality", on_delete=models.PROTECT, related_name="competence_rules")
    legal_basis = models.CharField("lovgrundlag", max_length=10, choices=LEGAL_BASES)
    max_scope = models.DecimalField("højst omfang (i standardens enhed)", max_digits=9, decimal_places=2, null=True, blank=True)
    max_monthly_price = models.DecimalField("højst pris pr. måned (kr.)", max_digits=11, decimal_places=2, null=True, blank=True)
    deviation_allowed = models.BooleanField("må afvige fra serviceniveauet", default=False)

    class Meta:
        verbose_name = "kompetenceregel"
        verbose_name_plural = "kompetenceregler"
        constraints = [models.UniqueConstraint(fields=["municipality", "legal_basis"], name="competence_unique_basis")]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"
