"""CPR numbers (personnummer): validation, century rule, masking.

Modulus-11 is deliberately not checked: numbers without it have been issued since 2007.
Erstatningspersonnumre (substitute numbers) add 60 to the day and are accepted."""

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

_CPR_RE = re.compile(r"^([0-9]{6})-?([0-9]{4})$")  # ASCII only: \d would also match other scripts' digits


@dataclass(frozen=True)
class CprInfo:
    number: str  # ten digits, no dash
    birth_date: dt.date
    substitute: bool  # erstatningspersonnummer


def century(yy: int, seventh: int) -> int:
    """The century rule from CPR's own table (7th digit and two-digit year)."""
    if seventh in (0, 1, 2, 3):
        return 1900
    if seventh in (4, 9):
        return 2000 if yy <= 36 else 1900
    # 5, 6, 7, 8
    return 2000 if yy <= 57 else 1800


def parse_cpr(value: str) -> CprInfo:
    raw = (value or "").strip().replace(" ", "")
    m = _CPR_RE.match(raw)
    if not m:
        raise ValidationError("CPR-nummeret skal have 10 cifre (DDMMÅÅ-XXXX).", code="format")
    digits = m.group(1) + m.group(2)
    day, month, yy = int(digits[0:2]), int(digits[2:4]), int(digits[4:6])
    substitute = day > 60
    if substitute:
        day -= 60
    year = century(yy, int(digits[6])) + yy
    try:
        birth = dt.date(year, month, day)
    except ValueError:
        raise ValidationError("CPR-nummeret indeholder ikke en gyldig dato.", code="date") from None
    return CprInfo(digits, birth, substitute)


def validate_cpr(value: str) -> None:
    parse_cpr(value)


def normalise_cpr(value: str) -> str:
    return parse_cpr(value).number


def mask_cpr(number: str) -> str:
    """DDMMYY-•••• — the birth date part stays visible, the serial does not."""
    return f"{number[:6]}-••••" if number else ""


def format_cpr(number: str) -> str:
    return f"{number[:6]}-{number[6:]}" if number else ""
