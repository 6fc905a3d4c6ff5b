"""Date rules of the case spine, in one place (built on ``core.dates.add_months``)."""

import datetime as dt

from samplan.core.dates import add_months

FIRST_FOLLOW_UP_MONTHS = 3  # new or changed grant (004:L5113)
NEXT_FOLLOW_UP_MONTHS = 12  # afterwards at least once a year (004:L5119)
APPEAL_WEEKS = 4  # appeal deadline to Ankestyrelsen


def first_follow_up_due(start: dt.date) -> dt.date:
    return add_months(start, FIRST_FOLLOW_UP_MONTHS)


def next_follow_up_due(previous: dt.date) -> dt.date:
    return add_months(previous, NEXT_FOLLOW_UP_MONTHS)


def appeal_deadline(decided: dt.date) -> dt.date:
    return decided + dt.timedelta(weeks=APPEAL_WEEKS)


def days_left(due: dt.date, today: dt.date) -> int:
    return (due - today).days
