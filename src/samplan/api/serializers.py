"""Serializers shape data only. They never create spine rows or change state: the views
hand validated input to ``cases.services``. Related objects in input are looked up in
querysets restricted by the access policy (``core.rest.fields.VisibleRelatedField``), so an id the user may not see is reported
exactly like an id that does not exist."""

from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from samplan.cases import services as case_services
from samplan.cases.models import (
    LEGAL_BASES,
    Assessment,
    Case,
    Condition,
    Consultation,
    Decision,
    FollowUp,
    GoalMeasurement,
    Grant,
    GrantTargetGroup,
    Inquiry,
    InterventionGoal,
    Order,
)
from samplan.citizens.cpr import format_cpr, mask_cpr, parse_cpr
from samplan.citizens.models import Citizen
from samplan.citizens.services import register_citizen
from samplan.core.models import OrgUnit
from samplan.core.rest.fields import BlankAsNullChoiceField, VisibleRelatedField
from samplan.core.validators import (
    TEXT_MAX,
    hours_week_validators,
    validate_case_date,
    validate_end_after_start,
    validate_scope,
)
from samplan.terminology import ffb
from samplan.terminology.models import CodeSystem, Concept

# --- Small read-only shapes ------------------------------------------------------------


class ConceptRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Concept
        fields = ["id", "code", "display"]
        read_only_fields = fields


class UnitRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrgUnit
        fields = ["id", "name", "kind"]
        read_only_fields = fields


class CaseRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Case
        fields = ["id", "case_number", "status"]
        read_only_fields = fields


# --- Citizens --------------------------------------------------------------------------


class CitizenSearchSerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=100,
        allow_blank=True,
        trim_whitespace=True,
        help_text="Navn, fuldt CPR-nummer (10 cifre, med eller uden bindestreg) eller fødselsdato (DDMMÅÅ).",
    )


class CitizenSerializer(serializers.ModelSerializer):
    """The full CPR number is write-only: responses carry only ``cpr_masked``."""

    cpr = serializers.CharField(write_only=True, max_length=11, help_text="10 cifre, med eller uden bindestreg.")
    cpr_masked = serializers.SerializerMethodField(help_text="DDMMÅÅ-•••• — det fulde nummer vises kun via reveal-cpr.")
    full_name = serializers.CharField(read_only=True)

    class Meta:
        model = Citizen
        fields = [
            "id",
            "first_name",
            "last_name",
            "full_name",
            "cpr",
            "cpr_masked",
            "birth_date",
            "is_substitute_cpr",
            "phone",
            "email",
            "address",
            "postcode",
            "city",
            "municipality",
            "acting_municipality",
            "unit",
            "caseworker",
            "coordinator",
            "created_at",
        ]
        read_only_fields = [
            "birth_date",
            "is_substitute_cpr",
            "municipality",
            "acting_municipality",
            "unit",
            "caseworker",
            "coordinator",
            "created_at",
        ]

    def get_cpr_masked(self, obj) -> str:
        return mask_cpr(obj.cpr)

    def validate_cpr(self, value):
        number = parse_cpr(value).number  # Django ValidationError with Danish text → 400
        user = self.context["request"].user
        if Citizen.objects.filter(municipality_id=user.municipality_id, cpr=number).exists():
            raise serializers.ValidationError("Der findes allerede en borger med dette CPR-nummer i kommunen.", code="duplicate")
        return number

    def validate(self, attrs):
        user = self.context["request"].user
        if not user.municipality_id or not user.unit_id:
            raise serializers.ValidationError("Din bruger er ikke knyttet til en kommune og en myndighedsenhed.", code="no_unit")
        return attrs

    def create(self, validated_data):
        return register_citizen(self.context["request"].user, **validated_data)


class RevealedCprSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    cpr = serializers.CharField(help_text="Det fulde CPR-nummer (DDMMÅÅ-XXXX). Visningen logges.")

    @staticmethod
    def for_citizen(citizen) -> dict:
        return {"id": citizen.pk, "cpr": format_cpr(citizen.cpr)}


# --- Cases and inquiries ----------------------------------------------------------------


class CaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Case
        fields = ["id", "case_number", "status", "citizen", "municipality", "caseworker", "opened_at", "closed_at"]
        read_only_fields = fields


