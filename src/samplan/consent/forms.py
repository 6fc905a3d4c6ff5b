from django import forms

from samplan.citizens.models import NetworkMember
from samplan.core.forms import DKFDSFormMixin

from .models import ConsentEvent


class NetworkMemberForm(DKFDSFormMixin, forms.ModelForm):
    class Meta:
        model = NetworkMember
        fields = ["name", "relation", "email", "phone"]
        labels = {"name": "Navn", "relation": "Hvem er personen for dig", "email": "E-mail", "phone": "Telefon"}
        help_texts = {"relation": "Fx mor, ven, frivillig eller egen læge."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True
        self.fields["name"].error_messages["required"] = "Skriv personens navn."
        self.fields["relation"].error_messages["required"] = "Skriv hvem personen er for dig."


class ConsentChangeForm(forms.Form):
    member = forms.IntegerField()
    kind = forms.ChoiceField(choices=ConsentEvent.Kind.choices)
    granted = forms.TypedChoiceField(choices=[("1", "giv"), ("0", "træk tilbage")], coerce=lambda v: v == "1")
    note = forms.CharField(max_length=300, required=False)
