"""Registering citizens: the one path that creates a Citizen row."""

from django.db import IntegrityError, transaction

from samplan.core import audit
from samplan.core.errors import DomainError
from samplan.core.locking import save_if_unchanged
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


# Master data a caseworker corrects (the CPR number is not among them: a wrong CPR is a
# new registration, and the municipality and unit move with a hand-over).
MASTER_DATA_FIELDS = (
    "first_name",
    "last_name",
    "phone",
    "email",
    "address",
    "postcode",
    "city",
    "acting_municipality",
    "caseworker",
    "coordinator",
)


@transaction.atomic
def update_master_data(user, citizen: Citizen, *, expected_version: int | None, **fields) -> Citizen:
    """Correct a citizen's master data under optimistic locking (someone else's save since
    the page was opened is an EditConflict); the audit row holds before and after."""
    unknown = set(fields) - set(MASTER_DATA_FIELDS)
    if unknown:
        raise DomainError("Disse oplysninger kan ikke rettes her.", code="invalid")
    caseworker = fields.get("caseworker", citizen.caseworker)
    if caseworker is not None and (
        caseworker.municipality_id != citizen.municipality_id or caseworker.unit_id != citizen.unit_id
    ):
        raise DomainError("Sagsbehandleren skal høre til borgerens myndighedsenhed.", code="caseworker_unit")
    coordinator = fields.get("coordinator", citizen.coordinator)
    if coordinator is not None and coordinator.municipality_id != citizen.municipality_id:
        raise DomainError("Den koordinerende medarbejder skal høre til borgerens kommune.", code="coordinator_municipality")
    before = audit.snapshot(citizen)
    for name, value in fields.items():
        setattr(citizen, name, value.strip() if isinstance(value, str) else value)
    citizen.full_clean(exclude=["cpr", "birth_date", "municipality", "unit", "user"])
    save_if_unchanged(citizen, expected_version, list(fields), what="Borgerens stamdata")
    after = audit.snapshot(citizen)
    changed = {k for k in after if after[k] != before.get(k)} - {"row_version"}
    audit.record(
        user,
        AuditEvent.Action.UPDATE,
        citizen,
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed},
    )
    return citizen
