"""Date rules of the case spine, in one place."""

import calendar
import datetime as dt

FIRST_FOLLOW_UP_MONTHS = 3  # new or changed grant (004:L5113)
NEXT_FOLLOW_UP_MONTHS = 12  # afterwards at least once a year (004:L5119)
APPEAL_WEEKS = 4  # appeal deadline to Ankestyrelsen


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day-of-month ``months`` later, clamped to the month's last day (31 Nov → 30 Nov)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def first_follow_up_due(start: dt.date) -> dt.date:
    return add_months(start, FIRST_FOLLOW_UP_MONTHS)


def next_follow_up_due(previous: dt.date) -> dt.date:
    return add_months(previous, NEXT_FOLLOW_UP_MONTHS)


def appeal_deadline(decided: dt.date) -> dt.date:
    return decided + dt.timedelta(weeks=APPEAL_WEEKS)


def days_left(due: dt.date, today: dt.date) -> int:
    return (due - today).days
