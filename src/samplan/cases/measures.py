"""Effect measurement at follow-ups (issue 13 point 4): what the follow-up form shows beside
the goals (the provider's latest status note, each goal's last measured level) and the
citizen overview's functioning level per goal over time.

The provider's status notes live in ``plans``, which sits above the spine, so plans
registers a source here in its ``AppConfig.ready`` (``register_status_source``) instead of
the spine importing it. A goal is "the same goal" across grant versions when it has the
same goal type and addresses the same condition (a changed grant copies its goals)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from samplan.core import policy
from samplan.questionnaires.chart import legend, line_chart

from .models import FollowUp, GoalMeasurement, InterventionGoal

LEVEL_MIN, LEVEL_MAX = 0, 4


@dataclass(frozen=True)
class MeasurementSpec:
    """One goal's measurement at a follow-up, as the form or the API gives it."""

    goal_id: int
    level: int
    attainment: str


@dataclass(frozen=True)
class ProviderStatus:
    """The provider's latest status note on the grant, in the spine's own terms."""

    text: str
    at: dt.datetime
    provider: str
    written_with_citizen: bool


StatusSource = Callable[[FollowUp], "ProviderStatus | None"]
_status_sources: list[StatusSource] = []


def register_status_source(source: StatusSource) -> StatusSource:
    if source not in _status_sources:  # ready() may run more than once (e.g. in tests)
        _status_sources.append(source)
    return source


def latest_provider_status(follow_up: FollowUp) -> ProviderStatus | None:
    found = [s for s in (source(follow_up) for source in _status_sources) if s is not None]
    return max(found, key=lambda s: s.at) if found else None


def goal_key(goal: InterventionGoal) -> tuple[int, int]:
    return (goal.condition_id, goal.goal_type_id)


@dataclass
class GoalRow:
    """A goal on the follow-up form with the level last measured for it."""

    goal: InterventionGoal
    last_level: int | None
    last_source: str  # "udredning" or "opfølgning"
    last_on: dt.date | None


def _assessed_on(goal: InterventionGoal) -> dt.date | None:
    completed = goal.condition.assessment.completed_at
    return timezone.localtime(completed).date() if completed else None


def goal_rows(follow_up: FollowUp) -> list[GoalRow]:
    """The follow-up's goals with their last measured level: the latest earlier follow-up's
    measurement of the same goal, else the assessment's level. Two queries."""
    goals = list(follow_up.grant.goals.select_related("goal_type", "condition__theme", "condition__assessment").order_by("id"))
    latest: dict[tuple[int, int], GoalMeasurement] = {}
    earlier = (
        GoalMeasurement.objects.filter(
            goal__condition_id__in={g.condition_id for g in goals}, follow_up__citizen_id=follow_up.citizen_id
        )
        .exclude(follow_up=follow_up)
        .select_related("goal")
        .order_by("measured_at", "id")
    )
    for m in earlier:
        latest[goal_key(m.goal)] = m  # oldest first: the last one wins
    rows = []
    for g in goals:
        last = latest.get(goal_key(g))
        if last is not None:
            rows.append(GoalRow(g, last.level, "opfølgning", last.measured_at))
        else:
            rows.append(GoalRow(g, g.condition.functioning_level, "udredning", _assessed_on(g)))
    return rows


def goal_label(goal: InterventionGoal) -> str:
    return f"{goal.goal_type.display}: {goal.condition.theme.display}"


@dataclass
class GoalSeries:
    key: str
    label: str
    target_level: int
    # (date, 0 = assessment / 1 = follow-up) -> (level, what): an assessment and a follow-up
    # on one day are two columns, the assessment first.
    points: dict[tuple[dt.date, int], tuple[int, str]] = field(default_factory=dict)


@dataclass
class GoalTrend:
    dates: list[tuple[dt.date, int]]
    series: list[GoalSeries]
    chart: SafeString

    def rows(self) -> list[tuple[GoalSeries, list[tuple[int, str] | None]]]:
        return [(s, [s.points.get(d) for d in self.dates]) for s in self.series]


def _moment(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def goal_trend(user, grants: Iterable, *, include_assessment: bool) -> GoalTrend:
    """Functioning level per goal over time for the overview: the assessment's level (when
    the user knows the case) and each follow-up's measurement. ``grants`` must have their
    goals prefetched with goal type, condition, its theme and assessment (the overview does);
    then this costs one query, however many follow-ups and goals."""
    grants = list(grants)
    series: dict[tuple[int, int], GoalSeries] = {}
    for grant in sorted(grants, key=lambda g: (g.version, g.pk)):
        for goal in grant.goals.all():
            s = series.setdefault(goal_key(goal), GoalSeries(f"goal-{goal.pk}", goal_label(goal), goal.target_level))
            s.target_level = goal.target_level  # the newest version's target
            assessed = _assessed_on(goal)
            if include_assessment and assessed and goal.condition.functioning_level is not None:
                s.points.setdefault((assessed, 0), (goal.condition.functioning_level, "Udredning"))
    measurements = policy.visible(
        user,
        GoalMeasurement.objects.filter(goal__grant__in=[g.pk for g in grants]).select_related("goal"),
        "follow_up__citizen",
    ).order_by("measured_at", "id")
    for m in measurements:
        measured = series.get(goal_key(m.goal))
        if measured is not None:
            measured.points[(m.measured_at, 1)] = (m.level, m.get_attainment_display())
    shown = [s for s in series.values() if s.points]
    dates = sorted({d for s in shown for d in s.points})
    chart = _chart(shown)
    return GoalTrend(dates=dates, series=shown, chart=chart)


def _chart(series: list[GoalSeries]) -> SafeString:
    if not series:
        return mark_safe("")
    n = len({d for s in series for d, _seq in s.points})
    svg = line_chart(
        [(s.key, s.label, [(_moment(d), v[0]) for (d, _seq), v in sorted(s.points.items())]) for s in series],
        y_min=LEVEL_MIN,
        y_max=LEVEL_MAX,
        title="Funktionsevneniveau pr. indsatsmål over tid",
        description=f"Linjediagram over {len(series)} indsatsmål på {n} datoer, 0 = intet problem og 4 = fuldstændigt "
        "problem (lavere er bedre). De samme tal står i tabellen under diagrammet.",
        chart_id="goal-chart",
    )
    return mark_safe(svg + legend([s.label for s in series]))  # noqa: S308 — both parts escape their text
