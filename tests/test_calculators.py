"""§97 companion hours and §100 extra costs (DOMAIN.md §5; 004:L6247–6258, L6594–6678):
the pure calculators table by table, the services with the database, and the pages.

The helpers at the top (standard versions with the seed's parameters, a §97 grant, a
§100 calculation) are also used by test_calculators_api.py and test_access.py."""

import datetime as dt
from datetime import date as D
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from samplan.calculators import services as calc
from samplan.calculators.models import CompanionUsage, ExtraCostCalculation
from samplan.cases import services as case_services
from samplan.cases.models import Grant
from samplan.core.models import AuditEvent, Role
from samplan.standards.models import QualityStandard, StandardVersion
from tests.factories import PASSWORD, grant_spec, make_citizen, make_user, walk_case

COMPANION_RULES = {"hours_per_month": 15, "max_saved_hours": 90, "saving_months": 6, "expenses_kr_year": 901}
EXTRA_COST_RULES = {
    "threshold_kr_year": 6672,
    "threshold_kr_month": 556,
    "bands": [{"from": 556, "to": 1561, "amount": 1053}, {"from": 1562, "to": 2602, "amount": 2102}],
    "actual_above": 2602,
    "decision_weeks": 4,
    "recalculation_lock_months": 12,
    "km_rate": "1.98",
}


# --- helpers (shared) --------------------------------------------------------------------------


def make_standard_version(municipality, key: str, rules: dict, *, adopted_on=D(2019, 6, 1)) -> StandardVersion:
    """A version of the standard for ``key`` carrying ``rules`` (the LTK data file fills the
    real ones; tests make their own with the seed's parameters)."""
    standard, _ = QualityStandard.objects.get_or_create(municipality=municipality, key=key, defaults={"legal_bases": [key]})
    return StandardVersion.objects.create(
        standard=standard,
        version=standard.versions.count() + 1,
        title=f"Kvalitetsstandard {key}",
        adopted_on=adopted_on,
        revision_due=D(2030, 1, 1),
        target_group_text="Voksne",
        content="Indhold",
        citizen_summary="Til borgeren",
        rules=rules,
    )


def companion_version(org, rules=None) -> StandardVersion:
    return make_standard_version(org["municipality"], "§97", {"companion": dict(rules or COMPANION_RULES)})


def extra_costs_version(org, rules=None, **kw) -> StandardVersion:
    return make_standard_version(org["municipality"], "§100", {"extra_costs": dict(rules or EXTRA_COST_RULES)}, **kw)


def make_companion_grant(cw, citizen, org, *, start=D(2025, 1, 15), end=None, with_standard=True) -> Grant:
    """An active §97 grant of 15 hours a month made through the real services; the
    standard in force at its start is recorded on it."""
    if (
        with_standard
        and not StandardVersion.objects.filter(standard__municipality=org["municipality"], standard__key="§97").exists()
    ):
        companion_version(org)
    out = walk_case(cw, citizen, org, until="granted")
    spec = grant_spec(org, out["condition"], start=start, amount="15", legal_basis="§97")
    spec.end_date = end
    grant = case_services.create_grant(cw, out["decision"], spec)
    assert grant.status == Grant.Status.ACTIVE and grant.legal_basis == "§97"
    return grant


def item(label, amount):
    return (label, Decimal(str(amount)))


# --- §97: the pure ledger ----------------------------------------------------------------------

START = D(2026, 1, 15)


def bal(on, usages=(), params=COMPANION_RULES, start=START, end=None):
    return calc.companion_balance(start, list(usages), on, params, accrual_end=end)


@pytest.mark.parametrize(
    "on, available, accrued, lapsed",
    [
        (D(2026, 1, 14), 0, 0, 0),  # before the start: nothing
        (D(2026, 1, 15), 15, 15, 0),  # day 0: the first month's 15 hours
        (D(2026, 2, 14), 15, 15, 0),
        (D(2026, 2, 15), 30, 30, 0),  # same day of the next month
        (D(2026, 6, 14), 75, 75, 0),
        (D(2026, 6, 15), 90, 90, 0),  # after 5 months: 6 accruals = 90
        (D(2026, 7, 14), 90, 90, 0),  # the day before the first lapse: still all there
        (D(2026, 7, 15), 90, 105, 15),  # at 6 months: the 7th accrues, the 1st lapses ON this day
        (D(2026, 12, 31), 90, 180, 90),
        (D(2027, 1, 15), 90, 195, 105),
    ],
)
def test_companion_balance_accrues_monthly_and_caps_at_90(on, available, accrued, lapsed):
    b = bal(on)
    assert (b.available, b.accrued_total, b.used_total, b.lapsed_total) == (available, accrued, 0, lapsed)
    assert b.available == b.accrued_total - b.used_total - b.lapsed_total


