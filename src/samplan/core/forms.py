"""Form helpers shared by the apps: DKFDS classes on widgets, domain errors onto forms,
and the hierarchical FFB picker."""

from typing import cast

from django import forms
from django.core.exceptions import ValidationError

from .validators import TEXT_MAX, TextLengthValidator


class DKFDSFormMixin:
    """Adds DKFDS CSS classes and aria links so every field is styled and labelled."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()

    def style_fields(self) -> None:
        """Classes and aria links on every field (call again after adding fields)."""
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(field, forms.CharField) and field.max_length is None:
                # Every free text has an upper bound (core.validators.TEXT_MAX). No maxlength
                # attribute: a browser would cut a pasted text silently; the form says it.
                field.max_length = TEXT_MAX
                field.validators.append(TextLengthValidator(TEXT_MAX))
            # CheckboxSelectMultiple subclasses RadioSelect: test it first.
            if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple)):
                widget.attrs.setdefault("class", "form-checkbox")
            elif isinstance(widget, forms.RadioSelect):
                widget.attrs.setdefault("class", "form-radio")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-input")
            # Choice groups carry their hint on the fieldset (includes/field.html), not on each box.
            choice_group = isinstance(widget, (forms.RadioSelect, forms.CheckboxInput))
            if field.help_text and not choice_group:
                widget.attrs.setdefault("aria-describedby", f"id_{self.add_prefix(name)}_helptext")

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-invalid"] = "true"

    # Where a refusal's keys (a ValidationError with an error_dict) go on this form: a key
    # that names a field goes to that field unless mapped here; None puts it on top.
    domain_fields: dict[str, str | None] = {}

    def add_domain_error(self, error: ValidationError) -> None:
        """Show a refused domain operation on the form; the typed data stays in place."""
        form = cast(forms.BaseForm, self)
        if not hasattr(error, "error_dict"):
            for message in error.messages:
                form.add_error(None, message)
            return
        for key, messages in error.message_dict.items():
            field = self.domain_fields.get(key, key if key in form.fields else None)
            for message in messages:
                form.add_error(field, message)


class ConceptChoiceField(forms.ModelChoiceField):
    """A picker for FFB concepts showing the Danish display indented by hierarchy depth."""

    def __init__(self, queryset, base_depth: int = 0, **kwargs):
        self.base_depth = base_depth
        super().__init__(queryset=queryset, **kwargs)

    def label_from_instance(self, obj):
        indent = "\u00a0\u00a0\u00a0" * max(obj.depth - self.base_depth, 0)
        return f"{indent}{obj.display}"


class ConceptMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        parent = obj.parent.display if obj.parent_id else ""
        return f"{parent} › {obj.display}" if parent else obj.display


class CodeForm(DKFDSFormMixin, forms.Form):
    """The code step of a two-factor login (core/twofactor.py): the six digits the
    authenticator app shows right now."""

    code = forms.CharField(
        label="Kode fra din app",
        max_length=10,
        help_text="Skriv de 6 cifre, som din godkendelsesapp viser lige nu.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
