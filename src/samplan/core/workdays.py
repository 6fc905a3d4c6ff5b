"""Working days: weekends, Danish public holidays and the days the municipality is closed.

Public holidays come from the ``holidays`` library (``holidays.Denmark``), which knows e.g.
that Store Bededag is no longer a holiday from 2024. Grundlovsdag (5 June), juleaftensdag
and nytårsaftensdag are not public holidays, but the municipality's offices are closed by
agreement, so they are not working days either (``SAMPLAN_CLOSED_DAYS``)."""

import datetime as dt
from functools import cache

import holidays
from django.conf import settings


@cache
def _public_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.Denmark(years=year))


def _closed_days() -> frozenset[tuple[int, int]]:
    raw = getattr(settings, "SAMPLAN_CLOSED_DAYS", "") or ""
    days = set()
    for part in raw.split(","):
        if part.strip():
            month, day = part.strip().split("-")
            days.add((int(month), int(day)))
    return frozenset(days)


def is_working_day(day: dt.date) -> bool:
    if day.weekday() >= 5 or day in _public_holidays(day.year):
        return False
    return (day.month, day.day) not in _closed_days()


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The n-th working day after ``start`` (``start`` itself does not count)."""
    if n < 0:
        raise ValueError("n must not be negative")
    day = start
    while n > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            n -= 1
    return day
