from django import forms

from samplan.core.forms import DKFDSFormMixin
from samplan.core.models import Municipality

from .cpr import parse_cpr
from .models import Citizen


class CitizenForm(DKFDSFormMixin, forms.ModelForm):
    """Input for ``services.register_citizen``; never saved directly."""

    cpr = forms.CharField(label="CPR-nummer", max_length=11, help_text="DDMMÅÅ-XXXX. Erstatningspersonnumre accepteres.")

    class Meta:
        model = Citizen
        fields = ["first_name", "last_name", "cpr", "phone", "email", "address", "postcode", "city", "acting_municipality"]

    def __init__(self, *args, municipality=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        self.fields["acting_municipality"].queryset = Municipality.objects.all()
        self.fields["acting_municipality"].initial = municipality
        self.fields["cpr"].widget.attrs.update({"autocomplete": "off", "inputmode": "numeric"})

    def clean_cpr(self):
        info = parse_cpr(self.cleaned_data["cpr"])
        if Citizen.objects.filter(municipality=self.municipality, cpr=info.number).exists():
            raise forms.ValidationError("Der findes allerede en borger med dette CPR-nummer i kommunen.")
        return info.number
