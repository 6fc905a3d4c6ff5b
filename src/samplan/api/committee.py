"""/api/v1/committee/grants/ — the allocation committee's queue (visitationsudvalget).

Only members of the committee (capability ``grant.review``) reach it. The queue holds the
grants waiting for the committee among the citizens the member may see (the whole
municipality); a retrieval is audited like any other, and a review goes through
``services.review_grant``, which writes its own audit rows."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action

from samplan.cases import services
from samplan.cases.models import CommitteeReview, Grant, GrantTargetGroup, InterventionGoal
from samplan.core import policy
from samplan.core.rest.views import CITIZEN_PARAM, AuditedReadViewSet

from .serializers import GrantSerializer
from .views import CASE_PARAM


class CommitteeReviewSerializer(serializers.ModelSerializer):
    grant_status = serializers.ChoiceField(
        source="grant.status",
        choices=Grant.Status.choices,
        read_only=True,
        help_text="Bevillingens status efter behandlingen.",
    )

    class Meta:
        model = CommitteeReview
        fields = ["id", "grant", "grant_status", "outcome", "reason", "reviewed_by", "reviewed_at"]
        read_only_fields = fields


class PendingGrantSerializer(GrantSerializer):
    """A grant as the committee sees it: the proposal with the standard's verdict and why it
    is beyond the caseworker's competence."""

    committee_reasons = serializers.SerializerMethodField()

    class Meta(GrantSerializer.Meta):
        fields = GrantSerializer.Meta.fields + [
            "service_level",
            "package",
            "deviation_justification",
            "assessed_hours_week",
            "evaluation",
            "committee_reasons",
        ]
        read_only_fields = fields

    def get_committee_reasons(self, obj) -> list[str]:
        return list((obj.evaluation or {}).get("committee_reasons") or [])


class CommitteeReviewInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=CommitteeReview.Outcome.choices,
        help_text="approved: træder i kraft; rejected: afvist; returned: sendt retur.",
    )
    reason = serializers.CharField(help_text="Visitationsudvalgets begrundelse (vises på sagen).")


@extend_schema_view(
    list=extend_schema(
        summary="Visitationsudvalgets kø",
        description="Bevillinger, der afventer visitationsudvalget, i brugerens kommune, ældste først. "
        "Kun for visitationsudvalget.",
    ),
    retrieve=extend_schema(summary="Hent bevilling til behandling (logges)"),
)
class CommitteeQueueViewSet(AuditedReadViewSet):
    queryset = Grant.objects.all()
    serializer_class = PendingGrantSerializer
    citizen_field = "case__citizen"
    required_capability = policy.REVIEW_GRANTS
    filter_fields = {"citizen": "case__citizen_id", "case": "case_id"}
    list_parameters = [CITIZEN_PARAM, CASE_PARAM]

    def base_queryset(self):
        return (
            Grant.objects.filter(status=Grant.Status.PENDING)
            .select_related("case", "offer")
            .prefetch_related(
                "services",
                Prefetch("target_groups", queryset=GrantTargetGroup.objects.select_related("target_group")),
                Prefetch("goals", queryset=InterventionGoal.objects.select_related("goal_type")),
            )
            .order_by("created_at", "id")
        )

    @extend_schema(
        summary="Behandl bevilling",
        description="Godkend (bevillingen træder i kraft: erstatter den aktive version og planlægger opfølgning), afvis eller "
        "send retur til sagsbehandleren (services.review_grant).",
        request=CommitteeReviewInputSerializer,
        responses={201: CommitteeReviewSerializer},
    )
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        grant = self.work_object(policy.REVIEW_GRANT)
        data = self.input(CommitteeReviewInputSerializer).validated_data
        review = services.review_grant(request.user, grant, outcome=data["outcome"], reason=data["reason"])
        return self.output(review, CommitteeReviewSerializer, status_code=status.HTTP_201_CREATED)
