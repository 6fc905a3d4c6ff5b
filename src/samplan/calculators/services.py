"""Calculators for §97 companion hours (ledsagelse) and §100 extra costs (merudgifter).

The first half is pure (no database): the parameters are passed in, as they are stored in
``StandardVersion.rules`` (amounts are indexed every year, so they are data, never
constants here)::

    rules["companion"]   = {"hours_per_month": 15, "max_saved_hours": 90, "saving_months": 6,
                            "expenses_kr_year": 901}
    rules["extra_costs"] = {"threshold_kr_year": 6672, "threshold_kr_month": 556,
                            "bands": [{"from": 556, "to": 1561, "amount": 1053},
                                      {"from": 1562, "to": 2602, "amount": 2102}],
                            "actual_above": 2602, "decision_weeks": 4,
                            "recalculation_lock_months": 12, "km_rate": "1.98"}

The second half records usage and calculations (``record_companion_usage``,
``calculate_extra_costs``) and reads the ledger of a grant (``companion_ledger``); each
write is audited with before/after in the same transaction. Sources: 004:L6247–6258 (§97),
004:L6594–6678 (§100)."""

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from samplan.cases.models import Grant
from samplan.core import audit, l10n
from samplan.core.errors import DomainError
from samplan.core.models import AuditEvent

from .models import ACTUAL, BELOW, CompanionUsage, ExtraCostCalculation

COMPANION_BASIS = "§97"
EXTRA_COSTS_BASIS = "§100"
CENTS = Decimal("0.01")
MAX_ITEMS = 8  # item rows on the §100 form (and the API's limit)

ACCRUAL, USAGE, LAPSE = "accrual", "usage", "lapse"


def _dec(value, name: str) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise ValueError(name) from None


def _optional_dec(params, name: str) -> Decimal | None:
    return _dec(params[name], name) if params.get(name) is not None else None


# --- §97 companion: parameters ------------------------------------------------------------


