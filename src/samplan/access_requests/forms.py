from django import forms
from django.utils import timezone

from samplan.core.forms import DKFDSFormMixin
from samplan.core.locking import VersionField

from .models import AccessRequest


class AccessRequestForm(DKFDSFormMixin, forms.Form):
    received_on = forms.DateField(
        label="Modtaget", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), initial=timezone.localdate
    )
    from_whom = forms.ChoiceField(
        label="Hvem beder om aktindsigt",
        choices=AccessRequest.FromWhom.choices,
        widget=forms.RadioSelect,
        initial=AccessRequest.FromWhom.CITIZEN,
    )
    representative_name = forms.CharField(
        label="Repræsentantens navn", max_length=200, required=False, help_text="Kun hvis en repræsentant beder."
    )
    note = forms.CharField(label="Bemærkning", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class StepForm(DKFDSFormMixin, forms.Form):
    version = VersionField()
