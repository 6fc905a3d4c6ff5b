"""Base views of every JSON API endpoint: Danish messages, no caching, policy-restricted
querysets and one audit row per read (retrieve) or list (search)."""

import re
from collections.abc import Sequence

from django.conf import settings
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.parsers import BaseParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from samplan.core import audit, policy
from samplan.core.models import AuditEvent

from .parsers import SamplanJSONParser, refuse_too_large
from .permissions import AUTHENTICATION_CLASSES, PolicyCapability
from .schema import SamplanAutoSchema

# An id in a path or a filter: 1–18 ASCII digits, so it always fits the databases' 64-bit
# integers (a larger number made SQLite raise OverflowError → 500). Routers use it as
# ``lookup_value_regex``: anything else in a detail URL is an unknown address (404 JSON).
ID_REGEX = r"[0-9]{1,18}"
_ID = re.compile(ID_REGEX)


def is_id(raw: str | None) -> bool:
    return raw is not None and _ID.fullmatch(raw) is not None


def refuse_null_characters(request) -> None:
    """400 for a query parameter with a NUL character: PostgreSQL cannot compare text with
    one (a 500 there), and no real filter has one. Bodies are covered by DRF's CharField."""
    bad = sorted({name for name, values in request.query_params.lists() for v in values if "\x00" in v or "\x00" in name})
    if bad:
        raise serializers.ValidationError({name: ["Null-tegn er ikke tilladte."] for name in bad}, code="null_characters")


def int_param(request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    if not is_id(raw):
        raise serializers.ValidationError({name: ["Angiv et heltal."]}, code="invalid")
    return int(raw)


def query_param(name: str, description: str, type_=OpenApiTypes.INT, enum=None) -> OpenApiParameter:
    return OpenApiParameter(name, type_, OpenApiParameter.QUERY, required=False, description=description, enum=enum)


class ApiPagination(LimitOffsetPagination):
    max_limit = 500


class DanishMixin:
    """Every message of the API is Danish, whatever Accept-Language the client sends:
    the domain's messages are Danish only, and mixing languages in one error is worse.
    Every API view has this mixin, so it also carries the edges all of them share: ids in
    paths are bounded digits, and the only body read is JSON (core.rest.parsers)."""

    lookup_value_regex = ID_REGEX
    parser_classes: Sequence[type[BaseParser]] = [SamplanJSONParser]

    def body_limit(self) -> int | None:
        """The largest body read (None: the JSON bound, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)."""
        return None

    def dispatch(self, request, *args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return super().dispatch(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        # Too large is too large whatever the content type says (413 before 415).
        refuse_too_large(request, self.body_limit())
        refuse_null_characters(request)
        super().initial(request, *args, **kwargs)  # type: ignore[misc]


class ApiViewMixin(DanishMixin):
    authentication_classes = AUTHENTICATION_CLASSES
    permission_classes = [IsAuthenticated, PolicyCapability]
    renderer_classes = [JSONRenderer]  # no browsable HTML pages with citizen data
    pagination_class = ApiPagination
    schema = SamplanAutoSchema()
    required_capability: str | None = None

    def finalize_response(self, request, response, *args, **kwargs):
        # Responses carry personal data: never keep them in shared or browser caches.
        response.setdefault("Cache-Control", "no-store")
        return super().finalize_response(request, response, *args, **kwargs)


class AuditedReadViewSet(ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """List and retrieve of citizen data, restricted by the policy and audited.

    Subclasses set ``queryset`` (the model; also used by the schema), ``citizen_field``
    (the path to the citizen for ``policy.visible``), optionally ``base_queryset()``
    with select_related/prefetch_related and ``filter_fields`` {query param: lookup}."""

    citizen_field = "citizen"
    filter_fields: dict[str, str] = {}

    def base_queryset(self):
        return self.queryset.all()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset.none()
        return policy.visible(self.request.user, self.base_queryset(), self.citizen_field)

    def filter_queryset(self, queryset):
        self._filters = {}
        if self.action != "list":
            return queryset
        for param, lookup in self.filter_fields.items():
            value: str | int | None
            if param == "status":
                value = self.request.query_params.get(param) or None
            else:
                value = int_param(self.request, param)
            if value is not None:
                queryset = queryset.filter(**{lookup: value})
                self._filters[param] = value
        return queryset

    def citizens_shown(self, objects) -> list[tuple[int, int]]:
        """(citizen id, municipality id) of every object on the page, in one query."""
        if not objects:
            return []
        field = self.citizen_field
        model = type(objects[0])
        rows = model._default_manager.filter(pk__in=[o.pk for o in objects])
        return list(rows.values_list(field, f"{field}__municipality_id").distinct())

    def audit_search(self, objects, **extra):
        """One SEARCH row per citizen on the page of results (so the citizen's own access
        log shows the look-up), each with the filters and the ids of that citizen's
        objects; one row without a citizen when nothing was found."""
        label = self.get_queryset().model._meta.label
        after = {"filters": getattr(self, "_filters", {}), **extra, "ids": [o.pk for o in objects]}
        user, search = self.request.user, AuditEvent.Action.SEARCH
        if not audit.record_reads(user, self.citizens_shown(objects), object_type=label, action=search, after=after):
            audit.record(user, search, None, object_type=label, after=after)

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        objects = page if page is not None else list(queryset)
        data = self.get_serializer(objects, many=True).data
        self.audit_search(objects, **self.search_audit_extra())
        return self.get_paginated_response(data) if page is not None else Response(data)

    def search_audit_extra(self) -> dict:
        return {}

    def get_object(self):
        """The object of a detail URL, decided by the policy as on the pages: 404 for what
        the user may not know exists, 403 for what they may know of but not read."""
        from django.http import Http404

        pk = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        if not is_id(str(pk)):
            raise Http404(policy.NOT_FOUND)
        return policy.get_object(self.request.user, self.base_queryset(), int(pk), policy.VIEW)

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        audit.record_read(request.user, obj)
        return Response(self.get_serializer(obj).data)

    # --- helpers for write actions ---

    def work_object(self, action_name=policy.WORK_CASE):
        """The object of a detail action: 404 when invisible, 403 when the role may not."""
        obj = self.get_object()
        policy.require(self.request.user, action_name, obj)
        return obj

    def input(self, serializer_class, **kwargs):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context(), **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer

    def output(self, obj, serializer_class=None, status_code=status.HTTP_200_OK):
        serializer_class = serializer_class or self.get_serializer_class()
        return Response(serializer_class(obj, context=self.get_serializer_context()).data, status=status_code)


CITIZEN_PARAM = query_param("citizen", "Kun objekter for denne borger (id).")
