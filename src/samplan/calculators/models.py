"""What the calculators record: §97 companion hours used, and §100 extra-cost calculations.

Both are append-only: a row is never updated or deleted (the instance and the queryset
refuse it). A new calculation is a new row; the history is the list of rows. Rows are
created only by ``calculators.services``, which checks the rules and writes the audit
trail."""

from django.conf import settings
from django.db import models
from django.utils.formats import date_format

from samplan.core import l10n
from samplan.core.models import AppendOnly
from samplan.core.validators import hours_used_validators, validate_case_date

USER = settings.AUTH_USER_MODEL

# The §100 bands besides the standard amounts "1", "2" …: below the minimum, documented costs.
BELOW, ACTUAL = "below", "actual"


def band_label(band: str) -> str:
    if band == BELOW:
        return "Under minimumsgrænsen – intet tilskud"
    if band == ACTUAL:
        return "Dokumenterede faktiske merudgifter"
    return f"Standardbeløb {band}"


class CompanionUsage(AppendOnly):
    """Forbrug af ledsagelsestimer (§ 97) på en bevilling. The balance is never stored: it
    is computed from the grant's start, the standard's rules and these rows
    (``services.companion_ledger``)."""

    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.PROTECT, related_name="companion_usages")
    grant = models.ForeignKey("cases.Grant", on_delete=models.PROTECT, related_name="companion_usages", verbose_name="bevilling")
    used_on = models.DateField("dato for ledsagelsen", validators=[validate_case_date])
    hours = models.DecimalField("timer", max_digits=6, decimal_places=2, validators=hours_used_validators)
    note = models.TextField("notat", blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(AppendOnly.Meta):
        verbose_name = "forbrug af ledsagelse"
        verbose_name_plural = "forbrug af ledsagelse"
        ordering = ["used_on", "id"]
        indexes = [models.Index(fields=["grant", "used_on"])]
        constraints = [models.CheckConstraint(condition=models.Q(hours__gt=0), name="companion_usage_hours_positive")]

    def __str__(self):
        return f"{l10n.decimal(self.hours)} timer den {date_format(self.used_on, 'SHORT_DATE_FORMAT')}"


class ExtraCostCalculation(AppendOnly):
    """Beregning af tilskud til merudgifter (§ 100): the items the citizen made probable,
    the rounded monthly total, the band and the monthly payment, under the standard version
    whose amounts were used. ``decision_deadline`` and ``recalculation_allowed_from`` are
    fixed at calculation time from the same version."""

    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.PROTECT, related_name="extra_cost_calculations")
    grant = models.ForeignKey(
        "cases.Grant",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="extra_cost_calculations",
        verbose_name="bevilling",
    )
    standard_version = models.ForeignKey(
        "standards.StandardVersion",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="kvalitetsstandard",
    )
    application_received = models.DateField("ansøgning modtaget", validators=[validate_case_date])
    calculated_on = models.DateField("beregnet den", validators=[validate_case_date])
    on_demand = models.BooleanField("borgeren kræver ny fastsættelse", default=False)
    items = models.JSONField("merudgifter", default=list, help_text='[{"label": "...", "kr_month": "123.45"}]')
    monthly_total = models.DecimalField("samlede merudgifter pr. måned (hele kr.)", max_digits=11, decimal_places=2)
    band = models.CharField("interval", max_length=10, help_text='"below", "1", "2" … eller "actual"')
    payment_kr_month = models.DecimalField("tilskud pr. måned (kr.)", max_digits=11, decimal_places=2)
    decision_deadline = models.DateField("afgørelse senest")
    recalculation_allowed_from = models.DateField("ny fastsættelse efter krav tidligst")
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(AppendOnly.Meta):
        verbose_name = "beregning af merudgifter"
        verbose_name_plural = "beregninger af merudgifter"
        ordering = ["-calculated_on", "-id"]
        indexes = [models.Index(fields=["citizen", "calculated_on"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(monthly_total__gte=0), name="extra_cost_total_not_negative"),
            models.CheckConstraint(condition=models.Q(payment_kr_month__gte=0), name="extra_cost_payment_not_negative"),
        ]

    def __str__(self):
        return f"Merudgifter {date_format(self.calculated_on, 'SHORT_DATE_FORMAT')}: {l10n.kr(self.payment_kr_month)} kr./md."

    @property
    def eligible(self) -> bool:
        return self.band != BELOW

    @property
    def documentation_required(self) -> bool:
        return self.band == ACTUAL

    @property
    def band_label(self) -> str:
        return band_label(self.band)
