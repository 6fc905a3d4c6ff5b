"""LTK's 11 quality standards of June 2019 as bundled data (standards/data/ltk_2019.json):
loading is idempotent, and every figure of DOMAIN.md §5 (seed 004, L4979–7394) is there."""

import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from samplan.standards.loader import DEFAULT_PATH, load_standards, read_data
from samplan.standards.models import CaseDeadline, CompetenceRule, QualityStandard, StandardVersion
from samplan.standards.services import new_version
from tests.factories import make_org

KEYS = ["§82", "§84", "§85", "§96", "§97", "§100", "§102", "§103", "§104", "§107", "§108"]
FOLLOWED_UP = ["§84", "§85", "§96", "§97", "§100", "§103", "§104", "§107", "§108"]


@pytest.fixture
def ltk(org):
    load_standards(org["municipality"])
    return org["municipality"]


def _version(municipality, key) -> StandardVersion:
    return StandardVersion.objects.get(standard__municipality=municipality, standard__key=key, version=1)


def _snapshot(municipality):
    versions = StandardVersion.objects.filter(standard__municipality=municipality).order_by("pk")
    return {
        "standards": list(QualityStandard.objects.filter(municipality=municipality).order_by("pk").values()),
        "versions": list(versions.values()),
        "target_groups": sorted((v.pk, c.pk) for v in versions for c in v.target_groups.all()),
        "deadlines": list(CaseDeadline.objects.filter(municipality=municipality).order_by("pk").values()),
        "competence": list(CompetenceRule.objects.filter(municipality=municipality).order_by("pk").values()),
    }


def _dig(data, path):
    for step in path:
        data = data[step]
    return data


# --- loading -------------------------------------------------------------------------------


def test_loading_creates_the_11_standards_each_with_version_1(org):
    counts = load_standards(org["municipality"])
    assert counts["standards_created"] == counts["versions_created"] == 11
    assert counts["warnings"] == []
    standards = QualityStandard.objects.filter(municipality=org["municipality"])
    assert sorted(standards.values_list("key", flat=True)) == sorted(KEYS)
    for standard in standards:
        assert list(standard.versions.values_list("version", flat=True)) == [1]
        assert standard.versions.get().target_groups.exists(), standard.key
    assert standards.get(key="§82").legal_bases == ["§82a", "§82c", "§82d"]
    assert standards.get(key="§85").legal_bases == ["§85"]


def test_loading_twice_changes_nothing(org):
    municipality = org["municipality"]
    load_standards(municipality)
    before = _snapshot(municipality)
    again = load_standards(municipality)
    assert _snapshot(municipality) == before
    assert (
        again["standards_created"] == again["versions_created"] == again["deadlines_created"] == again["competence_created"] == 0
    )
    assert (again["standards_existing"], again["versions_existing"]) == (11, 11)
    assert again["deadlines_existing"] == len(before["deadlines"]) and again["competence_existing"] == len(before["competence"])


def test_loading_never_edits_an_existing_version(ltk, users):
    standard = QualityStandard.objects.get(municipality=ltk, key="§84")
    v2 = new_version(users["admin"], standard, rules={"respite_days_per_year": 90, "relief_hours_per_month": 15})
    before = _snapshot(ltk)
    load_standards(ltk)
    assert _snapshot(ltk) == before
    assert list(standard.versions.values_list("version", flat=True)) == [2, 1]
    v2.refresh_from_db()
    assert v2.rules["respite_days_per_year"] == 90 and _version(ltk, "§84").rules["respite_days_per_year"] == 60


def test_another_municipality_gets_its_own_rows(ltk):
    gladsaxe = make_org("0159", "Gladsaxe Kommune")["municipality"]
    load_standards(gladsaxe)
    assert QualityStandard.objects.filter(municipality=gladsaxe).count() == 11
    assert StandardVersion.objects.count() == 22
    assert CaseDeadline.objects.filter(municipality=gladsaxe).count() == CaseDeadline.objects.filter(municipality=ltk).count()


