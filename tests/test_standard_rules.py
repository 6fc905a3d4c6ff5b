"""The rule engine against LTK's 2019 standards as loaded from the bundled data, with the
seed's figures (DOMAIN.md §5; 004:L5086, L5438–5517, L6761, L6816, L6989, L7127–7143)."""

import datetime as dt
from decimal import Decimal

import pytest

from samplan.cases import services
from samplan.cases.models import Decision, FollowUp, Grant
from samplan.standards.loader import load_standards
from samplan.standards.models import QualityStandard
from samplan.standards.rules import ABOVE, BELOW, WITHIN, Proposal, evaluate
from samplan.standards.services import new_version
from tests.factories import ad_theme, grant_spec, make_citizen, walk_case

D = dt.date
START = D(2026, 1, 15)


@pytest.fixture
def ltk(org):
    load_standards(org["municipality"])
    return org


@pytest.fixture
def cw(users):
    return users["caseworker"]


@pytest.fixture
def assessed(ltk, cw):
    """A citizen with a completed assessment: one A&D condition at level 3."""
    return walk_case(cw, make_citizen(ltk, caseworker=cw), ltk, until="granted")


def _set_levels(assessment, level):
    assessment.conditions.filter(functioning_level__isnull=False).update(functioning_level=level)


def _ev(out, basis, amount, unit, *, start=START, end=None, hours_week=None):
    citizen = out["case"].citizen
    return evaluate(
        Proposal(
            citizen=citizen,
            legal_basis=basis,
            scope_amount=Decimal(str(amount)),
            scope_unit=unit,
            start_date=start,
            end_date=end,
            assessment=out["assessment"],
            assessed_hours_week=hours_week,
            other_grants=services.other_active_grants(citizen),
        )
    )


@pytest.mark.parametrize(
    "hours, package, level",
    [
        ("0.5", "P1", BELOW),
        ("1", "P1", WITHIN),
        ("5", "P1", WITHIN),
        ("5.5", "P2", WITHIN),
        ("13", "P2", WITHIN),
        ("13.5", "P3", WITHIN),
        ("20", "P3", WITHIN),
        ("20.5", "P4", WITHIN),
        ("27", "P4", WITHIN),
        ("27.5", "P5", WITHIN),
        ("30", "P5", WITHIN),
        ("65", "P5", WITHIN),
        ("66", "P5", ABOVE),
    ],
)
def test_85_package_and_service_level_from_hours_a_month(assessed, hours, package, level):
    ev = _ev(assessed, "§85", hours, "hours_month")
    assert (ev.package, ev.service_level, ev.eligible) == (package, level, True)
    assert ev.needs_justification == (level != WITHIN)


@pytest.mark.parametrize("per_week, signal", [("15", False), ("15.5", True)])
def test_85_residential_assessment_signal_over_15_hours_a_week(assessed, per_week, signal):
    ev = _ev(assessed, "§85", per_week, "hours_week")
    assert any("botilbud" in s for s in ev.signals) == signal
    assert ev.service_level == (ABOVE if signal else WITHIN)


@pytest.mark.parametrize("level, eligible", [(0, False), (1, False), (2, True), (3, True), (4, True)])
def test_85_eligible_only_at_functioning_level_2_to_4(assessed, level, eligible):
    _set_levels(assessed["assessment"], level)
    ev = _ev(assessed, "§85", "10", "hours_month")
    assert ev.eligible == eligible
    if not eligible:
        assert "niveau 2–4" in ev.reasons[0] and ev.needs_justification


@pytest.mark.parametrize("days, level", [(1, WITHIN), (60, WITHIN), (61, ABOVE)])
def test_84_respite_days_a_calendar_year(assessed, days, level):
    assert _ev(assessed, "§84", days, "days_year").service_level == level


@pytest.mark.parametrize("hours, level", [(15, WITHIN), (16, ABOVE)])
def test_84_relief_hours_a_month(assessed, hours, level):
    assert _ev(assessed, "§84", hours, "hours_month").service_level == level


