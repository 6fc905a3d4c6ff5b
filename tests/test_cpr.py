"""CPR numbers (DOMAIN.md §12): format, date, century table, substitute numbers, masking,
and the citizen register's use of them."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from samplan.citizens.cpr import format_cpr, mask_cpr, normalise_cpr, parse_cpr, validate_cpr
from samplan.citizens.models import Citizen
from tests.factories import make_org


def _mod11_ok(number: str) -> bool:
    weights = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)
    return sum(int(d) * w for d, w in zip(number, weights, strict=True)) % 11 == 0


def _refused(value, code):
    with pytest.raises(ValidationError) as exc:
        parse_cpr(value)
    assert exc.value.code == code
    return exc.value


# --- valid numbers -----------------------------------------------------------------------


@pytest.mark.parametrize("value", ["010180-1234", "0101801234", " 010180-1234 ", "010180 1234"])
def test_valid_with_and_without_dash(value):
    info = parse_cpr(value)
    assert info.number == "0101801234"
    assert info.birth_date == dt.date(1980, 1, 1)
    assert info.substitute is False


def test_leap_day_is_a_valid_date():
    assert parse_cpr("290280-1234").birth_date == dt.date(1980, 2, 29)


def test_modulus_11_is_not_required():
    assert not _mod11_ok("0101801234")  # the number below fails the old modulus-11 check
    assert parse_cpr("010180-1234").birth_date == dt.date(1980, 1, 1)
    validate_cpr("010180-1234")  # no exception


def test_a_number_passing_modulus_11_is_also_accepted():
    number = next(f"010180{n:04d}" for n in range(1000, 10000) if _mod11_ok(f"010180{n:04d}"))
    assert parse_cpr(number).number == number


# --- invalid dates -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "310280-1234",  # 31 February
        "300280-1234",  # 30 February
        "290281-1234",  # 29 February in a common year
        "311180-1234",  # 31 November
        "011380-1234",  # month 13
        "010080-1234",  # month 00
        "000180-1234",  # day 00
        "320180-1234",  # day 32
        "600180-1234",  # day 60: neither a real day nor a substitute (61–91)
    ],
)
def test_invalid_date_is_refused(value):
    err = _refused(value, "date")
    assert err.messages == ["CPR-nummeret indeholder ikke en gyldig dato."]


# --- format errors -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "010180-123",  # 9 digits
        "010180123",  # 9 digits, no dash
        "010180-12345",  # 11 digits
        "01018012345",
        "01018A-1234",  # letter in the date
        "010180-12B4",  # letter in the serial
        "0101-80-1234",  # dash in the wrong place
        "010180--1234",
        "",
        None,
        "\uff10\uff11\uff10\uff11\uff18\uff10-\uff11\uff12\uff13\uff14",  # full-width digits
        "\u0660\u0661\u0660\u0661\u0668\u0660\u0661\u0662\u0663\u0664",  # Arabic-Indic digits
    ],
)
def test_format_errors_are_refused(value):
    err = _refused(value, "format")
    assert err.messages == ["CPR-nummeret skal have 10 cifre (DDMMÅÅ-XXXX)."]


# --- erstatningspersonnumre (day + 60) -----------------------------------------------------


def test_substitute_number_adds_60_to_the_day():
    info = parse_cpr("610180-1234")
    assert info.birth_date == dt.date(1980, 1, 1)
    assert info.substitute is True
    assert info.number == "6101801234"


def test_substitute_day_91_is_the_31st_of_a_31_day_month():
    info = parse_cpr("910180-1234")
    assert info.birth_date == dt.date(1980, 1, 31)
    assert info.substitute is True


@pytest.mark.parametrize(
    "value",
    [
        "910280-1234",  # 31 February
        "900280-1234",  # 30 February
        "890281-1234",  # 29 February of a common year
        "910480-1234",  # 31 April
        "920180-1234",  # day 32
    ],
)
def test_substitute_with_impossible_date_is_refused(value):
    _refused(value, "date")


def test_substitute_leap_day():
    assert parse_cpr("890280-1234").birth_date == dt.date(1980, 2, 29)


# --- century table -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "yy, seventh, year",
    [
        # 0–3: always 1900s
        *[(yy, s, 1900 + yy) for s in (0, 1, 2, 3) for yy in (0, 36, 37, 57, 58, 99)],
        # 4 and 9: 2000s up to 36, then 1900s
        *[(yy, s, y) for s in (4, 9) for yy, y in ((0, 2000), (36, 2036), (37, 1937), (99, 1999))],
        # 5–8: 2000s up to 57, then 1800s
        *[(yy, s, y) for s in (5, 6, 7, 8) for yy, y in ((0, 2000), (57, 2057), (58, 1858), (99, 1899))],
    ],
)
def test_century_rule(yy, seventh, year):
    info = parse_cpr(f"0101{yy:02d}-{seventh}234")
    assert info.birth_date == dt.date(year, 1, 1)


def test_century_rule_decides_leap_years():
    # 29 Feb 2000 exists (7th digit 4, yy 00 → 2000); 29 Feb 1900 does not (7th digit 0 → 1900).
    assert parse_cpr("290200-4234").birth_date == dt.date(2000, 2, 29)
    _refused("290200-0234", "date")
    # 7th digit 5 with yy 96 → 1896, a leap year; 1897 is not.
    assert parse_cpr("290296-5234").birth_date == dt.date(1896, 2, 29)
    _refused("290297-5234", "date")


# --- masking and formatting ----------------------------------------------------------------


def test_mask_keeps_the_birth_date_and_hides_the_serial():
    assert mask_cpr("0101801234") == "010180-••••"
    assert "1234" not in mask_cpr("0101801234")
    assert mask_cpr("") == ""


def test_format_and_normalise():
    assert format_cpr("0101801234") == "010180-1234"
    assert normalise_cpr("010180-1234") == "0101801234"


# --- Citizen register ----------------------------------------------------------------------


def _citizen(org, cpr, **kw):
    return Citizen.objects.create(
        municipality=org["municipality"],
        acting_municipality=org["municipality"],
        unit=org["authority"],
        first_name="Test",
        last_name="Person",
        cpr=cpr,
        **kw,
    )


def test_citizen_save_normalises_and_derives_birth_date(org):
    c = _citizen(org, "010180-1234")
    c.refresh_from_db()
    assert c.cpr == "0101801234"
    assert c.birth_date == dt.date(1980, 1, 1)
    assert c.is_substitute_cpr is False
    assert c.masked_cpr == "010180-••••"


def test_citizen_save_marks_substitute_numbers(org):
    c = _citizen(org, "6502453234")
    c.refresh_from_db()
    assert c.birth_date == dt.date(1945, 2, 5)
    assert c.is_substitute_cpr is True


def test_citizen_save_recomputes_birth_date_when_cpr_changes(org):
    c = _citizen(org, "010180-1234")
    c.cpr = "150390-4321"
    c.birth_date = dt.date(1999, 9, 9)  # stale value must not survive
    c.save()
    c.refresh_from_db()
    assert (c.cpr, c.birth_date) == ("1503904321", dt.date(1990, 3, 15))


def test_citizen_with_invalid_cpr_is_not_saved(org):
    with pytest.raises(ValidationError):
        _citizen(org, "310280-1234")
    assert not Citizen.objects.filter(last_name="Person").exists()


def test_citizen_field_validation_refuses_invalid_cpr(org):
    c = Citizen(
        municipality=org["municipality"],
        acting_municipality=org["municipality"],
        unit=org["authority"],
        first_name="Test",
        last_name="Person",
        cpr="011380-1234",
        birth_date=dt.date(1980, 1, 1),
    )
    with pytest.raises(ValidationError) as exc:
        c.full_clean()
    assert "cpr" in exc.value.error_dict


def test_cpr_unique_within_municipality(org):
    _citizen(org, "010180-1234")
    with pytest.raises(IntegrityError), transaction.atomic():
        _citizen(org, "0101801234")  # the same number, written without the dash
    assert Citizen.objects.filter(cpr="0101801234").count() == 1


def test_non_ascii_digits_cannot_bypass_uniqueness(org):
    _citizen(org, "010180-1234")
    with pytest.raises(ValidationError):
        _citizen(org, "\uff10\uff11\uff10\uff11\uff18\uff10\uff11\uff12\uff13\uff14")
    assert Citizen.objects.filter(municipality=org["municipality"]).count() == 1


def test_same_cpr_allowed_in_another_municipality(org):
    other = make_org(code="0159", name="Gladsaxe Kommune")
    a = _citizen(org, "010180-1234")
    b = _citizen(other, "010180-1234")
    assert a.pk != b.pk
    assert Citizen.objects.filter(cpr="0101801234").count() == 2
