"""Demo data for the recovery school Skole på Tværs (DOMAIN.md §9, seed 004 L8297–9941).

* The school and its five partners: Gladsaxe, Gentofte, Rudersdal and Lyngby-Taarbæk
  municipalities and Region Hovedstadens Psykiatri (RHP), in the order of the seed's
  enrolment table. Each partner has one demo member (role tilbudsansvarlig) who maintains
  the partner's offers in LTK's catalogue and runs the partner's courses.
* The pilot of autumn 2018 with its 60 enrolments (``demo.pilot``).
* The five courses of the spring-2019 brochure exactly as printed (dates, times, places),
  with min/max from the pilot description (004 L8600–8690), two teachers each (one with
  lived experience, one professional; fictional names) and a catalogue offer each (not
  published: the courses are over).
* The same five courses in the next spring term (registration open now), published in the
  catalogue, with a few fictional enrolments: one course is full with a waitlist, and the
  demo citizen is enrolled on the Lyngby-Taarbæk course, which is also in her/his plan.

Every participant and teacher is fictional; e-mails are …@example.invalid."""

import datetime as dt
import random
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format, time_format

from samplan.core.models import Municipality, Role
from samplan.courses import services
from samplan.courses.models import Course, ParticipantRole, Partner, School, Session, Teacher, Term

from . import pilot

SCHOOL_NAME = "Skole på Tværs"
SCHOOL_EMAIL = "kontakt@skolepaatvaers.dk"
SCHOOL_PHONE = "24 98 38 88"
SCHOOL_DESCRIPTION = (
    "Skole på Tværs er et samarbejde mellem Region Hovedstadens Psykiatri og kommunerne Rudersdal, Lyngby-Taarbæk, "
    "Gentofte og Gladsaxe. Undervisningens mål er at understøtte recovery-processer og skabe bedre muligheder for at "
    "komme sig. Kurserne er for både mennesker med psykisk sårbarhed, pårørende, medarbejdere og frivillige – og de "
    "er gratis.\n\n"
    "Recovery betyder »at komme sig« fra psykiske vanskeligheder og finde sin vej til en god og meningsfyldt "
    "tilværelse. I Skole på Tværs kommer du i gang med den proces i et støttende læringsmiljø."
)
AUDIENCE = (
    "Patient/borger, medarbejder, leder, pårørende eller frivillig i Gladsaxe, Lyngby-Taarbæk, Gentofte eller "
    "Rudersdal Kommune eller i Region Hovedstadens Psykiatri."
)

# key, name, short name, kind, owner unit in LTK's catalogue, municipality code in Samplan (if any)
PARTNERS = [
    ("gladsaxe", "Gladsaxe Kommune", "Gladsaxe", Partner.Kind.MUNICIPALITY, "Gladsaxe Kommune", "0159"),
    ("gentofte", "Gentofte Kommune", "Gentofte", Partner.Kind.MUNICIPALITY, "Gentofte Kommune", None),
    ("rudersdal", "Rudersdal Kommune", "Rudersdal", Partner.Kind.MUNICIPALITY, "Rudersdal Kommune", None),
    ("ltk", "Lyngby-Taarbæk Kommune", "Lyngby-Taarbæk", Partner.Kind.MUNICIPALITY, "Center for Social Indsats", "0173"),
    ("rhp", "Region Hovedstadens Psykiatri", "RHP", Partner.Kind.REGION, "Region Hovedstadens Psykiatri", None),
]
# username, partner key, first name, last name (fictional)
MEMBERS = [
    ("skole-gladsaxe", "gladsaxe", "Dorthe", "Vinther"),
    ("skole-gentofte", "gentofte", "Kasper", "Nørgaard"),
    ("skole-rudersdal", "rudersdal", "Marianne", "Juhl"),
    ("skole-ltk", "ltk", "Trine", "Bak"),
    ("skole-rhp", "rhp", "Niels", "Østergaard"),
]
# For the login table printed by seed_demo: username, role, note.
DEMO_LOGINS = [
    ("katalog", Role.CATALOGUE_EDITOR, "redigerer hele Lyngby-Taarbæks tilbudskatalog"),
    ("skole-ltk", Role.OFFER_MAINTAINER, "Skole på Tværs (Lyngby-Taarbæk): egne kurser og CSI's tilbud i kataloget"),
    ("skole-gladsaxe", Role.OFFER_MAINTAINER, "Skole på Tværs (Gladsaxe): egne kurser og deltagere"),
    ("skole-gentofte", Role.OFFER_MAINTAINER, "Skole på Tværs (Gentofte): egne kurser og deltagere"),
    ("skole-rudersdal", Role.OFFER_MAINTAINER, "Skole på Tværs (Rudersdal): egne kurser og deltagere"),
    ("skole-rhp", Role.OFFER_MAINTAINER, "Skole på Tværs (RHP): egne kurser og deltagere"),
]

