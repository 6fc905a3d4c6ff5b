"""API views. Thin: restrict through the access policy, validate input with a serializer,
call the domain service, shape the result. Retrievals are audited here (one READ row),
list requests write one SEARCH row; changes are audited by the services."""

import re

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import parsers, renderers, serializers, status, viewsets
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, ErrorDetail, PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from samplan.cases import services
from samplan.cases.models import (
    Assessment,
    Case,
    Condition,
    Decision,
    FollowUp,
    Grant,
    GrantTargetGroup,
    Inquiry,
    InterventionGoal,
    Order,
)
from samplan.citizens.models import Citizen
from samplan.core import api_tokens, audit, login_throttle, policy
from samplan.core import twofactor as core_twofactor
from samplan.core.idempotency import idempotent
from samplan.core.locking import EditConflict
from samplan.core.models import AuditEvent
from samplan.core.rest import concurrency
from samplan.core.rest.errors import ErrorSerializer
from samplan.core.rest.permissions import AUTHENTICATION_CLASSES, TokenLoginThrottle
from samplan.core.rest.views import CITIZEN_PARAM, ApiViewMixin, AuditedReadViewSet, DanishMixin, int_param, query_param
from samplan.terminology import ffb
from samplan.terminology.models import CodeSystem, Concept

from . import serializers as s

CASE_PARAM = query_param("case", "Kun objekter i denne sag (id).")


def _status_param(choices):
    return query_param("status", "Kun objekter med denne status.", OpenApiTypes.STR, enum=[c for c, _ in choices])


# --- Citizens --------------------------------------------------------------------------

CPR_FULL_RE = re.compile(r"^(\d{6})-?(\d{4})$")
CPR_DATE_RE = re.compile(r"^\d{6}$")
CPR_ANYWHERE_RE = re.compile(r"\d{6}-?\d{4}")
CPR_IN_URL = (
    "Søg ikke efter et CPR-nummer i adressen, for adressen skrives i serverens logfiler. "
    "Send søgningen med POST til /api/v1/citizens/search/ i stedet."
)


def _query_kind(q: str) -> str:
    """What kind of search it was, for the audit trail: never the typed text itself."""
    compact = q.replace(" ", "")
    if CPR_FULL_RE.match(compact):
        return "cpr"
    if CPR_DATE_RE.match(compact):
        return "birth_date"
    return "name" if q else ""


