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

# Actions on a citizen or an object in the citizen's case spine.
VIEW = "view"
REVEAL_CPR = "reveal_cpr"
WORK_CASE = "work_case"  # register inquiries, assess, decide, grant, order, follow up
ACCEPT_ORDER = "accept_order"
REVIEW_GRANT = "review_grant"  # approve, reject or return a grant beyond a caseworker's competence

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
    # Relatives get access through consent (a later issue); managers and administrators
    # see aggregates and the audit trail, not individual citizens.
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
    if not can_see_citizen(user, citizen):
        return False
    if user.role == Role.PROVIDER_STAFF and _is_order(obj) and obj.provider_id != user.unit_id:
        # A provider sees its own orders, not what the citizen receives from others.
        return False
    if action == VIEW:
        return True
    if action == REVEAL_CPR:
        return user.role in (Role.CASEWORKER, Role.COORDINATOR, Role.COMMITTEE, Role.PROVIDER_STAFF)
    if action == WORK_CASE:
        return user.role == Role.CASEWORKER
    if action == ACCEPT_ORDER:
        return user.role == Role.PROVIDER_STAFF and getattr(obj, "provider_id", None) == user.unit_id
    if action == REVIEW_GRANT:
        return user.role == Role.COMMITTEE and _is_grant(obj)
    return False


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
