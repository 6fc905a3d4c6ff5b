"""Skole på Tværs' pilot, autumn 2018, as data (seed 004 L8297–9108): five courses, 65
places (64 + one overbooked on Mentalt velvære), 60 enrolled, 32 completed, 12 teachers,
waitlists High Energy 3 and Mentalt velvære 1 without getting a place, and the enrolment
table by home municipality. The demo data and the report tests both build it here.

From the seed: titles, owners, places, addresses, min/max participants, number and length
of sessions, the enrolment table, the totals and the 27 questionnaire replies. Invented
(the seed does not give them): the session dates, who completed on which course, the
participants (fictional names, example.invalid e-mails), their roles, the teachers' names,
and the distribution of the 27 replies (a few free-text answers quote the seed's own
anonymous list)."""

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from samplan.courses import evaluation
from samplan.courses.models import (
    Attendance,
    Course,
    Enrolment,
    EvaluationInvite,
    EvaluationResponse,
    ParticipantRole,
    Partner,
    Session,
    Teacher,
    Term,
)

TZ = ZoneInfo(settings.TIME_ZONE)
TERM_SLUG = "efteraar-2018"
TERM_NAME = "Efterår 2018"

# key, name, short name, kind (the seed's column order in the enrolment table)
PARTNERS = (
    ("Gladsaxe", "Gladsaxe Kommune", "Gladsaxe", Partner.Kind.MUNICIPALITY),
    ("Gentofte", "Gentofte Kommune", "Gentofte", Partner.Kind.MUNICIPALITY),
    ("Rudersdal", "Rudersdal Kommune", "Rudersdal", Partner.Kind.MUNICIPALITY),
    ("Lyngby-Taarbæk", "Lyngby-Taarbæk Kommune", "Lyngby-Taarbæk", Partner.Kind.MUNICIPALITY),
    ("RHP", "Region Hovedstadens Psykiatri", "RHP", Partner.Kind.REGION),
)
PARTNER_KEYS = tuple(p[0] for p in PARTNERS)

LIVED, PRO = Teacher.Competence.LIVED_EXPERIENCE, Teacher.Competence.PROFESSIONAL


def _weekly(first: dt.date, n: int, every: int = 7) -> list[dt.date]:
    return [first + dt.timedelta(days=every * i) for i in range(n)]