@pytest.mark.parametrize(
    "on, available, lapsed, next_lapse",
    [
        (D(2026, 1, 15), 15, 0, (D(2026, 7, 15), 15)),
        (D(2026, 7, 14), 15, 0, (D(2026, 7, 15), 15)),  # the day before: still usable
        (D(2026, 7, 15), 0, 15, None),  # lapses exactly 6 months after it accrued
    ],
)
def test_hours_lapse_on_the_day_six_months_after_they_accrued(on, available, lapsed, next_lapse):
    # One month of accrual only (the grant ends on its start day), so nothing hides the lapse.
    b = bal(on, end=START)
    assert (b.available, b.lapsed_total, b.next_lapse) == (available, lapsed, next_lapse)


def test_usage_takes_the_oldest_hours_first():
    usages = [(D(2026, 2, 20), Decimal(20))]  # 15 from January's hours, 5 from February's
    b, lines = calc.companion_ledger_lines(START, usages, D(2026, 7, 15), COMPANION_RULES)
    # January's tranche is empty, so its lapse on 15 July costs nothing; February's 10 lapse next.
    assert (b.available, b.used_total, b.lapsed_total) == (85, 20, 0)
    assert b.next_lapse == (D(2026, 8, 15), Decimal(10))
    assert not [line for line in lines if line.kind == calc.LAPSE]
    after = bal(D(2026, 8, 15), usages)
    assert (after.available, after.lapsed_total) == (90, 10)  # 85 − 10 lapsed + 15 accrued


def test_ledger_lines_are_chronological_with_running_balance():
    usages = [(D(2026, 3, 1), Decimal("2.5"), "ref-1")]
    b, lines = calc.companion_ledger_lines(START, usages, D(2026, 7, 15), COMPANION_RULES)
    got = [(line.day, line.kind, line.hours, line.balance) for line in lines]
    assert got == [
        (D(2026, 1, 15), "accrual", 15, 15),
        (D(2026, 2, 15), "accrual", 15, 30),
        (D(2026, 3, 1), "usage", Decimal("-2.5"), Decimal("27.5")),
        (D(2026, 3, 15), "accrual", 15, Decimal("42.5")),
        (D(2026, 4, 15), "accrual", 15, Decimal("57.5")),
        (D(2026, 5, 15), "accrual", 15, Decimal("72.5")),
        (D(2026, 6, 15), "accrual", 15, Decimal("87.5")),
        (D(2026, 7, 15), "lapse", Decimal("-12.5"), 75),  # the lapse comes before that day's accrual
        (D(2026, 7, 15), "accrual", 15, 90),
    ]
    assert lines[2].ref == "ref-1" and lines[-1].balance == b.available


def test_month_end_start_is_clamped_and_counted_from_the_start():
    start = D(2026, 1, 31)
    _, lines = calc.companion_ledger_lines(start, [], D(2026, 9, 1), COMPANION_RULES)
    accruals = [line.day for line in lines if line.kind == calc.ACCRUAL]
    assert accruals[:4] == [D(2026, 1, 31), D(2026, 2, 28), D(2026, 3, 31), D(2026, 4, 30)]
    lapses = [line.day for line in lines if line.kind == calc.LAPSE]
    assert lapses == [D(2026, 7, 31), D(2026, 8, 31)]  # February's tranche lapses with the schedule, not on 28 Aug
    assert bal(D(2024, 2, 29), start=D(2024, 1, 31)).available == 30  # leap year
    _, leap = calc.companion_ledger_lines(D(2028, 1, 31), [], D(2028, 4, 30), COMPANION_RULES)
    assert [line.day for line in leap if line.kind == calc.ACCRUAL] == [
        D(2028, 1, 31),
        D(2028, 2, 29),
        D(2028, 3, 31),
        D(2028, 4, 30),
    ]


def test_cap_is_enforced_explicitly_when_accrual_would_exceed_it():
    params = COMPANION_RULES | {"max_saved_hours": 40}
    b, lines = calc.companion_ledger_lines(START, [], D(2026, 4, 15), params)
    assert [line.hours for line in lines] == [15, 15, 10, 0]
    assert b.available == 40 and b.accrued_total == 40
    assert "loftet på 40 timer" in lines[2].text
    # Room made by usage is filled by the next accrual, never beyond the cap.
    assert bal(D(2026, 5, 15), [(D(2026, 5, 1), Decimal(20))], params).available == 35


