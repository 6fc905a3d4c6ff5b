"""Public, read-only API of the offer catalogue (registered in samplan.api.urls):

* ``GET /api/v1/offers/?q=&kind=&target=&area=&open=1&free=1`` – published offers, the
  same search and filters as the page /tilbud/ (``kind``, ``target`` and ``area`` may be
  repeated), paginated with ``limit``/``offset`` like the other lists;
* ``GET /api/v1/offers/{id}/`` – one published offer, with the plain-Danish summary of its
  quality standard when it has one.

No login and nothing personal: offers are public information."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer

from samplan.core.rest.fields import OptionalURLField
from samplan.core.rest.schema import SamplanAutoSchema
from samplan.core.rest.views import ApiPagination, DanishMixin, is_id
from samplan.terminology.models import Concept

from . import search, services
from .models import Offer


class TargetGroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = Concept
        fields = ["id", "code", "display"]
        read_only_fields = fields


class OfferSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=f"Type: {', '.join(Offer.Kind.values)}.")
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    target_groups = TargetGroupSerializer(many=True, read_only=True, help_text="FFB-målgrupper.")
    owner = serializers.CharField(source="owner.name", read_only=True, help_text="Organisationen, der ejer tilbuddet.")
    is_free = serializers.BooleanField(read_only=True)
    page_url = serializers.SerializerMethodField(help_text="Tilbuddets offentlige side.")
    website = OptionalURLField(read_only=True, help_text="Tilbuddets egen hjemmeside; null hvis ingen.")

    class Meta:
        model = Offer
        fields = [
            "id",
            "kind",
            "kind_label",
            "title",
            "summary",
            "description",
            "audience",
            "target_groups",
            "open_access",
            "access_note",
            "legal_basis",
            "price_kr",
            "price_note",
            "is_free",
            "address",
            "postcode",
            "city",
            "area",
            "opening_hours",
            "phone",
            "email",
            "website",
            "accessibility",
            "languages",
            "owner",
            "last_verified",
            "updated_at",
            "page_url",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_page_url(self, offer) -> str:
        from django.urls import reverse

        path = reverse("catalogue-detail", args=[offer.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class OfferDetailSerializer(OfferSerializer):
    standard_summary = serializers.SerializerMethodField(
        help_text="Kvalitetsstandardens opsummering til borgeren (gældende version), for kommunale §-tilbud."
    )

    class Meta(OfferSerializer.Meta):
        fields = OfferSerializer.Meta.fields + ["standard_summary"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_standard_summary(self, offer):
        version = services.current_standard_version(offer)
        return version.citizen_summary if version else None


def _param(name, description, type_=OpenApiTypes.STR, many=False):
    return OpenApiParameter(name, type_, OpenApiParameter.QUERY, required=False, description=description, many=many)


@extend_schema_view(
    list=extend_schema(
        summary="Søg i tilbudskataloget (offentligt)",
        description="Offentliggjorte tilbud. Samme søgning og filtre som siden /tilbud/; "
        "flere værdier af samme filter giver tilbud med én af dem.",
    ),
    retrieve=extend_schema(summary="Hent ét tilbud (offentligt)"),
)
class OfferViewSet(DanishMixin, viewsets.ReadOnlyModelViewSet):
    authentication_classes = []  # public: no login, and a stale token must not turn this into a 401
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]
    pagination_class = ApiPagination
    schema = SamplanAutoSchema()
    queryset = Offer.objects.all()
    list_parameters = [
        _param("q", "Søgeord (dansk orddannelse: »kurser« finder »kursus«)."),
        _param("kind", "Type tilbud (kan gentages).", many=True),
        _param("target", "FFB-målgruppe (begrebets id; kan gentages).", OpenApiTypes.INT, many=True),
        _param("area", "Område, fx Lyngby (kan gentages).", many=True),
        _param("open", "1: kun tilbud, der ikke kræver visitation."),
        _param("free", "1: kun gratis tilbud."),
    ]

    def get_serializer_class(self):
        return OfferDetailSerializer if self.action == "retrieve" else OfferSerializer

    def get_queryset(self):
        return search.public_offers().select_related("owner", "standard").prefetch_related("target_groups")

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        params = self.request.query_params
        errors = {}
        unknown = [k for k in params.getlist("kind") if k not in Offer.Kind.values]
        if unknown:
            errors["kind"] = [f"Ukendt type. Vælg en af: {', '.join(Offer.Kind.values)}."]
        if any(not is_id(t.strip()) for t in params.getlist("target")):
            errors["target"] = ["Angiv målgruppen som et heltal (begrebets id)."]
        if errors:
            raise serializers.ValidationError(errors)
        filters = search.Filters.from_params(params)
        return search.ordered(filters.apply(search.matching(queryset, filters.q)), filters.q)

    def finalize_response(self, request, response, *args, **kwargs):
        response.setdefault("Cache-Control", "public, max-age=60")
        return super().finalize_response(request, response, *args, **kwargs)
