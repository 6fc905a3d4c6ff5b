import json

from django import forms

from samplan.core.forms import DKFDSFormMixin

from .models import StandardVersion
from .services import EDITABLE


class StandardVersionForm(DKFDSFormMixin, forms.ModelForm):
    """Input for a new version; starts from the newest version's values."""

    rules = forms.CharField(
        label="Regler og satser (JSON)",
        widget=forms.Textarea(attrs={"rows": 12}),
        required=False,
        help_text="Pakker, lofter og satser som regelmotoren bruger. Beløb reguleres årligt.",
    )

    class Meta:
        model = StandardVersion
        fields = [f for f in EDITABLE if f != "rules"]
        widgets = {
            "adopted_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "revision_due": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "target_group_text": forms.Textarea(attrs={"rows": 3}),
            "content": forms.Textarea(attrs={"rows": 4}),
            "exclusions": forms.Textarea(attrs={"rows": 3}),
            "citizen_summary": forms.Textarea(attrs={"rows": 4}),
            "provider_rules": forms.Textarea(attrs={"rows": 2}),
            "citizen_payment": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.instance is not None:
            self.initial["rules"] = json.dumps(self.instance.rules, ensure_ascii=False, indent=2)

    def clean_rules(self):
        raw = self.cleaned_data["rules"].strip() or "{}"
        try:
            value = json.loads(raw)
        except json.JSONDecodeError as e:
            raise forms.ValidationError(f"Reglerne er ikke gyldig JSON (linje {e.lineno}, kolonne {e.colno}).") from None
        if not isinstance(value, dict):
            raise forms.ValidationError("Reglerne skal være et JSON-objekt.")
        return value

    def clean(self):
        data = super().clean()
        low, high = data.get("level_min"), data.get("level_max")
        if low is not None and high is not None and low > high:
            self.add_error("level_max", "Det højeste serviceniveau kan ikke være lavere end det laveste.")
        return data
