"""API for the calculators (registered in samplan.api.urls):

* ``GET /api/v1/companion-ledgers/{grant id}/?on=YYYY-MM-DD`` – the §97 ledger of a grant
* ``/api/v1/companion-usages/`` – list, retrieve, and POST to record usage
* ``/api/v1/extra-cost-calculations/`` – list, retrieve, and POST to calculate (§100)

Same policy and audit as the rest of the API: objects of citizens the user may not see
are missing (404), writes need ``policy.WORK_CASE`` (403), reads write one audit row, and
the services audit the writes."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from samplan.cases.models import Grant
from samplan.citizens.models import Citizen
from samplan.core import audit, policy
from samplan.core.idempotency import idempotent
from samplan.core.rest.fields import VisibleRelatedField
from samplan.core.rest.views import CITIZEN_PARAM, ApiViewMixin, AuditedReadViewSet
from samplan.core.validators import hours_used_validators, validate_case_date
from samplan.standards.models import StandardVersion

from . import services
from .models import CompanionUsage, ExtraCostCalculation

HOURS = {"max_digits": 9, "decimal_places": 2}
KR = {"max_digits": 11, "decimal_places": 2}


# --- §97 ledger -------------------------------------------------------------------------------


class LapseSerializer(serializers.Serializer):
    date = serializers.DateField()
    hours = serializers.DecimalField(**HOURS)


class LedgerLineSerializer(serializers.Serializer):
    date = serializers.DateField(source="day")
    kind = serializers.CharField(help_text="accrual (optjent), usage (brugt) eller lapse (bortfaldet).")
    hours = serializers.DecimalField(**HOURS, help_text="Med fortegn: + optjent, − brugt eller bortfaldet.")
    balance = serializers.DecimalField(**HOURS, help_text="Saldo efter bevægelsen.")
    text = serializers.CharField()
    usage = serializers.SerializerMethodField(help_text="Forbrugets id (kun ved usage).")
    note = serializers.SerializerMethodField()

    def get_usage(self, line) -> int | None:
        return getattr(line.ref, "pk", None)

    def get_note(self, line) -> str:
        return getattr(line.ref, "note", "") or ""


class CompanionLedgerSerializer(serializers.Serializer):
    grant = serializers.IntegerField(source="grant.pk")
    citizen = serializers.IntegerField(source="grant.case.citizen_id")
    on = serializers.DateField(help_text="Saldoen gælder ved udgangen af denne dag.")
    hours_per_month = serializers.DecimalField(source="params.hours_per_month", **HOURS)
    max_saved_hours = serializers.DecimalField(source="params.max_saved_hours", **HOURS)
    saving_months = serializers.IntegerField(source="params.saving_months")
    available = serializers.DecimalField(source="balance.available", **HOURS)
    accrued_total = serializers.DecimalField(source="balance.accrued_total", **HOURS)
    used_total = serializers.DecimalField(source="balance.used_total", **HOURS)
    lapsed_total = serializers.DecimalField(source="balance.lapsed_total", **HOURS)
    uncovered_total = serializers.DecimalField(source="balance.uncovered_total", **HOURS)
    next_lapse = serializers.SerializerMethodField()
    lines = LedgerLineSerializer(many=True)

    @extend_schema_field(LapseSerializer(allow_null=True))
    def get_next_lapse(self, ledger):
        if ledger.balance.next_lapse is None:
            return None
        day, hours = ledger.balance.next_lapse
        return LapseSerializer({"date": day, "hours": hours}).data


def _date_param(request, name):
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    field = serializers.DateField()
    try:
        return field.to_internal_value(raw)
    except serializers.ValidationError as e:
        raise serializers.ValidationError({name: e.detail}, code="invalid") from None


@extend_schema_view(
    retrieve=extend_schema(
        summary="Ledsagelsestimer på en bevilling (§ 97, logges)",
        description="Saldo og bevægelser (optjening, forbrug, bortfald) for en § 97-bevilling pr. en dato. "
        "Id'et er bevillingens. 15 timer optjenes på startdatoen og samme dag hver måned; timerne bortfalder 6 måneder "
        "efter, de er optjent (på selve dagen); de ældste timer bruges først; saldoen kan højst være 90 timer "
        "(satserne kommer fra bevillingens kvalitetsstandard).",
        parameters=[
            OpenApiParameter(
                "on",
                OpenApiTypes.DATE,
                OpenApiParameter.QUERY,
                required=False,
                description="Saldo pr. denne dato (ÅÅÅÅ-MM-DD); standard er i dag.",
            )
        ],
    ),
)
class CompanionLedgerViewSet(ApiViewMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = Grant.objects.filter(legal_basis=services.COMPANION_BASIS)
    serializer_class = CompanionLedgerSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Grant.objects.none()
        grants = Grant.objects.filter(legal_basis=services.COMPANION_BASIS).select_related("case", "standard_version")
        return policy.visible(self.request.user, grants, "case__citizen")

    def retrieve(self, request, *args, **kwargs):
        grant = self.get_object()
        on = _date_param(request, "on") or timezone.localdate()
        ledger = services.companion_ledger(grant, on)
        audit.record_read(request.user, grant, after={"shown": "companion_ledger", "on": on.isoformat()})
        return Response(CompanionLedgerSerializer(ledger).data)


# --- §97 usage ----------------------------------------------------------------------------------


class CompanionUsageSerializer(serializers.ModelSerializer):
    class Meta:
        model = CompanionUsage
        fields = ["id", "citizen", "grant", "used_on", "hours", "note", "created_by", "created_at"]
        read_only_fields = fields


class CompanionUsageCreateSerializer(serializers.Serializer):
    grant = VisibleRelatedField(queryset=Grant.objects.all(), citizen_field="case__citizen", help_text="En aktiv § 97-bevilling.")
    used_on = serializers.DateField(help_text="Dagen for ledsagelsen (ikke i fremtiden).", validators=[validate_case_date])
    hours = serializers.DecimalField(
        max_digits=6, decimal_places=2, validators=hours_used_validators, help_text="Antal timer (fx 1.5)."
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


GRANT_PARAM = OpenApiParameter(
    "grant",
    OpenApiTypes.INT,
    OpenApiParameter.QUERY,
    required=False,
    description="Kun for denne bevilling (id).",
)


@extend_schema_view(
    list=extend_schema(summary="Forbrug af ledsagelse (§ 97)"),
    retrieve=extend_schema(summary="Hent forbrug af ledsagelse (logges)"),
    create=extend_schema(
        summary="Registrér forbrug af ledsagelse",
        description="Trækker timer fra de ældste opsparede timer. "
        "Afvises, hvis saldoen på dagen ikke dækker (»Der er kun X timer "
        "til rådighed …«), hvis bevillingen ikke er en aktiv § 97-bevilling, eller hvis datoen ligger uden for bevillingen "
        "eller i fremtiden.",
        request=CompanionUsageCreateSerializer,
        responses={201: CompanionUsageSerializer},
    ),
)
class CompanionUsageViewSet(AuditedReadViewSet):
    queryset = CompanionUsage.objects.all()
    serializer_class = CompanionUsageSerializer
    filter_fields = {"citizen": "citizen_id", "grant": "grant_id"}
    list_parameters = [CITIZEN_PARAM, GRANT_PARAM]

    def base_queryset(self):
        return CompanionUsage.objects.order_by("-used_on", "-id")

    @idempotent
    def create(self, request):
        data = self.input(CompanionUsageCreateSerializer).validated_data
        grant = data["grant"]
        policy.require(request.user, policy.WORK_CASE, grant)
        usage = services.record_companion_usage(request.user, grant, data["used_on"], data["hours"], data["note"])
        return self.output(usage, status_code=status.HTTP_201_CREATED)


# --- §100 extra costs ---------------------------------------------------------------------------


class ExtraCostItemSerializer(serializers.Serializer):
    label = serializers.CharField(max_length=100, help_text="Hvad merudgiften dækker.")
    kr_month = serializers.DecimalField(max_digits=9, decimal_places=2, min_value=0, help_text="Kr. pr. måned.")


class ExtraCostCalculationSerializer(serializers.ModelSerializer):
    items = ExtraCostItemSerializer(many=True, read_only=True)
    band = serializers.CharField(
        read_only=True,
        help_text='"below" (under grænsen), "1", "2" … (standardbeløb) eller "actual" (faktiske udgifter).',
    )
    band_label = serializers.CharField(read_only=True)
    eligible = serializers.BooleanField(read_only=True)
    documentation_required = serializers.BooleanField(
        read_only=True,
        help_text="Over øverste interval: udgifterne skal så vidt muligt dokumenteres.",
    )

    class Meta:
        model = ExtraCostCalculation
        fields = [
            "id",
            "citizen",
            "grant",
            "standard_version",
            "application_received",
            "calculated_on",
            "on_demand",
            "items",
            "monthly_total",
            "band",
            "band_label",
            "eligible",
            "payment_kr_month",
            "documentation_required",
            "decision_deadline",
            "recalculation_allowed_from",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class StandardVersionField(serializers.PrimaryKeyRelatedField):
    """A standard version of the user's own municipality."""

    def get_queryset(self):
        user = self.context["request"].user
        return StandardVersion.objects.filter(standard__municipality_id=user.municipality_id)


