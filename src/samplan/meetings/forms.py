from django import forms

from samplan.core.forms import DKFDSFormMixin
from samplan.core.locking import VersionField
from samplan.core.validators import validate_case_date, validate_upcoming_date

from .models import NetworkMeeting


class RequestForm(DKFDSFormMixin, forms.Form):
    purpose = forms.CharField(label="Formål med mødet (med almindelige ord)", widget=forms.Textarea(attrs={"rows": 3}))
    initiated_by = forms.ChoiceField(
        label="Hvem indkalder", choices=[("municipality", "Kommunen"), ("psychiatry", "Psykiatrien")]
    )


class TopicForm(DKFDSFormMixin, forms.Form):
    text = forms.CharField(label="Hvad vil du gerne tale om?", max_length=300)


class ParticipationForm(DKFDSFormMixin, forms.Form):
    participation = forms.ChoiceField(
        label="Hvordan vil du deltage?", choices=NetworkMeeting.Participation.choices, widget=forms.RadioSelect
    )


class ScheduleForm(DKFDSFormMixin, forms.Form):
    starts_at = forms.DateTimeField(
        label="Starter", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), validators=[validate_case_date]
    )
    ends_at = forms.DateTimeField(
        label="Slutter", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), validators=[validate_case_date]
    )
    location = forms.CharField(label="Sted", max_length=200, required=False)
    reason = forms.CharField(
        label="Begrundelse (skal udfyldes, når mødet flyttes)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = VersionField()


class CancelForm(DKFDSFormMixin, forms.Form):
    reason = forms.CharField(label="Hvorfor aflyses mødet?", widget=forms.Textarea(attrs={"rows": 2}))


class JoinForm(DKFDSFormMixin, forms.Form):
    """'Tilføj mig som deltager': no fields, but a place to show a refused change."""


class ProfessionalForm(DKFDSFormMixin, forms.Form):
    name = forms.CharField(label="Navn på medarbejder i psykiatrien", max_length=150)
    email = forms.EmailField(label="E-mail", required=False)


class InviteesForm(DKFDSFormMixin, forms.Form):
    """Staff add people of the citizen's plan and consented network (``services.invitees``)."""

    hvem = forms.MultipleChoiceField(
        label="Vælg fra borgerens plan og netværk", required=True, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, invitees=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["hvem"]
        if isinstance(field, forms.MultipleChoiceField):
            field.choices = [(i.key, f"{i.name} – {i.role}") for i in invitees]
            field.error_messages["required"] = "Vælg mindst én fra listen."
            field.error_messages["invalid_choice"] = "Vælg personer fra listen."


class PerspectiveForm(DKFDSFormMixin, forms.Form):
    text = forms.CharField(label="Dit perspektiv før mødet", widget=forms.Textarea(attrs={"rows": 4}))


class ParticipantsForm(DKFDSFormMixin, forms.Form):
    """The citizen chooses who from their network is invited."""

    medlem = forms.MultipleChoiceField(label="Vælg fra dit netværk", required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {str(m.pk): m for m in members}
        field = self.fields["medlem"]
        if isinstance(field, forms.MultipleChoiceField):
            field.choices = [(str(m.pk), m.display_name) for m in members]

    def chosen(self) -> list:
        return [self.members[pk] for pk in self.cleaned_data["medlem"]]


class MinutesForm(DKFDSFormMixin, forms.Form):
    """The minutes: one perspective per participant (fields ``perspektiv_<id>``), the
    citizen's summary, an agreement and the next meeting."""

    version = VersionField()

    def __init__(self, *args, participants=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.participants = list(participants)
        for p in self.participants:
            self.fields[f"perspektiv_{p.pk}"] = forms.CharField(
                label=f"{p.name}s perspektiv",
                required=False,
                help_text=f"Sendt før mødet: {p.perspective_before}" if p.perspective_before else "",
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        # The perspectives first, in the order of the participant list.
        self.order_fields([f"perspektiv_{p.pk}" for p in self.participants])
        self.style_fields()

    def perspectives(self) -> dict[int, str]:
        return {p.pk: self.cleaned_data.get(f"perspektiv_{p.pk}", "") for p in self.participants}

    def agreements(self) -> list[dict]:
        d = self.cleaned_data
        if not d["agreement_what"]:
            return []
        return [
            {
                "who": d["agreement_who"],
                "what": d["agreement_what"],
                "due": d["agreement_due"],
                "responsible_is_citizen": d["agreement_citizen"],
            }
        ]

    citizen_summary = forms.CharField(
        label="Borgerens opsummering med egne ord", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    agreement_who = forms.CharField(label="Aftale: hvem", max_length=100, required=False)
    agreement_what = forms.CharField(label="Aftale: hvad", max_length=300, required=False)
    agreement_due = forms.DateField(
        label="Aftale: senest",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_case_date],
    )
    agreement_citizen = forms.BooleanField(label="Borgeren har ansvaret", required=False)
    next_meeting_at = forms.DateField(
        label="Næste møde",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_upcoming_date],
    )


# How the citizen would like to take part, in the relative's words (the citizen can change it).
RELATIVE_PARTICIPATION = [
    (NetworkMeeting.Participation.IN_PERSON, "Et almindeligt møde, hvor borgeren kommer"),
    (NetworkMeeting.Participation.SHORT, "Et kortere møde"),
    (NetworkMeeting.Participation.ONLINE, "Online"),
    (NetworkMeeting.Participation.SUPPORT, "Med en støtteperson"),
]


class RelativeRequestForm(DKFDSFormMixin, forms.Form):
    """A relative asks for a network meeting (only with the citizen's CONTACT consent)."""

    purpose = forms.CharField(
        label="Hvad skal mødet handle om? (med almindelige ord)",
        max_length=2000,
        help_text="Skriv kort, hvorfor du ønsker et netværksmøde. Borgeren bestemmer selv emnerne og hvem der er med.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    participation = forms.ChoiceField(
        label="Hvordan tror du, borgeren helst vil deltage?",
        choices=RELATIVE_PARTICIPATION,
        initial=NetworkMeeting.Participation.IN_PERSON,
        widget=forms.RadioSelect,
        help_text="Borgeren kan selv ændre det bagefter.",
    )
