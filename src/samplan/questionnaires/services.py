"""Questionnaire rules: which version is current, validating answers, saving a response
(audited), and the citizen's trend over time."""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from samplan.core import audit
from samplan.core.models import AuditEvent

from .builtin import CHIME_KEY
from .models import Answer, InstrumentVersion, Item, Response

MAX_COMMENT = 2000


def current_version(key: str = CHIME_KEY, on: dt.date | None = None) -> InstrumentVersion | None:
    """The newest version of the instrument published on or before ``on`` (today)."""
    on = on or timezone.localdate()
    return (
        InstrumentVersion.objects.filter(instrument__key=key, published_on__lte=on)
        .select_related("instrument")
        .order_by("-version")
        .first()
    )


def items_of(version: InstrumentVersion) -> list[Item]:
    return list(version.items.select_related("scale").order_by("order", "id"))


def validate_answers(items: list[Item], answers: dict) -> dict:
    """Check ``answers`` {item key: (value, comment)} against the items. Every item must
    have a whole number within its scale; comments are optional. Returns the cleaned
    answers {key: (int, str)}; raises ValidationError {item key: [message]} otherwise."""
    errors, cleaned = {}, {}
    for item in items:
        value, comment = answers.get(item.key, (None, ""))
        comment = (comment or "").strip()
        if value in (None, ""):
            errors[item.key] = [f"Vælg et tal fra {item.scale.min} til {item.scale.max} ved »{item.label}«."]
            continue
        try:
            number = int(value)
            if str(number) != str(value).strip():
                raise ValueError
        except (TypeError, ValueError):
            errors[item.key] = [f"Svaret ved »{item.label}« skal være et helt tal fra {item.scale.min} til {item.scale.max}."]
            continue
        if not item.scale.min <= number <= item.scale.max:
            errors[item.key] = [f"Svaret ved »{item.label}« skal ligge mellem {item.scale.min} og {item.scale.max}."]
            continue
        if comment and not item.allow_comment:
            errors[item.key] = [f"Der kan ikke skrives en kommentar ved »{item.label}«."]
            continue
        if len(comment) > MAX_COMMENT:
            errors[item.key] = [f"Kommentaren ved »{item.label}« må højst være {MAX_COMMENT} tegn."]
            continue
        cleaned[item.key] = (number, comment)
    unknown = sorted(set(answers) - {i.key for i in items})
    if unknown:
        errors["__all__"] = [f"Ukendte spørgsmål: {', '.join(unknown)}."]
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def submit_response(
    user,
    citizen,
    version: InstrumentVersion,
    answers: dict,
    *,
    channel: str,
    with_staff: bool = False,
    answered_at: dt.datetime | None = None,
) -> Response:
    """Save a new response with one answer per item (validated) and audit it. Responses
    are never changed afterwards. ``answered_at`` defaults to now and may not lie ahead."""
    if channel not in Response.Channel.values:
        raise ValidationError("Ukendt kanal for besvarelsen.")
    now = timezone.now()
    answered_at = answered_at or now
    if answered_at > now + dt.timedelta(minutes=1):
        raise ValidationError("Tidspunktet for besvarelsen kan ikke ligge i fremtiden.")
    items = items_of(version)
    if not items:
        raise ValidationError("Spørgeskemaet har ingen spørgsmål.")
    cleaned = validate_answers(items, answers)
    response = Response.objects.create(
        citizen=citizen,
        version=version,
        answered_at=answered_at,
        answered_by=user,
        with_staff=with_staff,
        channel=channel,
    )
    Answer.objects.bulk_create(
        [Answer(response=response, item=item, value=cleaned[item.key][0], comment=cleaned[item.key][1]) for item in items]
    )
    audit.record(
        user,
        AuditEvent.Action.CREATE,
        response,
        citizen=citizen,
        after={
            "instrument": version.instrument.key,
            "version": version.version,
            "channel": channel,
            "with_staff": with_staff,
            "answered_at": answered_at.isoformat(),
            "values": {k: v for k, (v, _c) in cleaned.items()},
        },
    )
    return response


# --- the trend ----------------------------------------------------------------------------------


@dataclass
class Trend:
    """A citizen's responses to one instrument, oldest first, with one series per item."""

    items: list  # Item, in order (the newest version's items)
    responses: list  # Response, oldest first, with answers prefetched
    scale_min: int = 1
    scale_max: int = 10
    series: dict = field(default_factory=dict)  # item key -> [(answered_at, value), …]

    @property
    def latest(self):
        return self.responses[-1] if self.responses else None

    def rows(self):
        """Table rows: (response, [answer or None per item]) newest first."""
        out = []
        for r in reversed(self.responses):
            by_key = {a.item.key: a for a in r.answers.all()}
            out.append((r, [by_key.get(i.key) for i in self.items]))
        return out


def responses_for(citizen, key: str = CHIME_KEY):
    """The citizen's responses to an instrument (any version), oldest first, in two queries."""
    return (
        Response.objects.filter(citizen=citizen, version__instrument__key=key)
        .select_related("version", "answered_by")
        .prefetch_related(Prefetch("answers", queryset=Answer.objects.select_related("item").order_by("item__order")))
        .order_by("answered_at", "id")
    )


def trend(citizen, key: str = CHIME_KEY, version: InstrumentVersion | None = None) -> Trend:
    """Series per item key across versions (items are matched by key). Constant queries."""
    version = version or current_version(key)
    items = items_of(version) if version else []
    responses = list(responses_for(citizen, key))
    scale = items[0].scale if items else None
    result = Trend(items=items, responses=responses, scale_min=scale.min if scale else 1, scale_max=scale.max if scale else 10)
    for item in items:
        result.series[item.key] = []
    for r in responses:
        for a in r.answers.all():
            if a.item.key in result.series:
                result.series[a.item.key].append((r.answered_at, a.value))
    return result


# --- functioning levels over time ---------------------------------------------------------------


@dataclass
class LevelTable:
    """FFB Aktivitet og deltagelse levels per completed assessment: columns are the
    assessments (oldest first), rows the themes with a level in any of them."""

    columns: list  # (completed_at, assessment)
    rows: list  # (theme display, [level display or "" per column])


def functioning_levels(cases) -> LevelTable:
    """Built from cases whose assessments and conditions (with theme) are prefetched:
    no queries of its own."""
    assessments = sorted(
        (a for c in cases for a in c.assessments.all() if a.completed_at),
        key=lambda a: (a.completed_at, a.pk),
    )
    themes, cells = {}, {}
    for col, a in enumerate(assessments):
        for cond in a.conditions.all():
            if cond.functioning_level is None:
                continue
            themes.setdefault(cond.theme_id, (cond.theme.sort_key, cond.theme.display))
            cells[(cond.theme_id, col)] = cond.functioning_level
    used = [a for col, a in enumerate(assessments) if any((t, col) in cells for t in themes)]
    index = {id(a): assessments.index(a) for a in used}
    rows = []
    for theme_id, (_sort, display) in sorted(themes.items(), key=lambda kv: kv[1]):
        rows.append((display, [cells.get((theme_id, index[id(a)]), None) for a in used]))
    return LevelTable(columns=[(a.completed_at, a) for a in used], rows=rows)
