"""The questionnaire form, built from an instrument version's items. The rules (range,
required, comments) live in services.validate_answers; the form only collects input and
keeps what was typed."""

from django import forms

from samplan.core.forms import DKFDSFormMixin


class ResponseForm(DKFDSFormMixin, forms.Form):
    def __init__(self, items, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            s = item.scale
            choices = []
            for v in s.values:
                text = str(v)
                if v == s.min:
                    text = f"{v} – {s.min_label}"
                elif v == s.max:
                    text = f"{v} – {s.max_label}"
                choices.append((str(v), text))
            self.fields[f"{item.key}"] = forms.ChoiceField(
                label=item.text,
                required=False,
                choices=choices,
                widget=forms.RadioSelect(attrs={"class": "form-radio"}),
                error_messages={"invalid_choice": f"Vælg et tal fra {s.min} til {s.max}."},
            )
            if item.allow_comment:
                self.fields[f"{item.key}_comment"] = forms.CharField(
                    label=f"Kommentar til »{item.label}« (kan udelades)",
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2, "class": "form-input"}),
                )

    def answers(self) -> dict:
        data = self.cleaned_data
        return {i.key: (data.get(i.key) or None, data.get(f"{i.key}_comment", "")) for i in self.items}

    def blocks(self):
        """(item, radio bound field, comment bound field or None) per item, for the template."""
        return [(i, self[i.key], self[f"{i.key}_comment"] if i.allow_comment else None) for i in self.items]