COURSES = (
    {
        "number": 1,
        "owner": "Rudersdal",
        "title": "Mentalt velvære fremmer recovery",
        "subtitle": "Velvære i hverdagen",
        "description": "Få øget viden og indsigt, som kan give dig mulighed for at finde din egen vej til mentalt velvære "
        "– recovery. Kurset er en blanding af oplæg, øvelser, filmklip og små hjemmeopgaver.",
        "topics": "Mestring og mulige strategier i hverdagen\nMod til at være aktør i eget liv\nHvordan kan du styrke dit "
        "selvværd?\nLivskvalitet – hvad er det for dig?\nNye roller og historier",
        "place": "Aktivitets- og Kompetencecentret",
        "address": "Rønnebærvej 19, 2840 Holte",
        "min": 6,
        "max": 12,
        "overbooking": 1,
        "dates": _weekly(dt.date(2018, 9, 11), 9),
        "times": ("13:00", "15:00"),
        "home": (0, 2, 1, 10, 0),
        "waitlisted": 1,
        "completed": 7,
        "replies": 6,
        "teachers": (("Lone Friis", LIVED, "Rudersdal Kommune"), ("Henrik Dam", PRO, "Rudersdal Kommune")),
    },
    {
        "number": 2,
        "owner": "Gentofte",
        "title": "High Energy – med fokus på hele din sundhed",
        "subtitle": "Fysisk og psykisk sundhed",
        "description": "Du får en større forståelse for kost og motionsformer, der er fordelagtige, og kendskab til et "
        "helhedsorienteret sundhedsperspektiv. Medbring behageligt tøj til moderat fysisk udfoldelse.",
        "topics": "Sundhed i et helhedsperspektiv\nSund energi – kost og motion\nSund mad – vi laver og smager\n"
        "Sammen bliver vi klogere på at træne\nFællesskab og netværks betydning for vores sundhed",
        "place": "Sundhedscenter Hvide Hus",
        "address": "Mitchellsstræde 3, 2820 Gentofte",
        "min": 0,
        "max": 8,
        "overbooking": 0,
        "dates": _weekly(dt.date(2018, 9, 19), 6),
        "times": ("10:00", "12:30"),
        "home": (0, 3, 0, 5, 0),
        "waitlisted": 3,
        "completed": 5,
        "replies": 4,
        # The seed: on High Energy and Styr livet both teachers were professionals (illness).
        "teachers": (("Mette Kjær", PRO, "Gentofte Kommune"), ("Søren Bach", PRO, "Gentofte Kommune")),
    },
    {
        "number": 3,
        "owner": "Lyngby-Taarbæk",
        "title": "Styr livet med personcentreret planlægning",
        "subtitle": "Drømme og nye mål",
        "description": "På kurset arbejder du med dine egne ønsker, drømme og håb. Du får konkrete planlægningsværktøjer "
        "til at sætte nye mål, og hvordan du når dem (personcentreret planlægning, PCP).",
        "topics": "Dine ønsker, drømme og håb\nRelationer og mening i eget liv\nAt sætte mål og lægge en plan",
        "place": "Fuglevad Mølle",
        "address": "Møllevej 4, 2800 Kongens Lyngby",
        "min": 0,
        "max": 20,
        "overbooking": 0,
        "dates": _weekly(dt.date(2018, 9, 27), 8, every=14),
        "times": ("10:00", "15:00"),
        "home": (1, 4, 0, 9, 3),
        "waitlisted": 0,
        "completed": 9,
        "replies": 8,
        "teachers": (("Anne Holm", PRO, "Lyngby-Taarbæk Kommune"), ("Jakob Lund", PRO, "Lyngby-Taarbæk Kommune")),
    },
    {
        "number": 4,
        "owner": "Gladsaxe",
        "title": "I gang igen",
        "subtitle": "Tilbage til studie eller arbejde",
        "description": "Dette kursus er for dig, der overvejer at skulle tilbage på studiet eller arbejdet efter en "
        "sygdomsperiode. Kom og få praktiske værktøjer og sparring med andre.",
        "topics": "Hvor er du nu?\nHvad er en god arbejdsplads for dig?\nPauser og forstyrrelser\n"
        "Stress og nervøsitet\nLogbog og andre værktøjer",
        "place": "Ungehuset (Gladsaxe Kommune)",
        "address": "Valdemars Allé 81 B, 2860 Søborg",
        "min": 6,
        "max": 10,
        "overbooking": 0,
        "dates": _weekly(dt.date(2018, 10, 4), 6),
        "times": ("12:30", "14:30"),
        "home": (2, 4, 1, 0, 1),
        "waitlisted": 0,
        "completed": 5,
        "replies": 4,
        "teachers": (
            ("Camilla Berg", LIVED, "Gladsaxe Kommune"),
            ("Peter Juul", PRO, "Gladsaxe Kommune"),
            ("Maria Storm", LIVED, "Skolen for Recovery"),
        ),
    },
    {
        "number": 5,
        "owner": "RHP",
        "title": "Guide til et godt hverdagsliv",
        "subtitle": "Håb og muligheder",
        "description": "Du får kendskab til indholdet i bogen »Guide til et godt hverdagsliv« og inspiration til, hvordan "
        "du kan få en god hverdag, tro på dine drømme og forfølge dine mål.",
        "topics": "Håb og muligheder\nForeninger og behandlingsmuligheder\nSelvbestemmelse – du afgør, hvad der virker",
        "place": "Skolen for Recovery, Psykiatrisk Center Amager",
        "address": "Digevej 110, 2300 København S",
        "min": 4,
        "max": 14,
        "overbooking": 0,
        "dates": _weekly(dt.date(2018, 11, 16), 4),
        "times": ("09:30", "12:00"),
        "home": (1, 1, 0, 0, 12),
        "waitlisted": 0,
        "completed": 6,
        "replies": 5,
        "teachers": (
            ("Birgit Skov", LIVED, "Skolen for Recovery"),
            ("Thomas Krag", PRO, "Skolen for Recovery"),
            ("Ida Vestergaard", PRO, "Gladsaxe Kommune"),
        ),
    },
)

FIRST_NAMES = (
    "Anna",
    "Bo",
    "Cecilie",
    "Dennis",
    "Ellen",
    "Frederik",
    "Gitte",
    "Hans",
    "Inge",
    "Jonas",
    "Karen",
    "Lars",
    "Mette",
    "Niels",
    "Ole",
    "Pia",
    "Rasmus",
    "Sara",
    "Tobias",
    "Ulla",
    "Vibeke",
    "William",
)
LAST_NAMES = ("Andersen", "Bech", "Dahl", "Eriksen", "Friis", "Gram", "Holt", "Iversen", "Jessen", "Kirk", "Lind")