def test_usage_on_an_accrual_day_may_use_that_days_hours_but_not_hours_lapsing_that_day():
    calc.validate_usage(START, [], START, Decimal(15), COMPANION_RULES)
    with pytest.raises(ValidationError, match="Der er kun 0 timer til rådighed den 15.07.2026"):
        calc.validate_usage(START, [], D(2026, 7, 15), Decimal(1), COMPANION_RULES, accrual_end=START)


@pytest.mark.parametrize(
    "existing, used_on, hours, ok",
    [
        ([], D(2026, 1, 20), "15", True),
        ([], D(2026, 1, 20), "15.01", False),
        ([], D(2026, 1, 14), "1", False),  # before the start
        ([(D(2026, 1, 20), Decimal(10))], D(2026, 1, 25), "5", True),
        ([(D(2026, 1, 20), Decimal(10))], D(2026, 1, 25), "6", False),
        ([], D(2026, 6, 15), "90", True),
        ([], D(2026, 6, 15), "90.5", False),
    ],
)
def test_validate_usage_refuses_more_than_the_balance(existing, used_on, hours, ok):
    if ok:
        before = calc.validate_usage(START, existing, used_on, Decimal(hours), COMPANION_RULES)
        assert before.available >= Decimal(hours)
    else:
        with pytest.raises(ValidationError, match="Der er kun .* timer til rådighed"):
            calc.validate_usage(START, existing, used_on, Decimal(hours), COMPANION_RULES)


def test_refusal_message_names_the_balance_and_the_day():
    with pytest.raises(ValidationError) as e:
        calc.validate_usage(START, [(D(2026, 2, 16), Decimal("22.5"))], D(2026, 2, 20), Decimal(8), COMPANION_RULES)
    assert e.value.messages == ["Der er kun 7,5 timer til rådighed den 20.02.2026; der kan ikke registreres 8 timers ledsagelse."]


def test_usage_back_in_time_may_not_uncover_a_later_usage():
    existing = [(D(2026, 3, 20), Decimal(45))]  # all three months' hours on 20 March
    with pytest.raises(ValidationError, match="forbrug den 20.03.2026 \\(45 timer\\) ikke længere er dækket"):
        calc.validate_usage(START, existing, D(2026, 2, 1), Decimal(1), COMPANION_RULES)


def test_inconsistent_data_is_shown_as_uncovered_not_negative():
    b, lines = calc.companion_ledger_lines(START, [(D(2026, 1, 20), Decimal(20))], D(2026, 1, 31), COMPANION_RULES)
    assert (b.available, b.used_total, b.uncovered_total) == (0, 15, 5)
    assert lines[-1].uncovered == 5


@pytest.mark.parametrize(
    "rules", [{}, {"hours_per_month": 15}, COMPANION_RULES | {"saving_months": 0}, COMPANION_RULES | {"hours_per_month": "x"}]
)
def test_missing_or_broken_companion_rules_are_refused_in_danish(rules):
    with pytest.raises(ValidationError, match="Kvalitetsstandarden mangler gyldige satser for ledsagelse"):
        calc.companion_balance(START, [], START, rules)


def test_parameters_are_data():
    indexed = {"hours_per_month": 20, "max_saved_hours": 60, "saving_months": 3}
    assert bal(D(2026, 3, 15), params=indexed).available == 60
    assert bal(D(2026, 4, 15), params=indexed).lapsed_total == 20


# --- §100: the pure calculator -----------------------------------------------------------------


@pytest.mark.parametrize(
    "amounts, total, band, payment, eligible",
    [
        (["0"], 0, "below", 0, False),
        (["555"], 555, "below", 0, False),
        (["556"], 556, "1", 1053, True),
        (["1561"], 1561, "1", 1053, True),
        (["1562"], 1562, "2", 2102, True),
        (["2602"], 2602, "2", 2102, True),
        (["2603"], 2603, "actual", 2603, True),
        (["1561.49"], 1561, "1", 1053, True),  # rounded to whole kroner first
        (["1561.50"], 1562, "2", 2102, True),  # half up
        (["555.49"], 555, "below", 0, False),
        (["555.50"], 556, "below", 0, False),  # 6,666 kr a year: below 6,672 though it rounds to 556
        (["2602.49"], 2602, "2", 2102, True),
        (["2602.50"], 2603, "actual", 2603, True),
        (["300.25", "255.25"], 556, "below", 0, False),  # summed; the threshold sees the unrounded sum
        (["300.25", "255.75"], 556, "1", 1053, True),
        (["1000", "1000", "1000.40"], 3000, "actual", 3000, True),
    ],
)
def test_extra_cost_payment_bands(amounts, total, band, payment, eligible):
    result = calc.extra_cost_payment([item(f"Udgift {i}", a) for i, a in enumerate(amounts)], EXTRA_COST_RULES)
    assert (result.monthly_total, result.band, result.payment_kr_month, result.eligible) == (total, band, payment, eligible)
    assert result.documentation_required == (band == "actual")


