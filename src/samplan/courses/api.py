"""JSON API of the recovery school (registered in samplan.api.urls), with the same access
rules as the pages in courses.views:

* ``GET /api/v1/courses/?term=<slug>`` and ``GET /api/v1/courses/{id}/`` – public, no login:
  the courses with sessions, teachers, places and counts (never participants);
* ``POST /api/v1/courses/{id}/enrol/`` – public enrolment (JSON only) through
  ``services.enrol``: confirmed or waitlisted, with the personal link's token;
* ``GET /api/v1/course-enrolments/?course=<id>`` and ``GET /api/v1/course-enrolments/{id}/`` –
  partner staff: enrolments with contact data as far as ``policy.enrolments_visible``
  allows (everyone else gets an empty list / 404). Each response that shows participants
  writes one audit read, as the pages do: on the course when one course is asked for,
  otherwise ``object_type="courses.Enrolment"`` with the ids listed."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from samplan.core import audit, policy, ratelimit
from samplan.core.rest.fields import LocalTimeField
from samplan.core.rest.schema import SamplanAutoSchema
from samplan.core.rest.views import ApiPagination, ApiViewMixin, DanishMixin, is_id

from . import services
from .models import Course, Enrolment, ParticipantRole, Partner, Session, Teacher, Term


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request else path


# --- Public: courses ----------------------------------------------------------------------


class CourseTermSerializer(serializers.ModelSerializer):
    class Meta:
        model = Term
        fields = ["id", "name", "slug"]
        read_only_fields = fields


class CourseSessionSerializer(serializers.ModelSerializer):
    place = serializers.CharField(read_only=True, help_text="Sted, hvis et andet end kursets; ellers tom.")
    starts = LocalTimeField(read_only=True, help_text="Starttid (dansk tid).")
    ends = LocalTimeField(read_only=True, help_text="Sluttid (dansk tid).")

    class Meta:
        model = Session
        fields = ["date", "starts", "ends", "place"]
        read_only_fields = fields


class CourseTeacherSerializer(serializers.ModelSerializer):
    competence = serializers.CharField(read_only=True, help_text=f"Kompetence: {', '.join(Teacher.Competence.values)}.")
    competence_label = serializers.CharField(source="get_competence_display", read_only=True)

    class Meta:
        model = Teacher
        fields = ["name", "competence", "competence_label", "organisation"]
        read_only_fields = fields


class CourseCountsSerializer(serializers.Serializer):
    confirmed = serializers.IntegerField(source="n_confirmed", read_only=True, help_text="Tilmeldte med plads.")
    waitlisted = serializers.IntegerField(source="n_waitlisted", read_only=True, help_text="På venteliste.")
    free = serializers.IntegerField(read_only=True, help_text="Ledige pladser (inkl. overbooking).")


class CourseSerializer(serializers.ModelSerializer):
    term = CourseTermSerializer(read_only=True)
    owner = serializers.CharField(source="owner.name", read_only=True, help_text="Den kursusansvarlige samarbejdspart.")
    topics = serializers.ListField(
        source="topic_list", child=serializers.CharField(), read_only=True, help_text="Kursets emner, ét pr. punkt."
    )
    sessions = CourseSessionSerializer(many=True, read_only=True)
    teachers = CourseTeacherSerializer(many=True, read_only=True)
    places = serializers.IntegerField(read_only=True, help_text="Pladser i alt: højst antal deltagere + overbooking.")
    status = serializers.CharField(read_only=True, help_text=f"Status: {', '.join(Course.Status.values)}.")
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    counts = CourseCountsSerializer(source="*", read_only=True)
    registration_open = serializers.BooleanField(read_only=True, help_text="Om man kan tilmelde sig nu.")
    registration_reason = serializers.CharField(read_only=True, help_text="Hvorfor tilmeldingen er lukket (ellers tom).")
    offer = serializers.IntegerField(
        source="offer_id",
        read_only=True,
        allow_null=True,
        help_text="Kurset i tilbudskataloget (/api/v1/offers/{id}/), hvis det er der.",
    )
    page_url = serializers.SerializerMethodField(help_text="Kursets offentlige side med tilmeldingen.")

    class Meta:
        model = Course
        fields = [
            "id",
            "number",
            "title",
            "subtitle",
            "description",
            "topics",
            "term",
            "owner",
            "place",
            "address",
            "sessions",
            "teachers",
            "min_participants",
            "max_participants",
            "overbooking",
            "places",
            "registration_opens",
            "registration_closes",
            "status",
            "status_label",
            "cancel_reason",
            "counts",
            "registration_open",
            "registration_reason",
            "offer",
            "page_url",
        ]
        read_only_fields = fields

    def to_representation(self, course):
        if not hasattr(course, "free"):
            services.public_state(course)
        return super().to_representation(course)

    @extend_schema_field(OpenApiTypes.URI)
    def get_page_url(self, course) -> str:
        return _absolute(self.context.get("request"), reverse("course-detail", args=[course.pk]))


class CourseEnrolSerializer(serializers.Serializer):
    name = serializers.CharField(
        max_length=200,
        error_messages={
            "required": "Skriv dit navn.",
            "blank": "Skriv dit navn.",
            "max_length": "Navnet må højst være 200 tegn.",
        },
    )
    email = serializers.EmailField(
        max_length=254,
        error_messages={
            "required": "Skriv din e-mail.",
            "blank": "Skriv din e-mail.",
            "invalid": "Skriv en gyldig e-mailadresse, fx navn@eksempel.dk.",
        },
    )
    phone = serializers.CharField(
        max_length=30,
        required=False,
        allow_blank=True,
        default="",
        error_messages={"max_length": "Telefonnummeret må højst være 30 tegn."},
    )
    home_partner = serializers.PrimaryKeyRelatedField(
        queryset=Partner.objects.all(),
        allow_null=True,
        required=False,
        default=None,
        help_text="Din kommune (samarbejdspartens id fra skolen), eller null for en anden kommune.",
        error_messages={"does_not_exist": "Vælg en kommune fra listen.", "incorrect_type": "Vælg en kommune fra listen."},
    )
    roles = serializers.ListField(
        child=serializers.ChoiceField(
            choices=ParticipantRole.choices, error_messages={"invalid_choice": "Vælg blandt mulighederne på listen."}
        ),
        allow_empty=False,
        help_text="Jeg deltager som … (en eller flere).",
        error_messages={
            "required": "Vælg mindst én af mulighederne for, hvordan du deltager.",
            "empty": "Vælg mindst én af mulighederne for, hvordan du deltager.",
            "not_a_list": "Angiv rollerne som en liste.",
        },
    )

    def __init__(self, *args, course=None, **kwargs):
        super().__init__(*args, **kwargs)
        if course is not None:  # only the course's own school's partners
            self.fields["home_partner"].queryset = Partner.objects.filter(school_id=course.term.school_id)

    def validate_name(self, value):
        if not value.strip():
            raise serializers.ValidationError("Skriv dit navn.")
        return value.strip()

    def validate_phone(self, value):
        value = value.strip()
        if value and not all(c.isdigit() or c in " +-()" for c in value):
            raise serializers.ValidationError("Skriv telefonnummeret med tal, fx 45 12 34 56.")
        return value


class CourseEnrolResultSerializer(serializers.Serializer):
    status = serializers.CharField(help_text="confirmed (fik plads) eller waitlisted (på venteliste).")
    status_label = serializers.CharField()
    waitlist_position = serializers.IntegerField(allow_null=True, help_text="Nummer på ventelisten (ellers null).")
    token = serializers.UUIDField(help_text="Det personlige link: se og afmeld tilmeldingen.")
    manage_url = serializers.URLField(help_text="Siden for det personlige link (sendes også på e-mail).")


@extend_schema_view(
    list=extend_schema(
        summary="Recoveryskolens kurser (offentligt)",
        description="Kurser med kursusgange, undervisere, pladser og antal tilmeldte – aldrig deltagerne. "
        "Nyeste sæson først, derefter kursusnummer.",
        parameters=[
            OpenApiParameter(
                "term",
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                required=False,
                description="Kun kurser i denne sæson (sæsonens korte navn, fx foraar-2026).",
            )
        ],
    ),
    retrieve=extend_schema(summary="Hent ét kursus (offentligt)"),
)
class CourseViewSet(DanishMixin, viewsets.ReadOnlyModelViewSet):
    authentication_classes = []  # public: no login, so no session (and no CSRF) and no stale-token 401
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]
    pagination_class = ApiPagination
    schema = SamplanAutoSchema()
    serializer_class = CourseSerializer
    queryset = Course.objects.all()

    def get_queryset(self):
        return services.public_courses()

    def filter_queryset(self, queryset):
        term = (self.request.query_params.get("term") or "").strip()
        if self.action == "list" and term:
            queryset = queryset.filter(term__slug=term)
        return queryset

    @extend_schema(
        summary="Tilmeld til kurset (offentligt)",
        description="Samme regler som tilmeldingen på kursets side: er der plads (inkl. overbooking), får man "
        "plads, ellers kommer man på ventelisten. Bekræftelsen sendes på e-mail. Kun JSON. "
        "Højst et antal tilmeldinger i timen fra samme forbindelse (fælles med formularen); "
        "derover 429 (kode throttled) med Retry-After.",
        request=CourseEnrolSerializer,
        responses={201: CourseEnrolResultSerializer},
    )
    @action(
        detail=True, methods=["post"], parser_classes=[JSONParser], throttle_classes=[ratelimit.PublicPostThrottle]
    )  # same counter as the page's form
    def enrol(self, request, pk=None):
        # JSON only: a cross-site HTML form cannot send it, so no CSRF token is needed here.
        course = self.get_object()
        data = CourseEnrolSerializer(data=request.data, course=course)
        data.is_valid(raise_exception=True)
        enrolment = services.enrol(course, **data.validated_data)
        return Response(
            {
                "status": enrolment.status,
                "status_label": enrolment.get_status_display(),
                "waitlist_position": services.waitlist_position(enrolment),
                "token": str(enrolment.token),
                "manage_url": _absolute(request, reverse("enrolment-manage", args=[enrolment.token])),
            },
            status=status.HTTP_201_CREATED,
        )

    def finalize_response(self, request, response, *args, **kwargs):
        # Course facts are public; an enrolment's answer carries the personal link.
        response.setdefault("Cache-Control", "public, max-age=60" if request.method == "GET" else "no-store")
        return super().finalize_response(request, response, *args, **kwargs)


# --- Partner staff: enrolments with contact data -------------------------------------------


class CourseEnrolmentSerializer(serializers.ModelSerializer):
    course_title = serializers.CharField(source="course.title", read_only=True)
    course_number = serializers.IntegerField(source="course.number", read_only=True)
    term = serializers.CharField(source="course.term.slug", read_only=True, help_text="Sæsonens korte navn.")
    course_owner = serializers.CharField(source="course.owner.name", read_only=True)
    home_partner_name = serializers.CharField(
        source="home_partner.name", read_only=True, allow_null=True, help_text="Deltagerens kommune (null: en anden kommune)."
    )
    roles = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text=f"Jeg deltager som: {', '.join(ParticipantRole.values)}."
    )
    role_labels = serializers.ListField(child=serializers.CharField(), read_only=True)
    status = serializers.CharField(read_only=True, help_text=f"Status: {', '.join(Enrolment.Status.values)}.")
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    waitlist_position = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Nummer på ventelisten (ellers null)."
    )

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "course",
            "course_title",
            "course_number",
            "term",
            "course_owner",
            "name",
            "email",
            "phone",
            "home_partner",
            "home_partner_name",
            "roles",
            "role_labels",
            "status",
            "status_label",
            "waitlist_position",
            "created_at",
            "confirmed_at",
            "cancelled_at",
            "completed",
            "completed_at",
        ]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(
        summary="Tilmeldinger med kontaktoplysninger (samarbejdsparternes medarbejdere; logges)",
        description="Deltagere på de kurser, ens samarbejdspart er kursusansvarlig for, og ens egne borgere på "
        "andre parters kurser. Andre brugere får en tom liste.",
        parameters=[
            OpenApiParameter(
                "course",
                OpenApiTypes.INT,
                OpenApiParameter.QUERY,
                required=False,
                description="Kun tilmeldinger til dette kursus (id).",
            )
        ],
    ),
    retrieve=extend_schema(summary="Hent én tilmelding (logges)"),
)
class EnrolmentViewSet(ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = CourseEnrolmentSerializer
    queryset = Enrolment.objects.all()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Enrolment.objects.none()
        base = services.with_waitlist_position(Enrolment.objects.select_related("course__term", "course__owner", "home_partner"))
        return policy.enrolments_visible(self.request.user, base).order_by(
            "-course__term_id", "course__number", "created_at", "id"
        )

    def _course_filter(self):
        raw = (self.request.query_params.get("course") or "").strip()
        if not raw:
            return None
        if not is_id(raw):
            raise serializers.ValidationError({"course": ["Angiv kurset som et heltal (kursets id)."]})
        return int(raw)

    def list(self, request, *args, **kwargs):
        queryset = self.get_queryset()
        course_id = self._course_filter()
        if course_id is not None:
            queryset = queryset.filter(course_id=course_id)
        page = self.paginate_queryset(queryset)
        objects = page if page is not None else list(queryset)
        if objects:  # one read per response that shows participants, as the pages do
            # One course: the course is the object; several: no single object, the type names what was listed.
            course = next((e.course for e in objects if e.course_id == course_id), None)
            audit.record_read(
                request.user,
                course,
                object_type="" if course else "courses.Enrolment",
                after={
                    "shown": "api_enrolments",
                    "filters": {"course": course_id} if course_id is not None else {},
                    "enrolments": [e.pk for e in objects],
                },
            )
        data = self.get_serializer(objects, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request, *args, **kwargs):
        enrolment = self.get_object()  # 404 unless policy.enrolments_visible shows it
        audit.record_read(request.user, enrolment, object_type="courses.Enrolment", after={"shown": "api_enrolment"})
        return Response(self.get_serializer(enrolment).data)
