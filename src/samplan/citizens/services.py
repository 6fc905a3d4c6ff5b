"""Registering citizens: the one path that creates a Citizen row."""

from django.db import IntegrityError, transaction

from samplan.core import audit
from samplan.core.errors import DomainError
from samplan.core.models import AuditEvent

from .models import Citizen

DUPLICATE = "Der findes allerede en borger med dette CPR-nummer i kommunen."


def register_citizen(user, *, acting_municipality=None, **fields) -> Citizen:
    """Register a citizen in the caseworker's own municipality and authority unit (so the
    caseworker can see them); the creation is audited (the snapshot masks the CPR)."""
    if not user.municipality_id or not user.unit_id:
        raise DomainError("Din bruger er ikke knyttet til en kommune og en myndighedsenhed.", code="no_unit")
    try:
        with transaction.atomic():
            citizen = Citizen.objects.create(
                municipality_id=user.municipality_id,
                acting_municipality_id=getattr(acting_municipality, "pk", None) or user.municipality_id,
                unit_id=user.unit_id,
                caseworker=user,
                **fields,
            )
            audit.record(user, AuditEvent.Action.CREATE, citizen, after=audit.snapshot(citizen))
    except IntegrityError:
        raise DomainError(DUPLICATE, code="duplicate") from None
    return citizen
