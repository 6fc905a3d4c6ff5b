"""Every change of letters and letter templates (one transaction, audited).

The flow: ``create_letter`` (a draft from the template version in force, with the merge
fields of the case frozen on it) → ``edit_letter`` (this one letter's text) →
``approve_and_send`` (the PDF is made and the letter queued; ``tasks.deliver_letter`` sends
it after commit through ``delivery``) → ``record_delivery`` (sent with a receipt, or failed
after the last attempt)."""

import json
from functools import partial
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from samplan.cases import consultations
from samplan.cases.models import Case, Consultation, Decision, Grant
from samplan.core import audit
from samplan.core.errors import DomainError
from samplan.core.locking import save_if_unchanged
from samplan.core.models import AuditEvent

from . import merge
from .models import DECISION_KINDS, GRANT_KINDS, DeliveryAttempt, Kind, Letter, LetterTemplate, LetterTemplateVersion

Action = AuditEvent.Action
DEFAULTS_FILE = Path(__file__).parent / "data" / "default_templates.json"

GRANT_PENDING = (
    "Bevillingen er ikke trådt i kraft (den afventer visitationsudvalget), så der kan ikke laves "
    "eller sendes et brev om, at borgeren får hjælpen."
)
NOT_DRAFT = "Brevet er godkendt og kan ikke længere rettes."
NOT_A_GRANT = "Sagens afgørelse er ikke en bevilling."
NOT_A_REFUSAL = "Sagens afgørelse er ikke et afslag."
NO_DECISION = "Der er ingen afgørelse på sagen endnu."


def default_texts() -> dict[str, dict[str, str]]:
    return json.loads(DEFAULTS_FILE.read_text(encoding="utf-8"))


def ensure_templates(municipality, user=None) -> list[LetterTemplate]:
    """Give the municipality every kind of template, with the shipped text as version 1
    where it has none yet (data migration, seed_demo, and the first letter of a kind)."""
    texts = default_texts()
    out = []
    for kind in Kind:
        template, _ = LetterTemplate.objects.get_or_create(municipality=municipality, kind=kind)
        if not template.versions.exists():
            text = texts[kind.value]
            LetterTemplateVersion.objects.create(
                template=template, version=1, subject=text["subject"], body=text["body"], created_by=user
            )
        out.append(template)
    return out


def template_rows(municipality) -> list[dict]:
    """Every kind with its newest version (None: the shipped text is used), for the list page."""
    current: dict[str, LetterTemplateVersion] = {}
    for version in LetterTemplateVersion.objects.filter(template__municipality=municipality).select_related("template"):
        known = current.get(version.template.kind)
        if known is None or version.version > known.version:
            current[version.template.kind] = version
    return [{"kind": kind, "version": current.get(kind.value)} for kind in Kind]


def current_text(municipality, kind: str) -> dict[str, str]:
    """The text a new letter of ``kind`` gets: the newest version, else the shipped text."""
    version = (
        LetterTemplateVersion.objects.filter(template__municipality=municipality, template__kind=kind)
        .order_by("-version")
        .first()
    )
    if version is None:
        return default_texts()[kind]
    return {"subject": version.subject, "body": version.body}


@transaction.atomic
def save_template_version(user, municipality, kind: str, *, subject: str, body: str) -> LetterTemplateVersion:
    """A new text is a new version; letters made from the old keep theirs."""
    if not subject.strip() or not body.strip():
        raise DomainError("Skriv både emne og brødtekst.", code="required")
    merge.used_fields(subject)
    merge.used_fields(body)
    ensure_templates(municipality, user)
    template = LetterTemplate.objects.select_for_update().get(municipality=municipality, kind=kind)
    current = template.current()
    version = LetterTemplateVersion.objects.create(
        template=template, version=(current.version + 1) if current else 1, subject=subject, body=body, created_by=user
    )
    audit.record(user, Action.CREATE, version, after={"kind": kind, "version": version.version})
    return version


def current_grant(case: Case) -> Grant | None:
    """The grant a decision letter is about: the case's newest version that is not replaced."""
    return case.grants.exclude(status=Grant.Status.SUPERSEDED).order_by("-version", "-id").first()