class InquirySerializer(serializers.ModelSerializer):
    case = CaseRefSerializer(read_only=True)
    citizen = serializers.IntegerField(source="case.citizen_id", read_only=True)

    class Meta:
        model = Inquiry
        fields = [
            "id",
            "case",
            "citizen",
            "source",
            "reason",
            "applied_for",
            "received_at",
            "deadline",
            "first_contact_at",
            "registered_by",
        ]
        read_only_fields = fields


class InquiryCreateSerializer(serializers.Serializer):
    citizen = VisibleRelatedField(queryset=Citizen.objects.all(), citizen_field=None)
    source = serializers.ChoiceField(choices=Inquiry.Source.choices)
    reason = serializers.CharField(allow_blank=True, max_length=TEXT_MAX)
    applied_for = serializers.ChoiceField(
        choices=LEGAL_BASES,
        required=False,
        allow_blank=True,
        help_text="Paragraffen der søges efter; bestemmer sagsbehandlingsfristen.",
    )
    received_at = serializers.DateTimeField(validators=[validate_case_date])


class FirstContactSerializer(serializers.Serializer):
    at = serializers.DateTimeField(help_text="Tidspunkt for første kontakt med borgeren.")


# --- Assessments -----------------------------------------------------------------------


class ConditionSerializer(serializers.ModelSerializer):
    theme = ConceptRefSerializer(read_only=True)

    class Meta:
        model = Condition
        fields = ["id", "assessment", "theme", "functioning_level", "description"]
        read_only_fields = fields


class AssessmentSerializer(serializers.ModelSerializer):
    case = CaseRefSerializer(read_only=True)
    citizen = serializers.IntegerField(source="case.citizen_id", read_only=True)
    support_need = ConceptRefSerializer(read_only=True, allow_null=True)
    conditions = ConditionSerializer(many=True, read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "case",
            "citizen",
            "status",
            "citizen_wishes",
            "resources",
            "support_need",
            "conditions",
            "started_at",
            "completed_at",
            "assessed_by",
        ]
        read_only_fields = fields


class AssessmentCreateSerializer(serializers.Serializer):
    case = VisibleRelatedField(queryset=Case.objects.all())


class ConditionInputSerializer(serializers.Serializer):
    theme = serializers.PrimaryKeyRelatedField(queryset=Concept.objects.all(), help_text="FFB-tilstand (begrebs-id).")
    functioning_level = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=0,
        max_value=4,
        help_text="0–4; påkrævet på Aktivitet og deltagelse, ikke tilladt på andre temaer.",
    )
    description = serializers.CharField(required=False, allow_blank=True, default="")


class CompleteAssessmentSerializer(serializers.Serializer):
    citizen_wishes = serializers.CharField(allow_blank=True, help_text="Borgerens ønsker for fremtiden med egne ord.")
    support_need = serializers.PrimaryKeyRelatedField(queryset=Concept.objects.all(), allow_null=True)
    resources = serializers.CharField(required=False, allow_blank=True, default="")


# --- Decisions -------------------------------------------------------------------------


class DecisionSerializer(serializers.ModelSerializer):
    case = CaseRefSerializer(read_only=True)
    citizen = serializers.IntegerField(source="case.citizen_id", read_only=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "case",
            "citizen",
            "assessment",
            "outcome",
            "legal_basis",
            "justification",
            "decided_at",
            "appeal_deadline",
            "appeal_guidance",
            "decided_by",
            "created_at",
            "partial",
            "consultation",
            "consultation_not_needed_reason",
        ]
        read_only_fields = fields


class DecisionCreateSerializer(serializers.Serializer):
    case = VisibleRelatedField(queryset=Case.objects.all())
    outcome = serializers.ChoiceField(choices=Decision.Outcome.choices)
    legal_basis = serializers.ChoiceField(choices=LEGAL_BASES)
    justification = serializers.CharField(allow_blank=True, max_length=TEXT_MAX)
    decided_at = serializers.DateField(validators=[validate_case_date])
    # Partshøring (forvaltningsloven § 19): the same rule as the page (services.make_decision).
    # (DRF's metaclass takes the field out of the class, so the serializer's own ``partial`` flag is untouched.)
    partial = serializers.BooleanField(required=False, default=False)  # type: ignore[assignment]
    consultation = VisibleRelatedField(queryset=Consultation.objects.all(), required=False, allow_null=True, default=None)
    consultation_not_needed_reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT_MAX)


# --- Grants ----------------------------------------------------------------------------


