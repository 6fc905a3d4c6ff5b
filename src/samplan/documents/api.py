"""API for documents (registered in samplan.api.urls):

* ``GET /api/v1/documents/?citizen=`` – the documents the user may know of (metadata)
* ``GET /api/v1/documents/{id}/`` – one document's metadata (logged)
* ``POST /api/v1/documents/`` – upload, ``multipart/form-data`` (``Idempotency-Key`` honoured)
* ``GET /api/v1/documents/{id}/content/`` – the file itself (logged with the citizen)

Same policy, checks and audit as the pages: the type is read from the content, the size is
bounded by SAMPLAN_UPLOAD_MAX_MB, and a refusal is a 400 in the error shape with the
Danish message under ``file``."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import JSONRenderer

from samplan.cases.models import Case
from samplan.citizens.models import Citizen
from samplan.core import policy
from samplan.core.idempotency import idempotent
from samplan.core.rest.errors import ErrorSerializer
from samplan.core.rest.fields import VisibleRelatedField
from samplan.core.rest.parsers import SamplanJSONParser
from samplan.core.rest.views import CITIZEN_PARAM, AuditedReadViewSet, query_param

from . import services, sniffing, views
from .models import Document


class DocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Document
        fields = [
            "id",
            "citizen",
            "case",
            "kind",
            "title",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_by",
            "uploaded_by_role",
            "uploaded_at",
            "shared_with_citizen",
            "from_citizen",
            "comment",
            "scan_status",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "original_name": {"help_text": "Filnavnet fra brugerens computer; kun til visning."},
            "content_type": {"help_text": "Filtypen, aflæst af indholdet (ikke af navnet)."},
        }


class DocumentUploadSerializer(serializers.Serializer):
    citizen = VisibleRelatedField(queryset=Citizen.objects.all(), citizen_field=None, help_text="Borgeren (id).")
    case = VisibleRelatedField(
        queryset=Case.objects.all(), required=False, allow_null=True, help_text="Valgfri sag hos samme borger (id)."
    )
    kind = serializers.ChoiceField(choices=Document.Kind.choices)
    title = serializers.CharField(max_length=200)
    file = serializers.FileField(
        help_text="PDF, PNG, JPEG, GIF, Word, Excel eller PowerPoint (typen aflæses af indholdet); "
        "højst SAMPLAN_UPLOAD_MAX_MB (standard 20 MB)."
    )
    shared_with_citizen = serializers.BooleanField(required=False, default=False)


# The download answers with the detected type of the file.
_CONTENT_RESPONSES = {(200, t.content_type): OpenApiResponse(OpenApiTypes.BINARY) for t in sniffing.ALL_TYPES} | {
    code: ErrorSerializer for code in (401, 403, 404, 406, 429)
}


@extend_schema_view(
    list=extend_schema(summary="Dokumenter", description="Dokumenter brugeren må kende (metadata, ikke filerne)."),
    retrieve=extend_schema(summary="Hent et dokuments metadata (logges)"),
    create=extend_schema(
        summary="Upload et dokument",
        description="`multipart/form-data`. Typen aflæses af indholdet; en fil af en anden type, en tom fil eller en "
        "for stor fil afvises med 400 og en dansk besked under `file`. Dokumenter kan ikke ændres eller slettes.",
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={201: DocumentSerializer},
    ),
    content=extend_schema(
        summary="Hent dokumentets fil (logges)",
        description="Filen med den aflæste type, `X-Content-Type-Options: nosniff` og et sikkert filnavn "
        "(PDF og billeder inline, øvrige som vedhæftet fil).",
        responses=_CONTENT_RESPONSES,
    ),
)
class DocumentViewSet(AuditedReadViewSet):
    queryset = Document.objects.all()
    serializer_class = DocumentSerializer
    filter_fields = {"citizen": "citizen_id", "case": "case_id"}
    list_parameters = [CITIZEN_PARAM, query_param("case", "Kun dokumenter på denne sag (id).")]

    # The upload is multipart (the only body this API reads besides JSON).
    parser_classes = [MultiPartParser, SamplanJSONParser]

    def body_limit(self) -> int | None:
        # The document plus its few short fields; Django bounds the fields themselves.
        return services.max_bytes() + 1024 * 1024

    def perform_content_negotiation(self, request, force=False):
        # The download is the file's own type whatever Accept asks; its errors are JSON.
        if getattr(self, "action", None) == "content":
            return (JSONRenderer(), JSONRenderer.media_type)
        return super().perform_content_negotiation(request, force)

    def base_queryset(self):
        return Document.objects.select_related("citizen").order_by("-uploaded_at", "-pk")

    def get_object(self):
        obj = super().get_object()  # VIEW: decided as for any object of the citizen
        policy.require(self.request.user, policy.VIEW_DOCUMENT, obj)
        return obj

    @idempotent
    def create(self, request):
        data = self.input(DocumentUploadSerializer).validated_data
        citizen, case = data["citizen"], data.get("case")
        policy.require(request.user, policy.UPLOAD_DOCUMENT, case or citizen)
        document = services.upload_document(
            request.user,
            citizen,
            file=data["file"],
            kind=data["kind"],
            title=data["title"],
            case=case,
            shared_with_citizen=data["shared_with_citizen"],
        )
        return self.output(document, status_code=status.HTTP_201_CREATED)

    @action(detail=True, methods=["get"], url_path="content")
    def content(self, request, pk=None):
        response = views.file_response(request.user, self.get_object())
        response["Cache-Control"] = "no-store"
        return response
