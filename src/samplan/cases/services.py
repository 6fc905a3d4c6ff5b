"""Domain services of the case spine. The only code that creates spine rows or changes
their state. Each refuses an invalid transition with a Danish message (``DomainError``)
and writes the audit trail (before/after) in the same transaction."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format

from samplan.core import audit, errors
from samplan.core.locking import save_if_unchanged
from samplan.core.models import AuditEvent
from samplan.journal import services as journal
from samplan.journal.models import JournalNote
from samplan.standards.rules import follow_up_dates
from samplan.terminology import ffb
from samplan.terminology.models import Concept

from . import notices
from .consultations import check_decision
from .dates import appeal_deadline, first_follow_up_due, next_follow_up_due
from .measures import LEVEL_MAX as MEASURE_LEVEL_MAX
from .measures import LEVEL_MIN as MEASURE_LEVEL_MIN
from .measures import MeasurementSpec
from .models import (
    LEGAL_BASES,
    NO_APPEAL_BASES,
    NO_FOLLOW_UP_BASES,
    ActiveGrantService,
    Assessment,
    Case,
    CommitteeReview,
    Condition,
    Decision,
    FollowUp,
    GoalMeasurement,
    Grant,
    GrantTargetGroup,
    Inquiry,
    InterventionGoal,
    Order,
)

Action = AuditEvent.Action


class DomainError(errors.DomainError):
    """A refused transition or invalid domain data on the case spine (Danish, user-facing)."""


class ConflictError(DomainError, errors.ConflictError):
    """A create refused because it would duplicate what exists (the API answers 409)."""


DUPLICATE_ACTIVE_GRANT = (
    "Der er allerede en aktiv bevilling af denne ydelse på afgørelsen. Ændr den gældende bevilling i stedet for at oprette en ny."
)
DUPLICATE_ACTIVE_ORDER = "Der er allerede en aktiv bestilling på bevillingen."
DUPLICATE_DECISION = "Der er allerede truffet afgørelse på sagen."
DUPLICATE_DRAFT_ASSESSMENT = "Der er allerede en udredning i gang på sagen."


def _created(user, obj):
    audit.record(user, Action.CREATE, obj, after=audit.snapshot(obj))


def _changed(user, obj, before, action=Action.UPDATE):
    audit.record(user, action, obj, before=before, after=audit.snapshot(obj))


def _move_case(user, case: Case, allowed_from: set, to: str, message: str):
    if case.status not in allowed_from:
        raise DomainError(message, code="invalid_transition")
    before = audit.snapshot(case)
    case.status = to
    if to == Case.Status.CLOSED:
        case.closed_at = timezone.now()
    case.save(update_fields=["status", "closed_at"])
    _changed(user, case, before, Action.TRANSITION)


def next_case_number(municipality) -> str:
    """Sagsnummer: <year>-<running number within the municipality and year>."""
    year = timezone.localdate().year
    prefix = f"{year}-"
    last = (
        Case.objects.select_for_update()
        .filter(municipality=municipality, case_number__startswith=prefix)
        .order_by("-id")
        .values_list("case_number", flat=True)
        .first()
    )
    n = int(last.split("-")[1]) + 1 if last else 1
    return f"{prefix}{n:05d}"


# --- Inquiry -------------------------------------------------------------------------


def case_deadline(municipality, legal_basis: str, received_at: dt.datetime) -> dt.date | None:
    """Sagsbehandlingsfrist: the municipality's published number of days for the § from
    the day the inquiry was received; None when the § or its deadline is not known."""
    from samplan.standards.models import CaseDeadline

    if not legal_basis:
        return None
    deadline = CaseDeadline.objects.filter(municipality=municipality, legal_basis=legal_basis).first()
    if deadline is None:
        return None
    return timezone.localtime(received_at).date() + dt.timedelta(days=deadline.days)


@transaction.atomic
def register_inquiry(user, citizen, *, source: str, reason: str, received_at: dt.datetime, applied_for: str = "") -> Inquiry:
    if not reason.strip():
        raise DomainError("Anledningen til henvendelsen skal beskrives.", code="required")
    if received_at > timezone.now():
        raise DomainError("Modtagelsestidspunktet kan ikke ligge i fremtiden.", code="future")
    case = Case.objects.create(
        municipality=citizen.municipality,
        citizen=citizen,
        case_number=next_case_number(citizen.municipality),
        caseworker=user,
        status=Case.Status.INQUIRY,
    )
    inquiry = Inquiry.objects.create(
        case=case,
        source=source,
        reason=reason,
        received_at=received_at,
        registered_by=user,
        applied_for=applied_for,
        deadline=case_deadline(citizen.municipality, applied_for, received_at),
    )
    _created(user, case)
    _created(user, inquiry)
    return inquiry


@transaction.atomic
def record_first_contact(
    user, inquiry: Inquiry, at: dt.datetime, *, how: str = JournalNote.Kind.PHONE, note: str = ""
) -> Inquiry:
    """The first contact with the citizen, noted in the journal too (notatpligt): ``how`` is
    the note's kind, ``note`` what was said (a plain line when nothing was typed)."""
    if inquiry.first_contact_at:
        raise DomainError("Første kontakt er allerede registreret.", code="invalid_transition")
    if at < inquiry.received_at:
        raise DomainError("Første kontakt kan ikke ligge før henvendelsen blev modtaget.", code="before_received")
    if at > timezone.now():
        raise DomainError("Første kontakt kan ikke ligge i fremtiden.", code="future")
    before = audit.snapshot(inquiry)
    inquiry.first_contact_at = at
    inquiry.save(update_fields=["first_contact_at"])
    _changed(user, inquiry, before)
    journal.create_note(
        user,
        inquiry.case.citizen,
        kind=how or JournalNote.Kind.PHONE,
        occurred_at=at,
        subject="Første kontakt",
        text=note.strip() or f"Første kontakt med borgeren om henvendelsen på sag {inquiry.case.case_number}.",
        case=inquiry.case,
    )
    return inquiry


