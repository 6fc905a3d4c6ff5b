"""Follow-up dates (DOMAIN.md §3.7): first follow-up ≤ 3 months after a new or changed
grant starts, then at least yearly; month arithmetic clamps to the month's last day."""

import dataclasses
import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from samplan.cases import dates, services
from samplan.cases.models import Case, FollowUp, Grant
from tests.factories import grant_spec, make_citizen, walk_case

D = dt.date


# --- month arithmetic (relativedelta): the same day, clamped to the month's last day ------------


@pytest.mark.parametrize(
    "start, due",
    [
        (D(2026, 11, 30), D(2027, 2, 28)),  # 30 February does not exist: February's last day
        (D(2027, 11, 30), D(2028, 2, 29)),  # leap year
        (D(2026, 11, 29), D(2027, 2, 28)),
        (D(2026, 3, 31), D(2026, 6, 30)),
        (D(2026, 5, 31), D(2026, 8, 31)),  # 31 kept where the month has it
        (D(2026, 10, 31), D(2027, 1, 31)),  # year rollover
        (D(2026, 12, 31), D(2027, 3, 31)),
        (D(2026, 1, 15), D(2026, 4, 15)),  # no clamping needed
        (D(2028, 2, 29), D(2028, 5, 29)),  # the start's day, not the end of May
    ],
)
def test_first_follow_up_is_start_plus_three_months_clamped_to_the_month_end(start, due):
    assert dates.first_follow_up_due(start) == due


@pytest.mark.parametrize(
    "previous, due",
    [
        (D(2028, 2, 29), D(2029, 2, 28)),  # leap day + 1 year
        (D(2027, 2, 28), D(2028, 2, 28)),  # not moved to the leap day
        (D(2027, 3, 1), D(2028, 3, 1)),  # a calendar year, not 365 days
        (D(2026, 12, 31), D(2027, 12, 31)),
    ],
)
def test_next_follow_up_is_a_calendar_year_later(previous, due):
    assert dates.next_follow_up_due(previous) == due


def test_first_follow_up_of_every_start_in_two_years_falls_in_the_third_month_after():
    for n in range(730):
        start = D(2027, 1, 1) + dt.timedelta(days=n)
        due = dates.first_follow_up_due(start)
        months = (due.year - start.year) * 12 + due.month - start.month
        assert months == 3 and due.day <= start.day
        assert due.day == start.day or (due + dt.timedelta(days=1)).day == 1  # clamped only to a month's last day


def test_appeal_deadline_and_days_left():
    assert dates.appeal_deadline(D(2026, 2, 20)) == D(2026, 3, 20)
    assert dates.days_left(D(2026, 3, 20), D(2026, 3, 1)) == 19
    assert dates.days_left(D(2026, 3, 1), D(2026, 3, 20)) == -19


# --- follow-ups planned by the services ---------------------------------------------------------


@pytest.fixture
def cw(users):
    return users["caseworker"]


@pytest.fixture
def walk(org, cw):
    def _walk(until="grant", **kw):
        # Grants start in the past so follow-ups can be registered on earlier dates.
        kw.setdefault("start", D(2023, 1, 1))
        return walk_case(cw, make_citizen(org, caseworker=cw), org, until=until, **kw)

    return _walk


def _planned(grant):
    return list(FollowUp.objects.filter(grant=grant, status=FollowUp.Status.PLANNED))


@pytest.mark.parametrize(
    "start, due",
    [(D(2026, 11, 30), D(2027, 2, 28)), (D(2027, 11, 30), D(2028, 2, 29)), (D(2026, 6, 15), D(2026, 9, 15))],
)
def test_grant_creation_plans_first_follow_up(walk, start, due):
    out = walk(start=start)
    [fu] = FollowUp.objects.filter(grant=out["grant"])
    assert (fu.kind, fu.status, fu.due_date) == (FollowUp.Kind.FIRST, FollowUp.Status.PLANNED, due)
    assert fu.citizen_id == out["case"].citizen_id
    assert (fu.done_at, fu.result) == (None, "")


