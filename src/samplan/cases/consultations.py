"""Partshøring (forvaltningsloven § 19): before a refusal or a partial grant the citizen sees
the facts the decision will rest on and gets a deadline to answer.

``start_consultation`` records the facts and the deadline (letters makes the letter draft
beside it, one layer up); ``mark_sent`` is called when that letter is delivered; the citizen
answers on Min side (``answer_on_min_side``) or the caseworker registers an answer that
came by letter (``register_letter_answer``, which writes a journal note of kind brev).
``check_decision`` is the rule ``make_decision`` applies."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from samplan.core import audit
from samplan.core.errors import DomainError
from samplan.core.models import AuditEvent
from samplan.journal import services as journal
from samplan.journal.models import JournalNote

from . import notices
from .models import Case, Consultation, ConsultationAnswer, Decision

Action = AuditEvent.Action
DEFAULT_RESPONSE_DAYS = 14

DEADLINE_PAST = "Svarfristen kan ikke ligge i fortiden."
FACTS_REQUIRED = "Skriv de oplysninger, afgørelsen vil bygge på."
ANSWER_REQUIRED = "Skriv dit svar."
NOT_SENT = "Partshøringen er ikke sendt endnu."
CASE_DECIDED = "Der er allerede truffet afgørelse på sagen."
NEEDS_CONSULTATION = (
    "Et afslag eller en delvis bevilling kræver partshøring (forvaltningsloven § 19): vælg en sendt "
    "partshøring, eller skriv, hvorfor partshøring ikke er nødvendig."
)
CONSULTATION_OPEN = (
    "Borgerens svarfrist i partshøringen er ikke udløbet, og borgeren har ikke svaret. Vent på svaret "
    "eller fristen, før du træffer afgørelse."
)
CONSULTATION_NOT_SENT = "Den valgte partshøring er ikke sendt til borgeren endnu."
CONSULTATION_OTHER_CASE = "Den valgte partshøring hører ikke til sagen."

# Forvaltningsloven § 19, stk. 2: when a consultation is not needed (the form's choices).
NOT_NEEDED_REASONS: list[tuple[str, str]] = [
    ("known", "Borgeren kender oplysningerne og har haft lejlighed til at udtale sig (stk. 2, nr. 1)"),
    ("special_rules", "Lovgivningen har særlige regler om, hvordan borgeren høres (stk. 2, nr. 2)"),
    ("urgent", "Afgørelsen kan ikke vente på partshøring uden væsentlig skade eller overskredet frist (stk. 2, nr. 3–4)"),
    ("interests", "Hensynet til andre offentlige eller private interesser taler imod (stk. 2, nr. 5)"),
    ("other", "Anden grund (skriv den)"),
]


def default_deadline(today: dt.date | None = None) -> dt.date:
    return (today or timezone.localdate()) + dt.timedelta(days=DEFAULT_RESPONSE_DAYS)


def needs_consultation(outcome: str, partial: bool) -> bool:
    """A refusal and a partial grant go against what the citizen asked for (§ 19, stk. 1)."""
    return outcome == Decision.Outcome.REFUSED or (outcome == Decision.Outcome.GRANTED and partial)


def is_settled(consultation: Consultation, today: dt.date | None = None) -> bool:
    """May a decision rest on it: sent, and answered or past its deadline."""
    if not consultation.is_sent:
        return False
    today = today or timezone.localdate()
    return consultation.response_deadline < today or consultation.answers.exists()


def check_decision(case: Case, *, outcome: str, partial: bool, consultation: Consultation | None, not_needed_reason: str) -> None:
    """The § 19 rule of ``make_decision``; refuses with a Danish message on the right field."""
    if consultation is not None:
        if consultation.case_id != case.pk:
            raise DomainError({"consultation": CONSULTATION_OTHER_CASE}, code="consultation_other_case")
        if not consultation.is_sent:
            raise DomainError({"consultation": CONSULTATION_NOT_SENT}, code="consultation_not_sent")
    if not needs_consultation(outcome, partial) or not_needed_reason.strip():
        return
    if consultation is None:
        raise DomainError(NEEDS_CONSULTATION, code="consultation_required")
    if not is_settled(consultation):
        raise DomainError({"consultation": CONSULTATION_OPEN}, code="consultation_open")


@transaction.atomic
def start_consultation(user, case: Case, *, facts: str, response_deadline: dt.date) -> Consultation:
    """The facts and the deadline; the letter that carries them is made by letters."""
    if hasattr(case, "decision"):
        raise DomainError(CASE_DECIDED, code="decided")
    if not facts.strip():
        raise DomainError({"facts": FACTS_REQUIRED}, code="required")
    if response_deadline < timezone.localdate():
        raise DomainError({"response_deadline": DEADLINE_PAST}, code="past")
    consultation = Consultation.objects.create(
        case=case, citizen=case.citizen, facts=facts, response_deadline=response_deadline, created_by=user
    )
    audit.record(
        user, Action.CREATE, consultation, citizen=case.citizen, after={"response_deadline": response_deadline.isoformat()}
    )
    return consultation


@transaction.atomic
def mark_sent(consultation_id: int, at: dt.datetime) -> Consultation:
    """The letter has reached the citizen: from now on the deadline runs and nothing changes."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation_id)
    if consultation.is_sent:
        return consultation
    consultation.sent_at = at
    consultation.save(update_fields=["sent_at"])
    audit.record(None, Action.TRANSITION, consultation, citizen=consultation.citizen, after={"sent": True})
    notices.consultation_sent(consultation)
    return consultation