def test_extra_cost_amounts_come_from_the_standard():
    indexed = EXTRA_COST_RULES | {
        "threshold_kr_month": 600,
        "bands": [{"from": 600, "to": 1600, "amount": 1100}, {"from": 1601, "to": 2700, "amount": 2200}],
        "actual_above": 2700,
    }
    assert calc.extra_cost_payment([item("x", 599)], indexed).band == "below"
    assert calc.extra_cost_payment([item("x", 1601)], indexed).payment_kr_month == 2200
    assert calc.extra_cost_payment([item("x", 2701)], indexed).payment_kr_month == 2701


def test_extra_cost_items_as_dicts_and_negative_refused():
    assert calc.extra_cost_payment([{"label": "Medicin", "kr_month": "700"}], EXTRA_COST_RULES).band == "1"
    with pytest.raises(ValidationError, match="kan ikke være negativt"):
        calc.extra_cost_payment([item("Medicin", -1)], EXTRA_COST_RULES)


@pytest.mark.parametrize(
    "received, deadline",
    [
        (D(2026, 3, 2), D(2026, 3, 30)),
        (D(2026, 12, 15), D(2027, 1, 12)),
        (D(2028, 2, 10), D(2028, 3, 9)),  # leap February
    ],
)
def test_decision_deadline_is_four_weeks(received, deadline):
    assert calc.decision_deadline(received, EXTRA_COST_RULES) == deadline


@pytest.mark.parametrize(
    "last, on, allowed",
    [
        (D(2026, 3, 1), D(2026, 3, 1), False),
        (D(2026, 3, 1), D(2026, 9, 1), False),
        (D(2026, 3, 1), D(2027, 3, 1), False),  # the anniversary itself is still locked
        (D(2026, 3, 1), D(2027, 3, 2), True),  # allowed from the day after
        (D(2024, 2, 29), D(2025, 2, 28), False),  # leap day: the anniversary is 28 Feb
        (D(2024, 2, 29), D(2025, 3, 1), True),
    ],
)
def test_recalculation_on_demand_is_locked_for_a_year(last, on, allowed):
    assert calc.recalculation_allowed(last, on, EXTRA_COST_RULES) is allowed


@pytest.mark.parametrize("last, first_allowed", [(D(2026, 3, 1), D(2027, 3, 2)), (D(2024, 2, 29), D(2025, 3, 1))])
def test_recalculation_allowed_from(last, first_allowed):
    assert calc.recalculation_allowed_from(last, EXTRA_COST_RULES) == first_allowed


# --- with the database: §97 ----------------------------------------------------------------------


@pytest.fixture
def cw(users):
    return users[Role.CASEWORKER]


@pytest.fixture
def citizen(org, cw):
    return make_citizen(org, caseworker=cw)


@pytest.fixture
def grant(org, cw, citizen):
    return make_companion_grant(cw, citizen, org, start=D(2025, 1, 15))


def test_grant_records_the_companion_standard(grant):
    assert grant.standard_version.rules["companion"] == COMPANION_RULES


def test_record_companion_usage_stores_a_row_and_audits_it(grant, cw):
    usage = calc.record_companion_usage(cw, grant, D(2025, 2, 20), Decimal(20), "  Lægebesøg  ")
    assert (usage.citizen, usage.hours, usage.note, usage.created_by) == (grant.case.citizen, 20, "Lægebesøg", cw)
    event = AuditEvent.objects.get(object_type="calculators.CompanionUsage", object_id=str(usage.pk))
    assert event.action == "create" and event.before is None and event.citizen_id_ref == grant.case.citizen_id
    assert (
        event.after["hours"] == "20.00"
        and event.after["available_before"] == "30.00"
        and event.after["available_after"] == "10.00"
    )


def test_companion_ledger_of_a_grant_matches_the_pure_function(grant, cw):
    calc.record_companion_usage(cw, grant, D(2025, 2, 20), Decimal(20))
    calc.record_companion_usage(cw, grant, D(2025, 4, 1), Decimal("7.5"), "Koncert")
    ledger = calc.companion_ledger(grant, D(2025, 8, 15))
    expected = calc.companion_balance(
        D(2025, 1, 15), [(D(2025, 2, 20), 20), (D(2025, 4, 1), Decimal("7.5"))], D(2025, 8, 15), COMPANION_RULES
    )
    assert ledger.balance == expected
    usage_lines = [line for line in ledger.lines if line.kind == calc.USAGE]
    assert [u.ref.note for u in usage_lines] == ["", "Koncert"]