@pytest.mark.parametrize("existing, proposed, level", [(40, 20, WITHIN), (40, 21, ABOVE)])
def test_84_respite_counts_all_the_citizens_grants(assessed, cw, ltk, existing, proposed, level):
    spec = grant_spec(ltk, assessed["condition"], amount=str(existing), legal_basis="§84")
    spec.scope_unit, spec.start_date, spec.end_date = "days_year", D(2026, 2, 1), D(2026, 12, 31)
    services.create_grant(cw, assessed["decision"], spec)
    assert _ev(assessed, "§84", proposed, "days_year", start=D(2026, 6, 1)).service_level == level
    # A grant that ended in an earlier calendar year does not count.
    assert _ev(assessed, "§84", proposed, "days_year", start=D(2027, 6, 1)).service_level == WITHIN


@pytest.mark.parametrize("basis", ["§103", "§104"])
@pytest.mark.parametrize("days, level", [(4, WITHIN), (5, ABOVE)])
def test_103_104_at_most_4_days_a_week(assessed, basis, days, level):
    assert _ev(assessed, basis, days, "days_week").service_level == level


def test_104_only_one_at_a_time(assessed, cw, ltk):
    spec = grant_spec(ltk, assessed["condition"], amount="3", legal_basis="§104")
    spec.scope_unit = "days_week"
    services.create_grant(cw, assessed["decision"], spec)
    ev = _ev(assessed, "§104", 2, "days_week")
    assert not ev.eligible and "kun ét" in ev.reasons[0]


@pytest.mark.parametrize(
    "end, level",
    [
        (D(2027, 1, 14), BELOW),
        (D(2027, 1, 15), WITHIN),
        (D(2028, 1, 15), WITHIN),
        (D(2028, 1, 16), ABOVE),
        (None, ABOVE),
    ],
)
def test_107_duration_1_to_2_years(assessed, end, level):
    assert _ev(assessed, "§107", 1, "place", end=end).service_level == level


@pytest.mark.parametrize("hours_week, signal", [("14.5", True), ("15", False)])
def test_107_signal_below_15_hours_support_a_week(assessed, hours_week, signal):
    ev = _ev(assessed, "§107", 1, "place", end=D(2027, 6, 1), hours_week=Decimal(hours_week))
    assert bool(ev.signals) == signal


@pytest.mark.parametrize("hours, level", [(12, WITHIN), (13, ABOVE)])
def test_102_at_most_12_hours(assessed, hours, level):
    assert _ev(assessed, "§102", hours, "hours_total").service_level == level


def test_102_follow_up_during_and_at_end(assessed):
    ev = _ev(assessed, "§102", 10, "hours_total", start=D(2026, 1, 1), end=D(2026, 3, 2))
    assert ev.follow_up_dates == [D(2026, 1, 31), D(2026, 3, 2)]


def test_82_no_follow_up_and_no_appeal(assessed):
    ev = _ev(assessed, "§82a", 1, "hours_total")
    assert ev.follow_up_dates == [] and ev.appeal_allowed is False


@pytest.mark.parametrize("basis", ["§84", "§85", "§97", "§103", "§104", "§107", "§108"])
def test_follow_up_first_within_3_months_then_yearly(assessed, basis):
    ev = _ev(assessed, basis, 1, "hours_month", start=D(2026, 1, 31), end=D(2027, 6, 1))
    assert ev.follow_up_dates == [D(2026, 4, 30), D(2027, 4, 30)]


def test_97_age_bounds(ltk, cw):
    out = walk_case(cw, make_citizen(ltk, caseworker=cw), ltk, until="granted")
    born = out["case"].citizen.birth_date
    at_67 = born.replace(year=born.year + 67)
    assert _ev(out, "§97", 15, "hours_month", start=at_67).eligible is True
    old = _ev(out, "§97", 15, "hours_month", start=born.replace(year=born.year + 68))
    assert not old.eligible and "til og med 67 år" in old.reasons[0]


