"""The inbox's forms: a task by hand, marking one done, the digest setting."""

from django import forms

from samplan.core import policy
from samplan.core.forms import DKFDSFormMixin
from samplan.core.locking import VersionField

from .models import Task


class UserChoice(forms.ModelChoiceField):
    """A user shown by name (the hand-over page uses it too)."""

    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


class _CitizenChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.full_name


class TaskForm(DKFDSFormMixin, forms.Form):
    title = forms.CharField(label="Opgave", max_length=200, help_text="Kort, fx »Ring til borgeren om boligen«.")
    due = forms.DateField(label="Frist", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    owner = UserChoice(label="Ansvarlig", queryset=None, empty_label=None)
    citizen = _CitizenChoice(label="Borger (valgfri)", queryset=None, required=False, empty_label="Ingen borger")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = policy.team_members(user).order_by("first_name", "last_name")  # type: ignore[attr-defined]
        # Only citizens the user may see: the picker never reveals another unit's citizen.
        self.fields["citizen"].queryset = policy.citizens_for(user).order_by("first_name", "last_name")  # type: ignore[attr-defined]
        if not self.is_bound:
            self.fields["owner"].initial = user.pk


class DoneForm(forms.Form):
    version = VersionField()


class TaskFilterForm(forms.Form):
    SCOPES = [("mine", "Mine opgaver"), ("team", "Teamets opgaver")]
    DUE = [("", "Alle frister"), ("overdue", "Overskredet"), ("week", "Inden for 7 dage")]
    scope = forms.ChoiceField(label="Vis", choices=SCOPES, required=False)
    status = forms.ChoiceField(label="Status", choices=Task.Status.choices, required=False)
    due = forms.ChoiceField(label="Frist", choices=DUE, required=False)


class DigestForm(forms.Form):
    daily_digest = forms.BooleanField(label="Send mig en daglig oversigt", required=False)
