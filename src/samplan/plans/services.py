"""Every change to the coherent plan goes through here.

Each function checks the access policy, changes the live rows in one transaction, writes
an audit row (before/after) and a new immutable ``PlanVersion`` with a snapshot of the
whole plan and a Danish summary ("Sara Lindberg ændrede 'Mit liv og mine ønsker'").

Edits of what a user saw take ``expected_version``, the ``row_version`` the page or API
client read (``core.locking``): the save is a compare-and-set in the database and a change
saved by someone else meanwhile raises ``EditConflict`` instead of being overwritten.
``None`` is for services acting on the row itself (e.g. a meeting's minutes setting the
next meeting): saved, and the version still moves on."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from samplan.cases.models import FollowUp, Grant, InterventionGoal, Order
from samplan.core import audit, policy
from samplan.core.errors import DomainError
from samplan.core.locking import save_if_unchanged
from samplan.core.models import AuditEvent

from .models import (
    Agreement,
    LifeDomain,
    Plan,
    PlanComment,
    PlanEffort,
    PlanGoal,
    PlanVersion,
    ProviderPlan,
    ProviderPlanItem,
    StatusNote,
)

Action = AuditEvent.Action


class PlanError(DomainError):
    """Refused plan change; the message is Danish and shown to the user."""


# --- Snapshot ----------------------------------------------------------------------------


def _iso(value):
    return value.isoformat() if value else None


def goal_label(goal: InterventionGoal | None) -> str:
    if goal is None:
        return ""
    return f"{goal.goal_type.display}: {goal.condition.theme.display} mod niveau {goal.target_level}"


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def snapshot(plan: Plan) -> dict:
    """The whole plan's content as plain JSON (ids, texts, dates, labels of links)."""
    goals = plan.goals.select_related("intervention_goal__goal_type", "intervention_goal__condition__theme")
    efforts = plan.efforts.select_related("grant__offer", "offer")
    provider_plans = plan.provider_plans.select_related("order__provider").prefetch_related(
        "items__intervention_goal__goal_type", "items__intervention_goal__condition__theme"
    )
    return {
        "wishes": plan.wishes,
        "next_meeting": _iso(plan.next_meeting),
        "goals": [
            {
                "id": g.pk,
                "domain": g.get_domain_display(),
                "citizen_wording": g.citizen_wording,
                "intervention_goal": goal_label(g.intervention_goal),
            }
            for g in goals
        ],
        "efforts": [
            {
                "id": e.pk,
                "title": e.title,
                "owner_kind": e.get_owner_kind_display(),
                "owner_name": e.owner_name,
                "responsible": e.responsible,
                "status": e.get_status_display(),
                "start": _iso(e.start),
                "end": _iso(e.end),
                "grant": f"{e.grant.get_legal_basis_display()} – {e.grant.offer.name}" if e.grant_id else "",
                "offer": f"{e.offer.title} (tilbud {e.offer_id})" if e.offer_id else "",
            }
            for e in efforts
        ],
        "agreements": [
            {
                "id": a.pk,
                "who": a.who,
                "what": a.what,
                "due": _iso(a.due),
                "responsible_is_citizen": a.responsible_is_citizen,
                "done": a.done,
            }
            for a in plan.agreements.order_by("id")
        ],
        "comments": [
            {
                "id": c.pk,
                "target": f"mål {c.goal_id}" if c.goal_id else f"aftale {c.agreement_id}",
                "author": _name(c.author),
                "text": c.text,
            }
            for c in plan.comments.select_related("author")
        ],
        "provider_items": [
            {
                "id": i.pk,
                "provider": pp.order.provider.name,
                "kind": i.get_kind_display(),
                "text": i.text,
                "intervention_goal": goal_label(i.intervention_goal),
            }
            for pp in provider_plans
            for i in pp.items.all()
        ],
        "status_notes": [
            {
                "id": n.pk,
                "provider": n.order.provider.name,
                "text": n.text,
                "written_with_citizen": n.written_with_citizen,
                "follow_up": _iso(n.follow_up.due_date) if n.follow_up_id else None,
                "author": _name(n.author),
            }
            for n in plan.status_notes.select_related("order__provider", "follow_up", "author").order_by("id")
        ],
    }


# --- Plumbing ----------------------------------------------------------------------------


