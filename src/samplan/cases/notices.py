"""What the case spine tells people through their inbox (samplan.inbox): the committee's
answer to the caseworker, orders to the provider's staff and back. Called by services in
the same transaction, so a refused or rolled-back step notifies nobody."""

from django.urls import reverse

from samplan.core.models import Role, User
from samplan.inbox import services as inbox
from samplan.inbox.models import Notification

from .models import CommitteeReview, Grant, Order

_REVIEW = {
    CommitteeReview.Outcome.APPROVED: (
        Notification.Kind.COMMITTEE_APPROVED,
        "Visitationsudvalget har godkendt bevillingen til {name}.",
    ),
    CommitteeReview.Outcome.REJECTED: (
        Notification.Kind.COMMITTEE_REJECTED,
        "Visitationsudvalget har afvist bevillingen til {name}.",
    ),
    CommitteeReview.Outcome.RETURNED: (
        Notification.Kind.COMMITTEE_RETURNED,
        "Visitationsudvalget har sendt bevillingen til {name} retur.",
    ),
}


def caseworker_of(grant: Grant) -> User | None:
    """Whom the spine's news of a grant is for: the case's caseworker, else who made the grant."""
    case = grant.case
    return case.caseworker or case.citizen.caseworker or grant.created_by


def provider_staff(order: Order):
    return User.objects.filter(unit_id=order.provider_id, role=Role.PROVIDER_STAFF, is_active=True)


def committee_reviewed(review: CommitteeReview) -> None:
    grant = review.grant
    kind, text = _REVIEW[CommitteeReview.Outcome(review.outcome)]
    citizen = grant.case.citizen
    inbox.notify(
        caseworker_of(grant),
        kind=kind,
        text=text.format(name=citizen.full_name),
        url=reverse("case-detail", args=[grant.case_id]),
        citizen=citizen,
        key=f"committee:{review.pk}",
    )


def order_created(order: Order) -> None:
    citizen = order.citizen
    inbox.notify_many(
        provider_staff(order),
        kind=Notification.Kind.ORDER_NEW,
        text=f"Ny bestilling: {citizen.full_name}.",
        url=reverse("order-detail", args=[order.pk]),
        citizen=citizen,
        key=f"order_new:{order.pk}",
    )


def order_changed(order: Order, grant: Grant) -> None:
    """The grant behind an active order changed (a new version took effect)."""
    citizen = order.citizen
    inbox.notify_many(
        provider_staff(order),
        kind=Notification.Kind.ORDER_CHANGED,
        text=f"Bevillingen bag bestillingen til {citizen.full_name} er ændret.",
        url=reverse("order-detail", args=[order.pk]),
        citizen=citizen,
        key=f"order_changed:{order.pk}:{grant.pk}",
    )


def order_accepted(order: Order) -> None:
    citizen = order.citizen
    inbox.notify(
        caseworker_of(order.grant),
        kind=Notification.Kind.ORDER_ACCEPTED,
        text=f"{order.provider} har modtaget bestillingen til {citizen.full_name}.",
        url=reverse("case-detail", args=[order.grant.case_id]),
        citizen=citizen,
        key=f"order_accepted:{order.pk}",
    )
