"""Citizen register (borgerregister)."""

from django.conf import settings
from django.db import models

from samplan.core.locking import Versioned
from samplan.core.validators import validate_phone, validate_postcode

from .cpr import mask_cpr, parse_cpr


class Citizen(Versioned):
    municipality = models.ForeignKey("core.Municipality", on_delete=models.PROTECT, related_name="citizens")
    first_name = models.CharField("fornavn", max_length=100)
    last_name = models.CharField("efternavn", max_length=100)
    cpr = models.CharField("CPR-nummer", max_length=10, validators=[parse_cpr])
    birth_date = models.DateField("fødselsdato")
    is_substitute_cpr = models.BooleanField("erstatningspersonnummer", default=False)
    phone = models.CharField("telefon", max_length=20, blank=True, validators=[validate_phone])
    email = models.EmailField("e-mail", blank=True)
    address = models.CharField("adresse", max_length=200, blank=True)
    postcode = models.CharField("postnummer", max_length=4, blank=True, validators=[validate_postcode])
    city = models.CharField("by", max_length=60, blank=True)
    acting_municipality = models.ForeignKey(
        "core.Municipality", on_delete=models.PROTECT, related_name="acting_for", verbose_name="handlekommune"
    )
    # The authority unit responsible for the citizen (caseworkers of this unit see them).
    unit = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="citizens", verbose_name="myndighedsenhed")
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="caseload",
        verbose_name="sagsbehandler",
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="coordinated",
        verbose_name="koordinerende medarbejder",
    )
    # The citizen's own login, when they have one.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="citizen_profile"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "borger"
        verbose_name_plural = "borgere"
        ordering = ["last_name", "first_name", "id"]
        constraints = [models.UniqueConstraint(fields=["municipality", "cpr"], name="citizen_unique_cpr")]
        indexes = [models.Index(fields=["municipality", "last_name", "first_name"])]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        info = parse_cpr(self.cpr)
        self.cpr, self.birth_date, self.is_substitute_cpr = info.number, info.birth_date, info.substitute
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def masked_cpr(self) -> str:
        return mask_cpr(self.cpr)


class NetworkMember(models.Model):
    """A person in the citizen's network (pårørende, friend, volunteer, own doctor …).
    Only some have a login (``user``). What a member may do — be contacted, be invited to
    meetings, see the plan — is the citizen's consent (samplan.consent), never this row."""

    class Kind(models.TextChoices):
        RELATIVE = "relative", "Pårørende"
        FRIEND = "friend", "Ven"
        NEIGHBOUR = "neighbour", "Nabo"
        VOLUNTEER = "volunteer", "Frivillig"
        PEER = "peer", "Peer/ligemand"
        MUNICIPAL = "municipal", "Medarbejder i kommunen"
        REGION = "region", "Regionspsykiatrien"
        GP = "gp", "Egen læge"
        JOBCENTER = "jobcenter", "Jobcenter"
        OTHER = "other", "Anden"

    class Circle(models.TextChoices):
        """How close the person is to the citizen (the network map's rings, inside out)."""

        INNER = "inner", "Tæt på"
        MIDDLE = "middle", "Midt imellem"
        OUTER = "outer", "Længere væk"

    citizen = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="network")
    name = models.CharField("navn", max_length=150, blank=True)
    relation = models.CharField("relation", max_length=60)
    kind = models.CharField("type", max_length=20, choices=Kind.choices, default=Kind.OTHER)
    circle = models.CharField("hvor tæt", max_length=10, choices=Circle.choices, default=Circle.MIDDLE)
    organisation = models.CharField("organisation", max_length=150, blank=True)
    email = models.EmailField("e-mail", blank=True)
    phone = models.CharField("telefon", max_length=20, blank=True, validators=[validate_phone])
    # A login only for some members (a relative who uses the portal).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="network_memberships"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "person i netværket"
        verbose_name_plural = "netværk"
        ordering = ["citizen", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["citizen", "user"], condition=models.Q(user__isnull=False), name="network_member_unique_user"
            )
        ]

    def __str__(self):
        return f"{self.display_name} ({self.relation})"

    @property
    def display_name(self) -> str:
        if self.name:
            return self.name
        return (self.user.get_full_name() or self.user.get_username()) if self.user_id else ""