def plan_of(citizen) -> Plan:
    """The citizen's plan for reading: the stored one, or an empty, unsaved one (version 0).
    A read never creates it (a GET never writes); the first change does."""
    plan = Plan.objects.select_related("updated_by").filter(citizen=citizen).first()
    if plan is None:
        return Plan(citizen=citizen, version=0)
    plan.citizen = citizen  # the caller's object, with its select_related contact people
    return plan


def get_or_create_plan(citizen, user=None) -> Plan:
    """The citizen's one plan for a change; created empty (version 0) by the first change."""
    plan, created = Plan.objects.get_or_create(citizen=citizen)
    if created and user is not None:
        audit.record(user, Action.CREATE, plan, after={"id": plan.pk})
    return plan


def _locked(plan: Plan) -> Plan:
    return Plan.objects.select_for_update().select_related("citizen").get(pk=plan.pk)


def _new_version(user, plan: Plan, summary: str) -> PlanVersion:
    number = plan.version + 1
    version = PlanVersion.objects.create(
        plan=plan,
        number=number,
        snapshot=snapshot(plan),
        changed_by=user,
        changed_by_name=_name(user),
        changed_by_role=user.role or "",
        summary=f"{_name(user)} {summary}"[:300],
    )
    Plan.objects.filter(pk=plan.pk).update(version=number, updated_at=version.changed_at, updated_by=user)
    plan.version, plan.updated_at, plan.updated_by = number, version.changed_at, user
    return version


