"""API of the coherent plan (registered in samplan.api.urls):

* ``GET /api/v1/plans/?citizen=`` – the plans the user may see (one per citizen, created by
  the first change), one audit row naming them;
* ``GET /api/v1/plans/{id}/`` – one plan with ``ETag: "<row_version>"`` (logged);
* ``PATCH``/``PUT /api/v1/plans/{id}/`` – the staff editors change the wishes and the next
  meeting through ``plans.services``; ``If-Match`` with the ETag is required (428 without,
  412 with the current plan when someone saved in between: ``core.rest.concurrency``)."""

from django.db import transaction
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from samplan.core import audit, policy
from samplan.core.locking import EditConflict, conflict
from samplan.core.rest.concurrency import ETAG, IF_MATCH, UPDATE_RESPONSES, expected_version, precondition_failed, with_etag
from samplan.core.rest.views import CITIZEN_PARAM, AuditedReadViewSet

from . import services
from .models import Plan


class PlanSerializer(serializers.ModelSerializer):
    citizen = serializers.IntegerField(source="citizen_id", read_only=True, help_text="Borgerens id.")
    version = serializers.IntegerField(read_only=True, help_text="Nummeret på planens nyeste version (historikken).")
    row_version = serializers.IntegerField(
        read_only=True, help_text="Versionen af ønsker og næste møde; den samme som ETag'en, som ændringer sender i If-Match."
    )

    class Meta:
        model = Plan
        fields = ["id", "citizen", "wishes", "next_meeting", "version", "row_version", "updated_at"]
        read_only_fields = ["id", "citizen", "version", "row_version", "updated_at"]


class PlanUpdateSerializer(serializers.Serializer):
    wishes = serializers.CharField(
        required=False, allow_blank=True, trim_whitespace=False, help_text="Mit liv og mine ønsker (borgerens egne ord)."
    )
    next_meeting = serializers.DateField(required=False, allow_null=True, help_text="Næste møde (dato) eller null.")


@extend_schema_view(
    list=extend_schema(summary="Samlede planer", parameters=[CITIZEN_PARAM]),
    retrieve=extend_schema(summary="Hent samlet plan (logges)", parameters=[ETAG]),
    update=extend_schema(
        summary="Ret planens ønsker og næste møde",
        parameters=[IF_MATCH, ETAG],
        request=PlanUpdateSerializer,
        responses={200: PlanSerializer, **UPDATE_RESPONSES},
    ),
    partial_update=extend_schema(
        summary="Ret dele af planens ønsker og næste møde",
        parameters=[IF_MATCH, ETAG],
        request=PlanUpdateSerializer,
        responses={200: PlanSerializer, **UPDATE_RESPONSES},
    ),
)
class PlanViewSet(AuditedReadViewSet):
    queryset = Plan.objects.all()
    serializer_class = PlanSerializer
    filter_fields = {"citizen": "citizen_id"}
    http_method_names = ["get", "put", "patch", "head", "options"]

    def base_queryset(self):
        return Plan.objects.select_related("citizen")

    def get_object(self):
        from django.http import Http404

        pk = self.kwargs["pk"]
        if not str(pk).isdigit():
            raise Http404(policy.NOT_FOUND)
        return policy.get_object(self.request.user, self.base_queryset(), int(pk), policy.VIEW_PLAN)

    def retrieve(self, request, *args, **kwargs):
        plan = self.get_object()
        audit.record_read(request.user, plan)
        return with_etag(self.output(plan), plan.row_version)

    def update(self, request, *args, **kwargs):
        return self._change(partial=False)

    def partial_update(self, request, *args, **kwargs):
        return self._change(partial=True)

    def _change(self, *, partial: bool):
        plan = self.get_object()
        policy.require(self.request.user, policy.EDIT_PLAN, plan.citizen)
        expected = expected_version(self.request, plan.row_version)
        data = self.input(PlanUpdateSerializer, partial=partial).validated_data
        if not partial:  # PUT replaces both fields: what is left out is emptied
            data = {"wishes": "", "next_meeting": None} | dict(data)
        try:
            if expected != plan.row_version:  # stale already (the compare-and-set below is the guard)
                raise conflict(plan, ["wishes", "next_meeting"], what="Planen")
            with transaction.atomic():
                # One compare-and-set per field; the second expects the version the first made.
                if "wishes" in data:
                    version = services.update_wishes(self.request.user, plan, data["wishes"], expected_version=expected)
                    expected = version.plan.row_version
                if "next_meeting" in data:
                    services.set_next_meeting(self.request.user, plan, data["next_meeting"], expected_version=expected)
        except EditConflict as error:
            current = self.base_queryset().get(pk=plan.pk)
            return precondition_failed(error, self.get_serializer(current).data)
        plan = self.base_queryset().get(pk=plan.pk)
        return with_etag(self.output(plan), plan.row_version)
