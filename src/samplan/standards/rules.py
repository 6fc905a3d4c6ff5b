"""The rule engine: a proposed grant checked against the quality standard in force.

``evaluate(proposal)`` answers, before anything is saved: eligible or not and why; within,
above or below the service level; which package; signals the caseworker should act on;
and the follow-up dates the standard implies. All figures come from the standard
version's data (``StandardVersion.rules`` and its level/follow-up fields), never from code.

Conventions (documented here because the source is ambiguous):
* §85 packages overlap at their edges in the source (1–5, 5–13, 13–20, 20–27, over 27
  hours a month). An amount on a boundary belongs to the *lower* package, because Pakke 5
  is defined as "over 27 timer": 5 h → P1, 13 h → P2, 20 h → P3, 27 h → P4, 27.5 h → P5.
* Hours per week and per month convert with 52/12 weeks a month (15 h/week = 65 h/month).
* A proposal that is not eligible can still be granted after a concrete individual
  assessment (004:L505), but, like any deviation from the service level, only with a
  written justification (the equality principle, 004:L7990)."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta

from samplan.core import l10n

WEEKS_PER_MONTH = Decimal(52) / Decimal(12)

WITHIN, ABOVE, BELOW, NONE = "within", "above", "below", "none"
LEVEL_TEXT = {
    WITHIN: "Inden for serviceniveauet",
    ABOVE: "Over serviceniveauet",
    BELOW: "Under serviceniveauet",
    NONE: "Ingen kvalitetsstandard for denne paragraf",
}


@dataclass
class Proposal:
    citizen: object
    legal_basis: str
    scope_amount: Decimal
    scope_unit: str
    start_date: dt.date
    end_date: dt.date | None = None
    assessment: object | None = None
    assessed_hours_week: Decimal | None = None
    replaces: object | None = None  # the grant a change would supersede
    # FFB target-group concepts of the proposal; the standard's exclusions are checked on them.
    primary_target_group: object | None = None
    secondary_target_groups: list = field(default_factory=list)
    # The citizen's other active and pending grants (without ``replaces``), given by the
    # case spine (cases.services.other_active_grants) so that the rules need not import it;
    # a lazy queryset is read only by the rules that count them (§84, §104).
    other_grants: Iterable = field(kw_only=True)

    @property
    def original_start(self) -> dt.date:
        """Start of the first version in the chain: a change does not restart a duration."""
        grant, start = self.replaces, self.start_date
        while grant is not None:
            start = min(start, grant.start_date)
            grant = grant.previous
        return start


@dataclass
class Evaluation:
    standard_version_id: int | None = None
    standard_title: str = ""
    eligible: bool = True
    reasons: list = field(default_factory=list)
    service_level: str = NONE
    level_reasons: list = field(default_factory=list)
    package: str = ""
    package_label: str = ""
    signals: list = field(default_factory=list)
    follow_up_dates: list = field(default_factory=list)
    appeal_allowed: bool = True
    committee_reasons: list = field(default_factory=list)

    @property
    def level_text(self) -> str:
        return LEVEL_TEXT[self.service_level]

    @property
    def needs_justification(self) -> bool:
        return self.service_level in (ABOVE, BELOW) or not self.eligible

    def as_dict(self) -> dict:
        data = asdict(self)
        data["follow_up_dates"] = [d.isoformat() for d in self.follow_up_dates]
        data["needs_justification"] = self.needs_justification
        data["level_text"] = self.level_text
        return data


# --- helpers ---------------------------------------------------------------------------


def standard_in_force(municipality, legal_basis: str, on: dt.date):
    """The newest version adopted on or before ``on`` of the standard covering the §."""
    from .models import StandardVersion

    versions = StandardVersion.objects.filter(standard__municipality=municipality, adopted_on__lte=on).select_related("standard")
    for version in versions.order_by("-adopted_on", "-version"):
        if legal_basis in version.standard.legal_bases or version.standard.key == legal_basis:
            return version
    return None


def convert(amount: Decimal, unit: str, to_unit: str) -> Decimal | None:
    """Convert between hours a week and hours a month; other units must match."""
    if unit == to_unit:
        return Decimal(amount)
    if (unit, to_unit) == ("hours_week", "hours_month"):
        return Decimal(amount) * WEEKS_PER_MONTH
    if (unit, to_unit) == ("hours_month", "hours_week"):
        return Decimal(amount) / WEEKS_PER_MONTH
    return None


def fmt(value) -> str:
    """A scope figure in a reason, to one decimal (8 h/week = 34,7 h/month) in Danish l10n."""
    return l10n.decimal(value, max_places=1)


def _age_on(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _compare(ev: Evaluation, value: Decimal, low, high, unit_label: str):
    if high is not None and value > Decimal(high):
        ev.service_level = ABOVE
        ev.level_reasons.append(f"{fmt(value)} {unit_label} er over serviceniveauet på højst {fmt(high)} {unit_label}.")
    elif low is not None and value < Decimal(low):
        ev.service_level = BELOW
        ev.level_reasons.append(f"{fmt(value)} {unit_label} er under serviceniveauet på mindst {fmt(low)} {unit_label}.")
    else:
        ev.service_level = WITHIN


def _other_active_grants(proposal: Proposal, legal_basis: str) -> list:
    return [g for g in proposal.other_grants if g.legal_basis == legal_basis]


def _overlaps(grant, start: dt.date, end: dt.date | None) -> bool:
    g_end = grant.end_date or dt.date.max
    return grant.start_date <= (end or dt.date.max) and start <= g_end


UNIT_LABEL = {
    "hours_week": "timer pr. uge",
    "hours_month": "timer pr. måned",
    "days_week": "dage pr. uge",
    "days_year": "dage pr. år",
    "hours_total": "timer i alt",
    "kr_month": "kr. pr. måned",
    "place": "plads",
}


# --- rules per § -----------------------------------------------------------------------


def _scope_against_level(ev, version, proposal):
    if not version.scope_unit or (version.level_min is None and version.level_max is None):
        ev.service_level = WITHIN
        return None
    value = convert(proposal.scope_amount, proposal.scope_unit, version.scope_unit)
    if value is None:
        ev.eligible = False
        ev.reasons.append(f"Omfanget skal angives i {UNIT_LABEL[version.scope_unit]} efter kvalitetsstandarden.")
        return None
    _compare(ev, value, version.level_min, version.level_max, UNIT_LABEL[version.scope_unit])
    return value


def rule_85(ev, version, proposal):
    rules = version.rules
    eligibility = rules.get("eligibility", {})
    low, high = eligibility.get("min_level", 2), eligibility.get("max_level", 4)
    levels = []
    if proposal.assessment is not None:
        levels = [c.functioning_level for c in proposal.assessment.conditions.all() if c.functioning_level is not None]
    if not levels:
        ev.eligible = False
        ev.reasons.append("Udredningen har ingen funktionsevneniveauer under Aktivitet og deltagelse.")
    elif not any(low <= lvl <= high for lvl in levels):
        ev.eligible = False
        ev.reasons.append(
            f"Funktionsevneniveauet er {fmt(max(levels))} eller lavere på alle relevante temaer. "
            f"Socialpædagogisk støtte gives ved niveau {low}–{high} (moderate, svære eller fuldstændige problemer)."
        )
    hours_month = _scope_against_level(ev, version, proposal)
    if hours_month is None:
        return
    for package in rules.get("packages", []):
        if package["up_to"] is None or hours_month <= Decimal(str(package["up_to"])):
            ev.package, ev.package_label = package["code"], package["label"]
            break
    signal = rules.get("residential_signal_hours_week")
    if signal is not None and hours_month / WEEKS_PER_MONTH > Decimal(signal):
        ev.signals.append(f"Behov for støtte over {fmt(signal)} timer om ugen: vurdér, om et botilbud er det rette.")


def rule_84(ev, version, proposal):
    rules = version.rules
    if proposal.scope_unit == "days_year":
        cap, label = rules.get("respite_days_per_year"), "aflastningsdøgn i kalenderåret"
        year = proposal.start_date.year
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    elif proposal.scope_unit == "hours_month":
        cap, label = rules.get("relief_hours_per_month"), "timers afløsning pr. måned"
        start, end = proposal.start_date, proposal.end_date
    else:
        ev.eligible = False
        ev.reasons.append("Aflastning angives i dage pr. år og afløsning i timer pr. måned.")
        return
    same_unit = [g for g in _other_active_grants(proposal, "§84") if g.scope_unit == proposal.scope_unit]
    others = [g for g in same_unit if _overlaps(g, start, end)]
    total = Decimal(proposal.scope_amount) + sum((g.scope_amount for g in others), Decimal(0))
    if others:
        ev.level_reasons.append(f"I alt {fmt(total)} {label} med borgerens øvrige § 84-bevillinger.")
    _compare(ev, total, None, cap, label)


def rule_days_per_week(ev, version, proposal):
    _scope_against_level(ev, version, proposal)


def rule_104(ev, version, proposal):
    _scope_against_level(ev, version, proposal)
    if version.rules.get("one_at_a_time"):
        if any(_overlaps(g, proposal.start_date, proposal.end_date) for g in _other_active_grants(proposal, "§104")):
            ev.eligible = False
            ev.reasons.append(
                "Borgeren har allerede et § 104-tilbud. Der bevilges kun ét aktivitets- og samværstilbud ad gangen."
            )


def rule_107(ev, version, proposal):
    duration = version.rules.get("duration_years", {})
    low, high = duration.get("min"), duration.get("max")
    if proposal.end_date is None:
        ev.service_level = ABOVE
        ev.level_reasons.append(f"Et midlertidigt botilbud gives for {low}–{high} år: angiv en slutdato.")
    elif high is not None and proposal.end_date > proposal.original_start + relativedelta(months=12 * high):
        ev.service_level = ABOVE
        ev.level_reasons.append(f"Varigheden er over {high} år.")
    elif low is not None and proposal.end_date < proposal.original_start + relativedelta(months=12 * low):
        ev.service_level = BELOW
        ev.level_reasons.append(f"Varigheden er under {low} år.")
    else:
        ev.service_level = WITHIN
    minimum = version.rules.get("min_support_hours_week")
    if (
        minimum is not None
        and proposal.assessed_hours_week is not None
        and Decimal(proposal.assessed_hours_week) < Decimal(minimum)
    ):
        ev.signals.append(
            f"Støttebehovet er under {fmt(minimum)} timer om ugen: normalt gives der ikke et midlertidigt botilbud."
        )


RULES = {
    "§85": rule_85,
    "§84": rule_84,
    "§103": rule_days_per_week,
    "§104": rule_104,
    "§107": rule_107,
}


def follow_up_dates(version, start: dt.date, end: dt.date | None) -> list:
    """Due dates the standard implies: first within N months then every M months, none,
    or during (midway) and at the end."""
    if version is None:
        return []
    if version.follow_up_during_and_end:
        if end is None:
            return []
        return [start + (end - start) / 2, end]
    if not version.follow_up_first_months:
        return []
    first = start + relativedelta(months=version.follow_up_first_months)
    dates = [first]
    if version.follow_up_every_months:
        dates.append(first + relativedelta(months=version.follow_up_every_months))
    return dates


def _branch_displays(concept) -> set:
    """The displays of the concept and its ancestors (its path names them by code)."""
    from samplan.terminology.models import Concept

    return set(
        Concept.objects.filter(system_id=concept.system_id, code__in=concept.path.split("/")).values_list("display", flat=True)
    )


def _target_groups(ev: Evaluation, version, proposal: Proposal) -> None:
    """The standard's target-group exclusions (``rules["excluded_target_groups"]``: FFB
    target-group branches by display, e.g. §97 excludes "Psykiske vanskeligheder") make
    the primary target group ineligible; a primary group outside the standard's listed
    groups is a signal, since the listed groups are examples, not a closed list."""
    group: Any = proposal.primary_target_group
    if group is None:
        return
    excluded = list((version.rules or {}).get("excluded_target_groups", []))
    displays = _branch_displays(group) if excluded else set()
    hits = [name for name in excluded if name in displays]
    if hits:
        ev.eligible = False
        ev.reasons.append(f"Den primære målgruppe »{group.display}« hører under »{hits[0]}«, som {version.title} ikke omfatter.")
        return
    listed = list(version.target_groups.all())
    if listed and not any(group.is_within(g) for g in listed):
        names = ", ".join(g.display for g in listed)
        ev.signals.append(f"Den primære målgruppe »{group.display}« er ikke blandt standardens målgrupper ({names}).")


def evaluate(proposal: Proposal, version=None) -> Evaluation:
    """Check a proposal against ``version`` (default: the standard in force at its start)."""
    if version is None:
        version = standard_in_force(proposal.citizen.municipality, proposal.legal_basis, proposal.start_date)
    ev = Evaluation()
    if version is None:
        return ev
    ev.standard_version_id, ev.standard_title, ev.appeal_allowed = version.pk, str(version), version.appeal_allowed
    age = _age_on(proposal.citizen.birth_date, proposal.start_date)
    if version.min_age is not None and age < version.min_age:
        ev.eligible = False
        ev.reasons.append(f"Borgeren er {age} år; ydelsen gives fra {version.min_age} år.")
    if version.max_age is not None and age > version.max_age:
        ev.eligible = False
        ev.reasons.append(f"Borgeren er {age} år; ydelsen gives til og med {version.max_age} år.")
    _target_groups(ev, version, proposal)
    RULES.get(proposal.legal_basis, _scope_against_level)(ev, version, proposal)
    ev.follow_up_dates = follow_up_dates(version, proposal.start_date, proposal.end_date)
    return ev