@extend_schema_view(
    list=extend_schema(
        summary="Søg borgere",
        description="Borgere brugeren må se; `q` søger på navn eller fødselsdato (DDMMÅÅ). "
        "Et fuldt CPR-nummer i `q` afvises med 400 (adressen havner i adgangslogs): "
        "søg på CPR-nummer med `POST /api/v1/citizens/search/`.",
    ),
    retrieve=extend_schema(summary="Hent borger (logges)"),
    create=extend_schema(summary="Opret borger", description="Opretter borgeren i sagsbehandlerens kommune og myndighedsenhed."),
)
class CitizenViewSet(AuditedReadViewSet):
    queryset = Citizen.objects.all()
    serializer_class = s.CitizenSerializer
    list_parameters = [
        query_param("q", "Navn eller fødselsdato (6 cifre). Ikke CPR-nummer: brug POST search/.", OpenApiTypes.STR)
    ]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Citizen.objects.none()
        return policy.citizens_for(self.request.user)

    def search_text(self) -> str:
        if self.action == "search":
            return self._posted_q
        q = (self.request.query_params.get("q") or "").strip()
        if CPR_ANYWHERE_RE.search(q.replace(" ", "")):
            # The number is already in the access log; at least it is not echoed back.
            raise serializers.ValidationError({"q": [ErrorDetail(CPR_IN_URL, code="cpr_in_url")]})
        return q

    def filter_queryset(self, queryset):
        self._filters = {}
        if self.action not in ("list", "search"):
            return queryset
        q = self.search_text()
        if not q:
            return queryset
        compact = q.replace(" ", "")
        if m := CPR_FULL_RE.match(compact):
            return queryset.filter(cpr=m.group(1) + m.group(2))
        if CPR_DATE_RE.match(compact):
            return queryset.filter(cpr__startswith=compact)
        for term in q.split():
            queryset = queryset.filter(Q(first_name__icontains=term) | Q(last_name__icontains=term))
        return queryset

    def search_audit_extra(self):
        # No free text in the audit trail: the kind of search, not what was typed.
        kind = _query_kind(self.search_text())
        return {"q_kind": kind} if kind else {}

    def citizens_shown(self, objects):
        return [(c.pk, c.municipality_id) for c in objects]

    @extend_schema(
        summary="Søg borgere (også på CPR-nummer)",
        description="Som `GET /api/v1/citizens/`, men søgeteksten sendes i body, så et CPR-nummer aldrig står i "
        "en adresse: `q` søger på navn, fuldt CPR-nummer (10 cifre, med eller uden bindestreg) eller fødselsdato "
        "(DDMMÅÅ). Hver borger i svaret får en logrække (search).",
        request=s.CitizenSearchSerializer,
        responses=s.CitizenSerializer(many=True),
    )
    @action(detail=False, methods=["post"], url_path="search")
    def search(self, request):
        self._posted_q = self.input(s.CitizenSearchSerializer).validated_data["q"].strip()
        return self.list(request)

    @idempotent
    def create(self, request, *args, **kwargs):
        policy.require(request.user, policy.CREATE_CITIZEN)
        serializer = self.input(s.CitizenSerializer)
        citizen = serializer.save()
        return self.output(citizen, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Vis fuldt CPR-nummer (logges)",
        request=None,
        responses=s.RevealedCprSerializer,
        description="Returnerer det fulde CPR-nummer og skriver en logrække (reveal_cpr).",
    )
    @action(detail=True, methods=["post"], url_path="reveal-cpr")
    def reveal_cpr(self, request, pk=None):
        citizen = self.work_object(policy.REVEAL_CPR)
        audit.record(request.user, AuditEvent.Action.REVEAL_CPR, citizen)
        return Response(s.RevealedCprSerializer.for_citizen(citizen))


# --- Cases -----------------------------------------------------------------------------


@extend_schema_view(list=extend_schema(summary="Sager"), retrieve=extend_schema(summary="Hent sag (logges)"))
class CaseViewSet(AuditedReadViewSet):
    queryset = Case.objects.all()
    serializer_class = s.CaseSerializer
    filter_fields = {"citizen": "citizen_id", "status": "status"}
    list_parameters = [CITIZEN_PARAM, _status_param(Case.Status.choices)]


# --- Inquiries -------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Henvendelser"),
    retrieve=extend_schema(summary="Hent henvendelse (logges)"),
    create=extend_schema(
        summary="Registrér henvendelse",
        description="Opretter sag og henvendelse (services.register_inquiry).",
        request=s.InquiryCreateSerializer,
        responses={201: s.InquirySerializer},
    ),
)
class InquiryViewSet(AuditedReadViewSet):
    queryset = Inquiry.objects.all()
    serializer_class = s.InquirySerializer
    citizen_field = "case__citizen"
    filter_fields = {"citizen": "case__citizen_id", "case": "case_id"}
    list_parameters = [CITIZEN_PARAM, CASE_PARAM]

    def base_queryset(self):
        return Inquiry.objects.select_related("case").order_by("-received_at", "-id")

    @idempotent
    def create(self, request):
        data = self.input(s.InquiryCreateSerializer).validated_data
        policy.require(request.user, policy.WORK_CASE, data["citizen"])
        inquiry = services.register_inquiry(
            request.user,
            data["citizen"],
            source=data["source"],
            reason=data["reason"],
            received_at=data["received_at"],
            applied_for=data.get("applied_for", ""),
        )
        return self.output(inquiry, status_code=status.HTTP_201_CREATED)

    @extend_schema(summary="Registrér første kontakt", request=s.FirstContactSerializer, responses=s.InquirySerializer)
    @action(detail=True, methods=["post"], url_path="first-contact")
    def first_contact(self, request, pk=None):
        inquiry = self.work_object()
        data = self.input(s.FirstContactSerializer).validated_data
        return self.output(services.record_first_contact(request.user, inquiry, data["at"]))


