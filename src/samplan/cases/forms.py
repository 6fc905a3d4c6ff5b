"""Forms of the case spine. They only shape input; the rules live in services."""

from django import forms
from django.utils import timezone
from django.utils.formats import date_format

from samplan.core.forms import DKFDSFormMixin
from samplan.core.locking import VersionField
from samplan.core.models import OrgUnit
from samplan.core.validators import hours_week_validators, validate_case_date, validate_scope
from samplan.journal.models import JournalNote
from samplan.terminology import ffb
from samplan.terminology.models import Concept

from .consultations import NOT_NEEDED_REASONS
from .measures import GoalRow, MeasurementSpec
from .models import LEGAL_BASES, CommitteeReview, Condition, Consultation, Decision, FollowUp, GoalMeasurement, Grant, Inquiry

LEVEL_CHOICES = [("", "Intet niveau (kun for Aktivitet og deltagelse)")] + [
    (str(v), label) for v, label in Condition.Level.choices
]
DATETIME_LOCAL = {"type": "datetime-local"}
FIRST_CONTACT_KINDS = [
    (k, label)
    for k, label in JournalNote.Kind.choices
    if k
    in (
        JournalNote.Kind.PHONE,
        JournalNote.Kind.MEETING,
        JournalNote.Kind.HOME_VISIT,
        JournalNote.Kind.EMAIL,
        JournalNote.Kind.LETTER,
    )
]
DATE = {"type": "date"}


def grouped_choices(qs, empty_label=None):
    """Optgroups by parent, so pickers show FFB's hierarchy with Danish displays."""
    groups, order = {}, []
    for c in qs.select_related("parent", "parent__parent"):
        parent = c.parent
        label = parent.display if parent else ""
        if parent and parent.parent and parent.parent.depth > 1:
            label = f"{parent.parent.display} › {parent.display}"
        if label not in groups:
            groups[label] = []
            order.append(label)
        groups[label].append((str(c.pk), c.display))
    choices = [("", empty_label)] if empty_label else []
    return choices + [(label, groups[label]) for label in order]


class ConceptField(forms.ChoiceField):
    def __init__(self, qs_factory, *, empty_label="Vælg …", **kwargs):
        self.qs_factory = qs_factory
        self.empty_label = empty_label
        super().__init__(choices=(), **kwargs)

    def populate(self):
        self.choices = grouped_choices(self.qs_factory(), self.empty_label)

    def clean(self, value):
        value = super().clean(value)
        if value in ("", None):
            return None
        return Concept.objects.get(pk=value)


class ConceptMultiField(forms.MultipleChoiceField):
    def __init__(self, qs_factory, **kwargs):
        self.qs_factory = qs_factory
        super().__init__(choices=(), **kwargs)

    def populate(self):
        self.choices = grouped_choices(self.qs_factory())

    def clean(self, value):
        value = super().clean(value)
        return list(Concept.objects.filter(pk__in=value).order_by("sort_key"))


class ConceptFormMixin(DKFDSFormMixin):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, (ConceptField, ConceptMultiField)):
                field.populate()