@dataclass(frozen=True)
class CompanionParams:
    hours_per_month: Decimal
    max_saved_hours: Decimal
    saving_months: int
    expenses_kr_year: Decimal | None = None

    @classmethod
    def of(cls, params) -> "CompanionParams":
        """From ``rules["companion"]`` (a dict) or an instance; a Danish DomainError when
        the standard's data is missing or unusable."""
        if isinstance(params, cls):
            return params
        try:
            p = cls(
                hours_per_month=_dec(params["hours_per_month"], "hours_per_month"),
                max_saved_hours=_dec(params["max_saved_hours"], "max_saved_hours"),
                saving_months=int(params["saving_months"]),
                expenses_kr_year=_optional_dec(params, "expenses_kr_year"),
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            p = None
        if p is None or p.hours_per_month <= 0 or p.max_saved_hours < 0 or p.saving_months < 1:
            raise DomainError(
                "Kvalitetsstandarden mangler gyldige satser for ledsagelse (timer pr. måned, loft og opsparingsperiode).",
                code="missing_rules",
            )
        return p


# --- §97 companion: the ledger ------------------------------------------------------------


@dataclass(frozen=True)
class Balance:
    """The saved companion hours on a day, after everything that happens that day."""

    available: Decimal
    accrued_total: Decimal
    used_total: Decimal
    lapsed_total: Decimal
    next_lapse: tuple[dt.date, Decimal] | None  # (date, hours) of the next hours to lapse after the day
    uncovered_total: Decimal = Decimal(0)  # usage not covered by saved hours (only in inconsistent data)


@dataclass(frozen=True)
class LedgerLine:
    day: dt.date
    kind: str  # ACCRUAL, USAGE or LAPSE
    hours: Decimal  # signed: + accrued, − used or lapsed
    balance: Decimal  # running balance after this line
    text: str
    ref: object = None  # what the caller passed with the usage (the CompanionUsage row)
    uncovered: Decimal = Decimal(0)  # hours of this usage the balance did not cover


@dataclass
class _Tranche:
    accrued_on: dt.date
    lapses_on: dt.date
    remaining: Decimal


def _usages(usages) -> list[tuple[dt.date, Decimal, object]]:
    out = []
    for u in usages:
        day, hours, *rest = u
        out.append((day, Decimal(hours), rest[0] if rest else None))
    return sorted(out, key=lambda u: u[0])  # stable: same-day usages keep their order


def companion_ledger_lines(accrual_start: dt.date, usages, on: dt.date, params, *, accrual_end: dt.date | None = None):
    """The §97 ledger up to and including ``on``: ``(Balance, [LedgerLine, ...])``.

    Conventions (the seed says "15 timer om måneden ... max. opspares 90 timer inden for 6
    måneder. Ikke forbrugte timer bortfalder", 004:L6247–6258):

    * ``hours_per_month`` accrue on ``accrual_start`` (the grant's start) and on the same
      day of the month every month after, always counted from the start with ``relativedelta``
      (start 31 Jan → 28/29 Feb, 31 Mar, 30 Apr …), up to and including ``accrual_end``.
    * Each month's hours are a tranche that can be used until it lapses ``saving_months``
      months after it accrued, counted on the same schedule (tranche *k* accrued on
      ``start + relativedelta(months=k)`` lapses on ``start + relativedelta(months=k + saving_months)``). It
      lapses ON that date: the day before it can still be used, on the day it cannot. So
      the lapse of tranche *k* and the accrual of tranche *k + saving_months* fall on the
      same day.
    * Within a day: first lapses, then the accrual, then usage (a usage on an accrual day
      may use that day's hours; a usage on a lapse day may not use the lapsing hours).
    * Usage consumes the oldest unlapsed hours first (FIFO).
    * The saved balance never exceeds ``max_saved_hours``: the part of an accrual that
      would take the balance above the cap is not added (with 15 h a month and a 6-month
      lapse the balance caps at 90 by itself; the cap is still enforced).
    * ``usages`` are ``(date, hours)`` or ``(date, hours, ref)``. A usage larger than the
      balance is refused by the service that records it (``validate_usage``); should the
      data nevertheless contain one (e.g. a grant ended back in time), the ledger uses what
      there is and reports the rest as ``uncovered`` instead of going negative."""
    p = CompanionParams.of(params)
    pending = [u for u in _usages(usages) if u[0] <= on]
    tranches: list[_Tranche] = []
    lines: list[LedgerLine] = []
    available = accrued = used = lapsed = uncovered_total = Decimal(0)
    k = 0

    def next_accrual():
        day = accrual_start + relativedelta(months=k)
        if day > on or (accrual_end is not None and day > accrual_end):
            return None
        return day

    while True:
        candidates = [
            d
            for d in (
                next_accrual(),
                min((t.lapses_on for t in tranches if t.remaining > 0 and t.lapses_on <= on), default=None),
                pending[0][0] if pending else None,
            )
            if d is not None
        ]
        if not candidates:
            break
        day = min(candidates)
        for t in tranches:
            if t.lapses_on == day and t.remaining > 0:
                hours, t.remaining = t.remaining, Decimal(0)
                available -= hours
                lapsed += hours
                text = f"Bortfaldet: ikke brugte timer optjent {date_format(t.accrued_on, 'SHORT_DATE_FORMAT')}"
                lines.append(LedgerLine(day, LAPSE, -hours, available, text))
        if next_accrual() == day:
            room = max(p.max_saved_hours - available, Decimal(0))
            hours = min(p.hours_per_month, room)
            tranches.append(_Tranche(day, accrual_start + relativedelta(months=k + p.saving_months), hours))
            available += hours
            accrued += hours
            text = f"Optjent for måned {k + 1}"
            if hours < p.hours_per_month:
                text += (
                    f" ({l10n.decimal(p.hours_per_month - hours)} timer ikke optjent: "
                    f"loftet på {l10n.decimal(p.max_saved_hours)} timer er nået)"
                )
            lines.append(LedgerLine(day, ACCRUAL, hours, available, text))
            k += 1
        while pending and pending[0][0] == day:
            _, hours, ref = pending.pop(0)
            covered = min(hours, available)
            rest = covered
            for t in tranches:
                if rest <= 0:
                    break
                take = min(t.remaining, rest)
                t.remaining -= take
                rest -= take
            available -= covered
            used += covered
            short = hours - covered
            uncovered_total += short
            text = "Brugt"
            if short:
                text += f" ({l10n.decimal(short)} timer var ikke dækket af opsparede timer)"
            lines.append(LedgerLine(day, USAGE, -hours, available, text, ref=ref, uncovered=short))

    left = [t for t in tranches if t.remaining > 0]
    next_lapse = (left[0].lapses_on, left[0].remaining) if left else None
    balance = Balance(available, accrued, used, lapsed, next_lapse, uncovered_total)
    return balance, lines


def companion_balance(accrual_start: dt.date, usages, on: dt.date, params, *, accrual_end: dt.date | None = None) -> Balance:
    """The saved §97 hours on ``on`` (after that day's lapses, accrual and usage). See
    ``companion_ledger_lines`` for the conventions."""
    return companion_ledger_lines(accrual_start, usages, on, params, accrual_end=accrual_end)[0]


def validate_usage(
    accrual_start: dt.date, usages, used_on: dt.date, hours, params, *, accrual_end: dt.date | None = None
) -> Balance:
    """Refuse (DomainError) a new usage the saved hours do not cover, or one that would
    leave an already recorded later usage uncovered (a usage back in time takes the oldest
    hours first, which a later usage may have counted on). Returns the balance on
    ``used_on`` before the new usage."""
    hours = Decimal(hours)
    if hours <= 0:
        raise DomainError("Antal timer skal være større end 0.", code="hours_positive")
    existing = _usages(usages)
    before, _ = companion_ledger_lines(accrual_start, existing, used_on, params, accrual_end=accrual_end)
    used_on_text = date_format(used_on, "SHORT_DATE_FORMAT")
    if hours > before.available:
        raise DomainError(
            f"Der er kun {l10n.decimal(before.available)} timer til rådighed den {used_on_text}; "
            f"der kan ikke registreres {l10n.decimal(hours)} timers ledsagelse.",
            code="insufficient_hours",
        )
    marker = object()
    combined = existing + [(used_on, hours, marker)]
    last_day = max(u[0] for u in combined)
    _, lines = companion_ledger_lines(accrual_start, combined, last_day, params, accrual_end=accrual_end)
    for line in lines:
        if line.kind == USAGE and line.uncovered and line.ref is not marker:
            raise DomainError(
                f"Der er kun {l10n.decimal(before.available)} timer til rådighed den {used_on_text}, men "
                f"{l10n.decimal(hours)} timer her ville betyde, at det registrerede forbrug den "
                f"{date_format(line.day, 'SHORT_DATE_FORMAT')} ({l10n.decimal(-line.hours)} timer) ikke længere er dækket.",
                code="insufficient_hours",
            )
    return before


# --- §100 extra costs: pure -----------------------------------------------------------------


@dataclass(frozen=True)
class Band:
    name: str  # "1", "2", …
    low: Decimal
    high: Decimal
    amount: Decimal


@dataclass(frozen=True)
class ExtraCostParams:
    threshold_kr_month: Decimal
    bands: tuple[Band, ...]
    actual_above: Decimal
    decision_weeks: int
    recalculation_lock_months: int
    threshold_kr_year: Decimal | None = None
    km_rate: Decimal | None = None

    @classmethod
    def of(cls, params) -> "ExtraCostParams":
        if isinstance(params, cls):
            return params
        try:
            bands = tuple(
                Band(str(i), _dec(b["from"], "from"), _dec(b["to"], "to"), _dec(b["amount"], "amount"))
                for i, b in enumerate(params["bands"], 1)
            )
            p = cls(
                threshold_kr_month=_dec(params["threshold_kr_month"], "threshold_kr_month"),
                bands=bands,
                actual_above=_dec(params["actual_above"], "actual_above"),
                decision_weeks=int(params["decision_weeks"]),
                recalculation_lock_months=int(params["recalculation_lock_months"]),
                threshold_kr_year=_optional_dec(params, "threshold_kr_year"),
                km_rate=_optional_dec(params, "km_rate"),
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            p = None
        if p is None or p.decision_weeks < 0 or p.recalculation_lock_months < 0:
            raise DomainError(
                "Kvalitetsstandarden mangler gyldige satser for merudgifter (grænse, standardbeløb og frister).",
                code="missing_rules",
            )
        return p


@dataclass(frozen=True)
class ExtraCostResult:
    monthly_total: Decimal  # whole kroner (half up)
    band: str  # "below", "1", "2", … or "actual"
    payment_kr_month: Decimal
    eligible: bool
    exact_total: Decimal = Decimal(0)  # the sum before rounding

    @property
    def documentation_required(self) -> bool:
        return self.band == ACTUAL


def _item_amounts(items) -> list[tuple[str, Decimal]]:
    out = []
    for item in items:
        if isinstance(item, dict):
            label, amount = item.get("label", ""), item.get("kr_month")
        else:
            label, amount = item
        try:
            amount = Decimal(str(amount))
        except (InvalidOperation, TypeError, ValueError):
            raise DomainError(f"Beløbet for »{label}« er ikke et tal.", code="invalid_amount") from None
        if not amount.is_finite() or amount < 0:
            raise DomainError(f"Beløbet for »{label}« kan ikke være negativt.", code="invalid_amount")
        out.append((str(label).strip(), amount))
    return out


def extra_cost_payment(items, params) -> ExtraCostResult:
    """The monthly §100 payment for the probable extra costs ``items`` [(label, kr a month)].

    Conventions (004:L6594–6622):
    * The items are summed and the total rounded to whole kroner, half up (1,561.49 →
      1,561; 1,561.50 → 1,562), before it is compared with the limits, because the
      standard's limits are whole kroner and leave no gap between 1,561 and 1,562.
    * Below the threshold (556 kr a month, 6,672 kr a year), compared with the unrounded
      sum (555.99 kr is 6,671.88 kr a year: below): not eligible, 0 kr.
    * Within a band (limits inclusive, 556–1,561 and 1,562–2,602): the band's standard
      amount (1,053 / 2,102 kr).
    * Above ``actual_above`` (2,602 kr): the rounded actual total, which the citizen must
      document where possible (``documentation_required``)."""
    p = ExtraCostParams.of(params)
    amounts = _item_amounts(items)
    exact = sum((a for _, a in amounts), Decimal(0))
    total = exact.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    # The threshold is a yearly amount: compare the unrounded sum (issue 13: 555.99 kr a
    # month is 6,671.88 kr a year, below 6,672, though it rounds to 556).
    below = exact < p.threshold_kr_month or (p.threshold_kr_year is not None and exact * 12 < p.threshold_kr_year)
    if below:
        return ExtraCostResult(total, BELOW, Decimal(0), False, exact)
    if total > p.actual_above:
        return ExtraCostResult(total, ACTUAL, total, True, exact)
    for band in p.bands:
        if band.low <= total <= band.high:
            return ExtraCostResult(total, band.name, band.amount, True, exact)
    raise DomainError(
        f"Kvalitetsstandardens intervaller for merudgifter dækker ikke {l10n.kr(total)} kr. pr. måned.",
        code="missing_rules",
    )


def decision_deadline(received: dt.date, params) -> dt.date:
    """An application for new (not previously decided) extra costs is decided within
    ``decision_weeks`` (4) weeks of receipt: received + 28 days (004:L6674–6678)."""
    return received + dt.timedelta(weeks=ExtraCostParams.of(params).decision_weeks)


def recalculation_locked_until(last_calculated: dt.date, params) -> dt.date:
    """The last day the citizen cannot demand a new calculation: the anniversary
    (``relativedelta``, so 29 Feb 2024 → 28 Feb 2025)."""
    return last_calculated + relativedelta(months=ExtraCostParams.of(params).recalculation_lock_months)


def recalculation_allowed_from(last_calculated: dt.date, params) -> dt.date:
    return recalculation_locked_until(last_calculated, params) + dt.timedelta(days=1)


def recalculation_allowed(last_calculated: dt.date, on: dt.date, params) -> bool:
    """May the citizen demand a new calculation on ``on``? Not until 1 year has passed from
    the last calculation (004:L6662–6667): locked up to and including the anniversary,
    allowed from the day after."""
    return on > recalculation_locked_until(last_calculated, params)


# --- With the database ----------------------------------------------------------------------


def companion_params_for(grant: Grant) -> CompanionParams:
    version = grant.standard_version
    if version is None:
        raise DomainError(
            "Bevillingen er ikke knyttet til en kvalitetsstandard, så ledsagelsestimerne kan ikke opgøres.",
            code="no_standard",
        )
    rules = (version.rules or {}).get("companion")
    if not rules:
        raise DomainError(f"Kvalitetsstandarden »{version}« har ingen satser for ledsagelse.", code="missing_rules")
    params = CompanionParams.of(rules)
    # The grant decides the monthly hours (companionship given elsewhere is deducted from
    # the 15 hours); the standard's figure is the most that can accrue.
    if grant.scope_unit == Grant.ScopeUnit.HOURS_MONTH and grant.scope_amount < params.hours_per_month:
        params = dataclasses.replace(params, hours_per_month=Decimal(grant.scope_amount))
    return params


@dataclass
class CompanionLedger:
    grant: Grant
    on: dt.date
    params: CompanionParams
    balance: Balance
    lines: list = field(default_factory=list)


def accrual_end(grant: Grant) -> dt.date | None:
    """Hours accrue up to the grant's end date, or the day it was ended if earlier."""
    ends = [d for d in (grant.end_date, grant.ended_at) if d is not None]
    return min(ends) if ends else None


def _require_companion(grant: Grant) -> None:
    if grant.legal_basis != COMPANION_BASIS:
        raise DomainError("Ledsagelsestimer opgøres kun på en bevilling efter § 97.", code="not_companion")


def companion_ledger(grant: Grant, on: dt.date) -> CompanionLedger:
    """The grant's §97 ledger on ``on``: accrual from the grant's start (up to its end),
    usages recorded on it, lapses; the balance and the lines with running balance. The
    ledger belongs to this grant row: a changed grant (a new version) starts its own."""
    _require_companion(grant)
    params = companion_params_for(grant)
    rows = list(grant.companion_usages.order_by("used_on", "id"))
    balance, lines = companion_ledger_lines(
        grant.start_date,
        [(u.used_on, u.hours, u) for u in rows],
        on,
        params,
        accrual_end=accrual_end(grant),
    )
    return CompanionLedger(grant, on, params, balance, lines)


@transaction.atomic
def record_companion_usage(user, grant: Grant, used_on: dt.date, hours, note: str = "") -> CompanionUsage:
    """Record hours of companionship used on an active §97 grant. Refused when the saved
    hours on that day do not cover it (or it would uncover a later usage), before the
    grant's start, after its end or in the future."""
    # Lock the grant: two usages recorded at once must not both spend the same hours.
    grant = Grant.objects.select_for_update(of=("self",)).select_related("standard_version", "case__citizen").get(pk=grant.pk)
    _require_companion(grant)
    if grant.status != Grant.Status.ACTIVE:
        raise DomainError("Der kan kun registreres forbrug på en aktiv bevilling.", code="invalid_transition")
    params = companion_params_for(grant)
    try:
        hours = Decimal(str(hours))
    except (InvalidOperation, TypeError, ValueError):
        raise DomainError("Angiv antal timer som et tal.", code="invalid") from None
    if not hours.is_finite() or hours <= 0:
        raise DomainError("Antal timer skal være større end 0.", code="hours_positive")
    if hours != hours.quantize(Decimal("0.01")):
        raise DomainError("Angiv timer med højst to decimaler.", code="invalid")
    hours = hours.quantize(Decimal("0.01"))
    if used_on < grant.start_date:
        raise DomainError(
            f"Datoen ligger før bevillingens start den {date_format(grant.start_date, 'SHORT_DATE_FORMAT')}.", code="before_start"
        )
    if grant.end_date and used_on > grant.end_date:
        raise DomainError(
            f"Datoen ligger efter bevillingens slutdato den {date_format(grant.end_date, 'SHORT_DATE_FORMAT')}.", code="after_end"
        )
    if used_on > timezone.localdate():
        raise DomainError("Forbrug kan ikke registreres på en dato i fremtiden.", code="future")
    existing = [(u.used_on, u.hours) for u in grant.companion_usages.order_by("used_on", "id")]
    before = validate_usage(grant.start_date, existing, used_on, hours, params, accrual_end=accrual_end(grant))
    usage = CompanionUsage.objects.create(
        citizen=grant.case.citizen,
        grant=grant,
        used_on=used_on,
        hours=hours,
        note=(note or "").strip(),
        created_by=user,
    )
    after = audit.snapshot(usage) | {
        "available_before": str(before.available.quantize(CENTS)),
        "available_after": str((before.available - hours).quantize(CENTS)),
    }
    audit.record(user, AuditEvent.Action.CREATE, usage, before=None, after=after)
    return usage


def extra_cost_params_for(version) -> ExtraCostParams:
    rules = (version.rules or {}).get("extra_costs")
    if not rules:
        raise DomainError(f"Kvalitetsstandarden »{version}« har ingen satser for merudgifter.", code="missing_rules")
    return ExtraCostParams.of(rules)


def extra_costs_version_in_force(municipality, on: dt.date):
    from samplan.standards.rules import standard_in_force

    return standard_in_force(municipality, EXTRA_COSTS_BASIS, on)


def last_calculation(citizen) -> ExtraCostCalculation | None:
    """The latest determination (fastsættelse) for the citizen, whatever prompted it."""
    return ExtraCostCalculation.objects.filter(citizen=citizen).order_by("-calculated_on", "-id").first()


@transaction.atomic
def calculate_extra_costs(
    user,
    citizen,
    *,
    items,
    application_received: dt.date,
    calculated_on: dt.date | None = None,
    on_demand: bool = False,
    standard_version=None,
    grant: Grant | None = None,
) -> ExtraCostCalculation:
    """Calculate and store the §100 payment for ``items`` under ``standard_version``
    (default: the §100 standard in force on ``calculated_on``, default today).

    ``on_demand``: the citizen demands a new calculation. Refused while the last
    calculation for the citizen (of any kind) is less than a year old (up to and including
    its anniversary). Calculations the municipality makes itself (new costs, follow-up,
    changed costs) are not locked."""
    from samplan.citizens.models import Citizen
    from samplan.standards.models import StandardVersion

    # Lock the citizen: two on-demand requests at once must not both pass the 1-year check.
    citizen = Citizen.objects.select_for_update().get(pk=citizen.pk)
    today = timezone.localdate()
    calculated_on = calculated_on or today
    if calculated_on > today:
        raise DomainError("Beregningsdatoen kan ikke ligge i fremtiden.", code="future")
    if application_received > calculated_on:
        raise DomainError("Ansøgningen kan ikke være modtaget efter beregningsdatoen.", code="received_after_calculation")
    if standard_version is None:
        standard_version = extra_costs_version_in_force(citizen.municipality, calculated_on)
        if standard_version is None:
            raise DomainError(
                f"Der er ingen kvalitetsstandard for § 100 i kraft den {date_format(calculated_on, 'SHORT_DATE_FORMAT')}, "
                "så tilskuddet kan ikke beregnes.",
                code="no_standard",
            )
    else:
        standard_version = StandardVersion.objects.select_related("standard").get(pk=standard_version.pk)
        std = standard_version.standard
        covers = EXTRA_COSTS_BASIS in std.legal_bases or std.key == EXTRA_COSTS_BASIS
        if std.municipality_id != citizen.municipality_id or not covers:
            raise DomainError("Vælg en kvalitetsstandard for § 100 i borgerens kommune.", code="wrong_standard")
    params = extra_cost_params_for(standard_version)
    if grant is not None and (grant.case.citizen_id != citizen.pk or grant.legal_basis != EXTRA_COSTS_BASIS):
        raise DomainError("Bevillingen skal være borgerens bevilling efter § 100.", code="wrong_grant")
    if not items:
        raise DomainError("Angiv mindst én merudgift.", code="required")
    if len(items) > MAX_ITEMS:
        raise DomainError(f"Angiv højst {MAX_ITEMS} merudgifter.", code="too_many")
    amounts = _item_amounts(items)
    if any(not label for label, _ in amounts):
        raise DomainError("Skriv hvad hver merudgift dækker.", code="required")
    last = last_calculation(citizen)
    if on_demand and last is not None and not recalculation_allowed(last.calculated_on, calculated_on, params):
        allowed_from = recalculation_allowed_from(last.calculated_on, params)
        raise DomainError(
            f"Tilskuddet blev senest fastsat den {date_format(last.calculated_on, 'SHORT_DATE_FORMAT')}. "
            f"Borgeren kan tidligst kræve det fastsat på ny den {date_format(allowed_from, 'SHORT_DATE_FORMAT')}.",
            code="recalculation_locked",
        )
    result = extra_cost_payment(amounts, params)
    calculation = ExtraCostCalculation.objects.create(
        citizen=citizen,
        grant=grant,
        standard_version=standard_version,
        application_received=application_received,
        calculated_on=calculated_on,
        on_demand=on_demand,
        items=[{"label": label, "kr_month": str(amount.quantize(CENTS))} for label, amount in amounts],
        monthly_total=result.monthly_total.quantize(CENTS),
        band=result.band,
        payment_kr_month=result.payment_kr_month.quantize(CENTS),
        decision_deadline=decision_deadline(application_received, params),
        recalculation_allowed_from=recalculation_allowed_from(calculated_on, params),
        created_by=user,
    )
    # The new calculation replaces the last one: the audit row shows both.
    audit.record(
        user,
        AuditEvent.Action.CREATE,
        calculation,
        before=audit.snapshot(last) if last else None,
        after=audit.snapshot(calculation),
    )
    return calculation
