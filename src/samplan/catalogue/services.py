"""Changing the offer catalogue. Every change goes through here: the access policy is asked
(offer maintainers their own organisation's offers, the catalogue editor every offer of the
municipality), the change is audited with before/after, and the search index is updated.
Reading is public and needs no service."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from samplan.core import audit, policy
from samplan.core.locking import save_if_unchanged
from samplan.core.models import AuditEvent

from . import search
from .models import Offer

# What a maintainer or editor may set (everything but identity, bookkeeping and the index).
EDITABLE = [
    "kind",
    "title",
    "summary",
    "description",
    "audience",
    "open_access",
    "access_note",
    "legal_basis",
    "standard",
    "price_kr",
    "price_note",
    "address",
    "postcode",
    "city",
    "area",
    "opening_hours",
    "phone",
    "email",
    "website",
    "accessibility",
    "languages",
    "owner",
    "published",
]
_NOT_AUDITED = {"search_vector", "search_stems"}


def snapshot(offer: Offer) -> dict:
    data = {k: v for k, v in audit.snapshot(offer).items() if k not in _NOT_AUDITED}
    data["target_groups"] = sorted(offer.target_groups.values_list("pk", flat=True)) if offer.pk else []
    return data


def owner_choices(user):
    """The organisations the user may make an offer owner (the policy's answer)."""
    return policy.offer_owner_choices(user)


def _owner_for(user, requested):
    if policy.offer_owner_is_fixed(user):
        if not user.unit_id:
            raise ValidationError("Du er ikke knyttet til en organisation og kan ikke oprette tilbud.")
        return user.unit  # a maintainer's offers always belong to their own organisation
    if requested is None or not owner_choices(user).filter(pk=requested.pk).exists():
        raise ValidationError("Vælg en organisation i kommunen som ejer af tilbuddet.")
    return requested


def _apply(offer: Offer, fields: dict) -> None:
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValueError(f"Kan ikke ændre: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(offer, name, value)


@transaction.atomic
def create_offer(user, *, target_groups=(), verified: bool = False, **fields) -> Offer:
    """Create an offer in the user's municipality. ``verified`` sets last_verified to today."""
    policy.require(user, policy.MANAGE_CATALOGUE)
    offer = Offer(municipality_id=user.municipality_id, updated_by=user)
    _apply(offer, fields)
    offer.owner = _owner_for(user, fields.get("owner"))
    if verified:
        offer.last_verified = timezone.localdate()
    offer.save()
    offer.target_groups.set(target_groups)
    search.index(offer)
    audit.record(user, AuditEvent.Action.CREATE, offer, after=snapshot(offer))
    return offer


@transaction.atomic
def update_offer(
    user, offer: Offer, *, target_groups=None, verified: bool = False, expected_version: int | None = None, **fields
) -> Offer:
    """Change an offer the user may edit (404 otherwise). ``target_groups=None`` keeps them.
    ``expected_version`` is the ``row_version`` the editor read: saved by compare-and-set, a
    change by someone else meanwhile raises ``core.locking.EditConflict`` (no lost update)."""
    policy.require_offer_edit(user, offer)
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    before = snapshot(offer)
    _apply(offer, fields)
    offer.owner = _owner_for(user, fields.get("owner", offer.owner))
    if verified:
        offer.last_verified = timezone.localdate()
    offer.updated_by = user
    offer.updated_at = timezone.now()  # auto_now does not apply to the UPDATE below
    save_if_unchanged(offer, expected_version, [*fields, "owner", "last_verified", "updated_by", "updated_at"], what="Tilbuddet")
    if target_groups is not None:
        offer.target_groups.set(target_groups)
    search.index(offer)
    after = snapshot(offer)
    audit.record(user, AuditEvent.Action.UPDATE, offer, before=before, after=after)
    return offer


@transaction.atomic
def verify_offer(user, offer: Offer) -> Offer:
    """Confirm that the information is correct: last_verified becomes today."""
    policy.require_offer_edit(user, offer)
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    before = offer.last_verified
    offer.last_verified = timezone.localdate()
    offer.updated_by = user
    offer.save(update_fields=["last_verified", "updated_by", "updated_at"])
    audit.record(
        user,
        AuditEvent.Action.UPDATE,
        offer,
        before={"last_verified": before.isoformat() if before else None},
        after={"last_verified": offer.last_verified.isoformat()},
    )
    return offer


def current_standard_version(offer: Offer):
    """The version in force today of the offer's quality standard (for its citizen summary)."""
    if not offer.standard_id:
        return None
    return offer.standard.versions.filter(adopted_on__lte=timezone.localdate()).order_by("-adopted_on", "-version").first()