T = dt.time
D = dt.date

# The spring-2019 brochure (004 L9660–9941), min/max from the pilot description (L8600–8690).
SPRING_2019 = [
    {
        "number": 1,
        "title": "Mentalt velvære fremmer recovery",
        "subtitle": "Velvære i hverdagen",
        "owner": "rudersdal",
        "place": "Aktivitets- og Kompetencecentret",
        "address": "Rønnebærvej 19, 2840 Holte",
        "dates": [
            D(2019, 2, 12),
            D(2019, 2, 19),
            D(2019, 2, 26),
            D(2019, 3, 5),
            D(2019, 3, 12),
            D(2019, 3, 19),
            D(2019, 3, 26),
            D(2019, 4, 2),
            D(2019, 4, 9),
        ],
        "starts": T(13, 0),
        "ends": T(15, 0),
        "min": 6,
        "max": 12,
        "overbooking": 0,
        "description": (
            "Få øget viden og indsigt, som kan give dig mulighed for at finde din egen vej til mentalt velvære – "
            "recovery.\n\n"
            "Du får mulighed for aktivt at arbejde med refleksionsopgaver, så det både bliver en individuel opgave for "
            "dig som deltager, men også med mulighed for at få et bredere perspektiv fra de øvrige kursusdeltagere via "
            "deres refleksion.\n\n"
            "Kurset er en blanding af oplæg, øvelser, filmklip og små hjemmeopgaver. Kurset består af 9 gange på hver "
            "2 timer."
        ),
        "topics": [
            "Mestring og mulige strategier i hverdagen",
            "Mod til at være aktør i eget liv + omgivelsernes deltagelse",
            "Hvordan kan du styrke dit selvværd?",
            "Livskvalitet – hvad er det for dig?",
            "Nye roller og historier",
        ],
    },
    {
        "number": 2,
        "title": "Styr livet med personcentreret planlægning",
        "subtitle": "Drømme og nye mål",
        "owner": "ltk",
        "place": "Fuglevad Mølle",
        "address": "Møllevej 4, Lyngby",
        "dates": [
            D(2019, 2, 28),
            D(2019, 3, 13),
            D(2019, 3, 21),
            D(2019, 3, 27),
            D(2019, 4, 11),
            D(2019, 4, 25),
            D(2019, 5, 2),
            D(2019, 5, 15),
        ],
        "starts": T(10, 0),
        "ends": T(15, 0),
        "min": 0,
        "max": 20,
        "overbooking": 0,
        "description": (
            "På kurset arbejder du med dine egne ønsker, drømme og håb. Du får hjælp til at finde relationer og mening "
            "i eget liv. Vi giver dig konkrete planlægningsværktøjer til at sætte nye mål, og hvordan du når dem. Vi "
            "præsenterer redskaber, som kan bruges til at genvinde kontrollen over eget liv. Det gør vi med baggrund i "
            "vores viden om, hvordan recovery-processer understøttes. Vi kalder denne tilgang for personcentreret "
            "planlægning, PCP.\n\n"
            "Målet med kurset er, at alle deltagerne finder deres egen vej, formulerer et mål og får lagt en plan for "
            "at arbejde med målsætningen. Du vil i løbet af kurset udarbejde en konkret plan for en selvvalgt "
            "målsætning. Kurset består af 8 gange på hver 5 timer."
        ),
        "topics": [],
    },
    {
        "number": 3,
        "title": "High energy – med fokus på hele din sundhed",
        "subtitle": "Fysisk og psykisk sundhed",
        "owner": "gentofte",
        "place": "Sundhedscenter Hvide Hus",
        "address": "Mitchellsstræde 3, 2820 Gentofte",
        "dates": [D(2019, 2, 6), D(2019, 2, 13), D(2019, 2, 20), D(2019, 2, 27), D(2019, 3, 6), D(2019, 3, 13)],
        "starts": T(10, 0),
        "ends": T(12, 30),
        "min": 0,
        "max": 8,
        "overbooking": 0,
        "description": (
            "Du får på dette kursus en større forståelse for kost og motionsformer, der er fordelagtige. Du får "
            "kendskab til et helhedsorienteret sundhedsperspektiv, og hver enkelt deltager bliver introduceret til "
            "redskaber, der kan være med til at øge den mentale balance. Du får viden om, hvordan du øger din sundhed "
            "inden for både fysiske, psykiske og sociale områder.\n\n"
            "Medbring behageligt tøj til moderat fysisk udfoldelse. Kurset består af 6 gange på hver 2½ time."
        ),
        "topics": [
            "Sundhed i et helhedsperspektiv – hvad er det?",
            "Sund energi – hvordan hjælper eksempelvis vores kost og motion?",
            "Sund mad – vi laver og smager på sund og lækker mad, ud fra den nyeste forskning",
            "Sammen bliver vi klogere på at træne – hvor meget og hvad skal der til?",
            "Fællesskab og netværks betydning for vores sundhed",
        ],
    },
    {
        "number": 4,
        "title": "I gang igen",
        "subtitle": "Tilbage til studie eller arbejde",
        "owner": "gladsaxe",
        "place": "Ungehuset (Gladsaxe Kommune)",
        "address": "Valdemars Allé 81 B, 2860 Søborg",
        "dates": [D(2019, 5, 2), D(2019, 5, 9), D(2019, 5, 16), D(2019, 5, 23), D(2019, 6, 6), D(2019, 6, 13)],
        "starts": T(12, 30),
        "ends": T(15, 0),
        "min": 6,
        "max": 10,
        "overbooking": 0,
        "description": (
            "Dette kursus er for dig, der overvejer at skulle tilbage på studiet eller arbejdet efter en "
            "sygdomsperiode. Kom og få praktiske værktøjer og sparring med andre i forhold til at skulle i gang igen. "
            "Vi arbejder med tilrettelæggelse af hverdagen og at få skabt overblik. Med balance og med opladning.\n\n"
            "Kurset består af 6 gange på hver 2½ time."
        ),
        "topics": [
            "Hvor er du nu?",
            "Hvad er dine erfaringer?",
            "Hvad er en god arbejdsplads for dig?",
            "Skal der skema til?",
            "Pauser?",
            "Hvordan kan man arbejde med forstyrrelser?",
            "Hvordan kan du håndtere eventuel stress eller nervøsitet?",
            "Hvordan kan du få skabt overblik?",
            "Logbog og andre værktøjer",
            "På en arbejdsplads eller i et studiemiljø – hvad vil du gerne fortælle om dig selv?",
            "Hvordan kan du passe på dine grænser og bruge dine ressourcer?",
        ],
    },
    {
        "number": 5,
        "title": "Guide til et godt hverdagsliv",
        "subtitle": "Håb og muligheder",
        "owner": "rhp",
        "place": "Skolen for Recovery, Psykiatrisk Center Ballerup",
        "address": "Maglevænget 2, Bygning 2, 2750 Ballerup",
        "dates": [D(2019, 5, 24), D(2019, 6, 7), D(2019, 6, 14), D(2019, 6, 21)],
        "starts": T(9, 30),
        "ends": T(12, 0),
        "min": 4,
        "max": 15,
        "overbooking": 2,
        "description": (
            "På dette kursus får du kendskab til indholdet i bogen »Guide til et godt hverdagsliv«. Du får "
            "inspiration til, hvordan du kan få en god hverdag, tro på dine drømme og forfølge dine mål. Guiden kan "
            "give dig en oplevelse af øgede muligheder, ved at du får kendskab til fx foreninger, "
            "behandlingsmuligheder og samarbejde med andre.\n\n"
            "Formålet er at øge den enkeltes håb, muligheder og selvbestemmelse. At give dig en oplevelse af øget "
            "selvbestemmelse, idet du selv afgør, hvad der virker. Og ved at gøre dig i stand til at kunne forfølge "
            "egne mål. Kurset består af 4 gange på hver 2½ time."
        ),
        "topics": [],
    },
]