# --- Assessment ------------------------------------------------------------------------


@transaction.atomic
def start_assessment(user, case: Case) -> Assessment:
    if not case.inquiry.first_contact_at:
        raise DomainError("Registrér første kontakt med borgeren, før udredningen begynder.", code="no_first_contact")
    _move_case(
        user, case, {Case.Status.INQUIRY}, Case.Status.ASSESSMENT, "Sagen er ikke i en fase, hvor en udredning kan begynde."
    )
    try:
        with transaction.atomic():  # one draft per case, also when two start at once
            assessment = Assessment.objects.create(case=case, assessed_by=user)
    except IntegrityError:
        raise ConflictError(DUPLICATE_DRAFT_ASSESSMENT, code="duplicate") from None
    _created(user, assessment)
    return assessment


def validate_condition(theme: Concept, functioning_level: int | None) -> None:
    """Functioning level 0–4 is required on Aktivitet og deltagelse and forbidden elsewhere."""
    conditions_root = ffb.root(ffb.CONDITIONS, theme.system)
    # The root and its main groups (e.g. "Aktivitet og deltagelse" itself) are not conditions.
    if not theme.is_within(conditions_root) or conditions_root.pk in (theme.pk, theme.parent_id):
        raise DomainError("Temaet skal være en FFB-tilstand.", code="not_condition")
    if ffb.is_activity_participation(theme):
        if functioning_level is None:
            raise DomainError(
                f"Angiv funktionsevneniveau (0–4) for »{theme.display}« (Aktivitet og deltagelse).", code="level_required"
            )
        if not 0 <= functioning_level <= 4:
            raise DomainError("Funktionsevneniveau skal være mellem 0 og 4.", code="level_range")
    elif functioning_level is not None:
        raise DomainError(
            f"»{theme.display}« hører ikke under Aktivitet og deltagelse og skal ikke have et funktionsevneniveau.",
            code="level_forbidden",
        )


def _require_draft(assessment: Assessment) -> None:
    if assessment.status != Assessment.Status.DRAFT:
        raise DomainError("En afsluttet udredning kan ikke ændres; lav en ny udredning.", code="invalid_transition")


@transaction.atomic
def set_condition(
    user,
    assessment: Assessment,
    *,
    theme: Concept,
    functioning_level: int | None,
    description: str = "",
    expected_version: int | None = None,
) -> Condition:
    """Add the condition of one theme. ``expected_version`` is the assessment's
    ``row_version`` the page showed: a change by someone else meanwhile is an EditConflict.
    A theme already registered is refused (it used to overwrite the level and wipe the
    description); it is changed with ``change_condition``."""
    _require_draft(assessment)
    validate_condition(theme, functioning_level)
    if assessment.conditions.filter(theme=theme).exists():
        raise DomainError(
            f"»{theme.display}« er allerede registreret. Ret eller fjern den registrerede tilstand i stedet.",
            code="duplicate_theme",
        )
    save_if_unchanged(assessment, expected_version, [], what="Udredningen")
    condition = Condition.objects.create(
        assessment=assessment, theme=theme, functioning_level=functioning_level, description=description
    )
    _created(user, condition)
    return condition


@transaction.atomic
def change_condition(
    user,
    condition: Condition,
    *,
    functioning_level: int | None,
    description: str = "",
    expected_version: int | None = None,
) -> Condition:
    """Correct a condition's level and description while the assessment is open. The
    assessment's ``row_version`` guards it like adding one does."""
    assessment = condition.assessment
    _require_draft(assessment)
    validate_condition(condition.theme, functioning_level)
    save_if_unchanged(assessment, expected_version, [], what="Udredningen")
    before = audit.snapshot(condition)
    condition.functioning_level, condition.description = functioning_level, description
    condition.save(update_fields=["functioning_level", "description"])
    _changed(user, condition, before)
    return condition


