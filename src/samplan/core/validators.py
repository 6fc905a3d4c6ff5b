"""The ranges every number, date and code keeps at the edge — one rule, used by the
forms, the serializers and the models (field validators, and ``CheckConstraint`` where the
rule is a true invariant), so a page and the API refuse the same input with the same
Danish message.

Bounds, and why:

* **Case dates** (inquiry received, decisions, grant start and end, follow-ups): not before
  1 January 2000 (``CASE_DATE_MIN`` — Samplan holds no older cases; a 1900 start date is a
  typing error that would make a grant overdue at once) and not more than
  ``CASE_DATE_YEARS_AHEAD`` (10) years ahead of today (a grant may be decided years
  ahead, never decades). The lower bound is a database constraint too; the upper bound
  moves with today, so it is checked at the edge only.
* **A next meeting** is planned: the case window, and when it is typed (changed) not more
  than ``MEETING_PAST_DAYS`` (31) days in the past — a meeting that was recently held may
  still be noted, one in 1999 is a typo. A stored older date is left alone.
* **Hours**: a week has 168 hours, a month at most 744 (31 × 24); never negative (hours
  used on one occasion have no upper bound: a trip of several days is one record). A
  grant's scope keeps the bound of its unit (``SCOPE_MAX``: also 7 days a week, 366 a year).
* **Amounts and counts**: never negative.
* **Codes**: a Danish postcode is four digits, a municipality code three or four; a
  phone number is digits and spaces with an optional leading ``+``.
* **Long texts** on forms: ``TEXT_MAX`` (20,000) characters, about ten pages; the request
  body limit (settings.DATA_UPLOAD_MAX_MEMORY_SIZE) is set above the largest legitimate
  form so an over-long text reaches the form and comes back with a Danish message.

Birthdates are not case dates: they come from the CPR number (citizens.cpr)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.utils import timezone
from django.utils.deconstruct import deconstructible

CASE_DATE_MIN = dt.date(2000, 1, 1)
# The same bound as an aware datetime, for DateTimeField constraints (midnight in Denmark
# is 23:00 UTC the day before; the constraint is a floor, so UTC midnight is close enough).
CASE_DATETIME_MIN = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
CASE_DATE_YEARS_AHEAD = 10
MEETING_PAST_DAYS = 31

HOURS_PER_WEEK_MAX = Decimal(168)
HOURS_PER_MONTH_MAX = Decimal(744)
# The most a grant's scope can be in the units that have a natural bound
# (standards.legal.ScopeUnit; the other units — hours in total, kr., places — have none).
SCOPE_MAX = {
    "hours_week": (HOURS_PER_WEEK_MAX, "En uge har højst 168 timer."),
    "hours_month": (HOURS_PER_MONTH_MAX, "En måned har højst 744 timer."),
    "days_week": (Decimal(7), "En uge har højst 7 dage."),
    "days_year": (Decimal(366), "Et år har højst 366 dage."),
}
TEXT_MAX = 20_000


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _danish(day: dt.date) -> str:
    months = "januar februar marts april maj juni juli august september oktober november december".split()
    return f"{day.day}. {months[day.month - 1]} {day.year}"


def case_date_max(today: dt.date | None = None) -> dt.date:
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year + CASE_DATE_YEARS_AHEAD)
    except ValueError:  # 29 February
        return today.replace(year=today.year + CASE_DATE_YEARS_AHEAD, day=28)


@deconstructible
class CaseDateValidator:
    """A case date (or datetime) inside the plausible window."""

    code = "date_out_of_range"

    def __call__(self, value: dt.date | dt.datetime | None) -> None:
        if value is None:
            return
        day = _as_date(value)
        latest = case_date_max()
        if day < CASE_DATE_MIN or day > latest:
            raise ValidationError(
                "Datoen skal ligge mellem %(first)s og %(last)s.",
                code=self.code,
                params={"first": _danish(CASE_DATE_MIN), "last": _danish(latest)},
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CaseDateValidator)

    def __hash__(self) -> int:
        return hash(type(self))


validate_case_date = CaseDateValidator()


def validate_upcoming_date(value: dt.date | None) -> None:
    """A newly typed next-meeting date: the case window and at most a month in the past."""
    if value is None:
        return
    validate_case_date(value)
    earliest = timezone.localdate() - dt.timedelta(days=MEETING_PAST_DAYS)
    if _as_date(value) < earliest:
        raise ValidationError(
            "Næste møde kan ikke ligge mere end %(days)s dage tilbage i tiden.",
            code="date_in_past",
            params={"days": MEETING_PAST_DAYS},
        )


def validate_end_after_start(start: dt.date | None, end: dt.date | None, *, field: str = "end_date") -> None:
    """End ≥ start for every pair of dates; the error names the end field."""
    if start is not None and end is not None and end < start:
        raise ValidationError({field: ValidationError("Slutdatoen kan ikke ligge før startdatoen.", code="end_before_start")})


def not_negative(what: str = "Værdien") -> MinValueValidator:
    return MinValueValidator(0, message=f"{what} kan ikke være negativ.")


def validate_scope(amount: Decimal | None, unit: str | None, *, field: str = "scope_amount") -> None:
    """A grant's scope within what its unit allows (SCOPE_MAX); the error names the amount."""
    bound = SCOPE_MAX.get(unit or "")
    if amount is not None and bound is not None and amount > bound[0]:
        raise ValidationError({field: ValidationError(bound[1], code="scope_out_of_range")})


# Hours used on one occasion: more than 0, and no upper bound — saved companion hours
# (§ 97) are often used at once on a trip of several days, recorded on its first day.
hours_used_validators = [MinValueValidator(Decimal("0.01"), message="Antal timer skal være større end 0.")]
hours_week_validators = [
    MinValueValidator(0, message="Timer pr. uge kan ikke være negative."),
    MaxValueValidator(HOURS_PER_WEEK_MAX, message="En uge har højst 168 timer."),
]
hours_month_validators = [
    MinValueValidator(0, message="Timer pr. måned kan ikke være negative."),
    MaxValueValidator(HOURS_PER_MONTH_MAX, message="En måned har højst 744 timer."),
]

validate_postcode = RegexValidator(r"^[0-9]{4}$", "Postnummeret skal være 4 cifre.", code="invalid_postcode")
validate_municipality_code = RegexValidator(
    r"^[0-9]{3,4}$", "Kommunekoden skal være 3 eller 4 cifre.", code="invalid_municipality_code"
)
validate_phone = RegexValidator(
    r"^\+?[0-9][0-9 ]{5,18}$",
    "Telefonnummeret må kun indeholde cifre og mellemrum, evt. med + foran.",
    code="invalid_phone",
)


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@deconstructible
class TextLengthValidator:
    """At most ``limit`` characters, said in Danish with both lengths (the text stays in the
    field, so the user can shorten it)."""

    code = "max_length"

    def __init__(self, limit: int = TEXT_MAX):
        self.limit = limit

    def __call__(self, value: str | None) -> None:
        if value is not None and len(value) > self.limit:
            raise ValidationError(
                "Teksten må højst have %(limit)s tegn (den har %(length)s).",
                code=self.code,
                params={"limit": _thousands(self.limit), "length": _thousands(len(value))},
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TextLengthValidator) and other.limit == self.limit

    def __hash__(self) -> int:
        return hash((type(self), self.limit))
