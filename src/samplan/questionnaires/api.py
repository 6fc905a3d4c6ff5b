"""API for questionnaire responses (registered in samplan.api.urls):

* ``GET /api/v1/recovery-responses/?citizen=<id>`` – a citizen's CHIME responses, oldest
  first, each with its answers; ``GET /api/v1/recovery-responses/{id}/`` – one response.

Read-only. Same policy as the pages: only responses of citizens the user may see (the
citizen sees their own); a list writes one SEARCH audit row, a retrieval one READ row."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from samplan.core.rest.views import CITIZEN_PARAM, AuditedReadViewSet

from .builtin import CHIME_KEY
from .models import Answer, Response


class AnswerSerializer(serializers.ModelSerializer):
    item = serializers.CharField(source="item.key", help_text="Spørgsmålets nøgle, fx »hope«.")
    label = serializers.CharField(source="item.label")

    class Meta:
        model = Answer
        fields = ["item", "label", "value", "comment"]
        read_only_fields = fields


class RecoveryResponseSerializer(serializers.ModelSerializer):
    instrument = serializers.CharField(source="version.instrument.key")
    version = serializers.IntegerField(source="version.version")
    answers = AnswerSerializer(many=True, read_only=True)

    class Meta:
        model = Response
        fields = ["id", "citizen", "instrument", "version", "answered_at", "answered_by", "with_staff", "channel", "answers"]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(
        summary="Borgerens egne vurderinger af trivsel og recovery (CHIME)",
        description="Ældste først. Besvarelser rettes aldrig; en ny besvarelse laves i stedet.",
    ),
    retrieve=extend_schema(summary="Hent én CHIME-besvarelse (logges)"),
)
class RecoveryResponseViewSet(AuditedReadViewSet):
    queryset = Response.objects.all()
    serializer_class = RecoveryResponseSerializer
    filter_fields = {"citizen": "citizen_id"}
    list_parameters = [CITIZEN_PARAM]

    def base_queryset(self):
        return (
            Response.objects.filter(version__instrument__key=CHIME_KEY)
            .select_related("version__instrument")
            .prefetch_related(Prefetch("answers", queryset=Answer.objects.select_related("item").order_by("item__order")))
            .order_by("answered_at", "id")
        )