@transaction.atomic
def remove_condition(user, condition: Condition, *, expected_version: int | None = None) -> None:
    """Remove a condition registered by mistake while the assessment is open; the audit
    row keeps what it said."""
    assessment = condition.assessment
    _require_draft(assessment)
    save_if_unchanged(assessment, expected_version, [], what="Udredningen")
    before = audit.snapshot(condition)
    audit.record(user, Action.UPDATE, condition, before=before, after={"removed": True})
    condition.delete()


@transaction.atomic
def complete_assessment(
    user,
    assessment: Assessment,
    *,
    citizen_wishes: str,
    support_need: Concept,
    resources: str = "",
    expected_version: int | None = None,
) -> Assessment:
    if assessment.status != Assessment.Status.DRAFT:
        raise DomainError("Udredningen er allerede afsluttet.", code="invalid_transition")
    if not assessment.conditions.exists():
        raise DomainError("Registrér mindst én tilstand, før udredningen afsluttes.", code="no_conditions")
    if not citizen_wishes.strip():
        raise DomainError("Skriv borgerens ønsker for fremtiden med borgerens egne ord.", code="no_wishes")
    if support_need is None or not support_need.is_within(ffb.root(ffb.SUPPORT_NEED, support_need.system)):
        raise DomainError("Vælg borgerens støttebehov.", code="no_support_need")
    before = audit.snapshot(assessment)
    assessment.citizen_wishes, assessment.resources, assessment.support_need = citizen_wishes, resources, support_need
    assessment.status, assessment.completed_at = Assessment.Status.COMPLETED, timezone.now()
    save_if_unchanged(
        assessment,
        expected_version,
        ["citizen_wishes", "resources", "support_need", "status", "completed_at"],
        what="Udredningen",
    )
    _changed(user, assessment, before, Action.TRANSITION)
    _move_case(user, assessment.case, {Case.Status.ASSESSMENT}, Case.Status.AWAITING_DECISION, "Sagen er ikke under udredning.")
    return assessment


# --- Decision --------------------------------------------------------------------------

APPEAL_GUIDANCE = (
    "Du kan klage over afgørelsen. Klagen sendes til kommunen, som genvurderer sagen og "
    "sender den videre til Ankestyrelsen, hvis afgørelsen fastholdes. Klagefristen er 4 uger "
    "fra du har modtaget afgørelsen, senest {deadline}."
)
NO_APPEAL_TEXT = "Hjælp efter servicelovens § 82 a, c og d gives uden visitation, og der er ikke klageadgang."


@transaction.atomic
def make_decision(
    user,
    case: Case,
    *,
    outcome: str,
    legal_basis: str,
    justification: str,
    decided_at: dt.date,
    partial: bool = False,
    consultation=None,
    consultation_not_needed_reason: str = "",
) -> Decision:
    if case.status != Case.Status.AWAITING_DECISION:
        raise DomainError("Der kan kun træffes afgørelse, når udredningen er afsluttet.", code="invalid_transition")
    if outcome not in Decision.Outcome.values:
        raise DomainError("Vælg, om ydelsen bevilges eller afslås.", code="required")
    if legal_basis not in dict(LEGAL_BASES):
        raise DomainError("Vælg et gyldigt lovgrundlag.", code="legal_basis")
    if not justification.strip():
        raise DomainError("Afgørelsen skal begrundes.", code="required")
    if decided_at > timezone.localdate():
        raise DomainError("Afgørelsesdatoen kan ikke ligge i fremtiden.", code="future")
    partial = partial and outcome == Decision.Outcome.GRANTED  # only a grant can be partial
    check_decision(
        case, outcome=outcome, partial=partial, consultation=consultation, not_needed_reason=consultation_not_needed_reason
    )
    assessment = case.assessments.filter(status=Assessment.Status.COMPLETED).order_by("-completed_at").first()
    from samplan.standards.rules import standard_in_force

    version = standard_in_force(case.municipality, legal_basis, decided_at)
    # The standard in force says whether there is an appeal route; without one, §82 a/c/d has none.
    no_appeal = (not version.appeal_allowed) if version is not None else legal_basis in NO_APPEAL_BASES
    if no_appeal:
        deadline, guidance = None, NO_APPEAL_TEXT
    else:
        deadline = appeal_deadline(decided_at)
        guidance = APPEAL_GUIDANCE.format(deadline=date_format(deadline, "SHORT_DATE_FORMAT"))
    try:
        with transaction.atomic():  # one decision per case (OneToOne): a race ends here, not in a 500
            decision = Decision.objects.create(
                case=case,
                assessment=assessment,
                outcome=outcome,
                legal_basis=legal_basis,
                justification=justification,
                decided_at=decided_at,
                appeal_deadline=deadline,
                appeal_guidance=guidance,
                decided_by=user,
                standard_version=version,
                partial=partial,
                consultation=consultation,
                consultation_not_needed_reason=consultation_not_needed_reason.strip(),
            )
    except IntegrityError:
        raise ConflictError(DUPLICATE_DECISION, code="duplicate") from None
    _created(user, decision)
    to = Case.Status.GRANTED if outcome == Decision.Outcome.GRANTED else Case.Status.REFUSED
    _move_case(user, case, {Case.Status.AWAITING_DECISION}, to, "Sagen afventer ikke afgørelse.")
    notices.case_decided(case)
    return decision