class ExtraCostCalculationCreateSerializer(serializers.Serializer):
    citizen = VisibleRelatedField(queryset=Citizen.objects.all(), citizen_field=None)
    grant = VisibleRelatedField(
        queryset=Grant.objects.all(),
        citizen_field="case__citizen",
        required=False,
        allow_null=True,
        help_text="Borgerens § 100-bevilling, hvis der er en.",
    )
    items = ExtraCostItemSerializer(
        many=True,
        min_length=1,
        max_length=services.MAX_ITEMS,
        error_messages={
            "min_length": "Angiv mindst én merudgift.",
            "max_length": f"Angiv højst {services.MAX_ITEMS} merudgifter.",
            "empty": "Angiv mindst én merudgift.",
            "not_a_list": "Angiv merudgifterne som en liste.",
        },
    )
    application_received = serializers.DateField(
        help_text="Ansøgningen om (nye) merudgifter modtaget; afgørelse senest 4 uger efter.", validators=[validate_case_date]
    )
    calculated_on = serializers.DateField(
        required=False, help_text="Beregningsdato; standard er i dag.", validators=[validate_case_date]
    )
    on_demand = serializers.BooleanField(
        default=False,
        help_text="Borgeren kræver tilskuddet fastsat på ny (tidligst 1 år efter seneste).",
    )
    standard_version = StandardVersionField(
        queryset=StandardVersion.objects.all(),
        required=False,
        allow_null=True,
        help_text="Kvalitetsstandardens version; standard er den for § 100 i kraft på beregningsdatoen.",
    )