def kinds_for(case: Case) -> list[Kind]:
    """The kinds of letter that make sense for the case now (the form's choices). A
    partshøring is made from its own page (it needs the facts and a deadline)."""
    decision = getattr(case, "decision", None)
    kinds = [Kind.MEETING, Kind.ACCESS_TO_FILES]
    if decision is not None and decision.outcome == Decision.Outcome.REFUSED:
        kinds.insert(0, Kind.REFUSAL)
    if decision is not None and decision.outcome == Decision.Outcome.GRANTED:
        kinds.insert(0, Kind.PARTIAL_GRANT if decision.partial else Kind.GRANT)
        kinds.append(Kind.FOLLOW_UP)
    return kinds


def check_grant_in_force(grant: Grant | None) -> None:
    """A letter telling the citizen they get help needs a grant that has taken effect."""
    if grant is None or grant.status != Grant.Status.ACTIVE:
        raise DomainError(GRANT_PENDING, code="grant_not_in_force")


def _facts(case: Case, kind: str) -> tuple[Decision | None, Grant | None]:
    decision: Decision | None = getattr(case, "decision", None)
    grant = None
    if kind in DECISION_KINDS and decision is None:
        raise DomainError(NO_DECISION, code="no_decision")
    outcome = decision.outcome if decision is not None else None
    if kind in GRANT_KINDS:
        if outcome != Decision.Outcome.GRANTED:
            raise DomainError(NOT_A_GRANT, code="invalid_kind")
        grant = current_grant(case)
        check_grant_in_force(grant)
    elif kind == Kind.REFUSAL and outcome != Decision.Outcome.REFUSED:
        raise DomainError(NOT_A_REFUSAL, code="invalid_kind")
    elif kind == Kind.FOLLOW_UP:
        grant = current_grant(case)
    return decision, grant


@transaction.atomic
def create_letter(user, case: Case, *, kind: str, consultation: Consultation | None = None) -> Letter:
    if kind not in Kind.values:
        raise DomainError("Vælg en brevtype.", code="required")
    if consultation is not None and (kind != Kind.CONSULTATION or consultation.case_id != case.pk):
        raise DomainError("Partshøringen hører ikke til dette brev.", code="invalid_kind")
    decision, grant = _facts(case, kind)
    ensure_templates(case.municipality)
    template = LetterTemplate.objects.get(municipality=case.municipality, kind=kind)
    version = template.current()
    if version is None:  # pragma: no cover — ensure_templates gave it one
        raise DomainError("Brevtypen har ingen skabelon.", code="no_template")
    values = merge.values_for(case.citizen, case=case, decision=decision, grant=grant, consultation=consultation)
    letter = Letter.objects.create(
        municipality=case.municipality,
        citizen=case.citizen,
        case=case,
        decision=decision,
        grant=grant,
        consultation=consultation,
        kind=kind,
        template_version=version,
        fields=values,
        subject=merge.render(version.subject, values),
        body=merge.render(version.body, values),
        created_by=user,
    )
    audit.record(user, Action.CREATE, letter, citizen=case.citizen, after={"kind": kind, "template_version": version.pk})
    return letter


@transaction.atomic
def edit_letter(user, letter: Letter, *, subject: str, body: str, expected_version: int | None) -> Letter:
    """The caseworker's own wording of this one letter (the template stays as it is)."""
    if not letter.is_draft:
        raise DomainError(NOT_DRAFT, code="not_draft")
    if not subject.strip() or not body.strip():
        raise DomainError("Skriv både emne og brødtekst.", code="required")
    before = {"subject": letter.subject, "body_length": len(letter.body)}
    letter.subject, letter.body = subject, body
    save_if_unchanged(letter, expected_version, ["subject", "body"], what="brevet")
    audit.record(user, Action.UPDATE, letter, before=before, after={"subject": subject, "body_length": len(body)})
    return letter


def _enqueue(letter_id: int) -> None:
    from .tasks import deliver_letter

    deliver_letter.enqueue(letter_id)


@transaction.atomic
def approve_and_send(user, letter: Letter, *, expected_version: int | None) -> Letter:
    """Approve the text, freeze it as a tagged PDF and queue the sending."""
    from . import pdf

    letter = Letter.objects.select_for_update(of=("self",)).select_related("grant", "citizen", "case").get(pk=letter.pk)
    if not letter.is_draft:
        raise DomainError(NOT_DRAFT, code="not_draft")
    if letter.kind in GRANT_KINDS:
        # The committee may have sent the grant back since the draft was made.
        check_grant_in_force(letter.grant)
    now = timezone.now()
    letter.status = Letter.Status.QUEUED
    letter.approved_by, letter.approved_at = user, now
    letter.pdf = pdf.render_letter(letter)
    save_if_unchanged(letter, expected_version, ["status", "approved_by", "approved_at", "pdf"], what="brevet")
    audit.record(user, Action.TRANSITION, letter, before={"status": "draft"}, after={"status": letter.status})
    transaction.on_commit(partial(_enqueue, letter.pk))
    return letter


