"""The cross-municipal recovery school (Skole på Tværs, DOMAIN.md §9): free courses without
visitation for citizens/patients, relatives, staff, leaders and volunteers learning together,
each taught by two teachers (one with lived experience). Partners — several municipalities
and the region — each own courses, see their own participants and share the totals."""

import uuid

from django.conf import settings
from django.db import models

USER = settings.AUTH_USER_MODEL


class School(models.Model):
    name = models.CharField("navn", max_length=200)
    email = models.EmailField("e-mail til tilmelding", blank=True)
    phone = models.CharField("telefon", max_length=30, blank=True)
    description = models.TextField("om skolen", blank=True)

    class Meta:
        verbose_name = "recoveryskole"
        verbose_name_plural = "recoveryskoler"

    def __str__(self):
        return self.name


class Partner(models.Model):
    """A municipality or the region in the school. Members (staff of the partner) see the
    partner's own participants and the shared totals, and run the partner's courses."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", "Kommune"
        REGION = "region", "Region"

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="partners")
    name = models.CharField("navn", max_length=200)
    short_name = models.CharField("kort navn", max_length=40, blank=True)
    kind = models.CharField("type", max_length=20, choices=Kind.choices, default=Kind.MUNICIPALITY)
    municipality = models.ForeignKey(
        "core.Municipality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recovery_partners",
        verbose_name="kommune i Samplan",
    )
    members = models.ManyToManyField(USER, blank=True, related_name="recovery_partners", verbose_name="medarbejdere")
    order = models.PositiveSmallIntegerField("rækkefølge", default=0)

    class Meta:
        verbose_name = "samarbejdspart"
        verbose_name_plural = "samarbejdsparter"
        ordering = ["order", "name"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="partner_unique_name")]

    def __str__(self):
        return self.short_name or self.name


class Term(models.Model):
    """A season of courses with one brochure (fx "Forår 2019")."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="terms")
    name = models.CharField("navn", max_length=100)
    slug = models.SlugField("kort navn i adressen", max_length=40, unique=True)

    class Meta:
        verbose_name = "sæson"
        verbose_name_plural = "sæsoner"
        ordering = ["-id"]

    def __str__(self):
        return self.name


TOPIC_STRIP = " -•\t"


class Course(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", "Planlagt"
        CANCELLED = "cancelled", "Aflyst"

    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="courses")
    number = models.PositiveSmallIntegerField("kursusnummer")
    title = models.CharField("titel", max_length=200)
    subtitle = models.CharField("undertitel", max_length=200, blank=True)
    description = models.TextField("beskrivelse", blank=True)
    topics = models.TextField("emner (ét pr. linje)", blank=True)
    owner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="courses", verbose_name="kursusansvarlig")
    # The course in the public catalogue (kind COURSE), so one search finds it with the rest.
    offer = models.OneToOneField("catalogue.Offer", null=True, blank=True, on_delete=models.PROTECT, related_name="course")
    place = models.CharField("sted", max_length=200)
    address = models.CharField("adresse", max_length=200, blank=True)
    min_participants = models.PositiveSmallIntegerField("mindst antal deltagere", default=0)
    max_participants = models.PositiveSmallIntegerField("højst antal deltagere")
    overbooking = models.PositiveSmallIntegerField(
        "overbooking", default=0, help_text="Ekstra pladser ud over det højeste antal, fordi nogle melder fra"
    )
    registration_opens = models.DateField("tilmelding åbner", null=True, blank=True)
    registration_closes = models.DateField("tilmeldingsfrist", null=True, blank=True)
    # On this day a course below its minimum is cancelled and everyone enrolled is told.
    minimum_deadline = models.DateField("frist for mindste antal", null=True, blank=True)
    status = models.CharField("status", max_length=20, choices=Status.choices, default=Status.PLANNED)
    cancelled_at = models.DateTimeField("aflyst", null=True, blank=True)
    cancel_reason = models.CharField("begrundelse for aflysning", max_length=300, blank=True)
    evaluation_sent_at = models.DateTimeField("evaluering sendt", null=True, blank=True)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)  # iCalendar UID stem
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "kursus"
        verbose_name_plural = "kurser"
        ordering = ["term", "number"]
        constraints = [models.UniqueConstraint(fields=["term", "number"], name="course_unique_number")]

    def __str__(self):
        return self.title

    @property
    def places(self) -> int:
        """Confirmed places including overbooking."""
        return self.max_participants + self.overbooking

    def free_places(self, n_confirmed: int) -> int:
        """Places left when ``n_confirmed`` have a place (never below zero)."""
        return max(self.places - n_confirmed, 0)

    @property
    def topic_list(self) -> list[str]:
        """The topics, one per line, without bullets ("- ", "•") or blank lines."""
        return [line.strip(TOPIC_STRIP) for line in self.topics.splitlines() if line.strip(TOPIC_STRIP)]


