"""Tenancy, organisation, users and the append-only audit trail."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models

from .validators import validate_municipality_code


class Municipality(models.Model):
    """Kommune: the tenant. Every citizen-related row belongs to exactly one."""

    code = models.CharField("kommunekode", max_length=4, unique=True, validators=[validate_municipality_code])
    name = models.CharField("navn", max_length=100)

    class Meta:
        verbose_name = "kommune"
        verbose_name_plural = "kommuner"
        ordering = ["name"]

    def __str__(self):
        return self.name


class OrgUnit(models.Model):
    """Organisatorisk enhed: centre, team, provider (tilbud) or external partner."""

    class Kind(models.TextChoices):
        CENTRE = "centre", "Center"
        TEAM = "team", "Team / myndighedsenhed"
        PROVIDER = "provider", "Tilbud / leverandør"
        REGION = "region", "Regional samarbejdspart"
        OTHER = "other", "Anden"

    class Ownership(models.TextChoices):
        MUNICIPAL = "municipal", "Kommunal"
        SELF_GOVERNING = "self_governing", "Selvejende"
        PRIVATE = "private", "Privat"
        REGIONAL = "regional", "Regional"
        VOLUNTARY = "voluntary", "Frivillig forening / civilsamfund"

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="units")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    name = models.CharField("navn", max_length=200)
    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    ownership = models.CharField("ejerform", max_length=20, choices=Ownership.choices, default=Ownership.MUNICIPAL)
    # FFB tilbudstype; only meaningful for providers.
    offer_type = models.ForeignKey(
        "terminology.Concept", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="tilbudstype"
    )
    legal_bases = models.CharField("paragraffer", max_length=200, blank=True, help_text="fx §85, §104")

    class Meta:
        verbose_name = "enhed"
        verbose_name_plural = "enheder"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="orgunit_unique_name")]

    def __str__(self):
        return self.name

    @property
    def is_provider(self) -> bool:
        return self.kind == self.Kind.PROVIDER


class Role(models.TextChoices):
    """Roles of DOMAIN.md §2; the access policy decides what each may do."""

    CASEWORKER = "caseworker", "Myndighedssagsbehandler"
    COMMITTEE = "committee", "Medlem af visitationsudvalg"
    PROVIDER_STAFF = "provider_staff", "Medarbejder hos tilbud"
    COORDINATOR = "coordinator", "Koordinerende medarbejder"
    MANAGER = "manager", "Leder"
    ADMIN = "admin", "Administrator"
    CITIZEN = "citizen", "Borger"
    RELATIVE = "relative", "Pårørende"
    # The offer catalogue (samplan.catalogue): an offer's owner keeps its own offers up to
    # date; the municipal editor keeps the whole catalogue of the municipality.
    OFFER_MAINTAINER = "offer_maintainer", "Tilbudsansvarlig"
    CATALOGUE_EDITOR = "catalogue_editor", "Katalogredaktør"


# The people Samplan is about, who log in on Min side (samplan.portal). Every other role is
# staff (a municipality's or a provider's employee): the one definition of "staff" for the
# user model and the staff login's second factor (samplan.core.twofactor). Which staff see
# citizen data is the access policy's business (policy.STAFF_ROLES), not this set's.
PORTAL_ROLES = frozenset({Role.CITIZEN, Role.RELATIVE})


class User(AbstractUser):
    role = models.CharField("rolle", max_length=20, choices=Role.choices)
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.PROTECT, related_name="users", verbose_name="kommune"
    )
    # Caseworkers belong to an authority unit; provider staff to their provider.
    unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="staff", verbose_name="enhed")
    phone = models.CharField("telefon", max_length=20, blank=True)

    class Meta:
        verbose_name = "bruger"
        verbose_name_plural = "brugere"

    def __str__(self):
        return self.get_full_name() or self.username

    def clean(self):
        super().clean()
        if self.role and self.role not in PORTAL_ROLES and not self.municipality_id:
            raise ValidationError({"municipality": "Medarbejdere skal høre til en kommune."})
        if self.role == Role.PROVIDER_STAFF and (not self.unit_id or not self.unit.is_provider):
            raise ValidationError({"unit": "Medarbejdere hos et tilbud skal knyttes til et tilbud."})
        if self.role == Role.OFFER_MAINTAINER and not self.unit_id:
            raise ValidationError({"unit": "En tilbudsansvarlig skal knyttes til den organisation, der ejer tilbuddene."})


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError(self.model.changed_message)

    def delete(self):
        raise PermissionError(self.model.deleted_message)

    # bulk_update goes through update(); _raw_delete is only used by delete().


class AppendOnly(models.Model):
    """History that is never rewritten: rows are only inserted. Subclasses set the Danish
    messages and keep ``base_manager_name = "objects"`` in their Meta so related access and
    deletion collectors also use the guarded queryset."""

    changed_message = "Rækken kan ikke ændres; registrér en ny i stedet."
    deleted_message = "Rækken kan ikke slettes."

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True
        base_manager_name = "objects"

    def save(self, *args, **kwargs):
        if self.pk is not None or kwargs.get("force_update"):
            raise PermissionError(self.changed_message)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(self.deleted_message)


class AuditEvent(AppendOnly):
    """Append-only log of every read and change of citizen data (who, what, when).

    Users and citizens are stored as plain ids plus names so the row never changes,
    even if the user is later deactivated. On PostgreSQL a trigger also refuses
    UPDATE and DELETE (migration 0002)."""

    class Action(models.TextChoices):
        READ = "read", "Læst"
        CREATE = "create", "Oprettet"
        UPDATE = "update", "Ændret"
        TRANSITION = "transition", "Skiftet status"
        REVEAL_CPR = "reveal_cpr", "Vist CPR-nummer"
        SEARCH = "search", "Søgt"
        AUDIT_SEARCH = "audit_search", "Søgt i loggen"

    at = models.DateTimeField("tidspunkt", auto_now_add=True, db_index=True)
    user_id_ref = models.BigIntegerField("bruger-id", null=True)
    username = models.CharField("brugernavn", max_length=150, blank=True)
    role = models.CharField("rolle", max_length=20, blank=True)
    municipality_id_ref = models.BigIntegerField("kommune-id", null=True)
    citizen_id_ref = models.BigIntegerField("borger-id", null=True, db_index=True)
    object_type = models.CharField("objekttype", max_length=60)
    object_id = models.CharField("objekt-id", max_length=40, blank=True)
    action = models.CharField("handling", max_length=20, choices=Action.choices)
    channel = models.CharField("kanal", max_length=10, default="web")
    before = models.JSONField("før", null=True, blank=True)
    after = models.JSONField("efter", null=True, blank=True)
    request_id = models.CharField("request-id", max_length=36, blank=True)
    path = models.CharField("sti", max_length=300, blank=True)

    changed_message = "Logrækker kan ikke ændres."
    deleted_message = "Logrækker kan ikke slettes."

    class Meta:
        verbose_name = "logrække"
        verbose_name_plural = "log"
        ordering = ["-at", "-id"]
        # Related-object access and deletion collectors use the base manager: make it ours.
        base_manager_name = "objects"

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"

    @property
    def role_label(self) -> str:
        """The role in Danish (the row keeps the code it was written with)."""
        return str(Role(self.role).label) if self.role in Role.values else self.role

    @property
    def object_label(self) -> str:
        """The object type in Danish: the model's verbose name (a label, not an import)."""
        from django.apps import apps

        try:
            model = apps.get_model(self.object_type)
        except (LookupError, ValueError):
            return self.object_type
        return str(model._meta.verbose_name).capitalize()


class SubmitRecord(models.Model):
    """One create a user has submitted once: a page form's one-time ``form_token`` or an API
    ``Idempotency-Key``. The unique (user, channel, key) is the claim — inserted in the same
    transaction as the create — so a repeated or concurrent submit finds what the first made
    instead of making a second (``core.idempotency``). Nothing is stored when a form is shown."""

    class Channel(models.TextChoices):
        WEB = "web", "Side"
        API = "api", "API"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=3, choices=Channel.choices)
    key = models.CharField(max_length=100)
    # API: a hash of the body, so the same key with another body is refused (422).
    request_hash = models.CharField(max_length=64, blank=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    redirect_url = models.CharField(max_length=500, blank=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "channel", "key"], name="submit_record_unique_key")]

    def __str__(self) -> str:
        return f"{self.channel}:{self.key}"