# --- Grant -----------------------------------------------------------------------------


@dataclass
class GoalSpec:
    goal_type: Concept
    target_level: int
    condition: Condition
    description: str = ""


@dataclass
class GrantSpec:
    legal_basis: str
    services: list
    offer: object
    scope_amount: Decimal
    scope_unit: str
    start_date: dt.date
    end_date: dt.date | None = None
    primary_target_group: Concept | None = None
    secondary_target_groups: list = field(default_factory=list)
    goals: list = field(default_factory=list)  # list[GoalSpec]
    change_reason: str = ""
    deviation_justification: str = ""
    assessed_hours_week: Decimal | None = None


def validate_goal(goal: GoalSpec, assessment: Assessment | None) -> None:
    if goal.condition is None:
        raise DomainError("Et indsatsmål skal rette sig mod præcis én primær tilstand.", code="goal_no_condition")
    if goal.condition.functioning_level is None or not ffb.is_activity_participation(goal.condition.theme):
        raise DomainError("Indsatsmålets primære tilstand skal høre under Aktivitet og deltagelse.", code="goal_not_ad")
    if assessment is not None and goal.condition.assessment_id != assessment.pk:
        raise DomainError("Indsatsmålets tilstand skal komme fra sagens udredning.", code="goal_foreign_condition")
    if not goal.goal_type.is_within(ffb.root(ffb.GOAL_TYPES, goal.goal_type.system)):
        raise DomainError("Vælg en måltype.", code="goal_type")
    if not 0 <= goal.target_level <= 4:
        raise DomainError("Målet for funktionsevneniveau skal være mellem 0 og 4.", code="level_range")


def _validate_grant(spec: GrantSpec, assessment) -> None:
    errors = []
    if not spec.services:
        errors.append("Vælg mindst én ydelse.")
    else:
        services_root = ffb.root(ffb.SERVICES)
        if any(not s.is_within(services_root) for s in spec.services):
            errors.append("Ydelser skal vælges fra FFB's ydelseskatalog.")
    if spec.primary_target_group is None:
        errors.append("Vælg præcis én primær målgruppe.")
    else:
        groups_root = ffb.root(ffb.TARGET_GROUPS)
        groups = [spec.primary_target_group, *spec.secondary_target_groups]
        if any(not g.is_within(groups_root) for g in groups):
            errors.append("Målgrupper skal vælges fra FFB's målgruppekatalog.")
        if spec.primary_target_group in spec.secondary_target_groups:
            errors.append("Den primære målgruppe kan ikke også være sekundær.")
        if len(set(spec.secondary_target_groups)) != len(spec.secondary_target_groups):
            errors.append("En sekundær målgruppe er valgt to gange.")
    if spec.scope_amount is None or spec.scope_amount <= 0:
        errors.append("Omfanget skal være større end 0.")
    if spec.end_date and spec.end_date < spec.start_date:
        errors.append("Slutdatoen kan ikke ligge før startdatoen.")
    if not getattr(spec.offer, "is_provider", False):
        errors.append("Vælg et tilbud eller en leverandør.")
    elif assessment is not None and spec.offer.municipality_id != assessment.case.municipality_id:
        errors.append("Tilbuddet skal høre til borgerens kommune.")
    if errors:
        # Each message carries the code (a list given to ValidationError drops ``code``).
        raise DomainError([DomainError(e, code="invalid_grant") for e in errors])
    for goal in spec.goals:
        validate_goal(goal, assessment)


def evaluate_spec(spec: GrantSpec, case: Case, assessment, replaces=None):
    """What the quality standard in force says about this proposal (shown before saving)."""
    from samplan.standards.rules import Proposal, evaluate

    return evaluate(
        Proposal(
            citizen=case.citizen,
            legal_basis=spec.legal_basis,
            scope_amount=spec.scope_amount,
            scope_unit=spec.scope_unit,
            start_date=spec.start_date,
            end_date=spec.end_date,
            assessment=assessment,
            assessed_hours_week=spec.assessed_hours_week,
            replaces=replaces,
            primary_target_group=spec.primary_target_group,
            secondary_target_groups=list(spec.secondary_target_groups),
            other_grants=other_active_grants(case.citizen, replaces),
        )
    )


def other_active_grants(citizen, replaces: Grant | None = None):
    """The citizen's active and pending grants but the one a change supersedes, for the
    rule engine (``Proposal.other_grants``). Lazy: only the rules that count them query."""
    grants = Grant.objects.filter(case__citizen=citizen, status__in=[Grant.Status.ACTIVE, Grant.Status.PENDING])
    return grants.exclude(pk=replaces.pk) if replaces is not None else grants


