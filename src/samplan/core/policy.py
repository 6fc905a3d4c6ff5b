"""The one access policy: "may this user do this to this object?".

Deny by default. Every view and API endpoint asks here, either through ``require`` (one
object or one capability) or through ``citizens_for`` (a queryset already restricted to
what the user may see). Objects the user may not see are reported as missing (404) so
their existence does not leak; capabilities the role lacks are refused (403)."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from .models import Role

# Capabilities that do not concern one citizen.
SEARCH_CITIZENS = "citizen.search"
CREATE_CITIZEN = "citizen.create"
VIEW_AUDIT = "audit.view"
VIEW_AGGREGATES = "aggregates.view"
VIEW_TERMINOLOGY = "terminology.view"
VIEW_CASEWORKER_WORKLIST = "worklist.caseworker"
VIEW_PROVIDER_WORKLIST = "worklist.provider"
VIEW_REPORTS = "reports.view"  # aggregated reports without personal data
VIEW_STANDARDS = "standards.view"
MANAGE_STANDARDS = "standards.manage"
WORK_CASES = "cases.work"  # the role works cases at all (each object is still checked)
REVIEW_GRANTS = "grant.review"  # the allocation committee's queue (visitationsudvalget)
MANAGE_CATALOGUE = "catalogue.manage"  # edit offers: maintainers their own organisation's, editors the municipality's

# Actions on a citizen or an object in the citizen's case spine.
VIEW = "view"
REVEAL_CPR = "reveal_cpr"
WORK_CASE = "work_case"  # register inquiries, assess, decide, grant, order, follow up
ACCEPT_ORDER = "accept_order"
REVIEW_GRANT = "review_grant"  # approve, reject or return a grant beyond a caseworker's competence
# The coherent plan (samlet plan, samplan.plans).
VIEW_PLAN = "plan.view"  # read the plan, its versions and the PDF
EDIT_PLAN = "plan.edit"  # the staff parts: wishes, goals, efforts, agreements, next meeting
EDIT_OWN_PLAN = "plan.edit_own"  # the citizen's parts: wishes, own goal wording, comments, own agreements
COMMENT_PLAN = "plan.comment"  # comment on a goal or an agreement
MARK_AGREEMENT = "plan.mark_agreement"  # mark an agreement done / not done
EDIT_PROVIDER_PLAN = "plan.edit_provider"  # the provider's pedagogical plan and status notes, on an Order

# Consent (samplan.consent): the citizen's plan as a capability on a citizen — staff by the
# normal VIEW rule, the citizen themself, a relative only with current consent.
SEE_PLAN = "see_plan"
MANAGE_CONSENT = "consent.manage"  # give/withdraw consents, add network members: the citizen or their caseworker

STAFF_ROLES = {Role.CASEWORKER, Role.COMMITTEE, Role.PROVIDER_STAFF, Role.COORDINATOR, Role.MANAGER, Role.ADMIN}
AUTHORITY_ROLES = {Role.CASEWORKER, Role.COORDINATOR, Role.COMMITTEE}

_CAPABILITIES = {
    SEARCH_CITIZENS: AUTHORITY_ROLES,
    CREATE_CITIZEN: {Role.CASEWORKER},
    VIEW_AUDIT: {Role.ADMIN},
    VIEW_AGGREGATES: {Role.MANAGER, Role.ADMIN},
    VIEW_TERMINOLOGY: STAFF_ROLES,
    VIEW_CASEWORKER_WORKLIST: {Role.CASEWORKER, Role.COORDINATOR},
    VIEW_PROVIDER_WORKLIST: {Role.PROVIDER_STAFF},
    VIEW_REPORTS: AUTHORITY_ROLES | {Role.MANAGER, Role.ADMIN},
    VIEW_STANDARDS: STAFF_ROLES,
    MANAGE_STANDARDS: {Role.ADMIN},
    REVIEW_GRANTS: {Role.COMMITTEE},
    WORK_CASES: {Role.CASEWORKER},
    MANAGE_CATALOGUE: {Role.OFFER_MAINTAINER, Role.CATALOGUE_EDITOR},
}


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role)


def has_capability(user, capability: str) -> bool:
    return _active(user) and user.role in _CAPABILITIES.get(capability, set())


def citizens_for(user) -> QuerySet:
    """The citizens this user may see, as a queryset (empty unless a rule allows)."""
    from samplan.cases.models import Order
    from samplan.citizens.models import Citizen

    none = Citizen.objects.none()
    if not _active(user):
        return none
    if user.role == Role.CASEWORKER:
        if not user.municipality_id or not user.unit_id:
            return none
        return Citizen.objects.filter(municipality_id=user.municipality_id, unit_id=user.unit_id)
    if user.role == Role.COMMITTEE:
        # The allocation committee reviews grants from every unit of its municipality.
        if not user.municipality_id:
            return none
        return Citizen.objects.filter(municipality_id=user.municipality_id)
    if user.role == Role.COORDINATOR:
        if not user.municipality_id:
            return none
        return Citizen.objects.filter(municipality_id=user.municipality_id, coordinator=user)
    if user.role == Role.PROVIDER_STAFF:
        if not user.unit_id:
            return none
        with_order = Order.objects.filter(provider_id=user.unit_id, status__in=Order.ACTIVE_STATUSES)
        return Citizen.objects.filter(municipality_id=user.municipality_id, pk__in=with_order.values("citizen_id"))
    if user.role == Role.CITIZEN:
        return Citizen.objects.filter(user=user)
    # Relatives never see the case spine: they reach only what current consent allows
    # (relative_may, SEE_PLAN); managers and administrators see aggregates and the audit
    # trail, not individual citizens.
    return none


def citizen_of(obj):
    """The citizen an object of the case spine belongs to."""
    from samplan.citizens.models import Citizen

    if isinstance(obj, Citizen):
        return obj
    for attr in ("citizen", "case", "assessment", "grant", "decision"):
        if hasattr(obj, attr):
            return citizen_of(getattr(obj, attr))
    raise TypeError(f"{type(obj).__name__} does not belong to a citizen")


def can_see_citizen(user, citizen) -> bool:
    return citizens_for(user).filter(pk=citizen.pk).exists()


def can(user, action: str, obj=None) -> bool:
    if obj is None:
        return has_capability(user, action)
    if not _active(user):
        return False
    citizen = citizen_of(obj)
    if action == SEE_PLAN and user.role == Role.RELATIVE:
        return relative_may(user, citizen, SEE_PLAN)
    if not can_see_citizen(user, citizen):
        return False
    if user.role == Role.PROVIDER_STAFF and _is_order(obj) and obj.provider_id != user.unit_id:
        # A provider sees its own orders, not what the citizen receives from others.
        return False
    if action in (VIEW, SEE_PLAN):
        return True
    if action == MANAGE_CONSENT:
        return user.role in (Role.CITIZEN, Role.CASEWORKER)
    if action == REVEAL_CPR:
        return user.role in (Role.CASEWORKER, Role.COORDINATOR, Role.COMMITTEE, Role.PROVIDER_STAFF)
    if action == WORK_CASE:
        return user.role == Role.CASEWORKER
    if action == ACCEPT_ORDER:
        return user.role == Role.PROVIDER_STAFF and getattr(obj, "provider_id", None) == user.unit_id
    if action == REVIEW_GRANT:
        return user.role == Role.COMMITTEE and _is_grant(obj)
    if action in _PLAN_ACTIONS:
        return _can_plan(user, action, obj, citizen)
    return False


_PLAN_ACTIONS = {VIEW_PLAN, EDIT_PLAN, EDIT_OWN_PLAN, COMMENT_PLAN, MARK_AGREEMENT, EDIT_PROVIDER_PLAN}


def _can_plan(user, action: str, obj, citizen) -> bool:
    """The coherent plan: staff who see the citizen read it; the caseworker and the
    citizen's coordinator edit the staff parts; the citizen edits their own parts; provider
    staff edit only their pedagogical plan and status notes on an active order of theirs.
    Relatives are not given the plan here (consent-based access comes separately)."""
    is_editor = user.role == Role.CASEWORKER or (user.role == Role.COORDINATOR and citizen.coordinator_id == user.pk)
    is_self = user.role == Role.CITIZEN and citizen.user_id == user.pk
    if action == VIEW_PLAN:
        return user.role in STAFF_ROLES or is_self
    if action == EDIT_PLAN:
        return is_editor
    if action == EDIT_OWN_PLAN:
        return is_self
    if action == COMMENT_PLAN:
        return is_editor or is_self
    if action == MARK_AGREEMENT:
        return may_mark_agreement({"edit": is_editor, "edit_own": is_self}, obj)
    if action == EDIT_PROVIDER_PLAN:
        from samplan.cases.models import Order

        return (
            user.role == Role.PROVIDER_STAFF
            and _is_order(obj)
            and obj.provider_id == user.unit_id
            and obj.status in Order.ACTIVE_STATUSES
        )
    return False


def may_mark_agreement(rights: dict, agreement) -> bool:
    """Given a user's plan rights for the citizen (``can`` of EDIT_PLAN/EDIT_OWN_PLAN, asked
    once per page): staff editors mark any agreement, the citizen only their own."""
    return bool(rights.get("edit") or (rights.get("edit_own") and getattr(agreement, "responsible_is_citizen", False)))


def _is_order(obj) -> bool:
    from samplan.cases.models import Order

    return isinstance(obj, Order)


def _is_grant(obj) -> bool:
    from samplan.cases.models import Grant

    return isinstance(obj, Grant)


def require(user, action: str, obj=None) -> None:
    """Raise 404 when the object is invisible to the user, 403 when the action is not theirs."""
    if obj is None:
        if not has_capability(user, action):
            raise PermissionDenied("Du har ikke adgang til denne funktion.")
        return
    if action == SEE_PLAN and _active(user) and user.role == Role.RELATIVE:
        # Linked but without current consent: 403; not linked at all: 404.
        citizen = citizen_of(obj)
        if not relative_may(user, citizen, SEE_PLAN):
            if _membership(user, citizen) is None:
                raise Http404("Siden findes ikke.")
            raise PermissionDenied("Borgeren har ikke givet samtykke til, at du kan se planen.")
        return
    if not _active(user) or not can_see_citizen(user, citizen_of(obj)):
        raise Http404("Siden findes ikke.")
    if user.role == Role.PROVIDER_STAFF and _is_order(obj) and obj.provider_id != user.unit_id:
        raise Http404("Siden findes ikke.")
    if not can(user, action, obj):
        raise PermissionDenied("Du har ikke adgang til at gøre dette.")


def visible(user, queryset: QuerySet, citizen_field: str = "citizen") -> QuerySet:
    """Restrict any queryset of spine objects to those of citizens the user may see."""
    from samplan.cases.models import Order

    queryset = queryset.filter(**{f"{citizen_field}__in": citizens_for(user)})
    if queryset.model is Order and _active(user) and user.role == Role.PROVIDER_STAFF:
        queryset = queryset.filter(provider_id=user.unit_id)
    return queryset


def membership(user, citizen):
    """The user's own NetworkMember row in the citizen's network (or None)."""
    from samplan.citizens.models import NetworkMember

    return NetworkMember.objects.filter(citizen=citizen, user=user).first()


_membership = membership


def relative_may(user, citizen, kind: str) -> bool:
    """A relative may do ``kind`` for this citizen only while the citizen's consent is
    current. Asked on every request — a withdrawal counts from the very next one."""
    if not _active(user) or user.role != Role.RELATIVE:
        return False
    member = _membership(user, citizen)
    if member is None:
        return False
    from samplan.consent.services import current

    return current(member, kind)


# --- The offer catalogue and the recovery school -----------------------------------------
# Offers and courses are public to read. Editing and participants' contact data are not.


def offers_editable_by(user) -> QuerySet:
    """Offers this user may edit: an offer maintainer those owned by their organisation,
    the catalogue editor every offer of their municipality."""
    from samplan.catalogue.models import Offer

    if not _active(user) or not user.municipality_id:
        return Offer.objects.none()
    if user.role == Role.CATALOGUE_EDITOR:
        return Offer.objects.filter(municipality_id=user.municipality_id)
    if user.role == Role.OFFER_MAINTAINER and user.unit_id:
        return Offer.objects.filter(municipality_id=user.municipality_id, owner_id=user.unit_id)
    return Offer.objects.none()


def require_offer_edit(user, offer) -> None:
    require(user, MANAGE_CATALOGUE)
    if not offers_editable_by(user).filter(pk=offer.pk).exists():
        raise Http404("Siden findes ikke.")


def partners_of(user) -> QuerySet:
    """The recovery-school partners this user works for (empty for citizens and relatives)."""
    from samplan.courses.models import Partner

    if not _active(user) or user.role in (Role.CITIZEN, Role.RELATIVE):
        return Partner.objects.none()
    return Partner.objects.filter(members=user)


def courses_managed_by(user) -> QuerySet:
    """Courses this user runs: those owned by a partner they work for."""
    from samplan.courses.models import Course

    return Course.objects.filter(owner__in=partners_of(user))


def require_course_manage(user, course) -> None:
    if not courses_managed_by(user).filter(pk=course.pk).exists():
        if _active(user) and partners_of(user).exists():
            raise PermissionDenied("Kun den kursusansvarlige samarbejdspart kan administrere kurset.")
        raise Http404("Siden findes ikke.")


def enrolments_visible(user, queryset: QuerySet | None = None) -> QuerySet:
    """Enrolments with contact data this user may see: all of the courses their partner
    runs, and their own partner's residents on any course. Other partners' participants on
    other partners' courses only ever appear in totals."""
    from django.db.models import Q

    from samplan.courses.models import Enrolment

    queryset = Enrolment.objects.all() if queryset is None else queryset
    partners = partners_of(user)
    return queryset.filter(Q(course__owner__in=partners) | Q(home_partner__in=partners))


def may_view_course_reports(user, has_partner: bool | None = None) -> bool:
    """The shared totals (no contact data): partners' staff, managers and the catalogue editor.
    ``has_partner`` is ``partners_of(user).exists()`` when the caller already knows it."""
    if not _active(user):
        return False
    if user.role in (Role.MANAGER, Role.ADMIN, Role.CATALOGUE_EDITOR):
        return True
    return partners_of(user).exists() if has_partner is None else has_partner
