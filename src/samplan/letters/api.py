"""API of letters (registered in samplan.api.urls), with the pages' policy and audit:

* ``GET /api/v1/letters/?citizen=&case=&status=`` – the letters the user may see (the
  authority's staff: all of their citizens'; the citizen: those sent to them), one audit row
  per citizen on the page;
* ``GET /api/v1/letters/{id}/`` – one letter (logged);
* ``GET /api/v1/letters/{id}/pdf/`` – the approved letter's PDF (logged; 404 for a draft)."""

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action

from samplan.core import audit, policy
from samplan.core.rest.views import CITIZEN_PARAM, AuditedReadViewSet, is_id, query_param

from .models import Letter


class LetterSerializer(serializers.ModelSerializer):
    citizen = serializers.IntegerField(source="citizen_id", read_only=True, help_text="Borgerens id.")
    case = serializers.IntegerField(source="case_id", read_only=True, allow_null=True, help_text="Sagens id.")
    grant = serializers.IntegerField(source="grant_id", read_only=True, allow_null=True, help_text="Bevillingens id.")
    template_version = serializers.IntegerField(source="template_version_id", read_only=True, help_text="Skabelonversionens id.")
    has_pdf = serializers.SerializerMethodField(help_text="Om brevet har en PDF (efter godkendelse).")

    class Meta:
        model = Letter
        fields = [
            "id",
            "citizen",
            "case",
            "grant",
            "kind",
            "template_version",
            "subject",
            "body",
            "status",
            "created_at",
            "approved_at",
            "sent_at",
            "attempts",
            "has_pdf",
        ]
        read_only_fields = fields

    def get_has_pdf(self, obj: Letter) -> bool:
        return bool(obj.pdf)


@extend_schema_view(
    list=extend_schema(
        summary="Breve",
        parameters=[
            CITIZEN_PARAM,
            query_param("case", "Kun breve på denne sag (id)."),
            query_param("status", "Kun breve med denne status.", OpenApiTypes.STR, enum=Letter.Status.values),
        ],
    ),
    retrieve=extend_schema(summary="Hent brev (logges)"),
)
class LetterViewSet(AuditedReadViewSet):
    queryset = Letter.objects.all()
    serializer_class = LetterSerializer
    filter_fields = {"citizen": "citizen_id", "case": "case_id", "status": "status"}

    def base_queryset(self):
        return Letter.objects.select_related("citizen", "case")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset.none()
        return policy.visible_letters(self.request.user, self.base_queryset())

    def get_object(self):
        pk = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        if not is_id(str(pk)):
            raise Http404(policy.NOT_FOUND)
        return policy.get_object(self.request.user, self.base_queryset(), int(pk), policy.VIEW_LETTER)

    @extend_schema(
        summary="Hent brevet som PDF (logges)",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="Brevet som tagget PDF (PDF/UA-1)."),
        },
    )
    @action(detail=True, methods=["get"], url_path="pdf")
    def pdf(self, request, pk=None):
        letter = self.get_object()
        if not letter.pdf:
            raise Http404("Brevet har ingen PDF endnu; den laves, når brevet godkendes.")
        audit.record_read(request.user, letter, after={"shown": "letter_pdf"})
        response = HttpResponse(bytes(letter.pdf), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="brev-{letter.pk}.pdf"'
        response["Cache-Control"] = "no-store"
        return response