def _require_text(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise PlanError(message, code="required")
    return value


def _short(text: str, n: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _citizen_goals(plan: Plan):
    return InterventionGoal.objects.filter(grant__case__citizen_id=plan.citizen_id)


# --- The citizen's and the staff's parts -------------------------------------------------


@transaction.atomic
def update_wishes(user, plan: Plan, text: str, *, expected_version: int | None = None) -> PlanVersion:
    if not (policy.can(user, policy.EDIT_PLAN, plan.citizen) or policy.can(user, policy.EDIT_OWN_PLAN, plan.citizen)):
        policy.require(user, policy.EDIT_PLAN, plan.citizen)
    plan = _locked(plan)
    before = {"wishes": plan.wishes}
    plan.wishes = (text or "").strip()
    save_if_unchanged(plan, expected_version, ["wishes"], what="Planen")
    audit.record(user, Action.UPDATE, plan, before=before, after={"wishes": plan.wishes})
    return _new_version(user, plan, "ændrede 'Mit liv og mine ønsker'")


@transaction.atomic
def set_next_meeting(user, plan: Plan, date: dt.date | None, *, expected_version: int | None = None) -> PlanVersion:
    policy.require(user, policy.EDIT_PLAN, plan.citizen)
    plan = _locked(plan)
    before = {"next_meeting": _iso(plan.next_meeting)}
    plan.next_meeting = date
    save_if_unchanged(plan, expected_version, ["next_meeting"], what="Planen")
    audit.record(user, Action.UPDATE, plan, before=before, after={"next_meeting": _iso(date)})
    return _new_version(
        user, plan, f"satte næste møde til {date_format(date, 'SHORT_DATE_FORMAT')}" if date else "fjernede datoen for næste møde"
    )


def _check_goal_link(plan: Plan, intervention_goal):
    if intervention_goal is not None and not _citizen_goals(plan).filter(pk=intervention_goal.pk).exists():
        raise PlanError("Indsatsmålet hører ikke til borgerens bevillinger.", code="foreign_goal")


@transaction.atomic
def add_goal(user, plan: Plan, *, domain: str, citizen_wording: str, intervention_goal=None) -> PlanGoal:
    policy.require(user, policy.EDIT_PLAN, plan.citizen)
    plan = _locked(plan)
    if domain not in LifeDomain.values:
        raise PlanError("Vælg et livsområde.", code="domain")
    wording = _require_text(citizen_wording, "Skriv målet med borgerens egne ord.")
    _check_goal_link(plan, intervention_goal)
    goal = PlanGoal.objects.create(plan=plan, domain=domain, citizen_wording=wording, intervention_goal=intervention_goal)
    audit.record(user, Action.CREATE, goal, after=audit.snapshot(goal))
    _new_version(user, plan, f"tilføjede et mål om {goal.get_domain_display().lower()}")
    return goal


_UNSET = object()


@transaction.atomic
def update_goal(
    user,
    goal: PlanGoal,
    *,
    citizen_wording: str,
    domain: str | None = None,
    intervention_goal=_UNSET,
    expected_version: int | None = None,
) -> PlanGoal:
    """The citizen may change the wording of their goals; staff editors may also change the
    life domain and the link to an intervention goal."""
    citizen = goal.plan.citizen
    staff = policy.can(user, policy.EDIT_PLAN, citizen)
    if not staff:
        policy.require(user, policy.EDIT_OWN_PLAN, citizen)
        if (domain is not None and domain != goal.domain) or intervention_goal is not _UNSET:
            raise PlanError(
                "Du kan ændre ordlyden af dit mål. Livsområde og kobling til indsatsmål ændres af din kontaktperson.",
                code="staff_only",
            )
    plan = _locked(goal.plan)
    goal = PlanGoal.objects.select_for_update().get(pk=goal.pk, plan=plan)
    before = audit.snapshot(goal)
    goal.citizen_wording = _require_text(citizen_wording, "Skriv målet med egne ord.")
    if domain is not None:
        if domain not in LifeDomain.values:
            raise PlanError("Vælg et livsområde.", code="domain")
        goal.domain = domain
    if intervention_goal is not _UNSET:
        _check_goal_link(plan, intervention_goal)
        goal.intervention_goal = intervention_goal
    save_if_unchanged(goal, expected_version, ["citizen_wording", "domain", "intervention_goal"], what="Målet")
    audit.record(user, Action.UPDATE, goal, before=before, after=audit.snapshot(goal))
    _new_version(user, plan, f"ændrede målet om {goal.get_domain_display().lower()}")
    return goal


def _check_grant(plan: Plan, grant):
    if grant is not None and not Grant.objects.filter(pk=grant.pk, case__citizen_id=plan.citizen_id).exists():
        raise PlanError("Bevillingen hører ikke til borgeren.", code="foreign_grant")


def _effort_fields(plan, data: dict) -> dict:
    fields = {
        k: data.get(k)
        for k in ("owner_kind", "title", "owner_name", "responsible", "status", "start", "end", "grant")
        if k in data
    }
    if "title" in fields:
        fields["title"] = _require_text(fields["title"], "Skriv hvad indsatsen er.")
    if fields.get("owner_kind") not in PlanEffort.OwnerKind.values:
        raise PlanError("Vælg hvem der står for indsatsen.", code="owner_kind")
    if fields.get("status") and fields["status"] not in PlanEffort.Status.values:
        raise PlanError("Vælg en status.", code="status")
    if fields.get("start") and fields.get("end") and fields["end"] < fields["start"]:
        raise PlanError("Slutdatoen kan ikke ligge før startdatoen.", code="dates")
    _check_grant(plan, fields.get("grant"))
    if fields.get("owner_kind") == PlanEffort.OwnerKind.GRANT and not fields.get("grant"):
        raise PlanError("Vælg den bevilling, indsatsen bygger på.", code="grant_required")
    for key in ("owner_name", "responsible"):
        if key in fields:
            fields[key] = (fields[key] or "").strip()
    return fields


@transaction.atomic
def add_effort(user, plan: Plan, **data) -> PlanEffort:
    policy.require(user, policy.EDIT_PLAN, plan.citizen)
    plan = _locked(plan)
    effort = PlanEffort.objects.create(plan=plan, **_effort_fields(plan, data))
    audit.record(user, Action.CREATE, effort, after=audit.snapshot(effort))
    _new_version(user, plan, f"tilføjede indsatsen '{_short(effort.title)}'")
    return effort


@transaction.atomic
def update_effort(user, effort: PlanEffort, *, expected_version: int | None = None, **data) -> PlanEffort:
    policy.require(user, policy.EDIT_PLAN, effort.plan.citizen)
    plan = _locked(effort.plan)
    effort = PlanEffort.objects.select_for_update().get(pk=effort.pk, plan=plan)
    before = audit.snapshot(effort)
    current = {
        k: getattr(effort, k) for k in ("owner_kind", "title", "owner_name", "responsible", "status", "start", "end", "grant")
    }
    fields = _effort_fields(plan, current | data)
    for key, value in fields.items():
        setattr(effort, key, value)
    save_if_unchanged(effort, expected_version, list(fields), what="Indsatsen")
    audit.record(user, Action.UPDATE, effort, before=before, after=audit.snapshot(effort))
    _new_version(user, plan, f"ændrede indsatsen '{_short(effort.title)}'")
    return effort


@transaction.atomic
def add_agreement(
    user, plan: Plan, *, who: str, what: str, due: dt.date | None = None, responsible_is_citizen: bool = False
) -> Agreement:
    policy.require(user, policy.EDIT_PLAN, plan.citizen)
    plan = _locked(plan)
    agreement = Agreement.objects.create(
        plan=plan,
        who=_require_text(who, "Skriv hvem der gør det."),
        what=_require_text(what, "Skriv hvad der skal gøres."),
        due=due,
        responsible_is_citizen=responsible_is_citizen,
    )
    audit.record(user, Action.CREATE, agreement, after=audit.snapshot(agreement))
    _new_version(user, plan, f"tilføjede aftalen '{_short(agreement.what)}'")
    return agreement


@transaction.atomic
def mark_agreement(user, agreement: Agreement, done: bool) -> Agreement:
    """The citizen marks their own agreements; staff editors mark any."""
    policy.require(user, policy.MARK_AGREEMENT, agreement)
    plan = _locked(agreement.plan)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk, plan=plan)
    before = audit.snapshot(agreement)
    agreement.done = bool(done)
    agreement.done_at = timezone.now() if done else None
    agreement.done_by = user if done else None
    agreement.save()
    audit.record(user, Action.UPDATE, agreement, before=before, after=audit.snapshot(agreement))
    state = "gjort" if done else "ikke gjort"
    _new_version(user, plan, f"markerede aftalen '{_short(agreement.what)}' som {state}")
    return agreement


@transaction.atomic
def add_comment(user, target, text: str) -> PlanComment:
    """A comment on a goal (PlanGoal) or an agreement (Agreement)."""
    if not isinstance(target, (PlanGoal, Agreement)):
        raise PlanError("Der kan kun kommenteres på mål og aftaler.", code="target")
    policy.require(user, policy.COMMENT_PLAN, target)
    plan = _locked(target.plan)
    text = _require_text(text, "Skriv en kommentar.")
    kind = "goal" if isinstance(target, PlanGoal) else "agreement"
    comment = PlanComment.objects.create(plan=plan, author=user, text=text, **{kind: target})
    audit.record(user, Action.CREATE, comment, after=audit.snapshot(comment))
    where = "et mål" if kind == "goal" else "en aftale"
    _new_version(user, plan, f"kommenterede {where}")
    return comment


# --- The provider's pedagogical plan and status notes -----------------------------------


def _order_goals(order: Order):
    return InterventionGoal.objects.filter(grant_id=order.grant_id)


@transaction.atomic
def add_provider_item(user, order: Order, *, kind: str, text: str, intervention_goal=None) -> ProviderPlanItem:
    policy.require(user, policy.EDIT_PROVIDER_PLAN, order)
    plan = _locked(get_or_create_plan(order.citizen, user))
    if kind not in ProviderPlanItem.Kind.values:
        raise PlanError("Vælg delmål eller aktivitet.", code="kind")
    if intervention_goal is not None and not _order_goals(order).filter(pk=intervention_goal.pk).exists():
        raise PlanError("Indsatsmålet hører ikke til bestillingen.", code="foreign_goal")
    provider_plan, _ = ProviderPlan.objects.get_or_create(order=order, defaults={"plan": plan})
    item = ProviderPlanItem.objects.create(
        provider_plan=provider_plan,
        kind=kind,
        intervention_goal=intervention_goal,
        text=_require_text(text, "Skriv delmålet eller aktiviteten."),
    )
    audit.record(user, Action.CREATE, item, citizen=plan.citizen, after=audit.snapshot(item))
    _new_version(user, plan, f"tilføjede {item.get_kind_display().lower()} i den pædagogiske plan ({order.provider.name})")
    return item


@transaction.atomic
def add_status_note(user, order: Order, *, text: str, written_with_citizen: bool = True, follow_up=None) -> StatusNote:
    policy.require(user, policy.EDIT_PROVIDER_PLAN, order)
    plan = _locked(get_or_create_plan(order.citizen, user))
    if follow_up is not None and not FollowUp.objects.filter(pk=follow_up.pk, grant_id=order.grant_id).exists():
        raise PlanError("Opfølgningen hører ikke til bestillingens bevilling.", code="foreign_follow_up")
    note = StatusNote.objects.create(
        plan=plan,
        order=order,
        follow_up=follow_up,
        author=user,
        written_with_citizen=written_with_citizen,
        text=_require_text(text, "Skriv statusnotatet."),
    )
    audit.record(user, Action.CREATE, note, after=audit.snapshot(note))
    _new_version(user, plan, f"skrev et statusnotat ({order.provider.name})")
    return note


# --- Offers and courses from the catalogue -----------------------------------------------


def owner_kind_for(offer) -> str:
    """Who stands for an effort built on a catalogue offer, from the offer's kind and owner:
    the region's psychiatry; peer support; volunteers and civil society (voluntary owners,
    and cafés or relatives' counselling not run by the municipality); the jobcenter; another
    centre of the municipality; otherwise (courses, other municipalities, self-governing
    and private providers) "Andet"."""
    from samplan.catalogue.models import Offer
    from samplan.core.models import OrgUnit

    owner, kind = offer.owner, offer.kind
    Owner = PlanEffort.OwnerKind
    if kind == Offer.Kind.REGION or owner.kind == OrgUnit.Kind.REGION or owner.ownership == OrgUnit.Ownership.REGIONAL:
        return Owner.REGION
    if kind == Offer.Kind.PEER:
        return Owner.PEER
    if kind == Offer.Kind.COURSE:
        return Owner.OTHER
    if owner.ownership == OrgUnit.Ownership.VOLUNTARY or kind == Offer.Kind.VOLUNTARY:
        return Owner.CIVIL
    if owner.ownership == OrgUnit.Ownership.MUNICIPAL and owner.kind in (
        OrgUnit.Kind.CENTRE,
        OrgUnit.Kind.TEAM,
        OrgUnit.Kind.PROVIDER,
    ):
        names = [owner.name, owner.parent.name if owner.parent_id else ""]
        if any("jobcenter" in n.lower() or "arbejdsmarked" in n.lower() for n in names):
            return Owner.JOBCENTER
        return Owner.CENTRE
    if kind in (Offer.Kind.CAFE, Offer.Kind.RELATIVES):
        return Owner.CIVIL
    return Owner.OTHER


def offer_dates(offer) -> tuple[dt.date | None, dt.date | None]:
    """First and last session of a recovery-school course behind the offer (else no dates)."""
    from django.core.exceptions import ObjectDoesNotExist
    from django.db.models import Max, Min

    try:
        course = offer.course
    except ObjectDoesNotExist:
        return None, None
    span = course.sessions.aggregate(first=Min("date"), last=Max("date"))
    return span["first"], span["last"]


def active_offer_ids(plan: Plan) -> set[int]:
    """Offers already in the plan as an effort that has not ended."""
    if plan.pk is None:
        return set()
    return set(
        plan.efforts.filter(offer__isnull=False).exclude(status=PlanEffort.Status.ENDED).values_list("offer_id", flat=True)
    )


@transaction.atomic
def add_offer_effort(user, plan_or_citizen, offer, *, status: str | None = None, responsible: str = "") -> PlanEffort:
    """Add an offer or a course from the public catalogue to the citizen's plan as an effort
    linked to the offer. Staff who edit the plan, or the citizen in Min side, may do it."""
    from samplan.catalogue.search import public_offers

    citizen = plan_or_citizen.citizen if isinstance(plan_or_citizen, Plan) else plan_or_citizen
    if not policy.can(user, policy.EDIT_PLAN, citizen):
        policy.require(user, policy.EDIT_OWN_PLAN, citizen)
    if not public_offers().filter(pk=offer.pk).exists():
        raise PlanError("Tilbuddet findes ikke i det offentlige katalog.", code="unpublished")
    if status is not None and status not in PlanEffort.Status.values:
        raise PlanError("Vælg en status.", code="status")
    plan = _locked(get_or_create_plan(citizen, user))
    if plan.efforts.filter(offer=offer).exclude(status=PlanEffort.Status.ENDED).exists():
        raise PlanError(f"»{offer.title}« er allerede i planen.", code="duplicate")
    start, end = offer_dates(offer)
    owner_name = offer.owner.name
    course = getattr(offer, "course", None)  # RelatedObjectDoesNotExist is an AttributeError
    if course is not None:  # a course: the school and the partner running it
        owner_name = f"{course.term.school.name} – {course.owner.name}"
    effort = PlanEffort.objects.create(
        plan=plan,
        offer=offer,
        owner_kind=owner_kind_for(offer),
        title=offer.title[:200],
        owner_name=owner_name[:200],
        responsible=(responsible or "").strip()[:200],
        status=status or PlanEffort.Status.PLANNED,
        start=start,
        end=end,
    )
    audit.record(user, Action.CREATE, effort, after=audit.snapshot(effort))
    _new_version(user, plan, f"tilføjede '{_short(offer.title)}' fra tilbudskataloget")
    return effort