# --- Assessments -----------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Udredninger"),
    retrieve=extend_schema(summary="Hent udredning (logges)", parameters=[concurrency.ETAG]),
    create=extend_schema(
        summary="Start udredning",
        description="Starter en udredning i sagen (services.start_assessment).",
        request=s.AssessmentCreateSerializer,
        responses={201: s.AssessmentSerializer},
    ),
)
class AssessmentViewSet(AuditedReadViewSet):
    queryset = Assessment.objects.all()
    serializer_class = s.AssessmentSerializer
    citizen_field = "case__citizen"
    filter_fields = {"citizen": "case__citizen_id", "case": "case_id", "status": "status"}
    list_parameters = [CITIZEN_PARAM, CASE_PARAM, _status_param(Assessment.Status.choices)]

    def base_queryset(self):
        return Assessment.objects.select_related("case", "support_need").prefetch_related(
            Prefetch("conditions", queryset=Condition.objects.select_related("theme").order_by("id"))
        )

    @idempotent
    def create(self, request):
        case = self.input(s.AssessmentCreateSerializer).validated_data["case"]
        policy.require(request.user, policy.WORK_CASE, case)
        assessment = services.start_assessment(request.user, case)
        return self.output(assessment, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Registrér tilstand",
        description="Opretter eller opdaterer tilstanden for et FFB-tema (services.set_condition).",
        request=s.ConditionInputSerializer,
        parameters=[concurrency.IF_MATCH_OPTIONAL],
        responses={200: s.ConditionSerializer, **concurrency.STALE_RESPONSE},
    )
    @action(detail=True, methods=["post"])
    def conditions(self, request, pk=None):
        assessment = self.work_object()
        data = self.input(s.ConditionInputSerializer).validated_data
        try:
            condition = services.set_condition(
                request.user,
                assessment,
                theme=data["theme"],
                functioning_level=data["functioning_level"],
                description=data["description"],
                expected_version=concurrency.optional_expected_version(request, assessment.row_version),
            )
        except EditConflict as error:
            return self._stale(error, assessment)
        return concurrency.with_etag(self.output(condition, s.ConditionSerializer), assessment.row_version)

    @extend_schema(
        summary="Afslut udredning",
        request=s.CompleteAssessmentSerializer,
        parameters=[concurrency.IF_MATCH_OPTIONAL],
        responses={200: s.AssessmentSerializer, **concurrency.STALE_RESPONSE},
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        assessment = self.work_object()
        data = self.input(s.CompleteAssessmentSerializer).validated_data
        try:
            services.complete_assessment(
                request.user,
                assessment,
                citizen_wishes=data["citizen_wishes"],
                support_need=data["support_need"],
                resources=data["resources"],
                expected_version=concurrency.optional_expected_version(request, assessment.row_version),
            )
        except EditConflict as error:
            return self._stale(error, assessment)
        fresh = self.base_queryset().get(pk=assessment.pk)
        return concurrency.with_etag(self.output(fresh), fresh.row_version)

    def retrieve(self, request, *args, **kwargs):
        """A draft assessment is edited in place: its ETag is the row version (core.locking)."""
        obj = self.get_object()
        audit.record_read(request.user, obj)
        return concurrency.with_etag(Response(self.get_serializer(obj).data), obj.row_version)

    def _stale(self, error, assessment):
        current = self.base_queryset().get(pk=assessment.pk)
        return concurrency.precondition_failed(error, self.get_serializer(current).data)


# --- Decisions -------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Afgørelser"),
    retrieve=extend_schema(summary="Hent afgørelse (logges)"),
    create=extend_schema(
        summary="Træf afgørelse",
        description="Bevilling eller afslag med lovgrundlag og begrundelse (services.make_decision).",
        request=s.DecisionCreateSerializer,
        responses={201: s.DecisionSerializer},
    ),
)
class DecisionViewSet(AuditedReadViewSet):
    queryset = Decision.objects.all()
    serializer_class = s.DecisionSerializer
    citizen_field = "case__citizen"
    filter_fields = {"citizen": "case__citizen_id", "case": "case_id"}
    list_parameters = [CITIZEN_PARAM, CASE_PARAM]

    def base_queryset(self):
        return Decision.objects.select_related("case").order_by("-decided_at", "-id")

    @idempotent
    def create(self, request):
        data = self.input(s.DecisionCreateSerializer).validated_data
        case = data.pop("case")
        policy.require(request.user, policy.WORK_CASE, case)
        decision = services.make_decision(request.user, case, **data)
        return self.output(decision, status_code=status.HTTP_201_CREATED)