def preview_grant(case: Case, assessment, *, replaces: Grant | None = None, **inputs):
    """The quality-standard check and competence outcome for a proposal, without saving."""
    spec = GrantSpec(services=[], offer=None, **inputs)
    evaluation = evaluate_spec(spec, case, assessment, replaces=_active_predecessor_of(replaces))
    evaluation.committee_reasons = committee_reasons_for(spec, case, evaluation)
    return evaluation


def committee_reasons_for(spec: GrantSpec, case: Case, evaluation) -> list:
    from samplan.standards.competence import committee_reasons
    from samplan.standards.models import StandardVersion

    version = StandardVersion.objects.filter(pk=evaluation.standard_version_id).first()
    return committee_reasons(case.municipality, spec.legal_basis, spec.scope_amount, spec.scope_unit, evaluation, version)


def _write_grant(user, case, decision, spec: GrantSpec, evaluation, *, status, version=1, previous=None) -> Grant:
    if evaluation.needs_justification and not spec.deviation_justification.strip():
        why = " ".join(evaluation.reasons + evaluation.level_reasons)
        raise DomainError(
            f"Bevillingen afviger fra kvalitetsstandarden: {why} Skriv en begrundelse for afvigelsen.",
            code="justification_required",
        )
    grant = Grant.objects.create(
        case=case,
        decision=decision,
        version=version,
        previous=previous,
        legal_basis=spec.legal_basis,
        offer=spec.offer,
        scope_amount=spec.scope_amount,
        scope_unit=spec.scope_unit,
        start_date=spec.start_date,
        end_date=spec.end_date,
        change_reason=spec.change_reason,
        created_by=user,
        status=status,
        standard_version_id=evaluation.standard_version_id,
        service_level=evaluation.service_level,
        package=evaluation.package,
        deviation_justification=spec.deviation_justification if evaluation.needs_justification else "",
        evaluation=evaluation.as_dict(),
        assessed_hours_week=spec.assessed_hours_week,
    )
    grant.services.set(spec.services)
    GrantTargetGroup.objects.create(grant=grant, target_group=spec.primary_target_group, rank=GrantTargetGroup.Rank.PRIMARY)
    for tg in spec.secondary_target_groups:
        GrantTargetGroup.objects.create(grant=grant, target_group=tg, rank=GrantTargetGroup.Rank.SECONDARY)
    for goal in spec.goals:
        InterventionGoal.objects.create(
            grant=grant,
            goal_type=goal.goal_type,
            target_level=goal.target_level,
            condition=goal.condition,
            description=goal.description,
        )
    after = audit.snapshot(grant)
    after["services"] = [s.code for s in spec.services]
    after["target_groups"] = {
        "primary": spec.primary_target_group.code,
        "secondary": [t.code for t in spec.secondary_target_groups],
    }
    audit.record(user, Action.CREATE, grant, after=after)
    return grant


def _plan_follow_ups(user, grant: Grant):
    """First follow-up(s) from the grant's standard: first within N months, or during and
    at the end, or none. Without a standard: ≤ 3 months, none for §82 a/c/d."""
    version = grant.standard_version
    if version is not None:
        dates = follow_up_dates(version, grant.start_date, grant.end_date)[:1]
        kinds = [FollowUp.Kind.FIRST]
        if version.follow_up_during_and_end:
            dates, kinds = follow_up_dates(version, grant.start_date, grant.end_date), [FollowUp.Kind.DURING, FollowUp.Kind.END]
    elif grant.legal_basis in NO_FOLLOW_UP_BASES:
        dates, kinds = [], []
    else:
        dates, kinds = [first_follow_up_due(grant.start_date)], [FollowUp.Kind.FIRST]
    # A standard may give fewer dates than kinds (no end date: no end follow-up yet).
    for raw, kind in zip(dates, kinds, strict=False):
        due = _within_grant(grant, raw)
        if due is None:
            continue
        _created(user, FollowUp.objects.create(grant=grant, citizen=grant.case.citizen, kind=kind, due_date=due))


def _active_predecessor(grant: Grant) -> Grant | None:
    """The version in force that this one replaces (skipping returned/rejected attempts)."""
    previous = grant.previous
    while previous is not None and previous.status != Grant.Status.ACTIVE:
        previous = previous.previous
    return previous


def _activate(user, grant: Grant) -> Grant:
    """The grant takes effect: it supersedes the version in force, whose planned follow-ups
    are cancelled and whose active orders move to the new version, and its own follow-ups
    are planned."""
    old = _active_predecessor(grant)
    if old is not None:
        # The old version leaves force first, so its services are free for the new one.
        before = audit.snapshot(old)
        old.status = Grant.Status.SUPERSEDED
        old.save(update_fields=["status"])
        _release_services(old)
        _changed(user, old, before, Action.TRANSITION)
        _cancel_planned_follow_ups(user, old)
    if grant.status != Grant.Status.ACTIVE:
        before = audit.snapshot(grant)
        grant.status = Grant.Status.ACTIVE
        grant.save(update_fields=["status"])
        _changed(user, grant, before, Action.TRANSITION)
    _claim_services(grant)
    if old is not None:
        for order in old.orders.filter(status__in=Order.ACTIVE_STATUSES):
            before = audit.snapshot(order)
            order.grant = grant
            order.save(update_fields=["grant"])
            _changed(user, order, before)
            notices.order_changed(order, grant)
    _plan_follow_ups(user, grant)
    return grant