def _check(rule, *args) -> None:
    """A core.validators rule on the validated data, as the serializer's field error."""
    try:
        rule(*args)
    except DjangoValidationError as error:
        raise serializers.ValidationError(serializers.as_serializer_error(error)) from None


class GoalSerializer(serializers.ModelSerializer):
    goal_type = ConceptRefSerializer(read_only=True)

    class Meta:
        model = InterventionGoal
        fields = ["id", "goal_type", "target_level", "condition", "description"]
        read_only_fields = fields


class GrantSerializer(serializers.ModelSerializer):
    case = CaseRefSerializer(read_only=True)
    citizen = serializers.IntegerField(source="case.citizen_id", read_only=True)
    services = ConceptRefSerializer(many=True, read_only=True)
    offer = UnitRefSerializer(read_only=True)
    primary_target_group = serializers.SerializerMethodField()
    secondary_target_groups = serializers.SerializerMethodField()
    goals = GoalSerializer(many=True, read_only=True)

    class Meta:
        model = Grant
        fields = [
            "id",
            "case",
            "citizen",
            "decision",
            "version",
            "previous",
            "status",
            "legal_basis",
            "services",
            "offer",
            "scope_amount",
            "scope_unit",
            "start_date",
            "end_date",
            "primary_target_group",
            "secondary_target_groups",
            "goals",
            "change_reason",
            "standard_version",
            "service_level",
            "package",
            "deviation_justification",
            "assessed_hours_week",
            "evaluation",
            "created_by",
            "created_at",
            "ended_at",
        ]
        read_only_fields = fields

    # target_groups is prefetched; filtering in Python keeps the query count flat.
    @extend_schema_field(ConceptRefSerializer(allow_null=True))
    def get_primary_target_group(self, obj):
        for tg in obj.target_groups.all():
            if tg.rank == GrantTargetGroup.Rank.PRIMARY:
                return ConceptRefSerializer(tg.target_group).data
        return None

    @extend_schema_field(ConceptRefSerializer(many=True))
    def get_secondary_target_groups(self, obj):
        return [
            ConceptRefSerializer(tg.target_group).data
            for tg in obj.target_groups.all()
            if tg.rank == GrantTargetGroup.Rank.SECONDARY
        ]


class GoalInputSerializer(serializers.Serializer):
    goal_type = serializers.PrimaryKeyRelatedField(queryset=Concept.objects.all(), help_text="FFB-måltype (begrebs-id).")
    target_level = serializers.IntegerField(min_value=0, max_value=4, help_text="Mål for funktionsevneniveau 0–4.")
    condition = VisibleRelatedField(
        queryset=Condition.objects.all(),
        citizen_field="assessment__case__citizen",
        help_text="Den primære tilstand (Aktivitet og deltagelse) fra sagens udredning.",
    )
    description = serializers.CharField(required=False, allow_blank=True, default="")


