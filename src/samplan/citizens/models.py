"""Citizen register (borgerregister)."""

from django.conf import settings
from django.db import models

from .cpr import mask_cpr, parse_cpr


class Citizen(models.Model):
    municipality = models.ForeignKey("core.Municipality", on_delete=models.PROTECT, related_name="citizens")
    first_name = models.CharField("fornavn", max_length=100)
    last_name = models.CharField("efternavn", max_length=100)
    cpr = models.CharField("CPR-nummer", max_length=10, validators=[parse_cpr])
    birth_date = models.DateField("fødselsdato")
    is_substitute_cpr = models.BooleanField("erstatningspersonnummer", default=False)
    phone = models.CharField("telefon", max_length=20, blank=True)
    email = models.EmailField("e-mail", blank=True)
    address = models.CharField("adresse", max_length=200, blank=True)
    postcode = models.CharField("postnummer", max_length=4, blank=True)
    city = models.CharField("by", max_length=60, blank=True)
    acting_municipality = models.ForeignKey(
        "core.Municipality", on_delete=models.PROTECT, related_name="acting_for", verbose_name="handlekommune"
    )
    # The authority unit responsible for the citizen (caseworkers of this unit see them).
    unit = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="citizens", verbose_name="myndighedsenhed")
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="caseload", verbose_name="sagsbehandler",
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="coordinated", verbose_name="koordinerende medarbejder",
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

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def masked_cpr(self) -> str:
        return mask_cpr(self.cpr)

    def save(self, *args, **kwargs):
        info = parse_cpr(self.cpr)
        self.cpr, self.birth_date, self.is_substitute_cpr = info.number, info.birth_date, info.substitute
        super().save(*args, **kwargs)


class RelativeLink(models.Model):
    """A relative's (pårørende) login tied to a citizen. What they may see is decided by
    consent (a later issue); until then the policy grants them nothing."""

    citizen = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="relatives")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="relative_of")
    relation = models.CharField("relation", max_length=60)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["citizen", "user"], name="relative_unique")]
