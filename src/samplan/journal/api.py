"""API of the journal notes (registered in samplan.api.urls), with the pages' policy and audit:

* ``GET /api/v1/notes/?citizen=&case=`` – the notes the user may read (``policy.visible_notes``),
  one audit row per citizen on the page;
* ``GET /api/v1/notes/{id}/`` – one note with its addenda and ``ETag: "<row_version>"`` (logged);
* ``POST /api/v1/notes/`` – write a note (``Idempotency-Key`` honoured);
* ``PATCH /api/v1/notes/{id}/`` – its author changes it until it is locked; ``If-Match`` required
  (428 without, 412 when changed since; a locked note is 403);
* ``POST /api/v1/notes/{id}/lock/`` and ``POST /api/v1/notes/{id}/addenda/``."""

from django.apps import apps
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action

from samplan.core import audit, policy
from samplan.core.idempotency import idempotent
from samplan.core.locking import EditConflict
from samplan.core.rest.concurrency import ETAG, IF_MATCH, UPDATE_RESPONSES, expected_version, precondition_failed, with_etag
from samplan.core.rest.fields import VisibleRelatedField
from samplan.core.rest.views import CITIZEN_PARAM, AuditedReadViewSet, is_id, query_param
from samplan.core.validators import TEXT_MAX, validate_case_date

from . import services
from .models import SUBJECT_MAX, JournalNote, NoteAddendum


class _TieField(VisibleRelatedField):
    """An object of the citizen's case spine (or a meeting), by id, among those the user sees.
    The models are looked up by label: the journal sits below the apps it ties to."""

    def __init__(self, label: str, citizen_path: str = "citizen", **kwargs):
        self.label_of_model = label
        self.citizen_path = citizen_path
        super().__init__(queryset=JournalNote.objects.none(), required=False, allow_null=True, **kwargs)

    def get_queryset(self):
        user = self.context["request"].user
        return policy.visible(user, apps.get_model(self.label_of_model)._default_manager.all(), self.citizen_path)


class AddendumSerializer(serializers.ModelSerializer):
    author = serializers.IntegerField(source="author_id", read_only=True)

    class Meta:
        model = NoteAddendum
        fields = ["id", "kind", "text", "author", "author_role", "created_at"]
        read_only_fields = ["id", "author", "author_role", "created_at"]


class NoteSerializer(serializers.ModelSerializer):
    citizen = serializers.IntegerField(source="citizen_id", read_only=True)
    case = serializers.IntegerField(source="case_id", read_only=True, allow_null=True)
    grant = serializers.IntegerField(source="grant_id", read_only=True, allow_null=True)
    order = serializers.IntegerField(source="order_id", read_only=True, allow_null=True)
    meeting = serializers.IntegerField(source="meeting_id", read_only=True, allow_null=True)
    follow_up = serializers.IntegerField(source="follow_up_id", read_only=True, allow_null=True)
    provider_unit = serializers.IntegerField(source="provider_unit_id", read_only=True, allow_null=True)
    author = serializers.IntegerField(source="author_id", read_only=True)
    locked = serializers.BooleanField(source="is_locked", read_only=True, help_text="Låst: kan ikke længere ændres.")
    locks_at = serializers.DateTimeField(read_only=True, help_text="Hvornår notatet låses (eller blev låst).")
    addenda = AddendumSerializer(many=True, read_only=True)

    class Meta:
        model = JournalNote
        fields = [
            "id",
            "citizen",
            "case",
            "grant",
            "order",
            "meeting",
            "follow_up",
            "provider_unit",
            "kind",
            "occurred_at",
            "author",
            "author_role",
            "subject",
            "text",
            "shared_with_citizen",
            "locked",
            "locked_at",
            "locks_at",
            "created_at",
            "row_version",
            "addenda",
        ]
        read_only_fields = fields


class NoteCreateSerializer(serializers.Serializer):
    citizen = VisibleRelatedField(queryset=apps.get_model("citizens", "Citizen").objects.all(), citizen_field=None)
    kind = serializers.ChoiceField(choices=JournalNote.Kind.choices)
    occurred_at = serializers.DateTimeField(validators=[validate_case_date])
    subject = serializers.CharField(max_length=SUBJECT_MAX)
    text = serializers.CharField(max_length=TEXT_MAX)
    shared_with_citizen = serializers.BooleanField(required=False, default=False)
    case = _TieField("cases.Case")
    grant = _TieField("cases.Grant", "case__citizen")
    order = _TieField("cases.Order")
    meeting = _TieField("meetings.NetworkMeeting")
    follow_up = _TieField("cases.FollowUp")


class NoteUpdateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=JournalNote.Kind.choices, required=False)
    occurred_at = serializers.DateTimeField(validators=[validate_case_date], required=False)
    subject = serializers.CharField(max_length=SUBJECT_MAX, required=False)
    text = serializers.CharField(max_length=TEXT_MAX, required=False)
    shared_with_citizen = serializers.BooleanField(required=False)


class AddendumCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=NoteAddendum.Kind.choices)
    text = serializers.CharField(max_length=TEXT_MAX)


@extend_schema_view(
    list=extend_schema(
        summary="Journalnotater", parameters=[CITIZEN_PARAM, query_param("case", "Kun notater i denne sag (id).")]
    ),
    retrieve=extend_schema(summary="Hent journalnotat (logges)", parameters=[ETAG]),
    create=extend_schema(summary="Skriv journalnotat", request=NoteCreateSerializer, responses={201: NoteSerializer}),
    partial_update=extend_schema(
        summary="Ret journalnotat (forfatteren, indtil det er låst)",
        parameters=[IF_MATCH, ETAG],
        request=NoteUpdateSerializer,
        responses={200: NoteSerializer, **UPDATE_RESPONSES},
    ),
)
class NoteViewSet(AuditedReadViewSet):
    queryset = JournalNote.objects.all()
    serializer_class = NoteSerializer
    filter_fields = {"citizen": "citizen_id", "case": "case_id"}
    http_method_names = ["get", "post", "patch", "head", "options"]

    def base_queryset(self):
        return JournalNote.objects.select_related("citizen").prefetch_related("addenda")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return JournalNote.objects.none()
        return policy.visible_notes(self.request.user, self.base_queryset())

    def _note(self, action_name=policy.NOTE_VIEW) -> JournalNote:
        pk = self.kwargs["pk"]
        if not is_id(str(pk)):
            raise Http404(policy.NOT_FOUND)
        return policy.get_object(self.request.user, self.get_queryset(), int(pk), action_name)

    def retrieve(self, request, *args, **kwargs):
        note = self._note()
        audit.record_read(request.user, note)
        return with_etag(self.output(note), note.row_version)

    @idempotent
    def create(self, request):
        data = dict(self.input(NoteCreateSerializer).validated_data)
        citizen = data.pop("citizen")
        policy.require(request.user, policy.NOTE_WRITE, citizen)
        note = services.create_note(request.user, citizen, **data)
        return with_etag(self.output(note, status_code=status.HTTP_201_CREATED), note.row_version)

    def partial_update(self, request, *args, **kwargs):
        note = self._note(policy.NOTE_EDIT)
        expected = expected_version(request, note.row_version)
        data = self.input(NoteUpdateSerializer, partial=True).validated_data
        try:
            services.change_note(request.user, note, expected, **data)
        except EditConflict as error:
            return precondition_failed(error, self.get_serializer(self.base_queryset().get(pk=note.pk)).data)
        note = self.base_queryset().get(pk=note.pk)
        return with_etag(self.output(note), note.row_version)

    @extend_schema(summary="Lås journalnotat", request=None, responses=NoteSerializer)
    @action(detail=True, methods=["post"])
    def lock(self, request, pk=None):
        note = services.lock_note(request.user, self._note(policy.NOTE_EDIT))
        return with_etag(self.output(self.base_queryset().get(pk=note.pk)), note.row_version)

    @extend_schema(
        summary="Tilføjelse eller rettelse til et låst notat",
        request=AddendumCreateSerializer,
        responses={201: AddendumSerializer},
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def addenda(self, request, pk=None):
        note = self._note(policy.NOTE_ADDENDUM)
        data = self.input(AddendumCreateSerializer).validated_data
        addendum = services.add_to_note(request.user, note, kind=data["kind"], text=data["text"])
        return self.output(addendum, AddendumSerializer, status_code=status.HTTP_201_CREATED)