def _answer(user, consultation: Consultation, *, text: str, channel: str, received_at: dt.datetime, note=None):
    if not consultation.is_sent:
        raise DomainError(NOT_SENT, code="not_sent")
    answer = ConsultationAnswer.objects.create(
        consultation=consultation, text=text, received_at=received_at, channel=channel, note=note, registered_by=user
    )
    audit.record(user, Action.CREATE, answer, citizen=consultation.citizen, after={"channel": channel})
    notices.consultation_answered(answer)
    return answer


@transaction.atomic
def answer_on_min_side(user, consultation: Consultation, *, text: str) -> ConsultationAnswer:
    """The citizen's own answer; a second answer is a new row."""
    if not text.strip():
        raise DomainError({"text": ANSWER_REQUIRED}, code="required")
    return _answer(user, consultation, text=text, channel=ConsultationAnswer.Channel.MIN_SIDE, received_at=timezone.now())


@transaction.atomic
def register_letter_answer(user, consultation: Consultation, *, text: str, received_on: dt.date) -> ConsultationAnswer:
    """An answer that came by letter: registered as the citizen's answer and as a journal note."""
    if not text.strip():
        raise DomainError({"text": "Skriv, hvad borgeren svarede."}, code="required")
    if received_on > timezone.localdate():
        raise DomainError({"received_on": "Datoen kan ikke ligge i fremtiden."}, code="future")
    received_at = timezone.make_aware(dt.datetime.combine(received_on, dt.time(12)))
    received_at = min(received_at, timezone.now())
    sent = date_format(timezone.localtime(consultation.sent_at), "SHORT_DATE_FORMAT") if consultation.sent_at else ""
    note = journal.create_note(
        user,
        consultation.citizen,
        kind=JournalNote.Kind.LETTER,
        occurred_at=received_at,
        subject=f"Svar på partshøring sendt {sent}".strip(),
        text=text,
        case=consultation.case,
    )
    return _answer(user, consultation, text=text, channel=ConsultationAnswer.Channel.LETTER, received_at=received_at, note=note)


@dataclass(frozen=True)
class ConsultationRow:
    """A consultation as the decision form and the case page show it."""

    consultation: Consultation
    answered_at: dt.datetime | None
    settled: bool

    @property
    def status(self) -> str:
        if not self.consultation.is_sent:
            return "Ikke sendt endnu"
        if self.answered_at is not None:
            return "Svar modtaget"
        if self.settled:
            return "Svarfristen er udløbet uden svar"
        return "Afventer svar"


def consultation_state(case: Case) -> list[ConsultationRow]:
    """The case's consultations with their answers (two queries, whatever their number)."""
    consultations = list(case.consultations.prefetch_related("answers").order_by("-created_at", "-id"))
    today = timezone.localdate()
    rows = []
    for c in consultations:
        answers = list(c.answers.all())
        answered = answers[0].received_at if answers else None
        rows.append(ConsultationRow(c, answered, c.is_sent and (bool(answers) or c.response_deadline < today)))
    return rows


def open_for_citizen(citizen) -> list[Consultation]:
    """The citizen's sent consultations whose deadline has not passed (Min side)."""
    return list(
        Consultation.objects.filter(citizen=citizen, sent_at__isnull=False, response_deadline__gte=timezone.localdate())
        .prefetch_related("answers")
        .order_by("response_deadline", "id")
    )


def decision_summary(decision: Decision | None, rows: list[ConsultationRow]) -> str:
    """ "Partshøring: sendt …, svar modtaget …" or why none was needed (the case page)."""
    if decision is None:
        return ""
    if decision.consultation_id is not None:
        row = next((r for r in rows if r.consultation.pk == decision.consultation_id), None)
        if row is None or row.consultation.sent_at is None:  # pragma: no cover — a decision rests on a sent one
            return ""
        text = f"sendt {date_format(timezone.localtime(row.consultation.sent_at), 'SHORT_DATE_FORMAT')}"
        if row.answered_at is not None:
            text += f", svar modtaget {date_format(timezone.localtime(row.answered_at), 'SHORT_DATE_FORMAT')}"
        else:
            text += f", intet svar inden fristen {date_format(row.consultation.response_deadline, 'SHORT_DATE_FORMAT')}"
        return text
    if decision.consultation_not_needed_reason:
        return f"ikke nødvendig – {decision.consultation_not_needed_reason}"
    return ""