def _claim_services(grant: Grant) -> None:
    """One active version per decision and service, kept by the database: a second one
    (a double submit, a concurrent request) fails on the unique index and is refused."""
    rows = [ActiveGrantService(decision_id=grant.decision_id, service=s, grant=grant) for s in grant.services.all()]
    try:
        with transaction.atomic():
            ActiveGrantService.objects.bulk_create(rows)
    except IntegrityError:
        raise ConflictError(DUPLICATE_ACTIVE_GRANT, code="duplicate") from None


def _release_services(grant: Grant) -> None:
    ActiveGrantService.objects.filter(grant=grant).delete()


def _submit(user, case, decision, spec, *, version=1, previous=None) -> Grant:
    evaluation = evaluate_spec(spec, case, decision.assessment, replaces=_active_predecessor_of(previous))
    reasons = committee_reasons_for(spec, case, evaluation)
    evaluation.committee_reasons = reasons
    grant = _write_grant(user, case, decision, spec, evaluation, status=Grant.Status.PENDING, version=version, previous=previous)
    # Within the caseworker's competence the grant takes effect at once; otherwise it waits.
    return grant if reasons else _activate(user, grant)


def _active_predecessor_of(grant: Grant | None) -> Grant | None:
    if grant is None:
        return None
    return grant if grant.status == Grant.Status.ACTIVE else _active_predecessor(grant)


@transaction.atomic
def create_grant(user, decision: Decision, spec: GrantSpec) -> Grant:
    """Save a grant checked against the quality standard in force. Within the caseworker's
    competence it takes effect at once; otherwise it waits for the allocation committee."""
    if decision.outcome != Decision.Outcome.GRANTED:
        raise DomainError("Der kan kun oprettes en bevilling på en afgørelse om bevilling.", code="invalid_transition")
    if decision.case.status != Case.Status.GRANTED:
        raise DomainError("Sagen er ikke bevilget.", code="invalid_transition")
    _validate_grant(spec, decision.assessment)
    return _submit(user, decision.case, decision, spec)


def _cancel_planned_follow_ups(user, grant: Grant):
    for fu in grant.follow_ups.filter(status=FollowUp.Status.PLANNED):
        before = audit.snapshot(fu)
        fu.status = FollowUp.Status.CANCELLED
        fu.save(update_fields=["status"])
        _changed(user, fu, before, Action.TRANSITION)


@transaction.atomic
def change_grant(user, grant: Grant, spec: GrantSpec) -> Grant:
    """A changed grant is a new version (previous → this one); nothing is overwritten. When
    it takes effect the old version is superseded and the first follow-up is planned
    again from the new start. A grant returned by the committee is changed the same way."""
    grant = Grant.objects.select_for_update().get(pk=grant.pk)
    if grant.status not in (Grant.Status.ACTIVE, Grant.Status.RETURNED):
        raise DomainError("Kun en aktiv bevilling eller en bevilling sendt retur kan ændres.", code="invalid_transition")
    if hasattr(grant, "next_version"):
        raise DomainError("Bevillingen er allerede ændret; ændr den nyeste version.", code="invalid_transition")
    if not spec.change_reason.strip():
        raise DomainError("Skriv årsagen til ændringen.", code="required")
    _validate_grant(spec, grant.decision.assessment)
    return _submit(user, grant.case, grant.decision, spec, version=grant.version + 1, previous=grant)


# --- Allocation committee (visitationsudvalget) -----------------------------------------


@transaction.atomic
def review_grant(user, grant: Grant, *, outcome: str, reason: str):
    """Approve (the grant takes effect), reject, or return it to the caseworker."""
    grant = Grant.objects.select_for_update().get(pk=grant.pk)
    if grant.status != Grant.Status.PENDING:
        raise DomainError("Bevillingen afventer ikke visitationsudvalget.", code="invalid_transition")
    if not reason.strip():
        raise DomainError("Skriv visitationsudvalgets begrundelse.", code="required")
    if outcome not in CommitteeReview.Outcome.values:
        raise DomainError("Vælg godkend, afvis eller send retur.", code="required")
    review = CommitteeReview.objects.create(grant=grant, outcome=outcome, reason=reason, reviewed_by=user)
    _created(user, review)
    if outcome == CommitteeReview.Outcome.APPROVED:
        _activate(user, grant)
    else:
        before = audit.snapshot(grant)
        grant.status = Grant.Status.REJECTED if outcome == CommitteeReview.Outcome.REJECTED else Grant.Status.RETURNED
        grant.save(update_fields=["status"])
        _changed(user, grant, before, Action.TRANSITION)
    notices.committee_reviewed(review)
    return review


