"""Forms of the recovery school's pages. They only check the input's shape; the rules
(places, waitlist, registration window, duplicates) are in courses.services."""

from django import forms
from django.core.exceptions import ValidationError

from samplan.core import ratelimit
from samplan.core.forms import DKFDSFormMixin

from .models import ParticipantRole, Partner

OTHER_MUNICIPALITY = "other"


class EnrolmentForm(DKFDSFormMixin, forms.Form):
    name = forms.CharField(
        label="Navn",
        max_length=200,
        error_messages={"required": "Skriv dit navn."},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label="E-mail",
        max_length=254,
        error_messages={"required": "Skriv din e-mail.", "invalid": "Skriv en gyldig e-mailadresse, fx navn@eksempel.dk."},
        help_text="Vi sender bekræftelsen og kalenderfilen hertil.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label="Telefon", max_length=30, required=False, widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"})
    )
    municipality = forms.ChoiceField(
        label="Din kommune",
        error_messages={"required": "Vælg din kommune.", "invalid_choice": "Vælg en kommune fra listen."},
        help_text="Vælg »Anden kommune«, hvis din kommune ikke er på listen.",
    )
    roles = forms.MultipleChoiceField(
        label="Jeg deltager som",
        choices=ParticipantRole.choices,
        # CheckboxSelectMultiple is a RadioSelect to the mixin: set the class here.
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-checkbox"}),
        help_text="Du kan vælge flere.",
        error_messages={
            "required": "Vælg mindst én af mulighederne for, hvordan du deltager.",
            "invalid_choice": "Vælg blandt mulighederne på listen.",
        },
    )
    # The honeypot (core/ratelimit.py): hidden from everyone by the template; robots fill it in.
    website = ratelimit.honeypot_field()

    # The services' ValidationError keys that belong to a field of this form.
    domain_fields = {"home_partner": "municipality"}  # the service says home partner, the form municipality

    def __init__(self, *args, school=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The hint is on the fieldset (includes/field.html), not on each box.
        self.fields["roles"].widget.attrs.pop("aria-describedby", None)
        partners = (
            Partner.objects.filter(school=school).order_by("order", "name") if school is not None else Partner.objects.none()
        )
        self._partners = {str(p.pk): p for p in partners}
        self.fields["municipality"].choices = [
            ("", "Vælg kommune"),
            *((k, p.name) for k, p in self._partners.items()),
            (OTHER_MUNICIPALITY, "Anden kommune"),
        ]

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise ValidationError("Skriv dit navn.")
        return name

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not all(c.isdigit() or c in " +-()" for c in phone):
            raise ValidationError("Skriv telefonnummeret med tal, fx 45 12 34 56.")
        return phone

    def home_partner(self):
        return self._partners.get(self.cleaned_data["municipality"])

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "email": data["email"],
            "phone": data["phone"],
            "home_partner": self.home_partner(),
            "roles": data["roles"],
        }


class CancelCourseForm(DKFDSFormMixin, forms.Form):
    reason = forms.CharField(
        label="Begrundelse",
        max_length=300,
        error_messages={"required": "Skriv en begrundelse for aflysningen."},
        help_text="Sendes til alle tilmeldte og alle på ventelisten.",
        widget=forms.TextInput,
    )
