from typing import cast

from django import forms

from samplan.core.forms import DKFDSFormMixin

from . import services, sniffing
from .models import Document

ACCEPT = ",".join(
    [".pdf", ".png", ".jpg", ".jpeg", ".gif", ".docx", ".xlsx", ".pptx", ".doc", ".xls", ".ppt"]
    + sorted({t.content_type for t in sniffing.ALL_TYPES})
)


def _case_label(case) -> str:
    return f"Sag {case.case_number}"


def _file_field() -> forms.FileField:
    return forms.FileField(
        label="Fil",
        help_text=f"PDF, billede (PNG, JPEG, GIF) eller Word, Excel og PowerPoint. Højst {services.max_text()}.",
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        error_messages={"required": "Vælg en fil.", "empty": f"Filen er tom. {services.CHOOSE_AGAIN}"},
    )


class FileChecksMixin:
    """The file refusals of services.check_file at the form's file field (staff and Min side)."""

    too_large: bool

    def clean_file(self):
        upload = self.cleaned_data.get("file")  # type: ignore[attr-defined]
        if upload is not None:
            try:
                services.check_file(upload)  # the same refusals as the service (and the API)
            except services.DocumentError as e:
                raise forms.ValidationError(e.message_dict["file"]) from e
        return upload

    def clean(self):
        data = super().clean()  # type: ignore[misc]
        if self.too_large:
            # The upload handler dropped the file while it arrived; say why, not "choose a file".
            self.errors.pop("file", None)  # type: ignore[attr-defined]
            self.add_error("file", services.too_large_message())  # type: ignore[attr-defined]
        return data


class UploadForm(FileChecksMixin, DKFDSFormMixin, forms.Form):
    kind = forms.ChoiceField(label="Art", choices=[("", "Vælg art")] + list(Document.Kind.choices))
    title = forms.CharField(label="Titel", max_length=200, help_text="Fx »Lægeerklæring fra egen læge, marts«.")
    case: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Sag", queryset=None, required=False, empty_label="Ingen bestemt sag (kun borgeren)"
    )
    file = _file_field()
    shared_with_citizen = forms.BooleanField(
        label="Del med borgeren", required=False, help_text="Borgeren kan se dokumentet på Min side."
    )

    def __init__(self, *args, cases=None, too_large: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["case"])
        if cases is None:
            del self.fields["case"]  # provider staff do not know the citizen's cases
        else:
            field.queryset = cases
            field.label_from_instance = _case_label  # type: ignore[method-assign,assignment]
        self.too_large = too_large


class CitizenUploadForm(FileChecksMixin, DKFDSFormMixin, forms.Form):
    """Min side: the citizen sends a document to their caseworker."""

    title = forms.CharField(
        label="Hvad er det for et dokument?",
        max_length=200,
        help_text="Skriv et kort navn. Fx »Brev fra min læge«.",
        error_messages={"required": "Skriv hvad dokumentet er."},
    )
    comment = forms.CharField(
        label="Besked til din sagsbehandler (kan udelades)",
        required=False,
        max_length=services.COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    file = _file_field()

    def __init__(self, *args, too_large: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.too_large = too_large
