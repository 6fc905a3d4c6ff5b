"""API of partshøringer (registered in samplan.api.urls), read only, with the pages' policy
and audit; they are made and answered on the pages (a consultation is sent as a letter):

* ``GET /api/v1/consultations/?citizen=&case=`` – the consultations the user may see (the
  authority's staff: all of their citizens'; the citizen: those sent to them), one audit
  row per citizen on the page;
* ``GET /api/v1/consultations/{id}/`` – one consultation with its answers (logged)."""

from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from samplan.cases.models import Consultation, ConsultationAnswer
from samplan.core import policy
from samplan.core.rest.views import CITIZEN_PARAM, AuditedReadViewSet, is_id, query_param


class ConsultationAnswerSerializer(serializers.ModelSerializer):
    class Meta:
        model = ConsultationAnswer
        fields = ["id", "text", "received_at", "channel"]
        read_only_fields = fields


class ConsultationSerializer(serializers.ModelSerializer):
    citizen = serializers.IntegerField(source="citizen_id", read_only=True, help_text="Borgerens id.")
    case = serializers.IntegerField(source="case_id", read_only=True, help_text="Sagens id.")
    answers = ConsultationAnswerSerializer(many=True, read_only=True)

    class Meta:
        model = Consultation
        fields = ["id", "citizen", "case", "facts", "response_deadline", "created_at", "sent_at", "answers"]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(
        summary="Partshøringer", parameters=[CITIZEN_PARAM, query_param("case", "Kun partshøringer på denne sag (id).")]
    ),
    retrieve=extend_schema(summary="Hent partshøring (logges)"),
)
class ConsultationViewSet(AuditedReadViewSet):
    queryset = Consultation.objects.all()
    serializer_class = ConsultationSerializer
    filter_fields = {"citizen": "citizen_id", "case": "case_id"}

    def base_queryset(self):
        return Consultation.objects.select_related("citizen", "case").prefetch_related("answers").order_by("-created_at", "-id")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset.none()
        return policy.visible_consultations(self.request.user, self.base_queryset())

    def get_object(self):
        pk = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        if not is_id(str(pk)):
            raise Http404(policy.NOT_FOUND)
        return policy.get_object(self.request.user, self.base_queryset(), int(pk), policy.CONSULTATION_VIEW)