class GrantSpecSerializer(serializers.Serializer):
    """The content of a grant (version); becomes ``services.GrantSpec``."""

    legal_basis = serializers.ChoiceField(choices=LEGAL_BASES)
    services = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Concept.objects.all(), help_text="FFB-ydelser (begrebs-id'er)."
    )
    offer = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all(), help_text="Tilbud / leverandør (enheds-id).")
    scope_amount = serializers.DecimalField(max_digits=9, decimal_places=2, min_value=Decimal("0.01"))
    scope_unit = serializers.ChoiceField(choices=Grant.ScopeUnit.choices)
    start_date = serializers.DateField(validators=[validate_case_date])
    end_date = serializers.DateField(required=False, allow_null=True, default=None, validators=[validate_case_date])
    primary_target_group = serializers.PrimaryKeyRelatedField(
        queryset=Concept.objects.all(), help_text="Præcis én primær FFB-målgruppe."
    )
    secondary_target_groups = serializers.PrimaryKeyRelatedField(
        many=True,
        queryset=Concept.objects.all(),
        required=False,
        default=list,
    )
    goals = GoalInputSerializer(many=True, required=False, default=list)
    deviation_justification = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Påkrævet når bevillingen afviger fra kvalitetsstandarden "
        "(over/under serviceniveauet eller uden for målgruppen).",
    )
    assessed_hours_week = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        required=False,
        allow_null=True,
        default=None,
        validators=hours_week_validators,
        help_text="Timer pr. uge, 0–168.",
    )

    # services.create_grant/change_grant do not check that target groups come from FFB's
    # target-group branch, and a repeated secondary group would hit a unique constraint
    # (500); both are refused here with a Danish message.
    @staticmethod
    def _check_target_group(concept):
        try:
            top = ffb.root(ffb.TARGET_GROUPS, concept.system)
        except Concept.DoesNotExist:
            top = None
        if top is None or not concept.is_within(top) or concept.pk == top.pk:
            raise serializers.ValidationError("Målgrupper skal vælges fra FFB's målgrupper.", code="not_target_group")

    # End ≥ start is a domain rule of services.create_grant/change_grant (reported with the
    # other refusals); only the evaluation below, which saves nothing, checks it here.
    def validate(self, attrs):
        attrs = super().validate(attrs)
        _check(validate_scope, attrs.get("scope_amount"), attrs.get("scope_unit"))
        return attrs

    def validate_primary_target_group(self, value):
        self._check_target_group(value)
        return value

    def validate_secondary_target_groups(self, value):
        for concept in value:
            self._check_target_group(concept)
        if len({c.pk for c in value}) != len(value):
            raise serializers.ValidationError("Den samme sekundære målgruppe er valgt flere gange.", code="duplicate")
        return value

    def to_spec(self, data=None, *, change_reason: str = "") -> case_services.GrantSpec:
        data = data if data is not None else self.validated_data
        return case_services.GrantSpec(
            legal_basis=data["legal_basis"],
            services=list(data["services"]),
            offer=data["offer"],
            scope_amount=data["scope_amount"],
            scope_unit=data["scope_unit"],
            start_date=data["start_date"],
            end_date=data.get("end_date"),
            primary_target_group=data["primary_target_group"],
            secondary_target_groups=list(data.get("secondary_target_groups") or []),
            goals=[
                case_services.GoalSpec(
                    goal_type=g["goal_type"],
                    target_level=g["target_level"],
                    condition=g["condition"],
                    description=g.get("description", ""),
                )
                for g in data.get("goals") or []
            ],
            change_reason=change_reason,
            deviation_justification=data.get("deviation_justification", ""),
            assessed_hours_week=data.get("assessed_hours_week"),
        )


class GrantCreateSerializer(GrantSpecSerializer):
    decision = VisibleRelatedField(queryset=Decision.objects.all(), citizen_field="case__citizen")


class GrantEvaluateSerializer(serializers.Serializer):
    """A proposal to check against the quality standard in force, without saving."""

    case = VisibleRelatedField(queryset=Case.objects.all(), citizen_field="citizen")
    legal_basis = serializers.ChoiceField(choices=LEGAL_BASES)
    scope_amount = serializers.DecimalField(max_digits=9, decimal_places=2, min_value=Decimal("0.01"))
    scope_unit = serializers.ChoiceField(choices=Grant.ScopeUnit.choices)
    start_date = serializers.DateField(validators=[validate_case_date])
    end_date = serializers.DateField(required=False, allow_null=True, default=None, validators=[validate_case_date])
    assessed_hours_week = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        required=False,
        allow_null=True,
        default=None,
        validators=hours_week_validators,
        help_text="Timer pr. uge, 0–168.",
    )
    replaces = VisibleRelatedField(
        queryset=Grant.objects.all(), citizen_field="case__citizen", required=False, allow_null=True, default=None
    )
    primary_target_group = serializers.PrimaryKeyRelatedField(
        queryset=Concept.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="Primær FFB-målgruppe; kvalitetsstandardens udelukkede målgrupper vurderes på den.",
    )

    def validate_primary_target_group(self, value):
        if value is not None:
            GrantSpecSerializer._check_target_group(value)
        return value

    def validate(self, attrs):
        attrs = super().validate(attrs)
        _check(validate_scope, attrs.get("scope_amount"), attrs.get("scope_unit"))
        _check(validate_end_after_start, attrs.get("start_date"), attrs.get("end_date"))
        return attrs


class EvaluationSerializer(serializers.Serializer):
    standard_version_id = serializers.IntegerField(allow_null=True)
    standard_title = serializers.CharField()
    eligible = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())
    service_level = serializers.ChoiceField(choices=Grant.ServiceLevel.choices)
    level_text = serializers.CharField()
    level_reasons = serializers.ListField(child=serializers.CharField())
    package = serializers.CharField(allow_blank=True)
    package_label = serializers.CharField(allow_blank=True)
    signals = serializers.ListField(child=serializers.CharField())
    follow_up_dates = serializers.ListField(child=serializers.DateField())
    appeal_allowed = serializers.BooleanField()
    needs_justification = serializers.BooleanField()
    committee_reasons = serializers.ListField(child=serializers.CharField())