def test_usage_above_the_balance_is_refused_and_nothing_is_stored(grant, cw):
    with pytest.raises(ValidationError) as e:
        calc.record_companion_usage(cw, grant, D(2025, 2, 20), Decimal(31))
    assert e.value.messages[0].startswith("Der er kun 30 timer til rådighed den 20.02.2025")
    assert not CompanionUsage.objects.exists()
    assert not AuditEvent.objects.filter(object_type="calculators.CompanionUsage").exists()


@pytest.mark.parametrize(
    "used_on, hours, message",
    [
        (D(2025, 1, 14), "1", "før bevillingens start den 15.01.2025"),
        (None, "1", "dato i fremtiden"),
        (D(2025, 2, 1), "0", "større end 0"),
        (D(2025, 2, 1), "1.555", "højst to decimaler"),
    ],
)
def test_usage_dates_and_hours_are_checked(grant, cw, used_on, hours, message):
    used_on = used_on or timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError, match=message):
        calc.record_companion_usage(cw, grant, used_on, Decimal(hours))


def test_usage_after_the_grant_ends_is_refused(org, cw, citizen):
    grant = make_companion_grant(cw, citizen, org, start=D(2025, 1, 15), end=D(2025, 3, 31))
    with pytest.raises(ValidationError, match="efter bevillingens slutdato den 31.03.2025"):
        calc.record_companion_usage(cw, grant, D(2025, 4, 1), Decimal(1))
    assert calc.companion_ledger(grant, D(2025, 6, 1)).balance.accrued_total == 45  # no accrual after the end


def test_usage_needs_an_active_companion_grant_with_a_standard(org, cw, citizen, grant):
    other = walk_case(cw, make_citizen(org, caseworker=cw), org, until="grant")["grant"]  # a §85 grant
    with pytest.raises(ValidationError, match="kun på en bevilling efter § 97"):
        calc.record_companion_usage(cw, other, D(2025, 2, 1), Decimal(1))
    case_services.end_grant(cw, grant, on=D(2025, 6, 30))
    with pytest.raises(ValidationError, match="kun registreres forbrug på en aktiv bevilling"):
        calc.record_companion_usage(cw, grant, D(2025, 2, 1), Decimal(1))
    StandardVersion.objects.filter(standard__key="§97").update(adopted_on=D(2030, 1, 1))  # not in force for the next grant
    bare = make_companion_grant(cw, citizen, org, start=D(2025, 1, 15))
    assert bare.standard_version is None
    with pytest.raises(ValidationError, match="ikke knyttet til en kvalitetsstandard"):
        calc.record_companion_usage(cw, bare, D(2025, 2, 1), Decimal(1))


def test_rows_are_append_only(grant, cw):
    usage = calc.record_companion_usage(cw, grant, D(2025, 2, 20), Decimal(1))
    usage.hours = Decimal(2)
    with pytest.raises(PermissionError):
        usage.save()
    with pytest.raises(PermissionError):
        usage.delete()
    with pytest.raises(PermissionError):
        CompanionUsage.objects.filter(pk=usage.pk).update(hours=3)
    with pytest.raises(PermissionError):
        CompanionUsage.objects.all().delete()


# --- with the database: §100 ---------------------------------------------------------------------


@pytest.fixture
def version100(org):
    return extra_costs_version(org)


def calculate(cw, citizen, amounts=("700",), *, received=D(2025, 2, 3), on=D(2025, 3, 1), on_demand=False, **kw):
    items = [item(f"Udgift {i + 1}", a) for i, a in enumerate(amounts)]
    return calc.calculate_extra_costs(
        cw, citizen, items=items, application_received=received, calculated_on=on, on_demand=on_demand, **kw
    )


def test_calculate_extra_costs_stores_the_result_and_audits(cw, citizen, version100):
    c = calculate(cw, citizen, ["1000.25", "561.25"])
    assert (c.monthly_total, c.band, c.payment_kr_month, c.eligible) == (1562, "2", 2102, True)
    assert c.standard_version == version100 and c.items == [
        {"label": "Udgift 1", "kr_month": "1000.25"},
        {"label": "Udgift 2", "kr_month": "561.25"},
    ]
    assert (c.decision_deadline, c.recalculation_allowed_from) == (D(2025, 3, 3), D(2026, 3, 2))
    event = AuditEvent.objects.get(object_type="calculators.ExtraCostCalculation", object_id=str(c.pk))
    assert event.action == "create" and event.before is None and event.after["payment_kr_month"] == "2102.00"
    second = calculate(cw, citizen, ["400"], on=D(2025, 4, 1))
    event = AuditEvent.objects.get(object_type="calculators.ExtraCostCalculation", object_id=str(second.pk))
    assert event.before["id"] == c.pk and event.after["band"] == "below"  # the new row replaces the last one