MOTIVATION = ("Møde andre", "Ny viden som kan bruges i hverdagen", "At prøve noget nyt", "Ønskede værktøjer")
HEARD_OF = ("Gennem Skole på Tværs-folder", "Bostøtte", "Info fra medarbejder", "Fandt en brochure på biblioteket")
OUTCOMES = ("high", "very_high", "some", "high", "very_high", "high", "low")


def ensure_partners(school) -> dict[str, Partner]:
    """The five partners of Skole på Tværs, keyed as the seed's columns."""
    out = {}
    for order, (key, name, short, kind) in enumerate(PARTNERS):
        out[key] = Partner.objects.get_or_create(
            school=school, name=name, defaults={"short_name": short, "kind": kind, "order": order}
        )[0]
    return out


ALIASES = {"Lyngby-Taarbæk": ("LTK",), "RHP": ("Region Hovedstaden", "Skolen for Recovery")}


def _partner_map(partners) -> dict[str, Partner]:
    """The seed's five columns → partners, from a dict with those keys or any iterable of
    partners named like them (fx "Gentofte Kommune", short name "Gentofte")."""
    if isinstance(partners, dict):
        if all(key in partners for key in PARTNER_KEYS):
            return partners
        partners = partners.values()
    by_name = {}
    for p in partners:
        for label in (p.short_name, p.name, p.name.removesuffix(" Kommune")):
            by_name.setdefault(label, p)
    out = {}
    for key, name, _, _ in PARTNERS:
        match = next((by_name[n] for n in (key, name, *ALIASES.get(key, ())) if n in by_name), None)
        if match is None:
            raise ValueError(f"Skole på Tværs' pilot needs the partner {name!r}.")
        out[key] = match
    return out


def _at(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TZ)


def _roles(n: int) -> list[str]:
    """Mostly citizens/patients; about a fifth staff; few relatives, volunteers and leaders (seed L8820)."""
    if n % 5 == 0:
        return [ParticipantRole.STAFF]
    if n in (7, 23, 41):
        return [ParticipantRole.RELATIVE]
    if n in (13, 37):
        return [ParticipantRole.CITIZEN, ParticipantRole.VOLUNTEER]
    if n == 29:
        return [ParticipantRole.LEADER, ParticipantRole.STAFF]
    return [ParticipantRole.CITIZEN]