# Teachers (fictional): one with lived experience, one professional; two courses are
# taught across partners, as in the pilot (004 L8639–8651).
TEACHERS = {
    1: [("Lise Holm", "lived_experience", "rudersdal"), ("Henrik Skov", "professional", "rudersdal")],
    2: [("Ole Lauridsen", "lived_experience", "ltk"), ("Camilla Bach", "professional", "ltk")],
    3: [("Stine Iversen", "lived_experience", "gentofte"), ("Morten Berg", "professional", "gentofte")],
    4: [("Jesper Kjær", "lived_experience", "gladsaxe"), ("Signe Lund", "professional", "rhp")],
    5: [("Gitte Svendsen", "lived_experience", "rhp"), ("Rasmus Dahl", "professional", "gladsaxe")],
}
# Enrolments in the current term: course number -> how many (the third is full + waitlist).
CURRENT_ENROLMENTS = {1: 4, 2: 6, 3: 10, 4: 3, 5: 7}


@dataclass
class CoursesResult:
    school: School
    partners: dict  # key -> Partner
    terms: list
    members: dict  # username -> User


def next_spring(today: dt.date) -> int:
    """The year of the next spring term whose courses start at least six weeks from today."""
    year = today.year
    while dt.date(year, 2, 1) - today < dt.timedelta(days=42):
        year += 1
    return year