def test_missing_ffb_target_group_is_skipped_with_a_warning(org, tmp_path):
    data = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    data["standards"][0]["target_groups"] = ["Angst", "Findes ikke i FFB"]
    path = tmp_path / "standards.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    counts = load_standards(org["municipality"], path)
    assert counts["warnings"] == [
        f"{data['standards'][0]['key']}: FFB-målgruppen 'Findes ikke i FFB' findes ikke og er sprunget over."
    ]
    version = _version(org["municipality"], data["standards"][0]["key"])
    assert list(version.target_groups.values_list("display", flat=True)) == ["Angst"]


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d["standards"][0].update(legal_bases=["§999"]), "ukendt lovgrundlag"),
        (lambda d: d["standards"][1].update(scope_unit="timer"), "ukendt omfangsenhed"),
        (lambda d: d["standards"].append(dict(d["standards"][0])), "to gange"),
        (lambda d: d["case_deadlines"].update({"§85": 0}), "sagsbehandlingsfrist"),
    ],
)
def test_bad_files_are_refused(tmp_path, change, message):
    data = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        read_data(path)


# --- the figures of DOMAIN.md §5 -------------------------------------------------------------

FIGURES = [
    # §82 a, c, d (L5161, L5323, L2237–2254)
    ("§82", ["no_follow_up"], True),
    ("§82", ["no_appeal"], True),
    ("§82", ["course_82b_max_months"], 6),
    # §84 (L5084–5087)
    ("§84", ["respite_days_per_year"], 60),
    ("§84", ["relief_hours_per_month"], 15),
    # §85 (L5438–5517) and Bilag 2 (L5771–5866)
    ("§85", ["eligibility", "min_level"], 2),
    ("§85", ["eligibility", "max_level"], 4),
    ("§85", ["residential_signal_hours_week"], 15),
    ("§85", ["packages", 0, "up_to"], 5),
    ("§85", ["packages", 1, "up_to"], 13),
    ("§85", ["packages", 2, "up_to"], 20),
    ("§85", ["packages", 3, "up_to"], 27),
    ("§85", ["packages", 4, "up_to"], None),
    ("§85", ["packages", 4, "code"], "P5"),
    ("§85", ["sub_services_minutes_per_week", "Træning i at varetage personlig hygiejne"], [5, 35]),
    ("§85", ["sub_services_minutes_per_week", "Træning i madlavning"], [5, 90]),
    ("§85", ["sub_services_minutes_per_week", "Træning i at planlægge og styre egen økonomi"], [5, 30]),
    ("§85", ["sub_services_minutes_per_week", "Træning i posthåndtering og kontakt til offentlige myndigheder"], [5, 15]),
    ("§85", ["sub_services_minutes_per_week", "Træning i netværksskabelse"], [5, 15]),
    ("§85", ["settling_in_pool_hours"], [10, 30]),
    ("§85", ["settling_in_pool_months"], 3),
    # §96 (L5903–6119)
    ("§96", ["helper_meeting_hours"], 2),
    ("§96", ["helper_meetings_per_year"], 4),
    ("§96", ["helper_costs_kr_month"], 800),
    ("§96", ["holiday_travel_kr_year"], 5000),
    ("§96", ["admin_subsidy_kr_per_hour"], 10),
    # §97 (L6201–6258)
    ("§97", ["companion", "hours_per_month"], 15),
    ("§97", ["companion", "max_saved_hours"], 90),
    ("§97", ["companion", "saving_months"], 6),
    ("§97", ["companion", "expenses_kr_year"], 901),
    # §100 (L6466–6678)
    ("§100", ["extra_costs", "threshold_kr_year"], 6672),
    ("§100", ["extra_costs", "threshold_kr_month"], 556),
    ("§100", ["extra_costs", "bands", 0, "from"], 556),
    ("§100", ["extra_costs", "bands", 0, "to"], 1561),
    ("§100", ["extra_costs", "bands", 0, "amount"], 1053),
    ("§100", ["extra_costs", "bands", 1, "from"], 1562),
    ("§100", ["extra_costs", "bands", 1, "to"], 2602),
    ("§100", ["extra_costs", "bands", 1, "amount"], 2102),
    ("§100", ["extra_costs", "actual_above"], 2602),
    ("§100", ["extra_costs", "decision_weeks"], 4),
    ("§100", ["extra_costs", "recalculation_lock_months"], 12),
    ("§100", ["extra_costs", "km_rate"], "1.98"),
    # §102 (L6761)
    ("§102", ["max_hours_total"], 12),
    # §103 (L6816, L6854)
    ("§103", ["max_days_per_week"], 4),
    ("§103", ["hours_per_week_approx"], 25),
    ("§103", ["transport_km_free"], 10),
    # §104 (L6989)
    ("§104", ["max_days_per_week"], 4),
    ("§104", ["one_at_a_time"], True),
    # §107 (L7127, L7143)
    ("§107", ["duration_years", "min"], 1),
    ("§107", ["duration_years", "max"], 2),
    ("§107", ["min_support_hours_week"], 15),
]


