from django import forms

from samplan.citizens.models import NetworkMember
from samplan.core.forms import DKFDSFormMixin

from .models import ConsentEvent


class NetworkMemberForm(DKFDSFormMixin, forms.ModelForm):
    class Meta:
        model = NetworkMember
        fields = ["name", "relation", "kind", "circle", "organisation", "email", "phone"]
        labels = {
            "name": "Navn",
            "relation": "Hvem er personen for dig",
            "kind": "Hvilken slags person",
            "circle": "Hvor tæt på dig er personen",
            "organisation": "Arbejdssted eller forening (valgfrit)",
            "email": "E-mail",
            "phone": "Telefon",
        }
        help_texts = {"relation": "Fx mor, ven, frivillig eller egen læge."}
        widgets = {"circle": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True
        self.fields["name"].error_messages["required"] = "Skriv personens navn."
        self.fields["relation"].error_messages["required"] = "Skriv hvem personen er for dig."
        # Not sent by older forms: the model's defaults apply (other, middle circle).
        self.fields["kind"].required = False
        self.fields["circle"].required = False

    def clean_kind(self):
        return self.cleaned_data.get("kind") or NetworkMember.Kind.OTHER

    def clean_circle(self):
        return self.cleaned_data.get("circle") or NetworkMember.Circle.MIDDLE


class ConsentChangeForm(forms.Form):
    member = forms.IntegerField()
    kind = forms.ChoiceField(choices=ConsentEvent.Kind.choices)
    granted = forms.TypedChoiceField(choices=[("1", "giv"), ("0", "træk tilbage")], coerce=lambda v: v == "1")
    note = forms.CharField(max_length=300, required=False)
