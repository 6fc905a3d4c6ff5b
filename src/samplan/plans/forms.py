"""Forms of the plan pages. Choices for links (intervention goals, grants, follow-ups) are
computed once per page from the citizen's own spine, never per row."""

from django import forms

from samplan.core.forms import DKFDSFormMixin
from samplan.core.locking import VersionField
from samplan.core.validators import validate_case_date, validate_end_after_start, validate_upcoming_date

from .models import LifeDomain, PlanEffort, ProviderPlanItem

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _LinkChoice(forms.ChoiceField):
    """A choice among objects given as (pk, label); cleans to the object or None."""

    def __init__(self, objects=(), **kwargs):
        self.objects = {str(o.pk): o for o, _ in objects}
        super().__init__(choices=[("", "– ingen –")] + [(str(o.pk), label) for o, label in objects], required=False, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        return self.objects.get(value) if value else None


class WishesForm(DKFDSFormMixin, forms.Form):
    wishes = forms.CharField(
        label="Mit liv og mine ønsker",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Håb, ønsker og drømme – med egne ord.",
    )
    version = VersionField()


class MeetingForm(DKFDSFormMixin, forms.Form):
    next_meeting = forms.DateField(label="Næste møde", required=False, widget=DATE, validators=[validate_case_date])
    version = VersionField()

    def clean_next_meeting(self):
        value = self.cleaned_data["next_meeting"]
        if "next_meeting" in self.changed_data:  # a stored older date is left alone
            validate_upcoming_date(value)
        return value


class GoalForm(DKFDSFormMixin, forms.Form):
    domain = forms.ChoiceField(label="Livsområde", choices=LifeDomain.choices)
    citizen_wording = forms.CharField(label="Målet med borgerens egne ord", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, intervention_goals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["intervention_goal"] = _LinkChoice(
            intervention_goals, label="Koblet til indsatsmål", help_text="Myndighedens indsatsmål fra en bevilling (valgfrit)."
        )
        self.fields["intervention_goal"].widget.attrs.update(
            {"class": "form-select", "aria-describedby": f"id_{self.add_prefix('intervention_goal')}_helptext"}
        )


class GoalEditForm(GoalForm):
    """Editing a goal in place: carries the goal's row version (no lost updates)."""

    version = VersionField()


class CitizenGoalForm(DKFDSFormMixin, forms.Form):
    citizen_wording = forms.CharField(label="Mit mål med mine egne ord", widget=forms.Textarea(attrs={"rows": 3}))
    version = VersionField()


class EffortForm(DKFDSFormMixin, forms.Form):
    title = forms.CharField(label="Indsats", max_length=200)
    owner_kind = forms.ChoiceField(label="Hvem står for indsatsen", choices=PlanEffort.OwnerKind.choices)
    owner_name = forms.CharField(label="Sted / organisation", max_length=200, required=False)
    responsible = forms.CharField(label="Ansvarlig person", max_length=200, required=False)
    status = forms.ChoiceField(label="Status", choices=PlanEffort.Status.choices)
    start = forms.DateField(label="Start", required=False, widget=DATE, validators=[validate_case_date])
    end = forms.DateField(label="Slut", required=False, widget=DATE, validators=[validate_case_date])

    def clean(self) -> dict:
        data = super().clean() or {}
        try:
            validate_end_after_start(data.get("start"), data.get("end"), field="end")
        except forms.ValidationError as error:
            self.add_error(None, error)
        return data

    def __init__(self, *args, grants=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grant"] = _LinkChoice(grants, label="Bevilling", help_text="Kun for kommunale bevillinger.")
        self.fields["grant"].widget.attrs.update(
            {"class": "form-select", "aria-describedby": f"id_{self.add_prefix('grant')}_helptext"}
        )


class EffortEditForm(EffortForm):
    """Editing an effort in place: carries the effort's row version (no lost updates)."""

    version = VersionField()


class AgreementForm(DKFDSFormMixin, forms.Form):
    who = forms.CharField(label="Hvem", max_length=200)
    what = forms.CharField(label="Hvad", widget=forms.Textarea(attrs={"rows": 2}))
    due = forms.DateField(label="Hvornår", required=False, widget=DATE, validators=[validate_case_date])
    responsible_is_citizen = forms.BooleanField(label="Borgeren står selv for aftalen", required=False)


class ProviderItemForm(DKFDSFormMixin, forms.Form):
    kind = forms.ChoiceField(label="Type", choices=ProviderPlanItem.Kind.choices)
    text = forms.CharField(label="Beskrivelse", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, intervention_goals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["intervention_goal"] = _LinkChoice(intervention_goals, label="Mod indsatsmål")
        self.fields["intervention_goal"].widget.attrs.update({"class": "form-select"})


class StatusNoteForm(DKFDSFormMixin, forms.Form):
    text = forms.CharField(
        label="Statusnotat",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Skrevet sammen med borgeren: hvordan går det med målene, og hvad har virket?",
    )
    written_with_citizen = forms.BooleanField(label="Skrevet sammen med borgeren", required=False, initial=True)

    def __init__(self, *args, follow_ups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["follow_up"] = _LinkChoice(follow_ups, label="Til opfølgningen")
        self.fields["follow_up"].widget.attrs.update({"class": "form-select"})