def test_on_demand_recalculation_is_locked_until_the_day_after_the_anniversary(cw, citizen, version100):
    calculate(cw, citizen, ["700"], on=D(2025, 3, 1))
    with pytest.raises(ValidationError) as e:
        calculate(cw, citizen, ["2000"], received=D(2026, 2, 1), on=D(2026, 3, 1), on_demand=True)
    assert e.value.messages == [
        "Tilskuddet blev senest fastsat den 01.03.2025. Borgeren kan tidligst kræve det fastsat på ny den 02.03.2026."
    ]
    assert ExtraCostCalculation.objects.count() == 1
    # The municipality's own recalculation (e.g. new costs) is not locked …
    assert calculate(cw, citizen, ["2000"], received=D(2025, 6, 1), on=D(2025, 6, 10)).band == "2"
    # … and it is the latest determination the year runs from.
    with pytest.raises(ValidationError, match="tidligst kræve det fastsat på ny den 11.06.2026"):
        calculate(cw, citizen, ["3000"], received=D(2026, 3, 2), on=D(2026, 3, 2), on_demand=True)
    assert calculate(cw, citizen, ["3000"], received=D(2026, 6, 1), on=D(2026, 6, 11), on_demand=True).payment_kr_month == 3000


def test_first_calculation_on_demand_is_allowed(cw, citizen, version100):
    assert calculate(cw, citizen, on_demand=True).band == "1"


def test_extra_costs_refusals(org, cw, citizen, version100):
    with pytest.raises(ValidationError, match="mindst én merudgift"):
        calc.calculate_extra_costs(cw, citizen, items=[], application_received=D(2025, 1, 1), calculated_on=D(2025, 1, 2))
    with pytest.raises(ValidationError, match="højst 8"):
        calculate(cw, citizen, ["10"] * 9)
    with pytest.raises(ValidationError, match="Skriv hvad hver merudgift dækker"):
        calc.calculate_extra_costs(
            cw, citizen, items=[("  ", Decimal(600))], application_received=D(2025, 1, 1), calculated_on=D(2025, 1, 2)
        )
    with pytest.raises(ValidationError, match="modtaget efter beregningsdatoen"):
        calculate(cw, citizen, received=D(2025, 3, 2), on=D(2025, 3, 1))
    with pytest.raises(ValidationError, match="fremtiden"):
        calculate(cw, citizen, on=timezone.localdate() + dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="ingen kvalitetsstandard for § 100 i kraft den 01.03.2018"):
        calculate(cw, citizen, received=D(2018, 3, 1), on=D(2018, 3, 1))
    companion = make_companion_grant(cw, citizen, org)
    with pytest.raises(ValidationError, match="borgerens bevilling efter § 100"):
        calculate(cw, citizen, grant=companion)
    with pytest.raises(ValidationError, match="kvalitetsstandard for § 100"):
        calculate(cw, citizen, standard_version=companion.standard_version)
    assert not ExtraCostCalculation.objects.exists()


def test_the_version_in_force_on_the_calculation_day_is_used(org, cw, citizen, version100):
    indexed = extra_costs_version(
        org,
        EXTRA_COST_RULES | {"bands": [{"from": 556, "to": 1561, "amount": 1100}, {"from": 1562, "to": 2602, "amount": 2200}]},
        adopted_on=D(2026, 1, 1),
    )
    assert calculate(cw, citizen, ["700"], on=D(2025, 12, 31)).payment_kr_month == 1053
    c = calculate(cw, citizen, ["700"], received=D(2026, 1, 2), on=D(2026, 1, 2))
    assert (c.payment_kr_month, c.standard_version) == (1100, indexed)


# --- pages ---------------------------------------------------------------------------------------


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_ledger_page_shows_balance_and_lines_and_audits_the_read(client, cw, grant):
    calc.record_companion_usage(cw, grant, D(2025, 2, 20), Decimal(20), "Tandlæge")
    login(client, cw)
    url = reverse("companion-ledger", args=[grant.pk])
    r = client.get(url, {"dato": "2025-08-15"})
    assert r.status_code == 200
    body = r.content.decode()
    assert 'id="balance-available">90 timer' in body and "Tandlæge" in body and "Bortfaldet" in body
    assert "Registrér forbrug" in body
    assert (
        AuditEvent.objects.filter(
            action="read", object_type="cases.Grant", object_id=str(grant.pk), after__on="2025-08-15"
        ).count()
        == 1
    )
    r = client.get(url, {"dato": "ikke-en-dato"})
    assert r.status_code == 400 and "ikke-en-dato" in r.content.decode()