@pytest.mark.parametrize(
    "done, due",
    [(D(2024, 2, 29), D(2025, 2, 28)), (D(2023, 3, 1), D(2024, 3, 1)), (D(2025, 12, 1), D(2026, 12, 1))],
)
def test_continue_plans_yearly_follow_up_from_done_date(walk, cw, done, due):
    out = walk()
    first = out["grant"].follow_ups.get()
    services.complete_follow_up(cw, first, result=FollowUp.Result.CONTINUE, done_at=done, note="Går godt")

    first.refresh_from_db()
    assert (first.status, first.result, first.done_at, first.note, first.done_by_id) == (
        FollowUp.Status.DONE,
        FollowUp.Result.CONTINUE,
        done,
        "Går godt",
        cw.pk,
    )
    [yearly] = _planned(out["grant"])
    assert (yearly.kind, yearly.due_date, yearly.citizen_id) == (FollowUp.Kind.YEARLY, due, out["case"].citizen_id)
    assert _fresh_grant(out).status == Grant.Status.ACTIVE


def test_yearly_follow_up_continues_the_chain(walk, cw):
    out = walk()
    today = timezone.localdate()
    services.complete_follow_up(
        cw, out["grant"].follow_ups.get(), result=FollowUp.Result.CONTINUE, done_at=today - dt.timedelta(days=400)
    )
    [yearly] = _planned(out["grant"])
    services.complete_follow_up(cw, yearly, result=FollowUp.Result.CONTINUE, done_at=today)
    [nxt] = _planned(out["grant"])
    assert nxt.pk != yearly.pk
    assert nxt.kind == FollowUp.Kind.YEARLY
    assert nxt.due_date == today + relativedelta(years=1)
    assert FollowUp.objects.filter(grant=out["grant"]).count() == 3


def _fresh_grant(out):
    return Grant.objects.get(pk=out["grant"].pk)


def test_change_grant_cancels_old_and_plans_new_first_follow_up(org, walk, cw):
    out = walk(start=D(2026, 1, 10))
    old_fu = out["grant"].follow_ups.get()
    spec = dataclasses.replace(grant_spec(org, out["condition"], start=D(2026, 11, 30)), change_reason="Mere støtte")
    v2 = services.change_grant(cw, out["grant"], spec)

    old_fu.refresh_from_db()
    assert old_fu.status == FollowUp.Status.CANCELLED
    assert _planned(out["grant"]) == []
    [new_fu] = FollowUp.objects.filter(grant=v2)
    assert (new_fu.kind, new_fu.status, new_fu.due_date) == (FollowUp.Kind.FIRST, FollowUp.Status.PLANNED, D(2027, 2, 28))


def test_change_grant_cancels_a_planned_yearly_follow_up(org, walk, cw):
    out = walk()
    services.complete_follow_up(cw, out["grant"].follow_ups.get(), result=FollowUp.Result.CONTINUE, done_at=timezone.localdate())
    [yearly] = _planned(out["grant"])
    spec = dataclasses.replace(grant_spec(org, out["condition"], start=D(2027, 11, 30)), change_reason="Ændret behov")
    v2 = services.change_grant(cw, out["grant"], spec)
    yearly.refresh_from_db()
    assert yearly.status == FollowUp.Status.CANCELLED
    [new_fu] = _planned(v2)
    assert (new_fu.kind, new_fu.due_date) == (FollowUp.Kind.FIRST, D(2028, 2, 29))