def same_weekday_in(year: int, day: dt.date) -> dt.date:
    """The day in ``year`` with the same ISO week and weekday (a Tuesday stays a Tuesday)."""
    _, week, weekday = day.isocalendar()
    return dt.date.fromisocalendar(year, min(week, 52), weekday)


def ensure_school(ltk: Municipality) -> tuple[School, dict]:
    school, _ = School.objects.get_or_create(
        name=SCHOOL_NAME,
        defaults={"email": SCHOOL_EMAIL, "phone": SCHOOL_PHONE, "description": SCHOOL_DESCRIPTION},
    )
    partners = {}
    for order, (key, name, short, kind, _unit, code) in enumerate(PARTNERS, start=1):
        municipality = Municipality.objects.filter(code=code).first() if code else None
        partner, _ = Partner.objects.update_or_create(
            school=school,
            name=name,
            defaults={"short_name": short, "kind": kind, "municipality": municipality, "order": order},
        )
        partners[key] = partner
    return school, partners


def ensure_members(ltk: Municipality, partners: dict, units: dict, password: str) -> dict:
    """One member per partner: tilbudsansvarlig for the partner's unit in LTK's catalogue."""
    from .generator import _user

    members = {}
    for username, key, first, last in MEMBERS:
        unit = units[PARTNERS[[p[0] for p in PARTNERS].index(key)][4]]
        user = _user(
            username, Role.OFFER_MAINTAINER, municipality=ltk, unit=unit, first_name=first, last_name=last, password=password
        )
        partners[key].members.add(user)
        members[username] = user
    return members


def _city(address: str) -> tuple[str, str, str]:
    """ "Rønnebærvej 19, 2840 Holte" → ("Rønnebærvej 19", "2840", "Holte"); "Møllevej 4, Lyngby" → (…, "", "Lyngby")."""
    street, _, rest = address.rpartition(", ")
    postcode, _, city = rest.partition(" ")
    if postcode.isdigit() and len(postcode) == 4:
        return street, postcode, city
    return street, "", rest


