"""Issue 13 point 4: the next follow-up is never planned after the grant ends (the issue's
example: 04.12.2027 planned on a grant that ends 04.03.2027)."""

import dataclasses
import datetime as dt

import pytest

from samplan.cases import services
from samplan.cases.models import FollowUp, Grant
from tests.factories import grant_spec, make_citizen, walk_case

D = dt.date


@pytest.fixture
def cw(users):
    return users["caseworker"]


def _grant(org, cw, *, start, end):
    out = walk_case(cw, make_citizen(org, caseworker=cw), org, until="granted")
    spec = dataclasses.replace(grant_spec(org, out["condition"], start=start), end_date=end)
    return services.create_grant(cw, out["decision"], spec)


def test_next_follow_up_due_is_never_after_the_grant_end(org, cw):
    grant = _grant(org, cw, start=D(2026, 3, 4), end=D(2027, 3, 4))
    assert grant.standard_version is None  # no standard: the yearly rule
    assert services._next_follow_up_due(grant, D(2026, 12, 4)) == D(2027, 3, 4)  # not 04.12.2027
    assert services._next_follow_up_due(grant, D(2027, 3, 4)) is None  # the grant has ended
    grant.end_date = None
    assert services._next_follow_up_due(grant, D(2026, 12, 4)) == D(2027, 12, 4)


def test_continuing_plans_the_next_follow_up_on_the_end_date(org, cw):
    grant = _grant(org, cw, start=D(2026, 3, 4), end=D(2027, 3, 4))
    first = grant.follow_ups.get()
    assert first.due_date == D(2026, 6, 4)
    services.complete_follow_up(cw, first, result=FollowUp.Result.CONTINUE, done_at=D(2026, 12, 4))
    [nxt] = FollowUp.objects.filter(grant=grant, status=FollowUp.Status.PLANNED)
    assert nxt.due_date == D(2027, 3, 4)
    assert Grant.objects.get(pk=grant.pk).end_date == D(2027, 3, 4)


def test_a_short_grant_gets_its_first_follow_up_at_its_end(org, cw):
    grant = _grant(org, cw, start=D(2026, 10, 1), end=D(2026, 11, 15))
    assert [f.due_date for f in grant.follow_ups.all()] == [D(2026, 11, 15)]  # not 01.01.2027