def test_follow_up_with_change_result_plans_first_follow_up_of_new_version(org, walk, cw):
    out = walk(start=D(2026, 1, 10))
    fu = out["grant"].follow_ups.get()
    done = timezone.localdate()
    spec = dataclasses.replace(
        grant_spec(org, out["condition"], start=D(2026, 10, 31), amount="10"), change_reason="Mindre støtte"
    )
    services.complete_follow_up(cw, fu, result=FollowUp.Result.CHANGE, done_at=done, change=spec)

    fu.refresh_from_db()
    assert (fu.status, fu.result, fu.done_at) == (FollowUp.Status.DONE, FollowUp.Result.CHANGE, done)
    assert _planned(out["grant"]) == []
    assert _fresh_grant(out).status == Grant.Status.SUPERSEDED
    v2 = Grant.objects.get(previous=out["grant"])
    [new_fu] = FollowUp.objects.filter(grant=v2)
    assert (new_fu.kind, new_fu.status, new_fu.due_date) == (FollowUp.Kind.FIRST, FollowUp.Status.PLANNED, D(2027, 1, 31))
    # No yearly follow-up is planned for the superseded version.
    assert not FollowUp.objects.filter(kind=FollowUp.Kind.YEARLY, grant__case=out["case"]).exists()


@pytest.mark.parametrize("result", [FollowUp.Result.END, FollowUp.Result.END_AND_REFER])
def test_follow_up_with_end_result_ends_grant_and_plans_nothing(walk, cw, result):
    out = walk("accepted")
    fu = out["grant"].follow_ups.get()
    done = timezone.localdate() - dt.timedelta(days=2)
    services.complete_follow_up(cw, fu, result=result, done_at=done)
    fu.refresh_from_db()
    assert (fu.status, fu.result) == (FollowUp.Status.DONE, result)
    grant = _fresh_grant(out)
    assert (grant.status, grant.ended_at) == (Grant.Status.ENDED, done)
    assert _planned(grant) == []
    assert FollowUp.objects.filter(grant__case=out["case"]).count() == 1
    assert Case.objects.get(pk=out["case"].pk).status == Case.Status.CLOSED


def test_end_grant_cancels_planned_follow_ups(walk, cw):
    out = walk()
    fu = out["grant"].follow_ups.get()
    services.end_grant(cw, out["grant"], on=timezone.localdate())
    fu.refresh_from_db()
    assert fu.status == FollowUp.Status.CANCELLED
    assert _planned(out["grant"]) == []


def test_end_after_continue_cancels_the_yearly_follow_up(walk, cw):
    out = walk()
    services.complete_follow_up(cw, out["grant"].follow_ups.get(), result=FollowUp.Result.CONTINUE, done_at=timezone.localdate())
    [yearly] = _planned(out["grant"])
    services.end_grant(cw, out["grant"], on=timezone.localdate())
    yearly.refresh_from_db()
    assert yearly.status == FollowUp.Status.CANCELLED
    # Done follow-ups keep their status.
    assert FollowUp.objects.filter(grant=out["grant"], status=FollowUp.Status.DONE).count() == 1


def test_cancelled_follow_up_cannot_be_completed(walk, cw):
    out = walk()
    fu = out["grant"].follow_ups.get()
    services.end_grant(cw, out["grant"], on=timezone.localdate())
    with pytest.raises(services.DomainError) as exc:
        services.complete_follow_up(cw, fu, result=FollowUp.Result.CONTINUE, done_at=timezone.localdate())
    assert exc.value.code == "invalid_transition"
    assert not FollowUp.objects.filter(grant=out["grant"], kind=FollowUp.Kind.YEARLY).exists()


@pytest.mark.parametrize("basis, planned", [("§82a", 0), ("§82d", 0), ("§85", 1), ("§104", 1)])
def test_82_help_is_not_followed_up(org, cw, basis, planned):
    from tests.factories import grant_spec

    out = walk_case(cw, make_citizen(org, caseworker=cw), org, until="granted")
    grant = services.create_grant(cw, out["decision"], grant_spec(org, out["condition"], legal_basis=basis))
    assert grant.follow_ups.count() == planned
