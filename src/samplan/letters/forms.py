from django import forms

from samplan.core.forms import DKFDSFormMixin
from samplan.core.locking import VersionField
from samplan.core.validators import TEXT_MAX

from .models import Kind


class LetterCreateForm(DKFDSFormMixin, forms.Form):
    kind = forms.ChoiceField(label="Brevtype", widget=forms.RadioSelect)

    def __init__(self, *args, kinds: list[Kind], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["kind"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 (narrows the type for mypy)
        field.choices = [(k.value, k.label) for k in kinds]


class LetterEditForm(DKFDSFormMixin, forms.Form):
    subject = forms.CharField(label="Emne", max_length=200)
    body = forms.CharField(
        label="Brødtekst",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 22}),
        help_text="Tom linje mellem afsnit. Et afsnit, der begynder med »## «, bliver en overskrift.",
    )
    version = VersionField()


class ApproveForm(forms.Form):
    version = VersionField()


class TemplateVersionForm(DKFDSFormMixin, forms.Form):
    subject = forms.CharField(label="Emne", max_length=200)
    body = forms.CharField(label="Brødtekst", max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 22}))