@extend_schema_view(
    list=extend_schema(summary="Beregninger af merudgifter (§ 100)"),
    retrieve=extend_schema(summary="Hent beregning af merudgifter (logges)"),
    create=extend_schema(
        summary="Beregn tilskud til merudgifter",
        description="Summerer merudgifterne, afrunder til hele kroner og finder standardbeløbet (eller de faktiske udgifter over "
        "øverste interval) efter kvalitetsstandardens satser, og gemmer beregningen. Et krav om ny fastsættelse (`on_demand`) "
        "afvises til og med 1-årsdagen for seneste fastsættelse.",
        request=ExtraCostCalculationCreateSerializer,
        responses={201: ExtraCostCalculationSerializer},
    ),
)
class ExtraCostCalculationViewSet(AuditedReadViewSet):
    queryset = ExtraCostCalculation.objects.all()
    serializer_class = ExtraCostCalculationSerializer
    filter_fields = {"citizen": "citizen_id", "grant": "grant_id"}
    list_parameters = [CITIZEN_PARAM, GRANT_PARAM]

    def base_queryset(self):
        return ExtraCostCalculation.objects.order_by("-calculated_on", "-id")

    @idempotent
    def create(self, request):
        data = self.input(ExtraCostCalculationCreateSerializer).validated_data
        citizen = data["citizen"]
        policy.require(request.user, policy.WORK_CASE, citizen)
        calculation = services.calculate_extra_costs(
            request.user,
            citizen,
            items=[(i["label"], i["kr_month"]) for i in data["items"]],
            application_received=data["application_received"],
            calculated_on=data.get("calculated_on"),
            on_demand=data["on_demand"],
            standard_version=data.get("standard_version"),
            grant=data.get("grant"),
        )
        return self.output(calculation, status_code=status.HTTP_201_CREATED)
