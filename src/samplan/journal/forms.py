"""The journal's forms: one short form to write a note, the author's edit, an addendum."""

from typing import cast

from django import forms
from django.utils import timezone

from samplan.core import policy
from samplan.core.forms import DKFDSFormMixin
from samplan.core.locking import VersionField
from samplan.core.validators import validate_case_date

from .models import SUBJECT_MAX, JournalNote, NoteAddendum

DATETIME_LOCAL = {"type": "datetime-local"}
AUTHORITY_KINDS = [(k, label) for k, label in JournalNote.Kind.choices if k != JournalNote.Kind.DIARY]


def kind_choices(user) -> list[tuple[str, str]]:
    """Dagbog is the provider's kind; provider staff get it first."""
    if policy.note_provider(user) is not None:
        return [(JournalNote.Kind.DIARY.value, JournalNote.Kind.DIARY.label), *AUTHORITY_KINDS]
    return list(AUTHORITY_KINDS)


class NoteForm(DKFDSFormMixin, forms.Form):
    kind = forms.ChoiceField(label="Art", choices=AUTHORITY_KINDS)
    occurred_at = forms.DateTimeField(
        label="Hvornår skete det",
        widget=forms.DateTimeInput(attrs=DATETIME_LOCAL, format="%Y-%m-%dT%H:%M"),
        validators=[validate_case_date],
    )
    subject = forms.CharField(label="Emne", max_length=SUBJECT_MAX, help_text="Kort, fx »Telefonsamtale om bolig«.")
    text = forms.CharField(label="Notat", widget=forms.Textarea(attrs={"rows": 6}))
    shared_with_citizen = forms.BooleanField(label="Borgeren kan se notatet på Min side", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = kind_choices(user)
        if not self.is_bound:
            self.fields["occurred_at"].initial = timezone.localtime().replace(second=0, microsecond=0)


class NoteEditForm(NoteForm):
    version = VersionField()


class AddendumForm(DKFDSFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label="Art", choices=NoteAddendum.Kind.choices, widget=forms.RadioSelect, initial=NoteAddendum.Kind.ADDENDUM
    )
    text = forms.CharField(label="Tekst", widget=forms.Textarea(attrs={"rows": 4}))


def edit_initial(note: JournalNote) -> dict:
    return {
        "kind": note.kind,
        "occurred_at": timezone.localtime(note.occurred_at).replace(second=0, microsecond=0),
        "subject": note.subject,
        "text": note.text,
        "shared_with_citizen": note.shared_with_citizen,
        "version": note.row_version,
    }


class LockForm(DKFDSFormMixin, forms.Form):
    """The "Lås" button: nothing to fill in."""