@transaction.atomic
def end_grant(user, grant: Grant, *, on: dt.date) -> Grant:
    if grant.status != Grant.Status.ACTIVE:
        raise DomainError("Bevillingen er ikke aktiv.", code="invalid_transition")
    before = audit.snapshot(grant)
    grant.status, grant.ended_at = Grant.Status.ENDED, on
    grant.save(update_fields=["status", "ended_at"])
    _release_services(grant)
    _changed(user, grant, before, Action.TRANSITION)
    _cancel_planned_follow_ups(user, grant)
    for order in grant.orders.filter(status__in=Order.ACTIVE_STATUSES):
        before = audit.snapshot(order)
        order.status, order.ended_at = Order.Status.ENDED, timezone.now()
        order.save(update_fields=["status", "ended_at"])
        _changed(user, order, before, Action.TRANSITION)
    case = grant.case
    if not case.grants.filter(status=Grant.Status.ACTIVE).exists():
        _move_case(user, case, {Case.Status.GRANTED}, Case.Status.CLOSED, "Sagen kan ikke afsluttes.")
    return grant


# --- Order -----------------------------------------------------------------------------


@transaction.atomic
def create_order(user, grant: Grant, *, purpose: str, goals: str) -> Order:
    if grant.status != Grant.Status.ACTIVE:
        raise DomainError("Der kan kun bestilles på en aktiv bevilling.", code="invalid_transition")
    if not purpose.strip() or not goals.strip():
        raise DomainError("Bestillingen skal have et formål og konkrete mål.", code="required")
    if grant.orders.filter(status__in=Order.ACTIVE_STATUSES).exists():
        raise ConflictError(DUPLICATE_ACTIVE_ORDER, code="duplicate")
    try:
        with transaction.atomic():  # the constraint decides a race between two orders
            order = Order.objects.create(
                grant=grant, citizen=grant.case.citizen, provider=grant.offer, purpose=purpose, goals=goals, created_by=user
            )
    except IntegrityError:
        raise ConflictError(DUPLICATE_ACTIVE_ORDER, code="duplicate") from None
    _created(user, order)
    notices.order_created(order)
    return order


@transaction.atomic
def accept_order(user, order: Order, *, version: int | None = None) -> Order:
    """The provider accepts; also after proposing another start date."""
    if order.status not in (Order.Status.SENT, Order.Status.PROPOSED):
        raise DomainError("Bestillingen er allerede modtaget eller afsluttet.", code="invalid_transition")
    before = audit.snapshot(order)
    order.status, order.accepted_at = Order.Status.ACCEPTED, timezone.now()
    order.responded_at = order.accepted_at
    save_if_unchanged(order, version, ["status", "accepted_at", "responded_at"], what="Bestillingen")
    _changed(user, order, before, Action.TRANSITION)
    notices.order_accepted(order)
    return order


@transaction.atomic
def propose_order_start(user, order: Order, *, proposed_start: dt.date, reason: str = "", version: int | None = None) -> Order:
    """The provider cannot start on the grant's date and proposes another; the order stays
    active and awaits the caseworker."""
    if order.status != Order.Status.SENT:
        raise DomainError("Der kan kun foreslås en startdato på en sendt bestilling.", code="invalid_transition")
    grant = order.grant
    if proposed_start < grant.start_date:
        raise DomainError("Den foreslåede startdato kan ikke ligge før bevillingens start.", code="before_start")
    if grant.end_date is not None and proposed_start > grant.end_date:
        raise DomainError("Den foreslåede startdato kan ikke ligge efter bevillingens slut.", code="after_end")
    before = audit.snapshot(order)
    order.status, order.proposed_start, order.response_reason = Order.Status.PROPOSED, proposed_start, reason.strip()
    order.responded_at = timezone.now()
    save_if_unchanged(order, version, ["status", "proposed_start", "response_reason", "responded_at"], what="Bestillingen")
    _changed(user, order, before, Action.TRANSITION)
    notices.order_answered(order)
    return order


@transaction.atomic
def decline_order(user, order: Order, *, reason: str, version: int | None = None) -> Order:
    """The provider declines with a reason; the order leaves force so the grant can be
    ordered from another provider."""
    if order.status not in (Order.Status.SENT, Order.Status.PROPOSED):
        raise DomainError("Bestillingen er allerede modtaget eller afsluttet.", code="invalid_transition")
    if not reason.strip():
        raise DomainError("Skriv hvorfor tilbuddet afviser bestillingen.", code="required")
    before = audit.snapshot(order)
    order.status, order.response_reason, order.responded_at = Order.Status.DECLINED, reason.strip(), timezone.now()
    save_if_unchanged(order, version, ["status", "response_reason", "responded_at"], what="Bestillingen")
    _changed(user, order, before, Action.TRANSITION)
    notices.order_answered(order)
    return order