# --- Grants ----------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Bevillinger"),
    retrieve=extend_schema(summary="Hent bevilling (logges)"),
    create=extend_schema(
        summary="Opret bevilling",
        description="Bevilling på en afgørelse om bevilling (services.create_grant).",
        request=s.GrantCreateSerializer,
        responses={201: s.GrantSerializer},
    ),
)
class GrantViewSet(AuditedReadViewSet):
    queryset = Grant.objects.all()
    serializer_class = s.GrantSerializer
    citizen_field = "case__citizen"
    filter_fields = {"citizen": "case__citizen_id", "case": "case_id", "status": "status"}
    list_parameters = [CITIZEN_PARAM, CASE_PARAM, _status_param(Grant.Status.choices)]

    def base_queryset(self):
        return Grant.objects.select_related("case", "offer").prefetch_related(
            "services",
            Prefetch("target_groups", queryset=GrantTargetGroup.objects.select_related("target_group")),
            Prefetch("goals", queryset=InterventionGoal.objects.select_related("goal_type")),
        )

    def _fresh(self, grant):
        return self.base_queryset().get(pk=grant.pk)

    @idempotent
    def create(self, request):
        serializer = self.input(s.GrantCreateSerializer)
        decision = serializer.validated_data["decision"]
        policy.require(request.user, policy.WORK_CASE, decision)
        grant = services.create_grant(request.user, decision, serializer.to_spec())
        return self.output(self._fresh(grant), status_code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Vurdér efter kvalitetsstandarden",
        description="Tjekker et forslag mod den gældende kvalitetsstandard uden at gemme: målgruppe, serviceniveau, pakke, "
        "signaler, opfølgningsdatoer og om visitationsudvalget skal godkende.",
        request=s.GrantEvaluateSerializer,
        responses=s.EvaluationSerializer,
    )
    @action(detail=False, methods=["post"])
    def evaluate(self, request):
        policy.require(request.user, policy.WORK_CASES)
        data = dict(self.input(s.GrantEvaluateSerializer).validated_data)
        case = data.pop("case")
        policy.require(request.user, policy.WORK_CASE, case)
        assessment = (
            case.decision.assessment if hasattr(case, "decision") else case.assessments.filter(status="completed").first()
        )
        evaluation = services.preview_grant(case, assessment, **data)
        return Response(s.EvaluationSerializer(evaluation.as_dict() | {"committee_reasons": evaluation.committee_reasons}).data)

    @extend_schema(
        summary="Ændr bevilling",
        description="Opretter en ny version; den gamle bevares som erstattet (services.change_grant).",
        request=s.GrantChangeSerializer,
        responses={201: s.GrantSerializer},
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def change(self, request, pk=None):
        grant = self.work_object()
        serializer = self.input(s.GrantChangeSerializer)
        new = services.change_grant(
            request.user, grant, serializer.to_spec(change_reason=serializer.validated_data["change_reason"])
        )
        return self.output(self._fresh(new), status_code=status.HTTP_201_CREATED)


# --- Orders ----------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Bestillinger"),
    retrieve=extend_schema(summary="Hent bestilling (logges)"),
    create=extend_schema(
        summary="Bestil hos tilbuddet",
        description="Bestilling på en aktiv bevilling (services.create_order).",
        request=s.OrderCreateSerializer,
        responses={201: s.OrderSerializer},
    ),
)
class OrderViewSet(AuditedReadViewSet):
    queryset = Order.objects.all()
    serializer_class = s.OrderSerializer
    filter_fields = {"citizen": "citizen_id", "grant": "grant_id", "status": "status"}
    list_parameters = [
        CITIZEN_PARAM,
        query_param("grant", "Kun bestillinger på denne bevilling (id)."),
        _status_param(Order.Status.choices),
    ]

    def base_queryset(self):
        return Order.objects.select_related("provider")

    @idempotent
    def create(self, request):
        data = self.input(s.OrderCreateSerializer).validated_data
        grant = data["grant"]
        policy.require(request.user, policy.WORK_CASE, grant)
        order = services.create_order(request.user, grant, purpose=data["purpose"], goals=data["goals"])
        return self.output(order, status_code=status.HTTP_201_CREATED)

    @extend_schema(summary="Modtag bestilling (tilbuddet)", request=None, responses=s.OrderSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        order = self.work_object(policy.ACCEPT_ORDER)
        return self._respond(order, lambda expected: services.accept_order(request.user, order, version=expected))

    @extend_schema(
        summary="Foreslå en anden startdato (tilbuddet)",
        description="If-Match (ETag) overholdes, når den sendes.",
        request=s.OrderProposeSerializer,
        responses=s.OrderSerializer,
    )
    @action(detail=True, methods=["post"])
    def propose(self, request, pk=None):
        order = self.work_object(policy.ACCEPT_ORDER)
        data = self.input(s.OrderProposeSerializer).validated_data
        return self._respond(order, lambda expected: services.propose_order_start(request.user, order, version=expected, **data))

    @extend_schema(
        summary="Afvis bestilling med begrundelse (tilbuddet)",
        description="If-Match (ETag) overholdes, når den sendes.",
        request=s.OrderDeclineSerializer,
        responses=s.OrderSerializer,
    )
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        order = self.work_object(policy.ACCEPT_ORDER)
        data = self.input(s.OrderDeclineSerializer).validated_data
        return self._respond(order, lambda expected: services.decline_order(request.user, order, version=expected, **data))

    def _respond(self, order, run):
        """The provider's answer through the service; a stale If-Match → 412 with the saved order."""
        try:
            order = run(concurrency.optional_expected_version(self.request, order.row_version))
        except EditConflict as error:
            return concurrency.precondition_failed(error, self.get_serializer(Order.objects.get(pk=order.pk)).data)
        return concurrency.with_etag(self.output(order), order.row_version)


# --- Follow-ups ------------------------------------------------------------------------


@extend_schema_view(list=extend_schema(summary="Opfølgninger"), retrieve=extend_schema(summary="Hent opfølgning (logges)"))
class FollowUpViewSet(AuditedReadViewSet):
    queryset = FollowUp.objects.prefetch_related("measurements")
    serializer_class = s.FollowUpSerializer
    filter_fields = {"citizen": "citizen_id", "grant": "grant_id", "status": "status"}
    list_parameters = [
        CITIZEN_PARAM,
        query_param("grant", "Kun opfølgninger på denne bevilling (id)."),
        _status_param(FollowUp.Status.choices),
    ]

    @extend_schema(
        summary="Gennemfør opfølgning",
        description="Resultatet styrer det videre forløb: fortsæt (ny årlig opfølgning), "
        "ændr (ny bevillingsversion, kræver `change`) "
        "eller afslut (services.complete_follow_up).",
        request=s.CompleteFollowUpSerializer,
        responses=s.FollowUpSerializer,
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        follow_up = self.work_object()
        data = self.input(s.CompleteFollowUpSerializer).validated_data
        change = None
        if data.get("change"):
            change = s.GrantSpecSerializer().to_spec(data["change"], change_reason=data["change"]["change_reason"])
        measurements = None
        if data.get("measurements") is not None:
            measurements = [
                services.MeasurementSpec(goal_id=m["goal"], level=m["level"], attainment=m["attainment"])
                for m in data["measurements"]
            ]
        follow_up = services.complete_follow_up(
            request.user,
            follow_up,
            result=data["result"],
            done_at=data["done_at"],
            note=data["note"],
            change=change,
            measurements=measurements,
        )
        return self.output(follow_up)


# --- Terminology -----------------------------------------------------------------------

BRANCHES = {
    "services": ffb.SERVICES,
    "target_groups": ffb.TARGET_GROUPS,
    "conditions": ffb.CONDITIONS,
    "activity_participation": ffb.ACTIVITY_PARTICIPATION,
    "goal_types": ffb.GOAL_TYPES,
    "support_need": ffb.SUPPORT_NEED,
    "offer_types": ffb.OFFER_TYPES,
}


@extend_schema_view(
    list=extend_schema(
        summary="Slå FFB-begreber op",
        description="Begreber i en kodesystem-version (standard: nyeste FFB), "
        "evt. afgrænset til en gren og søgt på tekst eller kode.",
        parameters=[
            query_param("branch", "FFB-gren.", OpenApiTypes.STR, enum=list(BRANCHES)),
            query_param("q", "Søg i visningsnavn (delstreng) eller kode (eksakt).", OpenApiTypes.STR),
            query_param("system", "Kodesystem-version (id); standard er nyeste FFB."),
            query_param("leaves", "Kun begreber uden underbegreber.", OpenApiTypes.BOOL),
        ],
    ),
    retrieve=extend_schema(summary="Hent begreb"),
)
class ConceptViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Concept.objects.all()
    serializer_class = s.ConceptSerializer
    required_capability = policy.VIEW_TERMINOLOGY

    def get_queryset(self):
        children = Concept.objects.filter(parent=OuterRef("pk"))
        return Concept.objects.select_related("system").annotate(is_leaf=~Exists(children)).order_by("sort_key", "id")

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        params = self.request.query_params
        system_id = int_param(self.request, "system")
        if system_id is not None:
            system = CodeSystem.objects.filter(pk=system_id).first()
            if system is None:
                raise serializers.ValidationError({"system": ["Kodesystemet findes ikke."]})
        else:
            system = ffb.current_system()
            if system is None:
                return queryset.none()
        queryset = queryset.filter(system=system)
        branch = params.get("branch")
        if branch:
            if branch not in BRANCHES:
                raise serializers.ValidationError(
                    {"branch": [f"Ukendt gren. Vælg en af: {', '.join(BRANCHES)}."]}, code="invalid_choice"
                )
            try:
                top = ffb.root(BRANCHES[branch], system)
            except Concept.DoesNotExist:
                raise serializers.ValidationError({"branch": ["Grenen findes ikke i dette kodesystem."]}) from None
            queryset = queryset.filter(path__startswith=top.path + "/")
        if params.get("leaves", "").lower() in ("1", "true", "yes"):
            queryset = queryset.filter(is_leaf=True)
        q = (params.get("q") or "").strip()
        if q:
            queryset = queryset.filter(Q(display__icontains=q) | Q(code__iexact=q))
        return queryset


@extend_schema_view(list=extend_schema(summary="Kodesystemer"), retrieve=extend_schema(summary="Hent kodesystem"))
class CodeSystemViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    queryset = CodeSystem.objects.all()
    serializer_class = s.CodeSystemSerializer
    required_capability = policy.VIEW_TERMINOLOGY

    def get_queryset(self):
        return CodeSystem.objects.annotate(concept_count=Count("concepts")).order_by("url", "-version")


# --- Auth ------------------------------------------------------------------------------


class LoginLockedOut(APIException):
    """429 ``locked_out``: too many wrong passwords for this username from this IP (django-axes)."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = login_throttle.LOCKED_OUT_CODE

    def __init__(self, request):
        super().__init__(login_throttle.message(request))
        self.wait = login_throttle.cooloff_seconds(request) or None  # → Retry-After


class TokenView(DanishMixin, APIView):
    """Exchange username and password for a new API token (``Authorization: Token <key>``),
    hashed in the database and expiring after SAMPLAN_API_TOKEN_HOURS (core/api_tokens.py).
    Wrong passwords count towards the login lockout (django-axes, core/login_throttle.py).
    Staff also send the current code from their authenticator app (``code``) while
    SAMPLAN_STAFF_REQUIRE_2FA is on; wrong codes count like wrong passwords."""

    # The default authentication stays (as with DRF's ObtainAuthToken): a logged-in caller is
    # not throttled as anonymous; the password is checked whatever the caller.
    permission_classes: list = []
    parser_classes = [parsers.FormParser, parsers.MultiPartParser, parsers.JSONParser]
    renderer_classes = [renderers.JSONRenderer]
    serializer_class = AuthTokenSerializer
    throttle_classes = [TokenLoginThrottle]

    def get_serializer(self, *args, **kwargs):
        return AuthTokenSerializer(*args, context={"request": self.request, "view": self}, **kwargs)

    @extend_schema(
        summary="Hent API-token",
        request=s.TokenLoginSerializer,
        responses={200: s.TokenResponseSerializer, 429: ErrorSerializer},
        auth=[],
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            if login_throttle.locked_out(request):
                raise LoginLockedOut(request)
            raise serializers.ValidationError(serializer.errors)
        user = serializer.validated_data["user"]
        # A token is a password-only credential: not for citizens and relatives when Min
        # side requires a second factor.
        refused = core_twofactor.password_login_refused(user)
        if refused:
            raise PermissionDenied(refused)
        if core_twofactor.staff_needs_code(user):
            self.check_code(request, user)
        login_throttle.reset_after_success(request, user)
        token, key = api_tokens.issue(user)
        return Response({"token": key, "expiry": token.expiry}, headers={"Cache-Control": "no-store"})

    @staticmethod
    def check_code(request, user):
        """Staff's second factor (SAMPLAN_STAFF_REQUIRE_2FA): the current code from their
        authenticator app in ``code``. A wrong code counts as a failed login (django-axes)."""
        code = str(request.data.get("code") or "").strip()
        if not code:
            raise serializers.ValidationError(
                {"code": [ErrorDetail("Skriv den 6-cifrede kode fra din godkendelsesapp.", code="required")]}
            )
        device = core_twofactor.confirmed_device(user)
        if device is None:
            raise serializers.ValidationError(
                {
                    "code": [
                        ErrorDetail(
                            "Du har ingen godkendelsesapp tilknyttet endnu. Log ind på /login/ i browseren for at tilføje den.",
                            code="no_device",
                        )
                    ]
                }
            )
        message = core_twofactor.verify_code(request, user, device, code)
        if message is None:
            return
        if login_throttle.locked_out(request):
            raise LoginLockedOut(request)
        raise serializers.ValidationError({"code": [ErrorDetail(message, code="invalid")]})


class _TokenAccountView(DanishMixin, APIView):
    """The logged-in user's own tokens: no capability, no citizen data."""

    authentication_classes = AUTHENTICATION_CLASSES
    permission_classes = [IsAuthenticated]
    renderer_classes = [renderers.JSONRenderer]


class TokenLogoutView(_TokenAccountView):
    """End the token this request was made with (a session-authenticated call has none)."""

    @extend_schema(summary="Log ud: afslut denne API-nøgle", request=None, responses={204: None})
    def post(self, request, *args, **kwargs):
        if request.auth is not None and hasattr(request.auth, "digest"):
            api_tokens.revoke(request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenLogoutAllView(_TokenAccountView):
    """End every API token of the calling user."""

    @extend_schema(summary="Log ud overalt: afslut alle dine API-nøgler", request=None, responses={204: None})
    def post(self, request, *args, **kwargs):
        api_tokens.revoke_all(request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