def test_ledger_page_records_usage_and_keeps_input_on_refusal(client, cw, grant):
    login(client, cw)
    url = reverse("companion-ledger", args=[grant.pk])
    r = client.post(url, {"used_on": "2025-02-20", "hours": "1,5", "note": "Biograf"})
    assert r.status_code == 302 and r["Location"] == url
    assert CompanionUsage.objects.get().hours == Decimal("1.5")
    r = client.post(url, {"used_on": "2025-02-20", "hours": "40", "note": "For meget"})
    assert r.status_code == 400
    body = r.content.decode()
    assert "Der er kun 28,5 timer til rådighed den 20.02.2025" in body and "For meget" in body and 'value="40"' in body
    r = client.post(url, {"used_on": "", "hours": "abc", "note": "Tom"})
    assert r.status_code == 400 and "Tom" in r.content.decode()
    assert CompanionUsage.objects.count() == 1


def test_ledger_page_access(client, org, users, cw, grant):
    url = reverse("companion-ledger", args=[grant.pk])
    login(client, users[Role.COORDINATOR])
    assert client.get(url).status_code == 404  # not the citizen's coordinator
    login(client, users[Role.COMMITTEE])
    r = client.get(url)
    assert r.status_code == 200 and "Registrér forbrug" not in r.content.decode()
    assert client.post(url, {"used_on": "2025-02-20", "hours": "1"}).status_code == 403
    login(client, make_user(Role.CASEWORKER, org, unit=org["other_team"]))
    assert client.get(url).status_code == 404
    other = walk_case(cw, make_citizen(org, caseworker=cw), org, until="grant")["grant"]
    login(client, cw)
    assert client.get(reverse("companion-ledger", args=[other.pk])).status_code == 404  # not a §97 grant
    assert not CompanionUsage.objects.exists()


def test_ledger_page_without_standard_explains_itself(client, org, cw, citizen):
    bare = make_companion_grant(cw, citizen, org, with_standard=False)
    login(client, cw)
    r = client.get(reverse("companion-ledger", args=[bare.pk]))
    assert r.status_code == 200 and "ikke knyttet til en kvalitetsstandard" in r.content.decode()


def _extra_cost_post(rows, **extra):
    data = {"items-TOTAL_FORMS": "8", "items-INITIAL_FORMS": "0", "items-MIN_NUM_FORMS": "0", "items-MAX_NUM_FORMS": "8"}
    for i, (label, amount) in enumerate(rows):
        data[f"items-{i}-label"], data[f"items-{i}-kr_month"] = label, amount
    data.update({"application_received": "2025-02-03", "calculated_on": "2025-03-01"} | extra)
    return data


def test_extra_costs_page_calculates_and_shows_result_and_history(client, cw, citizen, version100):
    login(client, cw)
    url = reverse("extra-costs", args=[citizen.pk])
    r = client.get(url)
    assert r.status_code == 200
    body = r.content.decode()
    assert body.count('name="items-') >= 16 and 'for="id_items-7-kr_month"' in body and "Merudgift 8: kr. pr. måned" in body
    r = client.post(url, _extra_cost_post([("Medicin", "1000,25"), ("Transport", "561.25")]))
    assert r.status_code == 302
    c = ExtraCostCalculation.objects.get()
    assert r["Location"] == f"{url}?beregning={c.pk}"
    assert (c.monthly_total, c.band, c.payment_kr_month) == (1562, "2", 2102)
    body = client.get(r["Location"]).content.decode()
    assert 'id="result-payment">2.102 kr.' in body and 'id="result-deadline">03.03.2025' in body
    assert 'id="result-recalculation">02.03.2026' in body and "Standardbeløb 2" in body and "Medicin" in body
    assert AuditEvent.objects.filter(action="read", object_type="citizens.Citizen", after__shown="extra_costs").count() == 2


def test_extra_costs_page_writes_amounts_the_danish_way(client, cw, citizen, version100):
    login(client, cw)
    url = reverse("extra-costs", args=[citizen.pk])
    r = client.post(url, _extra_cost_post([("Medicin", "1053,50")]))
    assert r.status_code == 302
    body = client.get(r["Location"]).content.decode()
    assert "<td>Medicin</td><td>1.053,50</td>" in body  # decimal comma, thousands point, øre
    assert 'id="result-total">1.054 kr.' in body and 'id="result-payment">1.053 kr.' in body  # whole kroner without øre


