"""Forms of the partshøring pages (they only shape input; the rules are in cases.consultations)."""

from django import forms
from django.utils import timezone

from samplan.cases.consultations import default_deadline
from samplan.core.forms import DKFDSFormMixin
from samplan.core.validators import TEXT_MAX

DATE = {"type": "date"}


class ConsultationForm(DKFDSFormMixin, forms.Form):
    facts = forms.CharField(
        label="Oplysninger, afgørelsen vil bygge på",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Skriv de faktiske oplysninger, borgeren skal kunne kommentere. De kommer med i brevet.",
    )
    response_deadline = forms.DateField(
        label="Svarfrist",
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
        help_text="Normalt 14 dage.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["response_deadline"].initial = default_deadline().isoformat()


class LetterAnswerForm(DKFDSFormMixin, forms.Form):
    text = forms.CharField(label="Borgerens svar", max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 6}))
    received_on = forms.DateField(label="Modtaget", widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate().isoformat()


class MyAnswerForm(DKFDSFormMixin, forms.Form):
    text = forms.CharField(
        label="Dit svar",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Skriv, hvis noget er forkert eller mangler, eller hvad du ellers vil sige, før vi træffer afgørelse.",
    )