def _opening_text(spec: dict, dates: list) -> str:
    weekdays = ["Mandage", "Tirsdage", "Onsdage", "Torsdage", "Fredage", "Lørdage", "Søndage"]
    days = {d.weekday() for d in dates}
    when = weekdays[days.pop()] if len(days) == 1 else "Forskellige ugedage"
    return (
        f"{when} kl. {time_format(spec['starts'])}–{time_format(spec['ends'])}, {len(dates)} gange fra "
        f"{date_format(dates[0], 'SHORT_DATE_FORMAT')} til {date_format(dates[-1], 'SHORT_DATE_FORMAT')}"
    )


def _course_offer(editor, spec: dict, course: Course, dates: list, units: dict, published: bool):
    """The course in the catalogue: kind COURSE, titled like the course."""
    from samplan.catalogue import services as catalogue
    from samplan.catalogue.models import Offer

    from .catalogue import target_groups_by_display

    street, postcode, city = _city(spec["address"])
    owner_unit = units[PARTNERS[[p[0] for p in PARTNERS].index(spec["owner"])][4]]
    groups = target_groups_by_display()
    first_para = spec["description"].split("\n\n")[0]
    summary = f"Kursus i Skole på Tværs: {spec['subtitle'].lower()}. Gratis og uden visitation – I lærer sammen."
    return catalogue.create_offer(
        editor,
        target_groups=[g for g in (groups.get("Psykiske vanskeligheder"),) if g],
        kind=Offer.Kind.COURSE,
        title=spec["title"],
        summary=summary[:300],
        description=f"{first_para}\n\nKurset hører til sæsonen {course.term.name} i Skole på Tværs – kurser i recovery "
        f"for borgere, pårørende, medarbejdere, ledere og frivillige.",
        audience=AUDIENCE,
        open_access=True,
        access_note="Der kræves ikke henvisning. Tilmeld dig på kursets side, på kontakt@skolepaatvaers.dk eller "
        "tlf. 24 98 38 88.",
        address=f"{spec['place']}, {street}",
        postcode=postcode,
        city=city,
        area=city or "Lyngby",
        opening_hours=_opening_text(spec, dates),
        email=SCHOOL_EMAIL,
        phone=SCHOOL_PHONE,
        owner=owner_unit,
        price_note="Kurserne er gratis.",
        published=published,
        verified=published,
    )


def build_term(
    school,
    partners,
    units,
    editor,
    *,
    name: str,
    slug: str,
    year: int | None,
    published: bool,
    registration_opens: dt.date | None = None,
) -> Term:
    """The five brochure courses in one term; ``year=None`` keeps the brochure's 2019 dates."""
    term, created = Term.objects.get_or_create(slug=slug, defaults={"school": school, "name": name})
    if not created:
        return term
    for spec in SPRING_2019:
        dates = [same_weekday_in(year, d) for d in spec["dates"]] if year else list(spec["dates"])
        first = dates[0]
        course = Course.objects.create(
            term=term,
            number=spec["number"],
            title=spec["title"],
            subtitle=spec["subtitle"],
            description=spec["description"],
            topics="\n".join(spec["topics"]),
            owner=partners[spec["owner"]],
            place=spec["place"],
            address=spec["address"],
            min_participants=spec["min"],
            max_participants=spec["max"],
            overbooking=spec["overbooking"],
            registration_opens=registration_opens or dt.date(first.year, 1, 2),
            registration_closes=first - dt.timedelta(days=7),
            minimum_deadline=first - dt.timedelta(days=14) if spec["min"] else None,
        )
        for day in dates:
            Session.objects.create(course=course, date=day, starts=spec["starts"], ends=spec["ends"])
        for name_, competence, org in TEACHERS[spec["number"]]:
            Teacher.objects.create(course=course, name=name_, competence=competence, organisation=partners[org].name)
        course.offer = _course_offer(editor, spec, course, dates, units, published)
        course.save(update_fields=["offer"])
    return term


