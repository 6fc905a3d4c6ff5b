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


# --- Grants ending within 60 days on the caseworker's worklist -----------------------------------


def test_worklist_lists_the_caseworkers_grants_ending_within_60_days(client, org, cw, users, django_assert_max_num_queries):
    from django.urls import reverse
    from django.utils import timezone

    from tests.factories import PASSWORD

    today = timezone.localdate()
    soon = _grant(org, cw, start=today - dt.timedelta(days=100), end=today + dt.timedelta(days=59))
    later = _grant(org, cw, start=today - dt.timedelta(days=100), end=today + dt.timedelta(days=61))
    other = make_citizen(org, caseworker=users["other_caseworker"]) if "other_caseworker" in users else None
    assert client.login(username=cw.username, password=PASSWORD)
    body = client.get(reverse("worklist")).content.decode()
    section = body[body.index('id="grants-ending"') : body.index('id="order-answers"')]
    assert soon.case.case_number in section and "59" in section
    assert later.case.case_number not in section
    if other is not None:
        assert other.full_name not in section
    for _ in range(3):
        _grant(org, cw, start=today - dt.timedelta(days=100), end=today + dt.timedelta(days=30))
    with django_assert_max_num_queries(40) as ctx:
        client.get(reverse("worklist"))
    first = len(ctx.captured_queries)
    for _ in range(3):
        _grant(org, cw, start=today - dt.timedelta(days=100), end=today + dt.timedelta(days=30))
    with django_assert_max_num_queries(first):
        client.get(reverse("worklist"))
