"""The recovery school's course evaluation (DOMAIN.md §9; seed 004 L8816–9108): the
questionnaire as data, sending the personal links after a course, and saving an answer.

Answers are anonymous: an ``EvaluationResponse`` holds the course and the answers only, never
the enrolment; the invite only records *that* (and on which day) it was used, so one link
gives one answer. Free-text answers are never logged.

Item keys are stable. A change to the questions is a new ``VERSION`` with new keys for
changed items; every answer stores the version it was given under."""

import datetime as dt
from dataclasses import dataclass
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import Course, Enrolment, EvaluationInvite, EvaluationResponse, ParticipantRole, Partner

VERSION = 1
MAX_TEXT = 2000

# Kinds of item.
COURSE = "course"  # which course: filled in from the invite, not asked
MULTI = "multi"  # several choices (checkboxes)
CHOICE = "choice"  # one choice (radio buttons)
YES_NO = "yes_no"
TEXT = "text"  # free text (never shown with identity, never logged)
SCALE = "scale"  # the five-point outcome scale

OTHER = "other"  # the home municipality is not one of the partners
YES_NO_CHOICES = (("yes", "Ja"), ("no", "Nej"))
SCALE_CHOICES = (
    ("very_low", "I meget lav grad"),
    ("low", "I lav grad"),
    ("some", "I nogen grad"),
    ("high", "I høj grad"),
    ("very_high", "I meget høj grad"),
)


@dataclass(frozen=True)
class Item:
    key: str
    kind: str
    text: str
    required: bool = True
    hint: str = ""
    choices: tuple = ()
    # Asked only when another item has this answer, fx "Hvis ja – hvilke?".
    only_if: tuple[str, str] | None = None
    # Items sharing a group are shown under one heading (the three outcome items).
    group: str = ""


OUTCOME_GROUP = "Hvad har du fået ud af kurset?"

ITEMS_V1 = (
    Item("course", COURSE, "Hvilket kursus har du deltaget på?", required=False),
    Item("roles", MULTI, "Jeg deltager som", hint="Du kan vælge flere.", choices=tuple(ParticipantRole.choices)),
    Item("home", CHOICE, "Hvad er din bopælskommune?"),  # choices: the school's partners + "Anden"
    Item("other_offers", YES_NO, "Deltager du i andre tilbud i din bopælskommune?", choices=YES_NO_CHOICES),
    Item(
        "other_offers_which",
        TEXT,
        "Hvis ja – hvilke?",
        required=False,
        only_if=("other_offers", "yes"),
        hint="Svar kun, hvis du svarede ja. Fx et værested, en samtalegruppe eller en gå-gruppe.",
    ),
    Item("rhp_treatment", YES_NO, "Modtager du behandling i Region Hovedstadens Psykiatri?", choices=YES_NO_CHOICES),
    Item("motivation", TEXT, "Hvad motiverede dig til at deltage?", required=False),
    Item("heard_of", TEXT, "Hvordan fik du kendskab til kurset?", required=False),
    Item("outcome_interaction", SCALE, "Samspillet med andre kursister", choices=SCALE_CHOICES, group=OUTCOME_GROUP),
    Item("outcome_understanding", SCALE, "Forståelse og færdigheder", choices=SCALE_CHOICES, group=OUTCOME_GROUP),
    Item("outcome_change", SCALE, "Forandringer i mit liv", choices=SCALE_CHOICES, group=OUTCOME_GROUP),
)
ITEMS = {1: ITEMS_V1}


def home_choices(partners) -> tuple:
    return tuple((str(p.pk), p.name) for p in partners) + ((OTHER, "Anden kommune"),)


def items_for(course: Course, version: int = VERSION) -> list[Item]:
    """The questionnaire for one course, with the school's partners as home municipalities."""
    partners = Partner.objects.filter(school_id=course.term.school_id)
    return [_resolve(item, partners) for item in ITEMS[version]]


def _resolve(item: Item, partners) -> Item:
    if item.key == "home":
        return Item(**{**item.__dict__, "choices": home_choices(partners)})
    return item