class GrantChangeSerializer(GrantSpecSerializer):
    change_reason = serializers.CharField(allow_blank=True, help_text="Årsag til ændringen (påkrævet).")


# --- Orders ----------------------------------------------------------------------------


class OrderSerializer(serializers.ModelSerializer):
    provider = UnitRefSerializer(read_only=True)

    class Meta:
        model = Order
        fields = [
            "id",
            "grant",
            "citizen",
            "provider",
            "purpose",
            "goals",
            "status",
            "sent_at",
            "accepted_at",
            "ended_at",
            "created_by",
            "responded_at",
            "proposed_start",
            "response_reason",
            "row_version",
        ]
        read_only_fields = fields


class OrderProposeSerializer(serializers.Serializer):
    proposed_start = serializers.DateField(validators=[validate_case_date], help_text="Den startdato, tilbuddet kan tilbyde.")
    reason = serializers.CharField(required=False, allow_blank=True, default="", help_text="Hvorfor en anden startdato.")


class OrderDeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, help_text="Hvorfor tilbuddet afviser (påkrævet).")


class OrderCreateSerializer(serializers.Serializer):
    grant = VisibleRelatedField(queryset=Grant.objects.all(), citizen_field="case__citizen")
    purpose = serializers.CharField(allow_blank=True)
    goals = serializers.CharField(allow_blank=True, help_text="Konkrete mål for tilbuddets arbejde.")


# --- Follow-ups ------------------------------------------------------------------------


class GoalMeasurementSerializer(serializers.ModelSerializer):
    class Meta:
        model = GoalMeasurement
        fields = ["id", "goal", "level", "attainment", "measured_at"]
        read_only_fields = fields


class FollowUpSerializer(serializers.ModelSerializer):
    measurements = GoalMeasurementSerializer(many=True, read_only=True)
    result = BlankAsNullChoiceField(
        choices=FollowUp.Result.choices, read_only=True, help_text="null indtil opfølgningen er gennemført."
    )

    class Meta:
        model = FollowUp
        fields = ["id", "grant", "citizen", "kind", "due_date", "status", "done_at", "result", "note", "done_by", "measurements"]
        read_only_fields = fields


class GoalMeasurementInputSerializer(serializers.Serializer):
    goal = serializers.IntegerField(help_text="Indsatsmålets id (et af bevillingens mål).")
    level = serializers.IntegerField(min_value=0, max_value=4, help_text="Funktionsevneniveau nu, 0–4 (FFB).")
    attainment = serializers.ChoiceField(choices=GoalMeasurement.Attainment.choices)


class CompleteFollowUpSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=FollowUp.Result.choices)
    measurements = GoalMeasurementInputSerializer(
        many=True,
        required=False,
        allow_null=True,
        default=None,
        help_text="Effektmåling: ét element pr. indsatsmål på bevillingen (alle eller ingen).",
    )
    done_at = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")
    change = GrantChangeSerializer(
        required=False, allow_null=True, default=None, help_text="Den ændrede bevilling (kun ved resultat 'change')."
    )


# --- Terminology -----------------------------------------------------------------------


class ConceptSerializer(serializers.ModelSerializer):
    system_version = serializers.CharField(source="system.version", read_only=True)
    is_leaf = serializers.BooleanField(read_only=True, help_text="Sand, når begrebet ikke har underbegreber.")

    class Meta:
        model = Concept
        fields = ["id", "code", "display", "definition", "parent", "depth", "system", "system_version", "is_leaf"]
        read_only_fields = fields


class CodeSystemSerializer(serializers.ModelSerializer):
    concept_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = CodeSystem
        fields = ["id", "url", "version", "name", "title", "loaded_at", "concept_count"]
        read_only_fields = fields


class TokenLoginSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"})
    code = serializers.CharField(
        required=False,
        help_text="Den 6-cifrede kode fra medarbejderens godkendelsesapp. Påkrævet for medarbejdere, "
        "når tofaktorlogin er slået til (SAMPLAN_STAFF_REQUIRE_2FA).",
    )


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="API-nøglen. Vises kun denne ene gang; Samplan gemmer kun et hash af den.")
    expiry = serializers.DateTimeField(help_text="Hvornår nøglen udløber (SAMPLAN_API_TOKEN_HOURS, standard 8 timer).")
