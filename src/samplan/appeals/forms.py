"""The appeal's forms: register, reconsider, forward, Ankestyrelsen's result."""

from typing import cast

from django import forms
from django.utils import timezone

from samplan.core.forms import DKFDSFormMixin
from samplan.core.locking import VersionField

from .models import Appeal

DATE = {"type": "date"}


def _date(label: str) -> forms.DateField:
    return forms.DateField(label=label, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"), initial=timezone.localdate)


class AppealForm(DKFDSFormMixin, forms.Form):
    received_on = _date("Modtaget")
    from_whom = forms.ChoiceField(
        label="Hvem klager", choices=Appeal.FromWhom.choices, widget=forms.RadioSelect, initial=Appeal.FromWhom.CITIZEN
    )
    representative_name = forms.CharField(
        label="Repræsentantens navn", max_length=200, required=False, help_text="Kun hvis en repræsentant klager."
    )
    summary = forms.CharField(label="Hvad går klagen ud på", widget=forms.Textarea(attrs={"rows": 4}))


class ReconsiderForm(DKFDSFormMixin, forms.Form):
    version = VersionField()
    upheld = forms.TypedChoiceField(
        label="Resultat af genvurderingen",
        choices=[
            ("no", "Afgørelsen fastholdes (klagen sendes til Ankestyrelsen)"),
            ("yes", "Borgeren får medhold (ny afgørelse)"),
        ],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    on = _date("Genvurderet den")
    justification = forms.CharField(label="Begrundelse", widget=forms.Textarea(attrs={"rows": 4}))
    new_grant: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Ny bevilling (ved medhold)", queryset=None, required=False, help_text="Lav den ændrede bevilling på sagen først."
    )

    def __init__(self, *args, grants, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["new_grant"]).queryset = grants


class ForwardForm(DKFDSFormMixin, forms.Form):
    version = VersionField()
    on = _date("Sendt til Ankestyrelsen den")


class ResultForm(DKFDSFormMixin, forms.Form):
    version = VersionField()
    result = forms.ChoiceField(label="Ankestyrelsens afgørelse", choices=Appeal.Result.choices, widget=forms.RadioSelect)
    on = _date("Afgjort den")
