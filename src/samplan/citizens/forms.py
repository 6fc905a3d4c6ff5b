from typing import cast

from django import forms

from samplan.core import policy
from samplan.core.forms import DKFDSFormMixin
from samplan.core.locking import VersionField
from samplan.core.models import Municipality

from .cpr import parse_cpr
from .models import Citizen
from .services import MASTER_DATA_FIELDS


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


class MasterDataForm(DKFDSFormMixin, forms.ModelForm):
    """Input for ``services.update_master_data``; never saved directly. The CPR number is
    shown, not edited."""

    version = VersionField()

    class Meta:
        model = Citizen
        fields = list(MASTER_DATA_FIELDS)

    def __init__(self, *args, citizen: Citizen, **kwargs):
        super().__init__(*args, instance=citizen, initial={"version": citizen.row_version}, **kwargs)
        caseworkers, coordinators = policy.responsible_choices(citizen)
        choices = {"acting_municipality": Municipality.objects.all(), "caseworker": caseworkers, "coordinator": coordinators}
        for name, queryset in choices.items():
            field = cast(forms.ModelChoiceField, self.fields[name])
            field.queryset = queryset
            if name != "acting_municipality":
                field.empty_label = "Ingen"
                field.label_from_instance = _person  # type: ignore[method-assign,assignment]

    def _post_clean(self):
        # The service validates and saves; the ModelForm must not touch the instance.
        pass


def _person(user) -> str:
    return user.get_full_name() or user.get_username()