class Session(models.Model):
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions")
    date = models.DateField("dato")
    starts = models.TimeField("fra")
    ends = models.TimeField("til")
    place = models.CharField("sted (hvis et andet)", max_length=200, blank=True)

    class Meta:
        verbose_name = "kursusgang"
        verbose_name_plural = "kursusgange"
        ordering = ["date", "starts"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class Teacher(models.Model):
    class Competence(models.TextChoices):
        LIVED_EXPERIENCE = "lived_experience", "Erfaringskompetence"
        PROFESSIONAL = "professional", "Fagprofessionel"

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="teachers")
    name = models.CharField("navn", max_length=200)
    competence = models.CharField("kompetence", max_length=20, choices=Competence.choices)
    organisation = models.CharField("organisation", max_length=200, blank=True)

    class Meta:
        verbose_name = "underviser"
        verbose_name_plural = "undervisere"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class ParticipantRole(models.TextChoices):
    """Jeg deltager som … (several may apply)."""

    CITIZEN = "citizen", "Patient/borger"
    RELATIVE = "relative", "Pårørende"
    STAFF = "staff", "Medarbejder"
    LEADER = "leader", "Leder"
    VOLUNTEER = "volunteer", "Frivillig"


class Enrolment(models.Model):
    """Tilmelding with the recovery school's fields (course, name, e-mail, phone,
    municipality) and roles. Waitlisted enrolments are promoted in the order they came."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "Tilmeldt"
        WAITLISTED = "waitlisted", "På venteliste"
        CANCELLED = "cancelled", "Afmeldt"
        COURSE_CANCELLED = "course_cancelled", "Kurset er aflyst"

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="enrolments")
    name = models.CharField("navn", max_length=200)
    email = models.EmailField("e-mail")
    phone = models.CharField("telefon", max_length=30, blank=True)
    # The participant's home: a partner, or none when they live elsewhere.
    home_partner = models.ForeignKey(
        Partner, null=True, blank=True, on_delete=models.PROTECT, related_name="home_enrolments", verbose_name="din kommune"
    )
    roles = models.JSONField("jeg deltager som", default=list)
    status = models.CharField("status", max_length=20, choices=Status.choices)
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)  # the personal link
    citizen = models.ForeignKey(
        "citizens.Citizen", null=True, blank=True, on_delete=models.PROTECT, related_name="course_enrolments"
    )
    created_at = models.DateTimeField("tilmeldt", auto_now_add=True)
    confirmed_at = models.DateTimeField("fik plads", null=True, blank=True)
    cancelled_at = models.DateTimeField("afmeldt", null=True, blank=True)
    completed = models.BooleanField("gennemført", default=False)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "tilmelding"
        verbose_name_plural = "tilmeldinger"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["course", "status"])]

    def __str__(self):
        return f"{self.name} – {self.course}"

    @property
    def role_labels(self) -> list[str]:
        """The roles in Danish, as chosen ("Jeg deltager som …")."""
        labels = dict(ParticipantRole.choices)
        return [labels.get(r, r) for r in self.roles]


class Attendance(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="attendances")
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="attendances")
    present = models.BooleanField("mødt", default=False)
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "fremmøde"
        verbose_name_plural = "fremmøde"
        constraints = [models.UniqueConstraint(fields=["enrolment", "session"], name="attendance_unique")]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class EvaluationInvite(models.Model):
    """The personal link to the course evaluation, sent after the course; answered without login."""

    enrolment = models.OneToOneField(Enrolment, on_delete=models.PROTECT, related_name="evaluation_invite")
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sent_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "evalueringslink"
        verbose_name_plural = "evalueringslinks"

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class EvaluationResponse(models.Model):
    """One answer to the recovery school's questionnaire. Kept apart from the enrolment's
    contact data: reports show counts per item, never who answered what."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="evaluations")
    answers = models.JSONField("svar")
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "evalueringssvar"
        verbose_name_plural = "evalueringssvar"
        ordering = ["submitted_at", "id"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class BrochureReminder(models.Model):
    """Marks that a term's course owners were reminded (sent once per term and partner)."""

    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="reminders")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["term", "partner"], name="brochure_reminder_once")]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"
