"""The common offer catalogue (fælles tilbudskatalog): every offer a citizen, relative or
member of staff may look for — municipal §-services, self-governing and private providers,
volunteers and civil society, recovery-school courses, peer support, cafés, relatives'
counselling and acute help — public, without login."""

from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models

from samplan.core.locking import Versioned

USER = settings.AUTH_USER_MODEL


class Offer(Versioned):
    class Kind(models.TextChoices):
        MUNICIPAL = "municipal", "Kommunalt tilbud efter serviceloven"
        PROVIDER = "provider", "Selvejende eller privat tilbud"
        VOLUNTARY = "voluntary", "Frivillige og foreninger"
        COURSE = "course", "Kursus i recoveryskolen"
        PEER = "peer", "Peerstøtte"
        CAFE = "cafe", "Café og værested"
        RELATIVES = "relatives", "Rådgivning til pårørende"
        ACUTE = "acute", "Akut hjælp"
        REGION = "region", "Regionens psykiatri"

    municipality = models.ForeignKey("core.Municipality", on_delete=models.PROTECT, related_name="offers", verbose_name="kommune")
    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    title = models.CharField("navn", max_length=200)
    summary = models.CharField("kort beskrivelse", max_length=300, blank=True)
    description = models.TextField("beskrivelse", blank=True)
    # Who it is for: FFB target groups for the system, plain words for people.
    target_groups = models.ManyToManyField("terminology.Concept", blank=True, related_name="+", verbose_name="målgrupper (FFB)")
    audience = models.CharField("hvem er det for", max_length=300, blank=True)
    open_access = models.BooleanField("kræver ikke visitation", default=False)
    access_note = models.CharField("sådan får du tilbuddet", max_length=300, blank=True)
    legal_basis = models.CharField("paragraf", max_length=20, blank=True, help_text="fx §85")
    standard = models.ForeignKey(
        "standards.QualityStandard",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="offers",
        verbose_name="kvalitetsstandard",
    )
    price_kr = models.DecimalField("pris (kr.)", max_digits=9, decimal_places=2, default=Decimal("0"))
    price_note = models.CharField("om prisen", max_length=200, blank=True)
    address = models.CharField("adresse", max_length=200, blank=True)
    postcode = models.CharField("postnummer", max_length=4, blank=True)
    city = models.CharField("by", max_length=100, blank=True)
    area = models.CharField("område", max_length=100, blank=True, help_text="fx Lyngby, Virum, hele kommunen")
    opening_hours = models.TextField("åbningstider", blank=True)
    phone = models.CharField("telefon", max_length=30, blank=True)
    email = models.EmailField("e-mail", blank=True)
    website = models.URLField("hjemmeside", blank=True)
    accessibility = models.CharField("tilgængelighed", max_length=300, blank=True)
    languages = models.CharField("sprog", max_length=200, blank=True, default="dansk")
    owner = models.ForeignKey(
        "core.OrgUnit", on_delete=models.PROTECT, related_name="catalogue_offers", verbose_name="ejer (organisation)"
    )
    last_verified = models.DateField("senest kontrolleret", null=True, blank=True)
    published = models.BooleanField("offentliggjort", default=True)
    updated_at = models.DateTimeField("senest ændret", auto_now=True)
    updated_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # Search seam (catalogue.search): a tsvector kept by PostgreSQL's `danish` configuration,
    # and Snowball-Danish stems for the SQLite fallback. Both are derived; never edit them.
    search_vector = SearchVectorField(null=True, editable=False)
    search_stems = models.TextField(blank=True, editable=False, default="")

    class Meta:
        verbose_name = "tilbud"
        verbose_name_plural = "tilbud"
        ordering = ["title", "id"]

    def __str__(self):
        return self.title

    @property
    def is_free(self) -> bool:
        return self.price_kr == 0
