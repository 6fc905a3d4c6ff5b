"""What the case spine tells people through their inbox (samplan.inbox): the committee's
answer to the caseworker, orders to the provider's staff and back. Called by services in
the same transaction, so a refused or rolled-back step notifies nobody."""

from django.urls import reverse

from samplan.core.models import Role, User
from samplan.inbox import services as inbox
from samplan.inbox.models import Notification, Task

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


def _case_owner(case) -> User | None:
    return case.caseworker or case.citizen.caseworker


def consultation_key(consultation) -> str:
    return f"consultation:{consultation.pk}"


def consultation_sent(consultation) -> None:
    """The deadline runs from delivery: a task for the caseworker on the response deadline."""
    owner = _case_owner(consultation.case)
    if owner is None:
        return
    inbox.ensure_task(
        owner,
        kind=Task.Kind.CONSULTATION_DEADLINE,
        title=f"Svarfrist for partshøring: {consultation.citizen.full_name}",
        due=consultation.response_deadline,
        url=reverse("consultation-detail", args=[consultation.pk]),
        citizen=consultation.citizen,
        key=consultation_key(consultation),
    )


def consultation_answered(answer) -> None:
    """The citizen answered on Min side: the caseworker hears of it; the deadline task is done."""
    consultation = answer.consultation
    inbox.close_tasks(consultation_key(consultation))
    owner = _case_owner(consultation.case)
    if owner is None or answer.registered_by_id == owner.pk:
        return
    inbox.notify(
        owner,
        kind=Notification.Kind.CONSULTATION_ANSWERED,
        text=f"{consultation.citizen.full_name} har svaret på partshøringen.",
        url=reverse("consultation-detail", args=[consultation.pk]),
        citizen=consultation.citizen,
        key=f"consultation_answer:{answer.pk}",
    )


def case_decided(case) -> None:
    """A decision closes the deadline tasks of the case's consultations."""
    inbox.close_tasks_many(f"consultation:{pk}" for pk in case.consultations.values_list("pk", flat=True))


_ANSWERS = {
    Order.Status.PROPOSED: (Notification.Kind.ORDER_PROPOSED, "{provider} foreslår en anden startdato for {name}."),
    Order.Status.DECLINED: (Notification.Kind.ORDER_DECLINED, "{provider} har afvist bestillingen til {name}."),
}


def order_answered(order: Order) -> None:
    """The provider proposed another start or declined: the caseworker must act."""
    kind, text = _ANSWERS[Order.Status(order.status)]
    citizen = order.citizen
    inbox.notify(
        caseworker_of(order.grant),
        kind=kind,
        text=text.format(provider=order.provider, name=citizen.full_name),
        url=reverse("case-detail", args=[order.grant.case_id]),
        citizen=citizen,
        key=f"{kind}:{order.pk}:{order.row_version}",
    )