class InquiryForm(DKFDSFormMixin, forms.Form):
    source = forms.ChoiceField(label="Hvem henvendte sig", choices=[("", "Vælg …")] + Inquiry.Source.choices)
    reason = forms.CharField(
        label="Anledning", widget=forms.Textarea(attrs={"rows": 4}), help_text="Hvad drejer henvendelsen sig om?"
    )
    applied_for = forms.ChoiceField(
        label="Søgt efter",
        choices=[("", "Ved ikke endnu")] + LEGAL_BASES,
        required=False,
        help_text="Paragraffen bestemmer sagsbehandlingsfristen.",
    )
    received_at = forms.DateTimeField(
        label="Modtaget",
        widget=forms.DateTimeInput(attrs=DATETIME_LOCAL, format="%Y-%m-%dT%H:%M"),
        validators=[validate_case_date],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_at"].initial = timezone.now()  # the widget writes it as local "YYYY-MM-DDTHH:MM"


class FirstContactForm(DKFDSFormMixin, forms.Form):
    first_contact_at = forms.DateTimeField(
        label="Tidspunkt for første kontakt", widget=forms.DateTimeInput(attrs=DATETIME_LOCAL, format="%Y-%m-%dT%H:%M")
    )
    # The contact is also a journal note (its kind and, if typed, what was said).
    how = forms.ChoiceField(label="Hvordan", choices=FIRST_CONTACT_KINDS, initial=JournalNote.Kind.PHONE, required=False)
    note = forms.CharField(
        label="Notat",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Hvad blev der talt om? Gemmes som journalnotat.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_contact_at"].initial = timezone.now()  # the widget writes it as local "YYYY-MM-DDTHH:MM"


class ConditionForm(ConceptFormMixin, forms.Form):
    theme = ConceptField(lambda: ffb.branch(ffb.CONDITIONS, leaves_only=True), label="Tema (FFB-tilstand)")
    functioning_level = forms.TypedChoiceField(
        label="Funktionsevneniveau",
        choices=LEVEL_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        help_text="Skal angives for temaer under Aktivitet og deltagelse og må ikke angives for andre temaer.",
    )
    description = forms.CharField(label="Beskrivelse", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    version = VersionField()


class ConditionChangeForm(DKFDSFormMixin, forms.Form):
    """Correct one registered condition (its theme stays; a wrong theme is removed)."""

    functioning_level = ConditionForm.base_fields["functioning_level"]
    description = ConditionForm.base_fields["description"]
    version = VersionField()


class ConditionRemoveForm(DKFDSFormMixin, forms.Form):
    version = VersionField()


class CompleteAssessmentForm(ConceptFormMixin, forms.Form):
    citizen_wishes = forms.CharField(
        label="Borgerens ønsker for fremtiden – med borgerens egne ord", widget=forms.Textarea(attrs={"rows": 4})
    )
    resources = forms.CharField(label="Ressourcer og netværk", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    support_need = forms.ModelChoiceField(label="Støttebehov", queryset=Concept.objects.none(), empty_label="Vælg …")
    version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["support_need"].queryset = ffb.support_need_levels()


class DecisionForm(DKFDSFormMixin, forms.Form):
    outcome = forms.ChoiceField(label="Afgørelse", choices=Decision.Outcome.choices, widget=forms.RadioSelect)
    legal_basis = forms.ChoiceField(label="Lovgrundlag", choices=[("", "Vælg …")] + LEGAL_BASES)
    justification = forms.CharField(label="Begrundelse", widget=forms.Textarea(attrs={"rows": 4}))
    decided_at = forms.DateField(
        label="Afgørelsesdato", widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"), validators=[validate_case_date]
    )

    partial = forms.BooleanField(label="Delvis bevilling — borgeren får mindre end søgt", required=False)
    consultation = forms.ModelChoiceField(
        label="Partshøring (forvaltningsloven § 19)",
        queryset=Consultation.objects.none(),
        required=False,
        empty_label="Ingen partshøring",
        help_text=(
            "Et afslag eller en delvis bevilling kræver en sendt partshøring, hvor borgeren har svaret eller fristen er udløbet."
        ),
    )
    not_needed = forms.ChoiceField(
        label="Eller: partshøring er ikke nødvendig, fordi",
        choices=[("", "Vælg …")] + NOT_NEEDED_REASONS,
        required=False,
    )
    not_needed_detail = forms.CharField(
        label="Uddyb, hvorfor partshøring ikke er nødvendig", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decided_at"].initial = timezone.localdate().isoformat()
        field = self.fields["consultation"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 (narrows the type for mypy)
        if case is not None:
            field.queryset = case.consultations.filter(sent_at__isnull=False).order_by("-sent_at")
        field.label_from_instance = _consultation_label  # type: ignore[method-assign,assignment]

    def clean(self) -> dict:
        data = super().clean() or {}
        reason, detail = data.get("not_needed"), (data.get("not_needed_detail") or "").strip()
        if reason == "other" and not detail:
            self.add_error("not_needed_detail", "Skriv, hvorfor partshøring ikke er nødvendig.")
        label = dict(NOT_NEEDED_REASONS).get(reason or "", "")
        if reason == "other":
            label = ""
        # The service gets one text: the § 19, stk. 2 reason and the caseworker's own words.
        data["consultation_not_needed_reason"] = ": ".join(p for p in (label, detail) if p)
        data.pop("not_needed", None)
        data.pop("not_needed_detail", None)
        return data


def _consultation_label(consultation: Consultation) -> str:
    sent = date_format(timezone.localtime(consultation.sent_at), "SHORT_DATE_FORMAT") if consultation.sent_at else ""
    deadline = date_format(consultation.response_deadline, "SHORT_DATE_FORMAT")
    return f"Sendt {sent}, svarfrist {deadline}"


class GrantForm(ConceptFormMixin, forms.Form):
    legal_basis = forms.ChoiceField(label="Lovgrundlag", choices=[("", "Vælg …")] + LEGAL_BASES)
    # Checkbox lists, not one-row multi-selects needing Ctrl-click (issue 13).
    services = ConceptMultiField(
        lambda: ffb.branch(ffb.SERVICES, leaves_only=True),
        label="Ydelser (FFB)",
        help_text="Vælg en eller flere.",
        widget=forms.CheckboxSelectMultiple,
    )
    offer = forms.ModelChoiceField(label="Tilbud / leverandør", queryset=OrgUnit.objects.none(), empty_label="Vælg …")
    scope_amount = forms.DecimalField(label="Omfang", min_value=0.01, max_digits=9, decimal_places=2)
    scope_unit = forms.ChoiceField(label="Enhed", choices=Grant.ScopeUnit.choices)
    start_date = forms.DateField(
        label="Startdato", widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"), validators=[validate_case_date]
    )
    end_date = forms.DateField(
        label="Slutdato",
        required=False,
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
        validators=[validate_case_date],
    )
    primary_target_group = ConceptField(lambda: ffb.branch(ffb.TARGET_GROUPS, leaves_only=True), label="Primær målgruppe")
    secondary_target_groups = ConceptMultiField(
        lambda: ffb.branch(ffb.TARGET_GROUPS, leaves_only=True),
        label="Sekundære målgrupper",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    goal_type = forms.ModelChoiceField(label="Måltype", queryset=Concept.objects.none(), empty_label="Vælg …")
    goal_condition = forms.ModelChoiceField(
        label="Indsatsmålet retter sig mod (primær tilstand)",
        queryset=Condition.objects.none(),
        empty_label="Vælg …",
        help_text="En tilstand under Aktivitet og deltagelse fra udredningen.",
    )
    # No preselected level: 0 is a real level, so the caseworker must choose one.
    target_level = forms.TypedChoiceField(
        label="Mål for funktionsevneniveau", choices=[("", "Vælg …"), *Condition.Level.choices], coerce=int
    )
    goal_description = forms.CharField(label="Indsatsmål med ord", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    assessed_hours_week = forms.DecimalField(
        label="Vurderet støttebehov (timer pr. uge)",
        required=False,
        max_digits=6,
        decimal_places=2,
        validators=hours_week_validators,
        help_text="Bruges af kvalitetsstandarden, fx ved midlertidigt botilbud (§ 107).",
    )
    deviation_justification = forms.CharField(
        label="Begrundelse for afvigelse fra kvalitetsstandarden",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Skal udfyldes, når bevillingen ligger over eller under serviceniveauet eller uden for målgruppen.",
    )

    # Fields the quality-standard check reads; evaluated as the caseworker types.
    EVALUATED = (
        "legal_basis",
        "scope_amount",
        "scope_unit",
        "start_date",
        "end_date",
        "assessed_hours_week",
        "primary_target_group",
    )

    def __init__(self, *args, municipality=None, assessment=None, change=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offer"].queryset = OrgUnit.objects.filter(municipality=municipality, kind=OrgUnit.Kind.PROVIDER)
        self.fields["goal_type"].queryset = ffb.children(ffb.GOAL_TYPES)
        conditions = Condition.objects.filter(assessment=assessment, functioning_level__isnull=False).select_related("theme")
        self.fields["goal_condition"].queryset = conditions
        self.fields["goal_condition"].label_from_instance = lambda c: f"{c.theme.display} (niveau {c.functioning_level})"
        self.fields["start_date"].initial = timezone.localdate().isoformat()
        if change:
            self.fields["change_reason"] = forms.CharField(label="Årsag til ændringen", widget=forms.Textarea(attrs={"rows": 2}))
            self.fields["change_reason"].widget.attrs["class"] = "form-input"

    @classmethod
    def initial_from(cls, grant: Grant) -> dict:
        goal = grant.goals.first()
        primary = grant.target_groups.filter(rank=1).first()
        return {
            "legal_basis": grant.legal_basis,
            "services": [str(s.pk) for s in grant.services.all()],
            "offer": grant.offer_id,
            "scope_amount": grant.scope_amount,
            "scope_unit": grant.scope_unit,
            "start_date": timezone.localdate().isoformat(),
            "end_date": grant.end_date.isoformat() if grant.end_date else "",
            "primary_target_group": str(primary.target_group_id) if primary else "",
            "secondary_target_groups": [str(t.target_group_id) for t in grant.target_groups.filter(rank=2)],
            "goal_type": goal.goal_type_id if goal else None,
            "goal_condition": goal.condition_id if goal else None,
            "target_level": goal.target_level if goal else None,
            "goal_description": goal.description if goal else "",
            "assessed_hours_week": grant.assessed_hours_week,
            # A returned grant is corrected, not rewritten: keep the justification given.
            "deviation_justification": grant.deviation_justification,
        }

    def clean(self) -> dict:
        data = super().clean() or {}
        try:
            validate_scope(data.get("scope_amount"), data.get("scope_unit"))
        except forms.ValidationError as error:
            self.add_error(None, error)
        return data

    def evaluation_inputs(self) -> dict | None:
        """The evaluated fields parsed on their own, so the check works before the rest of
        the form is filled in. None until § scope, unit and start are usable."""
        values = {}
        for name in self.EVALUATED:
            field = self.fields[name]
            try:
                values[name] = field.clean(field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name)))
            except forms.ValidationError:
                values[name] = None
        if not all(values.get(k) for k in ("legal_basis", "scope_amount", "scope_unit", "start_date")):
            return None
        return values


class OrderForm(DKFDSFormMixin, forms.Form):
    purpose = forms.CharField(label="Formål med indsatsen", widget=forms.Textarea(attrs={"rows": 3}))
    goals = forms.CharField(
        label="Konkrete mål",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Hvad skal borgeren kunne, og hvornår følger vi op?",
    )


def order_goals_text(grant: Grant) -> str:
    """The order's "concrete goals" prefilled from the grant's intervention goals."""
    lines = []
    for goal in grant.goals.all():
        condition = goal.condition
        levels = f"fra niveau {condition.functioning_level} mod niveau {goal.target_level}"
        line = f"{goal.goal_type.display}: {condition.theme.display} {levels}"
        lines.append(f"{line} – {goal.description}" if goal.description else line)
    return "\n".join(lines)


class OrderProposeForm(DKFDSFormMixin, forms.Form):
    proposed_start = forms.DateField(
        label="Foreslået startdato", widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"), validators=[validate_case_date]
    )
    reason = forms.CharField(label="Begrundelse", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    version = VersionField()

    prefix = "propose"


class OrderDeclineForm(DKFDSFormMixin, forms.Form):
    reason = forms.CharField(
        label="Begrundelse for afvisning",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Sagsbehandleren ser begrundelsen og kan bestille et andet sted.",
    )
    version = VersionField()

    prefix = "decline"


class FollowUpForm(DKFDSFormMixin, forms.Form):
    result = forms.ChoiceField(
        label="Resultat",
        widget=forms.RadioSelect,
        choices=[(v, label) for v, label in FollowUp.Result.choices if v != FollowUp.Result.CHANGE],
        help_text="Skal indsatsen ændres, så brug »Ændr bevilling« på sagen – "
        "det gemmer en ny version og planlægger en ny opfølgning.",
    )
    done_at = forms.DateField(
        label="Gennemført dato", widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"), validators=[validate_case_date]
    )
    note = forms.CharField(label="Notat", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, goal_rows: list[GoalRow] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["done_at"].initial = timezone.localdate().isoformat()
        # Effektmåling: per goal the functioning level now and whether the goal is met.
        self.goal_rows = goal_rows or []
        for row in self.goal_rows:
            pk = row.goal.pk
            self.fields[f"level_{pk}"] = forms.TypedChoiceField(
                label="Funktionsevneniveau nu",
                choices=[("", "Vælg niveau")] + [(str(v), label) for v, label in Condition.Level.choices],
                coerce=int,
                error_messages={"required": "Angiv funktionsevneniveauet nu for indsatsmålet."},
            )
            self.fields[f"attainment_{pk}"] = forms.ChoiceField(
                label="Er målet opnået?",
                widget=forms.RadioSelect,
                choices=GoalMeasurement.Attainment.choices,
                error_messages={"required": "Vælg, om målet er opnået, delvist opnået eller ikke opnået."},
            )
        self.style_fields()

    def general_fields(self) -> list:
        return [self[name] for name in ("result", "done_at", "note")]

    def goal_fields(self) -> list:
        """(row, level field, attainment field) per goal, for the template."""
        return [(row, self[f"level_{row.goal.pk}"], self[f"attainment_{row.goal.pk}"]) for row in self.goal_rows]

    def clean(self) -> dict:
        data = super().clean() or {}
        measurements = []
        for row in self.goal_rows:
            level = data.pop(f"level_{row.goal.pk}", None)
            attainment = data.pop(f"attainment_{row.goal.pk}", None)
            if level is not None and attainment:
                measurements.append(MeasurementSpec(goal_id=row.goal.pk, level=level, attainment=attainment))
        # None: a grant without goals measures nothing (the service then records none).
        data["measurements"] = measurements if self.goal_rows else None
        return data


class CommitteeReviewForm(DKFDSFormMixin, forms.Form):
    """The allocation committee's decision on a grant beyond the caseworker's competence."""

    outcome = forms.ChoiceField(
        label="Visitationsudvalgets afgørelse",
        widget=forms.RadioSelect,
        choices=[
            (CommitteeReview.Outcome.APPROVED, "Godkend – bevillingen træder i kraft"),
            (CommitteeReview.Outcome.REJECTED, "Afvis"),
            (CommitteeReview.Outcome.RETURNED, "Send retur til sagsbehandleren"),
        ],
    )
    reason = forms.CharField(
        label="Begrundelse",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Begrundelsen vises på sagen. Ved »Send retur«: skriv, hvad sagsbehandleren skal ændre.",
    )