@transaction.atomic
def build_pilot_2018(school, partners) -> Term:
    """Create the autumn-2018 term with its five held courses, enrolments, attendance,
    completions, waitlists, evaluation links and the 27 replies. ``partners`` maps the
    seed's column names (Gladsaxe, Gentofte, Rudersdal, Lyngby-Taarbæk, RHP) to partners,
    or is an iterable of partners with those names. Safe to call again (returns the term)."""
    partners = _partner_map(partners)
    term, _ = Term.objects.get_or_create(slug=TERM_SLUG, defaults={"school": school, "name": TERM_NAME})
    if term.courses.exists():
        return term
    names = itertools.cycle(itertools.product(FIRST_NAMES, LAST_NAMES))
    counter = itertools.count(1)
    reply_no = itertools.count(0)
    for spec in COURSES:
        first, last = spec["dates"][0], spec["dates"][-1]
        starts, ends = (dt.time.fromisoformat(t) for t in spec["times"])
        course = Course.objects.create(
            term=term,
            number=spec["number"],
            title=spec["title"],
            subtitle=spec["subtitle"],
            description=spec["description"],
            topics=spec["topics"],
            owner=partners[spec["owner"]],
            place=spec["place"],
            address=spec["address"],
            min_participants=spec["min"],
            max_participants=spec["max"],
            overbooking=spec["overbooking"],
            registration_opens=dt.date(2018, 8, 15),
            registration_closes=first - dt.timedelta(days=3),
            minimum_deadline=first - dt.timedelta(days=7),
            evaluation_sent_at=_at(last + dt.timedelta(days=1), 9),
        )
        sessions = Session.objects.bulk_create(Session(course=course, date=d, starts=starts, ends=ends) for d in spec["dates"])
        Teacher.objects.bulk_create(Teacher(course=course, name=n, competence=c, organisation=o) for n, c, o in spec["teachers"])
        homes = [partners[key] for key, count in zip(PARTNER_KEYS, spec["home"], strict=True) for _ in range(count)]
        enrolments = []
        for i, home in enumerate(homes):
            n = next(counter)
            first_name, last_name = next(names)
            enrolments.append(
                Enrolment(
                    course=course,
                    name=f"{first_name} {last_name}",
                    email=f"kursist{n}@example.invalid",
                    phone=f"2{n:07d}",
                    home_partner=home,
                    roles=_roles(n),
                    status=Enrolment.Status.CONFIRMED,
                    confirmed_at=_at(dt.date(2018, 8, 16) + dt.timedelta(days=i % 10)),
                    completed=i < spec["completed"],
                    completed_at=_at(last, 16) if i < spec["completed"] else None,
                )
            )
        for _ in range(spec["waitlisted"]):
            n = next(counter)
            first_name, last_name = next(names)
            enrolments.append(
                Enrolment(
                    course=course,
                    name=f"{first_name} {last_name}",
                    email=f"kursist{n}@example.invalid",
                    phone=f"2{n:07d}",
                    home_partner=partners["Lyngby-Taarbæk"],
                    roles=_roles(n),
                    status=Enrolment.Status.WAITLISTED,
                )
            )
        enrolments = Enrolment.objects.bulk_create(enrolments)
        for i, e in enumerate(enrolments):  # registration came in during the two weeks after it opened
            e.created_at = _at(dt.date(2018, 8, 15) + dt.timedelta(days=i % 14), 10)
        Enrolment.objects.bulk_update(enrolments, ["created_at"])
        placed = [e for e in enrolments if e.status == Enrolment.Status.CONFIRMED]
        Attendance.objects.bulk_create(
            Attendance(enrolment=e, session=s, present=_present(e, j, len(sessions)))
            for e in placed
            for j, s in enumerate(sessions)
        )
        invites = EvaluationInvite.objects.bulk_create(EvaluationInvite(enrolment=e) for e in placed)
        answered = [inv for inv, e in zip(invites, placed, strict=True) if e.completed][: spec["replies"]]
        for inv in invites:
            inv.sent_at = course.evaluation_sent_at
            inv.answered_at = _at(last + dt.timedelta(days=3), 0) if inv in answered else None
        EvaluationInvite.objects.bulk_update(invites, ["sent_at", "answered_at"])
        for home in [e.home_partner for inv, e in zip(invites, placed, strict=True) if inv in answered]:
            EvaluationResponse.objects.create(course=course, answers=_reply(course, home, next(reply_no)))
    return term


def _present(enrolment: Enrolment, session_index: int, total: int) -> bool:
    """Completers came to all but at most one session; the others to at most the first."""
    if enrolment.completed:
        return total < 5 or session_index != total - 2
    return session_index == 0 and enrolment.pk % 2 == 1


def _reply_roles(k: int) -> list[str]:
    """27 replies, 28 ticks: one answered both patient/borger and pårørende (as in the seed)."""
    if k % 4 == 0:
        return [ParticipantRole.STAFF]
    return {
        3: [ParticipantRole.CITIZEN, ParticipantRole.RELATIVE],
        11: [ParticipantRole.RELATIVE],
        17: [ParticipantRole.VOLUNTEER],
    }.get(k, [ParticipantRole.CITIZEN])


def _reply(course: Course, home: Partner, k: int) -> dict:
    answers = {
        "version": evaluation.VERSION,
        "course": f"{course.number}. {course.title}",
        "roles": _reply_roles(k),
        "home": str(home.pk),
        "other_offers": "yes" if k % 2 else "no",
        "rhp_treatment": "yes" if k % 9 in (0, 2, 4, 7) else "no",
        "outcome_interaction": OUTCOMES[k % len(OUTCOMES)],
        "outcome_understanding": OUTCOMES[(k + 1) % len(OUTCOMES)],
        "outcome_change": OUTCOMES[(k + 2) % len(OUTCOMES)],
    }
    if k % 2:
        answers["other_offers_which"] = ("Café Stolpen", "Gå-gruppe", "Samtalegruppe", "Limone")[k % 4]
    if k % 3 != 2:
        answers["motivation"] = MOTIVATION[k % len(MOTIVATION)]
    if k % 3 != 1:
        answers["heard_of"] = HEARD_OF[k % len(HEARD_OF)]
    return answers