def test_107_change_keeps_counting_from_the_first_start(assessed, cw, ltk):
    spec = grant_spec(ltk, assessed["condition"], amount="1", legal_basis="§107", start=D(2026, 1, 15))
    spec.scope_unit, spec.end_date = "place", D(2027, 6, 1)
    spec.deviation_justification = ""
    first = services.create_grant(cw, assessed["decision"], spec)
    citizen = assessed["case"].citizen
    later = Proposal(
        citizen=citizen,
        legal_basis="§107",
        scope_amount=Decimal(1),
        scope_unit="place",
        start_date=D(2026, 9, 1),
        end_date=D(2027, 6, 1),
        replaces=first,
        other_grants=services.other_active_grants(citizen, replaces=first),
    )
    assert evaluate(later).service_level == WITHIN  # 17 months from the first start
    later.end_date = D(2028, 2, 1)
    assert evaluate(later).service_level == ABOVE  # over 2 years from the first start


# --- saving grants ------------------------------------------------------------------------


def test_grant_above_level_needs_a_justification_and_is_stored_with_it(assessed, cw, ltk):
    spec = grant_spec(ltk, assessed["condition"], amount="80")
    with pytest.raises(services.DomainError) as exc:
        services.create_grant(cw, assessed["decision"], spec)
    assert exc.value.code == "justification_required" and "Skriv en begrundelse" in exc.value.messages[0]
    assert not Grant.objects.filter(case=assessed["case"]).exists()
    spec.deviation_justification = "Borgeren udskrives fra psykiatrien og har brug for massiv støtte i overgangen."
    grant = services.create_grant(cw, assessed["decision"], spec)
    assert (grant.service_level, grant.package, grant.standard_version.standard.key) == (ABOVE, "P5", "§85")
    assert grant.deviation_justification.startswith("Borgeren udskrives")
    assert grant.evaluation["needs_justification"] is True


def test_within_level_stores_no_justification(assessed, cw, ltk):
    spec = grant_spec(ltk, assessed["condition"], amount="30")
    spec.deviation_justification = "unødvendig"
    grant = services.create_grant(cw, assessed["decision"], spec)
    assert (grant.service_level, grant.package, grant.deviation_justification) == (WITHIN, "P5", "")


def test_a_new_version_leaves_old_grants_on_their_version(assessed, cw, ltk, users):
    old = services.create_grant(
        cw, assessed["decision"], grant_spec(ltk, assessed["condition"], amount="20", start=D(2026, 1, 31))
    )
    standard = QualityStandard.objects.get(municipality=ltk["municipality"], key="§85")
    v1 = old.standard_version
    v2 = new_version(users["admin"], standard, adopted_on=D(2026, 1, 1), follow_up_first_months=2, level_max=Decimal("40"))
    assert (v1.version, v2.version) == (1, 2)
    old.refresh_from_db()
    v1.refresh_from_db()
    assert old.standard_version == v1 and v1.level_max == Decimal("65") and v1.follow_up_first_months == 3
    assert FollowUp.objects.get(grant=old).due_date == D(2026, 4, 30)
    # A new grant is evaluated under version 2.
    out = walk_case(cw, make_citizen(ltk, caseworker=cw), ltk, until="granted")
    ev = _ev(out, "§85", 50, "hours_month", start=D(2026, 2, 1))
    assert ev.standard_version_id == v2.pk and ev.service_level == ABOVE and ev.follow_up_dates[0] == D(2026, 4, 1)
    assert ad_theme() is not None and Decision.objects.exists()


@pytest.mark.parametrize("basis, appeal", [("§85", True), ("§82a", False)])
def test_decision_letter_carries_the_standards_plain_summary(client, ltk, cw, basis, appeal):
    from django.urls import reverse

    from tests.factories import PASSWORD

    out = walk_case(cw, make_citizen(ltk, caseworker=cw), ltk, until="awaiting_decision")
    decision = services.make_decision(
        cw, out["case"], outcome="granted", legal_basis=basis, justification="Behov", decided_at=D(2026, 3, 2)
    )
    version = decision.standard_version
    assert version is not None and version.standard.key == basis[:3]
    assert (decision.appeal_deadline is not None) == appeal
    assert client.login(username=cw.username, password=PASSWORD)
    body = client.get(reverse("decision-letter", args=[out["case"].pk])).content.decode()
    assert version.citizen_summary.splitlines()[0][:60] in body
    assert ("30.03.2026" in body) == appeal