def validate_answers(items: list[Item], data: dict) -> dict:
    """Check the submitted ``data`` {key: str or list} against the items. Returns the
    cleaned answers; raises ValidationError {item key: [Danish message]}."""
    errors, cleaned = {}, {}
    for item in items:
        if item.kind == COURSE:
            continue
        raw = data.get(item.key)
        valid = {value for value, _ in item.choices}
        if item.kind == MULTI:
            values = [v for v in dict.fromkeys(raw or []) if v]
            if any(v not in valid for v in values):
                errors[item.key] = [f"Vælg blandt mulighederne ved »{item.text}«."]
            elif item.required and not values:
                errors[item.key] = [f"Vælg mindst én af mulighederne ved »{item.text}«."]
            else:
                cleaned[item.key] = values
        elif item.kind in (CHOICE, YES_NO, SCALE):
            value = (raw or "").strip() if isinstance(raw, str) else ""
            if value and value not in valid:
                errors[item.key] = [f"Vælg et af svarene ved »{item.text}«."]
            elif item.required and not value:
                errors[item.key] = [f"Vælg et svar ved »{item.text}«."]
            elif value:
                cleaned[item.key] = value
        elif item.kind == TEXT:
            value = (raw or "").strip() if isinstance(raw, str) else ""
            if len(value) > MAX_TEXT:
                errors[item.key] = [f"Svaret ved »{item.text}« må højst være {MAX_TEXT} tegn."]
            elif value:
                cleaned[item.key] = value
    # A follow-up question only counts when its condition holds (fx "Hvis ja – hvilke?").
    for item in items:
        if item.only_if and item.key in cleaned and cleaned.get(item.only_if[0]) != item.only_if[1]:
            del cleaned[item.key]
    if errors:
        raise ValidationError(errors)
    return cleaned


# --- Sending the links -------------------------------------------------------------------


def course_ended(course: Course, now: dt.datetime | None = None) -> bool:
    """True when the course's last session is over."""
    now = timezone.localtime(now or timezone.now())
    last = course.sessions.order_by("-date", "-ends").first()
    if last is None:
        return False
    return dt.datetime.combine(last.date, last.ends, tzinfo=now.tzinfo) <= now


def send_evaluations(course: Course, *, now: dt.datetime | None = None) -> int:
    """After the last session: one personal link per participant with a place, sent once
    (``course.evaluation_sent_at``). Returns how many links were sent."""
    from . import tasks

    now = now or timezone.now()
    with transaction.atomic():
        course = Course.objects.select_for_update().get(pk=course.pk)
        if course.status == Course.Status.CANCELLED:
            raise ValidationError("Kurset er aflyst, så der sendes ingen evaluering.")
        if course.evaluation_sent_at is not None:
            return 0
        if not course_ended(course, now):
            raise ValidationError("Evalueringen sendes først, når sidste kursusgang er holdt.")
        enrolments = course.enrolments.filter(status=Enrolment.Status.CONFIRMED, evaluation_invite__isnull=True)
        invites = [EvaluationInvite.objects.create(enrolment=e) for e in enrolments]
        course.evaluation_sent_at = now
        course.save(update_fields=["evaluation_sent_at"])
        for invite in invites:
            transaction.on_commit(partial(tasks.send_evaluation_invite.enqueue, invite.pk))
    return len(invites)


def courses_due(now: dt.datetime | None = None) -> list[Course]:
    """Held courses whose last session is over and whose evaluation is not sent yet."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    candidates = (
        Course.objects.filter(status=Course.Status.PLANNED, evaluation_sent_at__isnull=True, sessions__date__lte=today)
        .distinct()
        .order_by("pk")
    )
    return [c for c in candidates if course_ended(c, now)]


def send_due_evaluations(now: dt.datetime | None = None) -> dict[Course, int]:
    """Run daily (command ``send_course_evaluations``); safe to run again."""
    sent = {}
    for course in courses_due(now):
        sent[course] = send_evaluations(course, now=now)
    return sent


# --- Answering ---------------------------------------------------------------------------


class AlreadyAnswered(Exception):
    pass


def invite_for(token) -> EvaluationInvite | None:
    return EvaluationInvite.objects.select_related("enrolment__course__term__school").filter(token=token).first()


def submit(invite: EvaluationInvite, data: dict, *, now: dt.datetime | None = None) -> EvaluationResponse:
    """Save one anonymous answer for the invite's course. The invite is marked as used with
    the day only (not the time), so the answer cannot be matched to a person by its time."""
    course = invite.enrolment.course
    answers = validate_answers(items_for(course), data)
    answers = {"version": VERSION, "course": f"{course.number}. {course.title}", **answers}
    now = timezone.localtime(now or timezone.now())
    with transaction.atomic():
        locked = EvaluationInvite.objects.select_for_update().get(pk=invite.pk)
        if locked.answered_at is not None:
            raise AlreadyAnswered()
        locked.answered_at = now.replace(hour=0, minute=0, second=0, microsecond=0)
        locked.save(update_fields=["answered_at"])
        return EvaluationResponse.objects.create(course=course, answers=answers)