def max_attempts() -> int:
    return int(getattr(settings, "SAMPLAN_LETTER_ATTEMPTS", 3))


@transaction.atomic
def record_delivery(letter_id: int, *, backend: str, receipt: dict | None, error: str = "") -> Letter:
    """One delivery attempt's outcome: sent with the receipt, or — after the last attempt —
    failed, which puts the letter on the caseworker's worklist."""
    letter = Letter.objects.select_for_update().get(pk=letter_id)
    if letter.status not in (Letter.Status.QUEUED, Letter.Status.FAILED):
        return letter
    letter.attempts += 1
    DeliveryAttempt.objects.create(
        letter=letter, number=letter.attempts, backend=backend, succeeded=receipt is not None, detail=error[:300]
    )
    before = {"status": letter.status}
    letter.backend = backend
    if receipt is not None:
        letter.status, letter.sent_at, letter.receipt, letter.failure = Letter.Status.SENT, timezone.now(), receipt, ""
    elif letter.attempts >= max_attempts():
        letter.status, letter.failure = Letter.Status.FAILED, error[:300]
    save_if_unchanged(letter, None, ["attempts", "backend", "status", "sent_at", "receipt", "failure"])
    if letter.status == Letter.Status.SENT and letter.consultation_id is not None and letter.sent_at is not None:
        # The citizen has the facts now: the consultation is sent and its deadline runs.
        consultations.mark_sent(letter.consultation_id, letter.sent_at)
    if letter.status != before["status"]:
        audit.record(None, Action.TRANSITION, letter, citizen=letter.citizen, before=before, after={"status": letter.status})
        if letter.status == Letter.Status.FAILED:
            _notify_failed(letter)
    return letter


def _notify_failed(letter: Letter) -> None:
    """A letter that could not be delivered: its writer and the citizen's caseworker are told."""
    from django.urls import reverse

    from samplan.inbox import services as inbox
    from samplan.inbox.models import Notification

    citizen = letter.citizen
    inbox.notify_many(
        [letter.created_by_id, citizen.caseworker_id],
        kind=Notification.Kind.LETTER_FAILED,
        text=f"Et brev til {citizen.full_name} kunne ikke sendes.",
        url=reverse("letter-detail", args=[letter.pk]),
        citizen=citizen,
        key=f"letter_failed:{letter.pk}:{letter.attempts}",
    )


@transaction.atomic
def retry(user, letter: Letter) -> Letter:
    """Send a failed letter again (a new round of attempts)."""
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    if letter.status != Letter.Status.FAILED:
        raise DomainError("Kun et brev, der ikke kunne sendes, kan sendes igen.", code="not_failed")
    letter.status, letter.attempts = Letter.Status.QUEUED, 0
    save_if_unchanged(letter, None, ["status", "attempts"])
    audit.record(user, Action.TRANSITION, letter, before={"status": "failed"}, after={"status": letter.status})
    transaction.on_commit(partial(_enqueue, letter.pk))
    return letter


def failed_letters_section(user, citizens) -> dict:
    """The caseworker's worklist: letters of their citizens that could not be delivered."""
    letters = list(
        Letter.objects.filter(citizen__in=citizens, status=Letter.Status.FAILED).select_related("citizen").order_by("-id")
    )
    return {"template": "letters/_worklist_failed.html", "failed_letters": letters}


@transaction.atomic
def start_consultation(user, case: Case, *, facts: str, response_deadline) -> Letter:
    """A partshøring and the letter draft that carries it; the caseworker reads the draft,
    may edit it, and approves it (``approve_and_send``). The consultation counts as sent
    when the letter is delivered (``record_delivery``): only then does the citizen have it."""
    consultation = consultations.start_consultation(user, case, facts=facts, response_deadline=response_deadline)
    return create_letter(user, case, kind=Kind.CONSULTATION, consultation=consultation)