def test_extra_costs_page_keeps_input_on_errors(client, cw, citizen, version100):
    login(client, cw)
    url = reverse("extra-costs", args=[citizen.pk])
    # A half-filled row.
    r = client.post(url, _extra_cost_post([("Medicin", ""), ("Kørsel", "250")]))
    assert r.status_code == 400
    body = r.content.decode()
    assert (
        "Angiv beløbet pr. måned." in body
        and "Ret fejlene i merudgifterne" in body
        and 'value="Kørsel"' in body
        and 'value="250"' in body
    )
    # No rows at all.
    r = client.post(url, _extra_cost_post([]))
    assert r.status_code == 400 and "Angiv mindst én merudgift." in r.content.decode()
    # On demand within the year: the domain's refusal with the date, input kept.
    calculate(cw, citizen, ["700"], on=D(2025, 3, 1))
    r = client.post(
        url,
        _extra_cost_post(
            [("Hjælpemidler", "1900")], application_received="2026-02-01", calculated_on="2026-02-01", on_demand="on"
        ),
    )
    assert r.status_code == 400
    body = r.content.decode()
    assert (
        "tidligst kræve det fastsat på ny den 02.03.2026" in body
        and 'value="Hjælpemidler"' in body
        and 'value="2026-02-01"' in body
    )
    assert ExtraCostCalculation.objects.count() == 1


def test_extra_costs_page_access(client, org, users, cw, citizen, version100):
    url = reverse("extra-costs", args=[citizen.pk])
    citizen_user = make_user(Role.CITIZEN, org)
    citizen.user = citizen_user
    citizen.save()
    login(client, citizen_user)
    r = client.get(url)
    assert r.status_code == 200 and "Beregn og gem" not in r.content.decode()
    assert client.post(url, _extra_cost_post([("Medicin", "700")])).status_code == 403
    login(client, make_user(Role.CASEWORKER, org, unit=org["other_team"]))
    assert client.get(url).status_code == 404
    assert client.post(url, _extra_cost_post([("Medicin", "700")])).status_code == 404
    login(client, users[Role.PROVIDER_STAFF])  # no order for this citizen
    assert client.get(url).status_code == 404
    assert not ExtraCostCalculation.objects.exists()


def test_extra_costs_page_without_standard_says_so(client, cw, citizen):
    login(client, cw)
    url = reverse("extra-costs", args=[citizen.pk])
    assert "ingen kvalitetsstandard for § 100" in client.get(url).content.decode()
    r = client.post(url, _extra_cost_post([("Medicin", "700")]))
    assert r.status_code == 400 and "ingen kvalitetsstandard for § 100 i kraft den 01.03.2025" in r.content.decode()


# --- with LTK's bundled standards (standards/data/ltk_2019.json) ------------------------------


def test_the_bundled_ltk_standards_drive_the_calculators(org, cw, citizen):
    from samplan.standards.loader import load_standards

    load_standards(org["municipality"])
    out = walk_case(cw, citizen, org, until="granted")
    grant = case_services.create_grant(
        cw, out["decision"], grant_spec(org, out["condition"], start=D(2025, 1, 15), amount="15", legal_basis="§97")
    )
    if grant.status == Grant.Status.PENDING:  # beyond the caseworker's competence in LTK's table
        case_services.review_grant(make_user(Role.COMMITTEE, org), grant, outcome="approved", reason="Godkendt")
        grant.refresh_from_db()
    assert grant.standard_version.rules["companion"] == COMPANION_RULES
    assert calc.companion_ledger(grant, D(2025, 6, 15)).balance.available == 90
    c = calc.calculate_extra_costs(
        cw, citizen, items=[item("Medicin", "1561.50")], application_received=D(2025, 3, 1), calculated_on=D(2025, 3, 1)
    )
    assert c.standard_version.rules["extra_costs"] == EXTRA_COST_RULES and (c.band, c.payment_kr_month) == ("2", 2102)


def test_a_smaller_grant_accrues_its_own_hours(org, cw, citizen):
    """Companionship given elsewhere is deducted from the 15 hours: a 10-hour grant accrues 10."""
    from samplan.calculators.services import companion_ledger

    g = make_companion_grant(cw, citizen, org, start=D(2025, 1, 15))
    Grant.objects.filter(pk=g.pk).update(scope_amount=Decimal("10"))
    g.refresh_from_db()
    assert companion_ledger(g, D(2025, 3, 15)).balance.available == Decimal("30")