# --- Follow-up -------------------------------------------------------------------------


def _within_grant(grant: Grant, due: dt.date, after: dt.date | None = None) -> dt.date | None:
    """A follow-up is never planned after the grant ends (issue 13: 04.12.2027 on a grant
    ending 04.03.2027): it moves to the end date, or none if the end is not after ``after``."""
    end = grant.end_date
    if end is None or due <= end:
        return due
    if after is not None and end <= after:
        return None
    return end


def _next_follow_up_due(grant: Grant, done_at: dt.date) -> dt.date | None:
    """After a follow-up: the standard's interval (none for "during and at end"), or
    ≤ 12 months without a standard; at the latest on the grant's end date."""
    version = grant.standard_version
    if version is None:
        return _within_grant(grant, next_follow_up_due(done_at), done_at)
    if version.follow_up_during_and_end or not version.follow_up_every_months:
        return None
    return _within_grant(grant, done_at + relativedelta(months=version.follow_up_every_months), done_at)


@transaction.atomic
def complete_follow_up(
    user,
    follow_up: FollowUp,
    *,
    result: str,
    done_at: dt.date,
    note: str = "",
    change: GrantSpec | None = None,
    measurements: Sequence[MeasurementSpec] | None = None,
) -> FollowUp:
    """``measurements``: each goal's functioning level now and attainment (effektmåling),
    one per goal of the grant, saved with the follow-up; ``None`` records none."""
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if follow_up.status != FollowUp.Status.PLANNED:
        raise DomainError("Opfølgningen er allerede gennemført eller annulleret.", code="invalid_transition")
    if done_at > timezone.localdate():
        raise DomainError("En opfølgning kan ikke registreres som gennemført i fremtiden.", code="future")
    if done_at < follow_up.grant.start_date:
        raise DomainError("En opfølgning kan ikke ligge før indsatsen er startet.", code="before_start")
    if result not in FollowUp.Result.values:
        raise DomainError("Vælg resultatet af opfølgningen.", code="required")
    if result == FollowUp.Result.CHANGE and change is None:
        raise DomainError("Angiv den ændrede bevilling.", code="required")
    goals = _measured_goals(follow_up, measurements) if measurements is not None else {}
    before = audit.snapshot(follow_up)
    follow_up.status, follow_up.result, follow_up.done_at, follow_up.note, follow_up.done_by = (
        FollowUp.Status.DONE,
        result,
        done_at,
        note,
        user,
    )
    follow_up.save()
    _changed(user, follow_up, before, Action.TRANSITION)
    for spec in measurements or ():
        measurement = GoalMeasurement.objects.create(
            follow_up=follow_up, goal=goals[spec.goal_id], level=spec.level, attainment=spec.attainment, measured_at=done_at
        )
        _created(user, measurement)
    grant = follow_up.grant
    if result == FollowUp.Result.CONTINUE:
        due = _next_follow_up_due(grant, done_at)
        if due is not None and not grant.follow_ups.filter(status=FollowUp.Status.PLANNED).exists():
            nxt = FollowUp.objects.create(grant=grant, citizen=follow_up.citizen, kind=FollowUp.Kind.YEARLY, due_date=due)
            _created(user, nxt)
    elif result == FollowUp.Result.CHANGE:
        change_grant(user, grant, change)
    else:
        end_grant(user, grant, on=done_at)
    return follow_up


def _measured_goals(follow_up: FollowUp, measurements: Sequence[MeasurementSpec]) -> dict[int, InterventionGoal]:
    """The grant's goals by id, when ``measurements`` measure each of them once, validly."""
    goals = {g.pk: g for g in follow_up.grant.goals.all()}
    given = [m.goal_id for m in measurements]
    if any(goal_id not in goals for goal_id in given):
        raise DomainError("En måling hører ikke til et af bevillingens indsatsmål.", code="invalid")
    if len(set(given)) != len(given) or set(given) != set(goals):
        raise DomainError("Angiv funktionsevneniveau og målopfyldelse for hvert indsatsmål én gang.", code="required")
    for m in measurements:
        if not isinstance(m.level, int) or not MEASURE_LEVEL_MIN <= m.level <= MEASURE_LEVEL_MAX:
            raise DomainError("Funktionsevneniveauet skal være et helt tal fra 0 til 4.", code="invalid")
        if m.attainment not in GoalMeasurement.Attainment.values:
            raise DomainError("Vælg, om målet er opnået, delvist opnået eller ikke opnået.", code="required")
    return goals


__all__ = [
    "DomainError",
    "GoalSpec",
    "GrantSpec",
    "register_inquiry",
    "record_first_contact",
    "start_assessment",
    "set_condition",
    "change_condition",
    "remove_condition",
    "complete_assessment",
    "make_decision",
    "create_grant",
    "change_grant",
    "end_grant",
    "create_order",
    "accept_order",
    "propose_order_start",
    "decline_order",
    "complete_follow_up",
    "MeasurementSpec",
]