@pytest.mark.parametrize("key, path, expected", FIGURES, ids=[f"{k}:{'.'.join(map(str, p))}" for k, p, _ in FIGURES])
def test_figure_is_in_the_loaded_rules(ltk, key, path, expected):
    assert _dig(_version(ltk, key).rules, path) == expected


FIELDS = [
    ("§85", "scope_unit", "hours_month"),
    ("§85", "level_min", Decimal("1")),
    ("§85", "level_max", Decimal("65")),
    ("§85", "min_age", 18),
    ("§85", "max_age", None),
    ("§85", "free_choice", False),
    ("§84", "scope_unit", ""),
    ("§84", "min_age", 18),
    ("§96", "free_choice", True),
    ("§97", "scope_unit", "hours_month"),
    ("§97", "level_max", Decimal("15")),
    ("§97", "min_age", 18),
    ("§97", "max_age", 67),
    ("§100", "scope_unit", "kr_month"),
    ("§100", "min_age", 18),
    ("§100", "max_age", 67),
    ("§102", "scope_unit", "hours_total"),
    ("§102", "level_max", Decimal("12")),
    ("§103", "scope_unit", "days_week"),
    ("§103", "level_max", Decimal("4")),
    ("§103", "min_age", 18),
    ("§103", "max_age", 67),
    ("§104", "scope_unit", "days_week"),
    ("§104", "level_max", Decimal("4")),
    ("§107", "scope_unit", "place"),
    ("§108", "scope_unit", "place"),
    ("§107", "free_choice", False),
    ("§108", "free_choice", True),
    ("§82", "visitation_required", False),
    ("§82", "appeal_allowed", False),
]


@pytest.mark.parametrize("key, name, expected", FIELDS, ids=[f"{k}:{n}" for k, n, _ in FIELDS])
def test_version_field(ltk, key, name, expected):
    assert getattr(_version(ltk, key), name) == expected


def test_every_standard_is_adopted_june_2019_and_cites_the_seed(ltk):
    for version in StandardVersion.objects.filter(standard__municipality=ltk):
        assert (version.adopted_on.isoformat(), version.revision_due.isoformat()) == ("2019-06-11", "2022-06-30")
        assert version.rules["source"].startswith("004:L"), version.standard.key
        assert version.unit_price is None


def test_82_has_no_follow_up_and_no_appeal(ltk):
    v = _version(ltk, "§82")
    assert (v.follow_up_first_months, v.follow_up_every_months, v.follow_up_during_and_end) == (None, None, False)
    assert not v.has_follow_up and v.appeal_allowed is False and v.visitation_required is False


def test_102_is_followed_up_during_and_at_the_end(ltk):
    v = _version(ltk, "§102")
    assert (v.follow_up_first_months, v.follow_up_every_months, v.follow_up_during_and_end) == (None, None, True)