_ROLE_WEIGHTS = [
    (ParticipantRole.CITIZEN, 60),
    (ParticipantRole.RELATIVE, 10),
    (ParticipantRole.STAFF, 15),
    (ParticipantRole.LEADER, 5),
    (ParticipantRole.VOLUNTEER, 10),
]


def _ascii(text: str) -> str:
    for a, b in (("æ", "ae"), ("ø", "oe"), ("å", "aa"), ("é", "e"), (" ", "")):
        text = text.replace(a, b)
    return text.lower()


def enrol_current(term: Term, partners: dict, *, seed: int, citizen=None) -> list:
    """A few fictional enrolments through the enrolment rules (course 3 fills up and gets a
    waitlist); the demo citizen on the Lyngby-Taarbæk course."""
    from . import names

    rng = random.Random(f"samplan-demo-courses:{seed}")
    order = list(partners.values())
    made = []
    n = 0
    for course in term.courses.order_by("number"):
        if citizen is not None and course.owner == partners["ltk"]:
            made.append(
                services.enrol(
                    course,
                    name=citizen.full_name,
                    email=citizen.email or "borger@example.invalid",
                    phone=citizen.phone,
                    home_partner=partners["ltk"],
                    roles=[ParticipantRole.CITIZEN],
                    citizen=citizen,
                )
            )
        for _ in range(
            CURRENT_ENROLMENTS.get(course.number, 0) - (1 if citizen is not None and course.owner == partners["ltk"] else 0)
        ):
            n += 1
            female = rng.random() < 0.6
            first = rng.choice(names.FEMALE_FIRST_NAMES if female else names.MALE_FIRST_NAMES)
            last = rng.choice(names.LAST_NAMES)
            roles = [rng.choices([r for r, _ in _ROLE_WEIGHTS], weights=[w for _, w in _ROLE_WEIGHTS])[0]]
            if rng.random() < 0.15:
                extra = rng.choice([ParticipantRole.RELATIVE, ParticipantRole.VOLUNTEER])
                if extra not in roles:
                    roles.append(extra)
            home = course.owner if rng.random() < 0.6 else rng.choice(order)
            phone = " ".join(f"{rng.randrange(20, 99)}" if i == 0 else f"{rng.randrange(100):02d}" for i in range(4))
            made.append(
                services.enrol(
                    course,
                    name=f"{first} {last}",
                    email=f"{_ascii(first)}.{_ascii(last)}.k{n}@example.invalid",
                    phone=phone,
                    home_partner=home,
                    roles=roles,
                )
            )
    return made


def seed_courses(
    ltk: Municipality,
    *,
    password: str,
    editor,
    units: dict,
    seed: int = 2026,
    citizen=None,
    caseworker=None,
    today: dt.date | None = None,
) -> CoursesResult:
    """The school, partners, members, the pilot (``demo.pilot``), spring 2019 and
    the next spring term with enrolments. Safe to run again: existing terms are left alone."""
    today = today or timezone.localdate()
    school, partners = ensure_school(ltk)
    members = ensure_members(ltk, partners, units, password)
    terms = []
    terms.append(pilot.build_pilot_2018(school, list(partners.values())))
    terms.append(build_term(school, partners, units, editor, name="Forår 2019", slug="foraar-2019", year=None, published=False))
    year = next_spring(today)
    current = Term.objects.filter(slug=f"foraar-{year}").first()
    term = build_term(
        school,
        partners,
        units,
        editor,
        name=f"Forår {year}",
        slug=f"foraar-{year}",
        year=year,
        published=True,
        registration_opens=today - dt.timedelta(days=7),
    )
    terms.append(term)
    if current is None:  # a new term: enrol some people, and put the citizen's course in her/his plan
        enrol_current(term, partners, seed=seed, citizen=citizen)
        if citizen is not None and caseworker is not None:
            from samplan.plans.services import add_offer_effort

            course = term.courses.get(owner=partners["ltk"])
            add_offer_effort(caseworker, citizen, course.offer)
    return CoursesResult(school=school, partners=partners, terms=terms, members=members)
