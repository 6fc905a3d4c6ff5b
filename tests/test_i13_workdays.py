"""Working days with Danish public holidays (the holidays library) and the closed days."""

import datetime as dt

import pytest

from samplan.core.workdays import add_working_days, is_working_day

D = dt.date


def test_easter_2027_skips_maundy_thursday_to_easter_monday():
    # Wed 24 March 2027 + 1: Thu 25 (skærtorsdag), Fri 26 (langfredag), weekend, Mon 29 (2. påskedag) closed.
    assert add_working_days(D(2027, 3, 24), 1) == D(2027, 3, 30)
    assert add_working_days(D(2027, 3, 22), 7) == D(2027, 4, 5)


def test_christmas_2026_and_new_year():
    # Wed 23 Dec 2026: 24 (closed), 25, 26 (holidays), 27 Sunday, then 28, 29, 30; 31 closed, 1 Jan holiday.
    assert add_working_days(D(2026, 12, 23), 1) == D(2026, 12, 28)
    assert add_working_days(D(2026, 12, 23), 3) == D(2026, 12, 30)
    # Across New Year: 31 Dec and 1 Jan closed, 2-3 Jan weekend -> Mon 4 Jan 2027.
    assert add_working_days(D(2026, 12, 23), 4) == D(2027, 1, 4)
    assert add_working_days(D(2026, 12, 23), 7) == D(2027, 1, 7)


def test_store_bededag_is_a_working_day_from_2024():
    assert is_working_day(D(2024, 4, 26))  # would have been Store Bededag
    assert not is_working_day(D(2023, 5, 5))  # the last Store Bededag


def test_grundlovsdag_closed_by_default_and_configurable(settings):
    assert not is_working_day(D(2026, 6, 5))
    settings.SAMPLAN_CLOSED_DAYS = ""
    assert is_working_day(D(2026, 6, 5))
    assert add_working_days(D(2026, 12, 23), 1) == D(2026, 12, 24)


def test_weekend_and_zero():
    assert add_working_days(D(2026, 12, 4), 1) == D(2026, 12, 7)  # Friday -> Monday
    assert add_working_days(D(2026, 12, 5), 0) == D(2026, 12, 5)
    with pytest.raises(ValueError):
        add_working_days(D(2026, 12, 5), -1)