@pytest.mark.parametrize("key", FOLLOWED_UP)
def test_first_follow_up_within_3_months_then_yearly(ltk, key):
    v = _version(ltk, key)
    assert (v.follow_up_first_months, v.follow_up_every_months, v.follow_up_during_and_end) == (3, 12, False)
    assert v.appeal_allowed is True and v.visitation_required is True


@pytest.mark.parametrize("key", KEYS)
def test_citizen_summary_is_plain_and_says_how_to_complain(ltk, key):
    text = _version(ltk, key).citizen_summary
    assert len(text) > 200
    assert "psykisk syg" not in text.casefold()
    assert "du " in text.casefold()
    if key == "§82":
        assert "ikke klage" in text
    else:
        assert "klage" in text and "4 uger" in text and "Ankestyrelsen" in text


def test_case_deadlines_and_competence(ltk):
    days = dict(CaseDeadline.objects.filter(municipality=ltk).values_list("legal_basis", "days"))
    assert {k: days[k] for k in ("§85", "§107", "§108", "§84", "§97", "§100", "§103", "§104", "§96", "§102", "§82a")} == {
        "§85": 56,
        "§107": 84,
        "§108": 84,
        "§84": 56,
        "§97": 56,
        "§100": 28,
        "§103": 56,
        "§104": 56,
        "§96": 84,
        "§102": 56,
        "§82a": 14,
    }
    rules = {r.legal_basis: r for r in CompetenceRule.objects.filter(municipality=ltk)}
    expected = {
        "§85": Decimal("27"),
        "§107": Decimal("0"),
        "§108": Decimal("0"),
        "§103": Decimal("4"),
        "§104": Decimal("4"),
        "§97": Decimal("15"),
        "§84": Decimal("15"),
        "§100": Decimal("2602"),
        "§102": Decimal("12"),
        "§82a": None,
        "§82c": None,
        "§82d": None,
    }
    assert {k: rules[k].max_scope for k in expected} == expected
    assert all(rules[k].deviation_allowed for k in ("§82a", "§82c", "§82d"))
    assert not any(rules[k].deviation_allowed for k in expected if not k.startswith("§82"))


def test_target_groups_are_ffb_target_group_concepts(ltk):
    from samplan.terminology import ffb

    allowed = set(ffb.branch(ffb.TARGET_GROUPS).values_list("pk", flat=True))
    v85 = _version(ltk, "§85")
    displays = set(v85.target_groups.values_list("display", flat=True))
    assert {"Udviklingshæmning", "Erhvervet hjerneskade", "Personlighedsforstyrrelse"} <= displays
    for version in StandardVersion.objects.filter(standard__municipality=ltk):
        assert set(version.target_groups.values_list("pk", flat=True)) <= allowed


# --- the command ---------------------------------------------------------------------------


def test_command_prints_counts(org):
    out = io.StringIO()
    call_command("load_standards", "--municipality", "0173", stdout=out)
    text = out.getvalue()
    assert "Kvalitetsstandarder: 11 oprettet, 0 fandtes i forvejen" in text
    assert "Versioner: 11 oprettet" in text
    assert f"Sagsbehandlingsfrister: {CaseDeadline.objects.count()} oprettet" in text
    assert f"Kompetenceregler: {CompetenceRule.objects.count()} oprettet" in text

    out = io.StringIO()
    call_command("load_standards", stdout=out)
    text = out.getvalue()
    assert "Kvalitetsstandarder: 0 oprettet, 11 fandtes i forvejen" in text
    assert "intet er ændret" in text


def test_command_refuses_an_unknown_municipality_or_file(org, tmp_path):
    with pytest.raises(CommandError, match="9999"):
        call_command("load_standards", "--municipality", "9999", stdout=io.StringIO())
    with pytest.raises(CommandError, match="findes ikke"):
        call_command("load_standards", "--file", str(tmp_path / "nej.json"), stdout=io.StringIO())
