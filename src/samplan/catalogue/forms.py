"""The offer form (maintainers and the catalogue editor). Validates at the edge with Danish
messages; the service (catalogue.services) decides who may set what."""

import re

from django import forms

from samplan.core import policy
from samplan.core.forms import ConceptMultipleChoiceField, DKFDSFormMixin
from samplan.core.locking import VersionField
from samplan.standards.models import QualityStandard
from samplan.terminology import ffb

from . import services
from .models import Offer

POSTCODE_RE = re.compile(r"^\d{4}$")
LEGAL_BASIS_RE = re.compile(r"^§\s?\d+\s?[a-zæøå]?$", re.IGNORECASE)


class OfferForm(DKFDSFormMixin, forms.ModelForm):
    target_groups = ConceptMultipleChoiceField(
        queryset=None,
        required=False,
        label="Målgrupper (FFB)",
        widget=forms.CheckboxSelectMultiple,
        help_text="Vælg de målgrupper i Fælles Faglige Begreber, tilbuddet er for. Borgerne ser også teksten »Hvem er det for«.",
    )
    confirm = forms.BooleanField(
        label="Bekræft at oplysningerne er rigtige",
        required=False,
        help_text="Sæt flueben, når du har kontrolleret alle oplysninger. Datoen for seneste kontrol bliver dags dato.",
    )

    class Meta:
        model = Offer
        fields = services.EDITABLE[:3] + ["target_groups"] + services.EDITABLE[3:]
        labels = {
            "kind": "Type tilbud",
            "title": "Navn",
            "summary": "Kort beskrivelse",
            "description": "Beskrivelse",
            "audience": "Hvem er det for (med almindelige ord)",
            "open_access": "Kræver ikke visitation (man kan bare komme eller ringe)",
            "access_note": "Sådan får man tilbuddet",
            "legal_basis": "Paragraf i serviceloven",
            "standard": "Kvalitetsstandard",
            "price_kr": "Pris i kr. (0 = gratis)",
            "price_note": "Om prisen",
            "address": "Adresse",
            "postcode": "Postnummer",
            "city": "By",
            "area": "Område",
            "opening_hours": "Åbningstider",
            "phone": "Telefon",
            "email": "E-mail",
            "website": "Hjemmeside",
            "accessibility": "Tilgængelighed",
            "languages": "Sprog",
            "owner": "Ejer (organisation)",
            "published": "Vis tilbuddet i det offentlige katalog",
        }
        help_texts = {
            "summary": "Én eller to sætninger, som vises i søgeresultatet.",
            "access_note": "Fx »Ring og aftal et første møde« eller »Kontakt din sagsbehandler«.",
            "legal_basis": "Kun for kommunale tilbud efter serviceloven, fx §85.",
            "standard": "Kvalitetsstandarden, hvis borgervenlige opsummering vises på tilbuddets side.",
            "area": "Fx Lyngby, Virum eller Hele kommunen.",
            "accessibility": "Fx niveaufri adgang, handicaptoilet, teleslynge.",
            "languages": "Fx dansk, engelsk.",
        }
        error_messages = {
            "title": {"required": "Skriv tilbuddets navn."},
            "kind": {"required": "Vælg hvilken type tilbud det er.", "invalid_choice": "Vælg en af typerne på listen."},
            "owner": {
                "required": "Vælg den organisation, der ejer tilbuddet.",
                "invalid_choice": "Vælg en organisation fra listen.",
            },
            "email": {"invalid": "Skriv en gyldig e-mailadresse, fx navn@ltk.dk."},
            "website": {"invalid": "Skriv en gyldig adresse, der begynder med https://."},
            "price_kr": {"invalid": "Skriv prisen som et tal, fx 0 eller 150."},
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "opening_hours": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["target_groups"].queryset = ffb.branch(ffb.TARGET_GROUPS).select_related("parent")
        self.fields["standard"].queryset = QualityStandard.objects.filter(municipality_id=user.municipality_id).order_by("key")
        self.fields["standard"].empty_label = "Ingen"
        self.fields["kind"].choices = [("", "Vælg type")] + list(Offer.Kind.choices)
        if self.instance.pk is not None:  # editing: the version read, so no one's change is lost
            self.fields["version"] = VersionField(initial=self.instance.row_version)
        if policy.offer_owner_is_fixed(user):
            # A maintainer's offers belong to their own organisation; nothing to choose.
            del self.fields["owner"]
        else:
            self.fields["owner"].queryset = services.owner_choices(user)
            self.fields["owner"].empty_label = "Vælg organisation"

    def clean_postcode(self):
        value = (self.cleaned_data.get("postcode") or "").strip()
        if value and not POSTCODE_RE.match(value):
            raise forms.ValidationError("Et postnummer er fire cifre, fx 2800.")
        return value

    def clean_legal_basis(self):
        value = (self.cleaned_data.get("legal_basis") or "").strip()
        if value and not LEGAL_BASIS_RE.match(value):
            raise forms.ValidationError("Skriv paragraffen som fx §85 eller §82a.")
        return value.replace(" ", "")

    def clean_price_kr(self):
        value = self.cleaned_data.get("price_kr")
        if value is not None and value < 0:
            raise forms.ValidationError("Prisen kan ikke være negativ. Skriv 0, hvis tilbuddet er gratis.")
        return value

    def clean(self):
        data = super().clean()
        if data.get("kind") == Offer.Kind.MUNICIPAL and not data.get("legal_basis"):
            self.add_error("legal_basis", "Et kommunalt tilbud efter serviceloven skal have en paragraf, fx §85.")
        if data.get("open_access") is False and not (data.get("access_note") or "").strip():
            self.add_error("access_note", "Skriv hvordan man får tilbuddet, når det kræver visitation.")
        return data

    def service_kwargs(self) -> dict:
        """The cleaned data as keyword arguments for services.create_offer/update_offer."""
        data = self.cleaned_data
        kwargs = {name: data[name] for name in services.EDITABLE if name in self.fields}
        kwargs["target_groups"] = list(data.get("target_groups") or [])
        kwargs["verified"] = bool(data.get("confirm"))
        if "version" in self.fields:
            kwargs["expected_version"] = data["version"]
        return kwargs
