"""Demo data (demodata) for Lyngby-Taarbæk Kommune and a second municipality.

Everything is fictional: names are random combinations of common Danish names, and every
CPR number is an *erstatningspersonnummer* (day + 60, DOMAIN.md §12) so no real person's
number can appear. Output is deterministic for a given seed and date.

Cases are walked through ``samplan.cases.services`` — the only code that creates spine
rows or changes their state — with past dates passed in where the services accept them
(received_at, first contact, decided_at, grant start, follow-up done_at). The few
timestamps the services always set to "now" (case opened, assessment started/completed,
decision/grant created, order sent/accepted/ended, case closed) are afterwards moved back
to the same past timeline by ``_stamp`` so timelines and waiting times look real. Nothing
else is touched outside the services. The audit trail is left as written: it truthfully
shows when the demo data was created."""

import datetime as dt
import os
import random
from dataclasses import dataclass, field, replace
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from samplan.cases import services
from samplan.cases.models import Case, CommitteeReview, Decision, FollowUp, Grant
from samplan.citizens.cpr import parse_cpr
from samplan.citizens.models import Citizen, NetworkMember
from samplan.core import audit
from samplan.core.models import AuditEvent, Municipality, OrgUnit, Role, User
from samplan.letters import services as letter_services
from samplan.standards.loader import load_standards
from samplan.terminology import ffb

from . import names

LTK_CODE, LTK_NAME = "0173", "Lyngby-Taarbæk Kommune"
GLADSAXE_CODE, GLADSAXE_NAME = "0159", "Gladsaxe Kommune"
DEFAULT_PASSWORD = "demo-kode-2026"  # demo-only, printed on screen; never a secret
LOGIN_URL = "http://127.0.0.1:8000/login/"
DEFAULT_SEED = 2026
DEFAULT_CITIZENS = 64
GLADSAXE_CITIZENS = 6

AUTHORITY_TEAM = "CSI Myndighed – Voksen"
COMMITTEE_REASON = "Godkendt af visitationsudvalget: tilbuddet er nødvendigt, og prisen er i tråd med kvalitetsstandarden."
OTHER_TEAM = "CSI Myndighed – Unge"

DEMO_NOT_NEEDED = "Borgeren kender oplysningerne og har haft lejlighed til at udtale sig (stk. 2, nr. 1)"


def demo_password() -> str:
    return os.environ.get("SAMPLAN_DEMO_PASSWORD") or DEFAULT_PASSWORD


def has_demo_data() -> bool:
    """True when the demo municipality already has citizens (then seeding is skipped)."""
    return Citizen.objects.filter(municipality__code=LTK_CODE).exists()


# --- People ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    first_name: str
    last_name: str
    cpr: str
    birth_date: dt.date
    female: bool
    address: str
    postcode: str
    city: str
    phone: str
    email: str


def substitute_cpr(rng: random.Random, birth: dt.date, female: bool) -> str:
    """An erstatningspersonnummer: day + 60, the real month and year, and a 7th digit that
    gives the right century under the CPR rule (cpr.century). Last digit odd = male."""
    yy = birth.year % 100
    if 1900 <= birth.year <= 1999:
        sevenths = [0, 1, 2, 3] + ([4, 9] if yy >= 37 else [])
    elif 2000 <= birth.year <= 2036:
        sevenths = [4, 9, 5, 6, 7, 8]
    else:
        raise ValueError("Demo birth years must lie between 1900 and 2036.")
    last = rng.randrange(0, 10, 2) + (0 if female else 1)
    number = f"{birth.day + 60:02d}{birth.month:02d}{yy:02d}{rng.choice(sevenths)}{rng.randrange(100):02d}{last}"
    info = parse_cpr(number)  # guard: the number must round-trip to the same birth date
    if not (info.substitute and info.birth_date == birth):
        raise ValueError("the substitute CPR number does not round-trip to its birth date")
    return number


def _ascii(text: str) -> str:
    for a, b in (("æ", "ae"), ("ø", "oe"), ("å", "aa"), ("é", "e"), (" ", ""), ("'", "")):
        text = text.replace(a, b)
    return text


def generate_people(seed: int, count: int, *, area: str = "ltk", taken: set | None = None) -> list[Person]:
    """``count`` fictional people, deterministic for (seed, area). CPR numbers are unique
    among themselves and against ``taken`` (existing numbers of the municipality)."""
    rng = random.Random(f"samplan-demo-people:{area}:{seed}")
    addresses = names.ADDRESSES_LTK if area == "ltk" else names.ADDRESSES_GLADSAXE
    places = sorted(addresses)
    used = set(taken or ())
    people = []
    for n in range(count):
        female = rng.random() < 0.5
        first = rng.choice(names.FEMALE_FIRST_NAMES if female else names.MALE_FIRST_NAMES)
        last = rng.choice(names.LAST_NAMES)
        # Adults: born 1956–2006 (18–70 years old), any valid day.
        birth = dt.date(1956, 1, 1) + dt.timedelta(days=rng.randrange((dt.date(2006, 12, 31) - dt.date(1956, 1, 1)).days + 1))
        cpr = substitute_cpr(rng, birth, female)
        while cpr in used:
            cpr = substitute_cpr(rng, birth, female)
        used.add(cpr)
        postcode, city = rng.choice(places)
        street = rng.choice(addresses[(postcode, city)])
        address = f"{street} {rng.randint(1, 140)}{rng.choice(names.FLOORS)}"
        phone = " ".join([f"{rng.choice('2345678')}{rng.randrange(10)}"] + [f"{rng.randrange(100):02d}" for _ in range(3)])
        email = f"{_ascii(first.lower())}.{_ascii(last.lower())}{n + 1}@example.invalid" if rng.random() < 0.6 else ""
        people.append(Person(first, last, cpr, birth, female, address, postcode, city, phone, email))
    return people


# --- Terminology -------------------------------------------------------------------------


class Vocabulary:
    """The FFB concepts the demo uses, looked up once by display text (never by copied
    codes) and tolerant of a version that lacks some of them."""

    def __init__(self):
        if ffb.current_system() is None:
            raise RuntimeError("FFB-kodesystemet er ikke indlæst. Kør først: manage.py load_ffb")
        self.services = list(ffb.branch(ffb.SERVICES, leaves_only=True))
        self.offer_types = list(ffb.branch(ffb.OFFER_TYPES))
        self.target_groups = list(ffb.branch(ffb.TARGET_GROUPS, leaves_only=True))
        self.ad_themes = list(ffb.branch(ffb.ACTIVITY_PARTICIPATION, leaves_only=True))
        self.other_themes = list(ffb.branch(ffb.CONDITIONS, leaves_only=True).exclude(ffb.within(ffb.ACTIVITY_PARTICIPATION)))
        self.support_needs = list(ffb.children(ffb.SUPPORT_NEED))
        self.goal_types = list(ffb.children(ffb.GOAL_TYPES))

    @staticmethod
    def find(concepts, *displays):
        """First concept whose display equals, else contains, one of ``displays`` (in order)."""
        for wanted in displays:
            w = wanted.casefold()
            for c in concepts:
                if c.display.casefold() == w:
                    return c
            for c in concepts:
                if w in c.display.casefold():
                    return c
        return None

    def find_all(self, concepts, displays):
        found = [self.find(concepts, d) for d in displays]
        return [c for c in dict.fromkeys(found) if c is not None]

    def offer_type(self, *displays):
        return self.find(self.offer_types, *displays)

    def support_need(self, level: int):
        wanted = SUPPORT_NEED_BY_LEVEL[level]
        return self.find(self.support_needs, wanted, "Ikke vurderet") or self.support_needs[0]

    def goal_type(self, kind: str):
        wanted = {"develop": "Udvikle", "keep": "Fastholde", "limit": "Begrænse tab"}[kind]
        return self.find(self.goal_types, wanted) or self.goal_types[0]

    def services_for(self, basis: str) -> list:
        found = self.find_all(self.services, SERVICES_BY_BASIS.get(basis, []))
        return found or self.services[:1]


# FFB Ydelse displays per legal basis (looked up; missing ones are skipped).
SERVICES_BY_BASIS = {
    "§85": [
        "Støtte til daglige opgaver i hjemmet",
        "Støtte til administration",
        "Støtte til sociale relationer",
        "Støtte til psykisk trivsel",
        "Støtte til kontakt til offentlige og private instanser",
        "Støtte til sund levevis",
    ],
    "§104": ["Social aktivitet", "Kreativ aktivitet", "Fysisk aktivitet"],
    "§103": ["Produktion og værksted", "Service", "Praktikforløb"],
    "§107": ["Midlertidigt ophold", "Støtte til psykisk trivsel"],
    "§108": ["Længerevarende ophold", "Støtte til personlig hygiejne"],
    "§82a": ["Gruppebaseret hjælp og støtte"],
}

SUPPORT_NEED_BY_LEVEL = [  # by the highest functioning level found
    "Intet støttebehov",
    "Let støttebehov",
    "Moderat støttebehov",
    "Højt støttebehov",
    "Fuldstændigt støttebehov",
]
PRIMARY_TARGET_GROUPS = [
    "Angst",
    "Depression",
    "Forandret virkelighedsopfattelse",
    "Personlighedsforstyrrelse",
    "Stressbelastning",
    "Spiseforstyrrelse",
    "Anden psykisk vanskelighed",
]
SECONDARY_TARGET_GROUPS = ["Social isolation", "Alkoholmisbrug", "Stofmisbrug", "Hjemløshed", "Selvskadende adfærd"]
OTHER_THEMES = [
    "Følelser og adfærd",
    "Igangsætning og motivation",
    "Søvn",
    "Døgnrytme",
    "Økonomisk situation",
    "Boligsituation",
    "Personer i netværk",
]
THEMES_BY_BASIS = {
    "§103": ["Varetage beskæftigelse"],
    "§104": ["Deltage i sociale fællesskaber og fritidsaktiviteter"],
    "§82a": ["Indgå i samspil og kontakt"],
}

SCOPE_BY_BASIS = {  # (unit, choices of amount)
    "§85": (Grant.ScopeUnit.HOURS_MONTH, [4, 8, 12, 16, 20, 24]),  # packages P1–P4
    "§104": (Grant.ScopeUnit.DAYS_WEEK, [1, 2, 3, 4]),
    "§103": (Grant.ScopeUnit.DAYS_WEEK, [2, 3, 4]),
    "§107": (Grant.ScopeUnit.PLACE, [1]),
    "§108": (Grant.ScopeUnit.PLACE, [1]),
    "§82a": (Grant.ScopeUnit.HOURS_TOTAL, [12, 16, 24]),
}


# --- Organisation ------------------------------------------------------------------------


@dataclass
class Org:
    municipality: Municipality
    authority: OrgUnit
    other_team: OrgUnit | None
    providers: dict  # name -> OrgUnit
    by_basis: dict  # legal basis -> [provider names]
    units: dict  # name -> OrgUnit (all units of the municipality)


LONG_TERM_HOUSING = ("Almindeligt længerevarende botilbud til voksne", "Længerevarende botilbud", "Botilbud til voksne")

# name, parent, kind, ownership, legal_bases, offer type displays (first found wins)
LTK_UNITS = [
    ("Center for Social Indsats", None, OrgUnit.Kind.CENTRE, OrgUnit.Ownership.MUNICIPAL, "", ()),
    ("Center for Sundhed og Omsorg", None, OrgUnit.Kind.CENTRE, OrgUnit.Ownership.MUNICIPAL, "", ()),
    ("Center for Arbejdsmarked", None, OrgUnit.Kind.CENTRE, OrgUnit.Ownership.MUNICIPAL, "", ()),
    (AUTHORITY_TEAM, "Center for Social Indsats", OrgUnit.Kind.TEAM, OrgUnit.Ownership.MUNICIPAL, "§82–§108", ()),
    (OTHER_TEAM, "Center for Social Indsats", OrgUnit.Kind.TEAM, OrgUnit.Ownership.MUNICIPAL, "§82–§108", ()),
    ("Jobcenter Lyngby-Taarbæk", "Center for Arbejdsmarked", OrgUnit.Kind.TEAM, OrgUnit.Ownership.MUNICIPAL, "", ()),
    (
        "Slotsvænget",
        "Center for Social Indsats",
        OrgUnit.Kind.PROVIDER,
        OrgUnit.Ownership.MUNICIPAL,
        "§85, §103 (Flyverteam), §104, §108",
        LONG_TERM_HOUSING,
    ),
    (
        "Akuttilbuddet",
        "Center for Social Indsats",
        OrgUnit.Kind.PROVIDER,
        OrgUnit.Ownership.MUNICIPAL,
        "§82a, §82c",
        ("Socialt akuttilbud",),
    ),
    (
        "DSI Nettet",
        None,
        OrgUnit.Kind.PROVIDER,
        OrgUnit.Ownership.SELF_GOVERNING,
        "§85, §103, §104 (Hjorten), §107",
        ("Midlertidigt botilbud til voksne", "Botilbud til voksne"),
    ),
    (
        "Kirsten Marie",
        None,
        OrgUnit.Kind.PROVIDER,
        OrgUnit.Ownership.SELF_GOVERNING,
        "§85, §104, §107",
        ("Midlertidigt botilbud til voksne", "Botilbud til voksne"),
    ),
    (
        "Støttecenter Magneten",
        "Center for Social Indsats",
        OrgUnit.Kind.PROVIDER,
        OrgUnit.Ownership.MUNICIPAL,
        "§85, §104",
        ("Aktivitets- og samværstilbud", "Dagtilbud til voksne"),
    ),
    (
        "Chr. X's Allé",
        "Center for Social Indsats",
        OrgUnit.Kind.PROVIDER,
        OrgUnit.Ownership.MUNICIPAL,
        "§108 (autisme)",
        LONG_TERM_HOUSING,
    ),
    ("Kvindehuset", None, OrgUnit.Kind.PROVIDER, OrgUnit.Ownership.SELF_GOVERNING, "§109 (12 pladser + 1 mor/barn-plads)", ()),
    ("Psykiatrisk Center Ballerup", None, OrgUnit.Kind.REGION, OrgUnit.Ownership.REGIONAL, "", ()),
    ("Distriktspsykiatrien Gladsaxe", None, OrgUnit.Kind.REGION, OrgUnit.Ownership.REGIONAL, "", ()),
]
LTK_BY_BASIS = {
    "§85": ["Slotsvænget", "DSI Nettet", "Kirsten Marie", "Støttecenter Magneten"],
    "§104": ["Slotsvænget", "Støttecenter Magneten", "DSI Nettet", "Kirsten Marie"],
    "§103": ["Slotsvænget", "DSI Nettet"],
    "§107": ["DSI Nettet", "Kirsten Marie"],
    "§108": ["Slotsvænget", "Chr. X's Allé"],
    "§82a": ["Akuttilbuddet", "Slotsvænget"],
}

GLADSAXE_AUTHORITY = "Gladsaxe Myndighed – Socialpsykiatri"
GLADSAXE_UNITS = [
    ("Social- og Sundhedsforvaltningen", None, OrgUnit.Kind.CENTRE, OrgUnit.Ownership.MUNICIPAL, "", ()),
    (GLADSAXE_AUTHORITY, "Social- og Sundhedsforvaltningen", OrgUnit.Kind.TEAM, OrgUnit.Ownership.MUNICIPAL, "§82–§108", ()),
    (
        "Gladsaxe Bostøtte",
        "Social- og Sundhedsforvaltningen",
        OrgUnit.Kind.PROVIDER,
        OrgUnit.Ownership.MUNICIPAL,
        "§85",
        ("Mobilt tilbud",),
    ),
    (
        "Værestedet i Søborg",
        "Social- og Sundhedsforvaltningen",
        OrgUnit.Kind.PROVIDER,
        OrgUnit.Ownership.MUNICIPAL,
        "§104",
        ("Aktivitets- og samværstilbud", "Dagtilbud til voksne"),
    ),
]
GLADSAXE_BY_BASIS = {"§85": ["Gladsaxe Bostøtte"], "§104": ["Værestedet i Søborg"]}


def _build_units(municipality, specs, vocab) -> dict:
    units = {}
    for name, parent, kind, ownership, bases, offer_types in specs:
        unit, _ = OrgUnit.objects.update_or_create(
            municipality=municipality,
            name=name,
            defaults={
                "parent": units.get(parent),
                "kind": kind,
                "ownership": ownership,
                "legal_bases": bases,
                "offer_type": vocab.offer_type(*offer_types) if offer_types else None,
            },
        )
        units[name] = unit
    return units


def build_organisation(vocab) -> tuple[Org, Org]:
    ltk, _ = Municipality.objects.get_or_create(code=LTK_CODE, defaults={"name": LTK_NAME})
    gla, _ = Municipality.objects.get_or_create(code=GLADSAXE_CODE, defaults={"name": GLADSAXE_NAME})
    lu = _build_units(ltk, LTK_UNITS, vocab)
    gu = _build_units(gla, GLADSAXE_UNITS, vocab)
    ltk_org = Org(ltk, lu[AUTHORITY_TEAM], lu[OTHER_TEAM], {n: lu[n] for n in sum(LTK_BY_BASIS.values(), [])}, LTK_BY_BASIS, lu)
    gla_providers = {n: gu[n] for n in sum(GLADSAXE_BY_BASIS.values(), [])}
    gla_org = Org(gla, gu[GLADSAXE_AUTHORITY], None, gla_providers, GLADSAXE_BY_BASIS, gu)
    return ltk_org, gla_org


# --- Users -------------------------------------------------------------------------------

# username, role, first name, last name, unit name (in LTK unless noted), note for the login table
STAFF = [
    ("sagsbehandler", Role.CASEWORKER, "Sara", "Lindberg", AUTHORITY_TEAM, f"{AUTHORITY_TEAM}; de fleste borgere"),
    ("sagsbehandler2", Role.CASEWORKER, "Jonas", "Friis", OTHER_TEAM, f"{OTHER_TEAM}; ser kun sit teams borgere"),
    ("visitation", Role.COMMITTEE, "Birgitte", "Krogh", AUTHORITY_TEAM, "visitationsudvalget"),
    ("leverandoer", Role.PROVIDER_STAFF, "Mads", "Winther", "Slotsvænget", "Slotsvænget; ser borgere med bestilling"),
    ("koordinator", Role.COORDINATOR, "Helle", "Dahl", "Center for Social Indsats", "tovholder for en del af borgerne"),
    ("leder", Role.MANAGER, "Torben", "Munk", "Center for Social Indsats", "nøgletal, ingen borgerdata"),
    ("admin", Role.ADMIN, "Inger", "Thygesen", None, "log og administration"),
]


def _user(username, role, *, municipality=None, unit=None, first_name="", last_name="", password) -> User:
    user = User.objects.filter(username=username).first() or User(username=username)
    user.role, user.municipality, user.unit = role, municipality, unit
    user.first_name, user.last_name = first_name, last_name
    user.email = f"{username}@example.invalid"
    user.is_active, user.is_staff, user.is_superuser = True, False, False
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user


@dataclass
class LoginRow:
    role: str
    username: str
    password: str
    note: str = ""


def login_rows() -> list[LoginRow]:
    """The demo logins (rolle, brugernavn, adgangskode) as they are in the database."""
    password = demo_password()
    rows = [
        LoginRow(str(Role(role).label), username, password, note + _totp_note(username))
        for username, role, _f, _l, _u, note in STAFF
    ]
    citizen = Citizen.objects.filter(user__username="borger").first()
    who = citizen.full_name if citizen else ""
    citizen_note = f"{who}; bestilling hos Slotsvænget".lstrip("; ") + _totp_note("borger", portal=True)
    rows.append(LoginRow(str(Role.CITIZEN.label), "borger", password, citizen_note))
    relative_note = (f"pårørende til {who}" if who else "pårørende") + _totp_note("paaroerende", portal=True)
    rows.append(LoginRow(str(Role.RELATIVE.label), "paaroerende", password, relative_note))
    rows.append(
        LoginRow(
            f"{Role.CASEWORKER.label} (Gladsaxe)",
            "gladsaxe",
            password,
            "anden kommune: ser kun Gladsaxes borgere" + _totp_note("gladsaxe"),
        )
    )
    from .courses import DEMO_LOGINS  # the catalogue editor and Skole på Tværs' partners

    rows.extend(
        LoginRow(str(Role(role).label), username, password, note + _totp_note(username)) for username, role, note in DEMO_LOGINS
    )
    return [r for r in rows if User.objects.filter(username=r.username).exists()]


def staff_usernames() -> list[str]:
    """Every demo login but the citizen and the relative (they use Min side)."""
    from .courses import DEMO_LOGINS

    return [row[0] for row in STAFF] + ["gladsaxe"] + [row[0] for row in DEMO_LOGINS]


def ensure_staff_devices() -> None:
    """The staff demo users log in with password + an app code (SAMPLAN_STAFF_REQUIRE_2FA):
    each gets a confirmed TOTP device, whose key the login table prints."""
    from samplan.core.twofactor import ensure_confirmed_device

    for user in User.objects.filter(username__in=staff_usernames()):
        ensure_confirmed_device(user)


def _totp_note(username: str, portal: bool = False) -> str:
    """The login asks for an app code after the password: the demo prints the app's key."""
    from samplan.core.twofactor import confirmed_device, secret_base32

    device = confirmed_device(User.objects.filter(username=username).first())
    if device is None:
        return ""
    return f"; {'Min side /mit/log-ind/, ' if portal else ''}TOTP-nøgle {secret_base32(device)}"


# --- Case plans --------------------------------------------------------------------------

# Scenario, weight. The first citizens get one of each so every stage is present.
SCENARIOS = [
    ("inquiry_new", 4),
    ("inquiry_overdue", 3),
    ("contacted", 2),
    ("assessment", 5),
    ("awaiting_decision", 4),
    ("refused", 4),
    ("granted_no_order", 3),
    ("order_sent", 4),
    ("order_accepted", 6),
    ("followup_soon", 6),
    ("followup_overdue", 6),
    ("yearly", 7),
    ("yearly_soon", 4),
    ("changed", 4),
    ("ended", 4),
    ("course_82a", 3),
]
# Given once to the first citizens (after the demo citizen), so every stage and the main
# legal bases appear whatever the seed or date.
GUARANTEED = [
    ("inquiry_new", None),
    ("inquiry_overdue", None),
    ("contacted", None),
    ("assessment", None),
    ("awaiting_decision", None),
    ("refused", "§85"),
    ("refused", "§107"),
    ("granted_no_order", "§104"),
    ("order_sent", "§85"),
    ("order_accepted", "§104"),
    ("followup_soon", "§103"),
    ("followup_overdue", "§85"),
    ("followup_overdue", "§108"),
    ("yearly", "§108"),
    ("yearly_soon", "§85"),
    ("changed", "§85"),
    ("ended", "§107"),
    ("course_82a", "§82a"),
    ("committee_pending", "§85"),
    ("above_level", "§85"),
]
# A grant above the service level needs a written justification (the equality principle).
ABOVE_LEVEL_JUSTIFICATION = (
    "Udskrevet efter længere indlæggelse. Der er brug for intensiv støtte i egen bolig i en overgang på "
    "tre måneder, før et botilbud overvejes; borgeren ønsker at blive boende."
)
NOT_YET_DECIDED = ("inquiry_new", "inquiry_overdue", "contacted", "assessment", "awaiting_decision")
GRANTED_BASES = [("§85", 50), ("§104", 16), ("§103", 8), ("§107", 10), ("§108", 10)]
REFUSED_BASES = [("§85", 50), ("§104", 10), ("§103", 5), ("§107", 15), ("§108", 10), ("§82a", 10)]
SOURCES = [("citizen", 30), ("relative", 15), ("hospital", 20), ("gp", 15), ("jobcenter", 10), ("police", 3), ("provider", 7)]


def _weighted(rng, pairs):
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


@dataclass
class Plan:
    """One case's timeline. Unset steps are not taken."""

    citizen: Citizen
    scenario: str
    received: dt.datetime
    contact: dt.datetime | None = None
    assess_start: dt.datetime | None = None
    assess_done: dt.datetime | None = None
    decided: dt.date | None = None
    decided_dt: dt.datetime | None = None  # when the decision was written down
    outcome: str = Decision.Outcome.GRANTED
    basis: str = "§85"
    grant_start: dt.date | None = None
    grant_end: dt.date | None = None
    provider: str | None = None
    order_sent: dt.datetime | None = None
    order_accepted: dt.datetime | None = None
    follow_ups: list = field(default_factory=list)  # [(result, done_at)] applied in order
    change_on: dt.date | None = None  # change_grant directly (not through a follow-up)
    levels: list = field(default_factory=list)
    scope: Decimal | None = None  # a fixed scope instead of a typical one for the §
    justification: str = ""  # written justification when the grant deviates from the standard
    leave_pending: bool = False  # the allocation committee has not reviewed the grant yet


class Planner:
    def __init__(self, rng: random.Random, now: dt.datetime):
        self.rng, self.now = rng, now
        self.today = timezone.localdate(now)

    def at(self, day: dt.date, *, after: dt.datetime | None = None) -> dt.datetime:
        """A working-hours time on ``day`` that is after ``after`` and not in the future."""
        clock = dt.time(self.rng.randint(8, 15), self.rng.choice([0, 10, 15, 20, 30, 40, 45, 50]))
        when = timezone.make_aware(dt.datetime.combine(day, clock))
        if after is not None and when <= after:
            when = after + dt.timedelta(minutes=self.rng.randint(20, 180))
        limit = self.now - dt.timedelta(minutes=1)
        return min(when, limit) if after is None or limit > after else after

    def back(self, day: dt.date, lo: int, hi: int) -> dt.date:
        return day - dt.timedelta(days=self.rng.randint(lo, hi))

    def days_ago(self, lo: int, hi: int) -> dt.date:
        return self.back(self.today, lo, hi)

    def fill_before(self, plan: Plan, *, assess_done: dt.date | None = None, assess_start: dt.date | None = None):
        """Received → first contact → assessment start (→ done), ending at the given day."""
        if assess_done is not None:
            assess_start = self.back(assess_done, 7, 28)
        contact = self.back(assess_start, 0, 6)
        received = self.back(contact, 0, 5)
        plan.received = self.at(received)
        plan.contact = self.at(contact, after=plan.received)
        plan.assess_start = self.at(assess_start, after=plan.contact)
        if assess_done is not None:
            plan.assess_done = self.at(assess_done, after=plan.assess_start)

    def decided_before(self, plan: Plan, decided: dt.date):
        decided = min(decided, self.today)
        plan.decided = decided
        self.fill_before(plan, assess_done=self.back(decided, 1, 12))
        plan.decided_dt = self.at(decided, after=plan.assess_done)

    def with_order(self, plan: Plan, *, accepted: bool):
        sent_day = min(plan.decided + dt.timedelta(days=self.rng.randint(0, 3)), self.today)
        plan.order_sent = self.at(sent_day, after=plan.decided_dt)
        if accepted:
            acc_day = min(sent_day + dt.timedelta(days=self.rng.randint(1, 7)), self.today)
            plan.order_accepted = self.at(acc_day, after=plan.order_sent)

    def grant_from(self, plan: Plan, start: dt.date, *, accepted=True, order=True):
        plan.grant_start = start
        self.decided_before(plan, self.back(start, 0, 14))
        if plan.basis == "§107":  # 1–2 years (L7143); an active one should not have run out
            ends = [start + relativedelta(months=m) for m in (12, 18, 24)]
            plan.grant_end = self.rng.choice([e for e in ends if e > self.today] or ends)
        elif plan.basis == "§82a":
            plan.grant_end = start + relativedelta(months=3)
        if order:
            self.with_order(plan, accepted=accepted)

    def on_time(self, due: dt.date) -> dt.date:
        """A follow-up done on or a little before its due date (never in the future)."""
        return min(self.back(due, 0, 21), self.today)

    def plan(self, citizen: Citizen, scenario: str, *, basis: str | None = None, provider: str | None = None) -> Plan:
        rng, today = self.rng, self.today
        p = Plan(citizen=citizen, scenario=scenario, received=self.now)
        if scenario == "refused":
            p.outcome = Decision.Outcome.REFUSED
            p.basis = basis or _weighted(rng, REFUSED_BASES)
        elif scenario == "course_82a":
            p.basis = "§82a"
        else:
            p.basis = basis or _weighted(rng, GRANTED_BASES)
        if scenario == "ended" and p.basis == "§108":
            p.basis = "§85"
        if scenario in ("yearly", "yearly_soon") and p.basis == "§107":
            p.basis = "§108"  # a temporary stay is not followed up year after year
        if scenario == "changed" and p.basis == "§107":
            p.basis = "§108"  # a changed §107 version would be judged on its remaining duration (< 1 year)
        age = (
            today.year - citizen.birth_date.year - ((today.month, today.day) < (citizen.birth_date.month, citizen.birth_date.day))
        )
        if p.basis == "§103" and age > 67:
            p.basis = "§104"  # sheltered employment is up to pension age (004:L6794)
        p.provider = provider

        if scenario == "inquiry_new":
            p.received = self.at(self.days_ago(0, 6))
        elif scenario == "inquiry_overdue":
            p.received = self.at(self.days_ago(8, 30))
        elif scenario == "contacted":
            p.received = self.at(self.days_ago(2, 12))
            p.contact = self.at(min(p.received.date() + dt.timedelta(days=rng.randint(0, 2)), today), after=p.received)
        elif scenario == "assessment":
            self.fill_before(p, assess_start=self.days_ago(1, 40))
        elif scenario == "awaiting_decision":
            self.fill_before(p, assess_done=self.days_ago(0, 20))
        elif scenario == "refused":
            self.decided_before(p, self.days_ago(5, 300))
        elif scenario == "granted_no_order":
            self.grant_from(p, self.days_ago(-14, 10), order=False)
        elif scenario == "committee_pending":
            # 30 h/month is Pakke 5, within the service level but beyond the caseworker's competence.
            self.grant_from(p, self.days_ago(-14, -7), order=False)
            p.scope, p.leave_pending = Decimal(30), True
        elif scenario == "above_level":
            # Over 15 hours a week: above the service level, justified and approved by the committee.
            self.grant_from(p, self.days_ago(5, 55))
            p.scope, p.justification = Decimal(80), ABOVE_LEVEL_JUSTIFICATION
        elif scenario == "order_sent":
            self.grant_from(p, self.days_ago(-21, 2), accepted=False)
        elif scenario == "order_accepted":
            self.grant_from(p, self.days_ago(5, 55))
        elif scenario == "followup_soon":
            due = today + dt.timedelta(days=rng.randint(0, 30))
            self.grant_from(p, due - relativedelta(months=3))
        elif scenario == "followup_overdue":
            self.grant_from(p, self.days_ago(120, 240))  # 4–8 months ago: first follow-up is overdue
        elif scenario == "yearly":
            self.grant_from(p, self.days_ago(400, 900))
            done = self.on_time(p.grant_start + relativedelta(months=3))
            p.follow_ups.append((FollowUp.Result.CONTINUE, done))
            while done + relativedelta(months=12) <= today and rng.random() > 0.2:  # some yearly ones left overdue
                done = self.on_time(done + relativedelta(months=12))
                p.follow_ups.append((FollowUp.Result.CONTINUE, done))
        elif scenario == "yearly_soon":
            yearly_due = today + dt.timedelta(days=rng.randint(1, 30))
            done = yearly_due - relativedelta(months=12)
            self.grant_from(p, done - relativedelta(months=3) + dt.timedelta(days=rng.randint(0, 14)))
            p.follow_ups.append((FollowUp.Result.CONTINUE, done))
        elif scenario == "changed":
            if rng.random() < 0.5:  # through a follow-up with result "change"
                self.grant_from(p, self.days_ago(130, 330))
                p.follow_ups.append((FollowUp.Result.CHANGE, self.on_time(p.grant_start + relativedelta(months=3))))
            else:  # changed between follow-ups
                self.grant_from(p, self.days_ago(40, 80))
                p.change_on = self.days_ago(0, 30)
        elif scenario == "ended":
            self.grant_from(p, self.days_ago(200, 700))
            done = self.on_time(p.grant_start + relativedelta(months=3))
            if done + relativedelta(months=12) <= today - dt.timedelta(days=10) and rng.random() < 0.5:
                p.follow_ups.append((FollowUp.Result.CONTINUE, done))
                done = self.on_time(done + relativedelta(months=12))
            p.follow_ups.append((rng.choice([FollowUp.Result.END, FollowUp.Result.END, FollowUp.Result.END_AND_REFER]), done))
        elif scenario == "course_82a":
            self.grant_from(p, self.days_ago(10, 80))
        else:
            raise ValueError(scenario)

        # Functioning levels of the A&D conditions (2–4 when support is granted).
        if p.outcome == Decision.Outcome.REFUSED:
            lo, hi = (0, 1) if p.basis == "§85" else (1, 3)
        else:
            lo, hi = {"§108": (3, 4), "§107": (3, 4), "§82a": (1, 2), "§104": (2, 3), "§103": (2, 3)}.get(p.basis, (2, 4))
        p.levels = [rng.randint(lo, hi) for _ in range(rng.randint(2, 3))]
        return p


# --- Walking a plan through the services -------------------------------------------------


def _stamp(obj, **fields):
    """Move timestamps that the services set to "now" back to the planned past time.
    Only auto timestamps are touched (never status or content)."""
    for name, value in fields.items():
        setattr(obj, name, value)
    type(obj).objects.filter(pk=obj.pk).update(**fields)


class Walker:
    def __init__(self, rng: random.Random, vocab: Vocabulary, planner: Planner, committee: dict | None = None):
        self.rng, self.vocab, self.planner = rng, vocab, planner
        self.committee = committee or {}  # municipality id -> allocation committee member

    def _approve(self, grant: Grant, on: dt.date) -> Grant:
        """A grant outside the caseworker's competence (e.g. a §107/§108 place) waits for the
        allocation committee; in the demo the committee approves it the same day."""
        member = self.committee.get(grant.case.municipality_id)
        if grant.status != Grant.Status.PENDING or member is None:
            return grant
        review = services.review_grant(member, grant, outcome=CommitteeReview.Outcome.APPROVED, reason=COMMITTEE_REASON)
        _stamp(review, reviewed_at=self.planner.at(on))
        grant.refresh_from_db()
        return grant

    def _answer_some(self, user, order, grant) -> None:
        """Of the orders the provider has not accepted, one in three is declined and one in
        three gets another start date proposed, so the caseworker's "Svar fra tilbud" has rows."""
        self._unanswered = getattr(self, "_unanswered", 0) + 1
        if self._unanswered % 3 == 1:
            services.decline_order(user, order, reason="Tilbuddet har ingen ledig plads før om tre måneder.")
        elif self._unanswered % 3 == 2 and (grant.end_date is None or grant.end_date > grant.start_date + dt.timedelta(days=14)):
            start = max(grant.start_date, timezone.localdate()) + dt.timedelta(days=14)
            if grant.end_date is None or start < grant.end_date:
                services.propose_order_start(user, order, proposed_start=start, reason="Vi kan først starte om to uger.")

    def _spec(self, plan: Plan, org: Org, conditions: list) -> services.GrantSpec:
        rng, vocab = self.rng, self.vocab
        provider_name = plan.provider or rng.choice(org.by_basis[plan.basis])
        provider = org.providers[provider_name]
        if provider_name == "Chr. X's Allé":
            primary = vocab.find(vocab.target_groups, "Autismespektrum")
        else:
            primary = vocab.find(vocab.target_groups, rng.choice(PRIMARY_TARGET_GROUPS))
        primary = primary or vocab.target_groups[0]
        secondary = []
        if rng.random() < 0.3:
            tg = vocab.find(vocab.target_groups, rng.choice(SECONDARY_TARGET_GROUPS))
            if tg is not None and tg != primary:
                secondary.append(tg)
        options = vocab.services_for(plan.basis)
        chosen = rng.sample(options, k=min(len(options), rng.randint(1, 3)))
        unit, amounts = SCOPE_BY_BASIS[plan.basis]
        goals = []
        ad = [c for c in conditions if c.functioning_level is not None and c.functioning_level >= 1]
        for cond in ad[: rng.randint(1, 2)]:
            if plan.basis == "§108":
                kind = "keep"
            else:
                kind = rng.choices(["develop", "keep", "limit"], weights=[80, 15, 5])[0]
            target = max(0, cond.functioning_level - 1) if kind == "develop" else cond.functioning_level
            goals.append(
                services.GoalSpec(
                    goal_type=vocab.goal_type(kind),
                    target_level=target,
                    condition=cond,
                    description=names.GOAL_TEXTS.get(cond.theme.display, "Klarer opgaven med mindre støtte end i dag."),
                )
            )
        return services.GrantSpec(
            legal_basis=plan.basis,
            services=chosen,
            offer=provider,
            scope_amount=plan.scope if plan.scope is not None else Decimal(rng.choice(amounts)),
            deviation_justification=plan.justification,
            scope_unit=unit,
            start_date=plan.grant_start,
            end_date=plan.grant_end,
            primary_target_group=primary,
            secondary_target_groups=secondary,
            goals=goals,
        )

    def _themes(self, plan: Plan):
        vocab, rng = self.vocab, self.rng
        wanted = list(THEMES_BY_BASIS.get(plan.basis, []))
        pool = [t for t in names.GOAL_TEXTS if t not in wanted]
        wanted += rng.sample(pool, k=len(plan.levels) - len(wanted)) if len(plan.levels) > len(wanted) else []
        ad = vocab.find_all(vocab.ad_themes, wanted[: len(plan.levels)]) or vocab.ad_themes[: len(plan.levels)]
        other = vocab.find(vocab.other_themes, rng.choice(OTHER_THEMES))
        return ad, other

    def walk(self, user, plan: Plan, org: Org) -> Case:
        rng, vocab, at = self.rng, self.vocab, self.planner.at
        source = _weighted(rng, SOURCES)
        inquiry = services.register_inquiry(
            user,
            plan.citizen,
            source=source,
            reason=rng.choice(names.INQUIRY_REASONS[source]),
            received_at=plan.received,
            applied_for=plan.basis,
        )
        case = inquiry.case
        _stamp(case, opened_at=plan.received)
        if plan.contact is None:
            return case
        services.record_first_contact(user, inquiry, plan.contact)
        if plan.assess_start is None:
            return case

        assessment = services.start_assessment(user, case)
        _stamp(assessment, started_at=plan.assess_start)
        ad_themes, other_theme = self._themes(plan)
        conditions = []
        for theme, level in zip(ad_themes, plan.levels, strict=False):
            conditions.append(
                services.set_condition(
                    user, assessment, theme=theme, functioning_level=level, description=rng.choice(names.CONDITION_TEXTS)
                )
            )
        if other_theme is not None:
            services.set_condition(
                user, assessment, theme=other_theme, functioning_level=None, description=rng.choice(names.CONDITION_TEXTS)
            )
        if plan.assess_done is None:
            return case

        services.complete_assessment(
            user,
            assessment,
            citizen_wishes=rng.choice(names.CITIZEN_WISHES),
            support_need=vocab.support_need(max(plan.levels)),
            resources=rng.choice(names.RESOURCES),
        )
        _stamp(assessment, completed_at=plan.assess_done)
        if plan.decided is None:
            return case

        texts = names.DECISION_GRANTED if plan.outcome == Decision.Outcome.GRANTED else names.DECISION_REFUSED
        # A refusal needs partshøring (forvaltningsloven § 19) or a reason; the demo gives the reason.
        not_needed = DEMO_NOT_NEEDED if plan.outcome == Decision.Outcome.REFUSED else ""
        decision = services.make_decision(
            user,
            case,
            outcome=plan.outcome,
            legal_basis=plan.basis,
            justification=texts[plan.basis],
            decided_at=plan.decided,
            consultation_not_needed_reason=not_needed,
        )
        decided_dt = plan.decided_dt
        _stamp(decision, created_at=decided_dt)
        if plan.outcome != Decision.Outcome.GRANTED or plan.grant_start is None:
            return case

        spec = self._spec(plan, org, conditions)
        grant = services.create_grant(user, decision, spec)
        _stamp(grant, created_at=decided_dt)
        if plan.leave_pending:
            return case
        grant = self._approve(grant, plan.decided)
        order = None
        if plan.order_sent is not None:
            order = services.create_order(
                user,
                grant,
                purpose=names.ORDER_PURPOSES[plan.basis],
                goals="\n".join(g.description for g in spec.goals) or "Målene aftales med borgeren i den pædagogiske plan.",
            )
            _stamp(order, sent_at=plan.order_sent)
            if plan.order_accepted is not None:
                services.accept_order(user, order)
                _stamp(order, accepted_at=plan.order_accepted)
            else:
                self._answer_some(user, order, grant)

        for result, done_at in plan.follow_ups:
            follow_up = grant.follow_ups.get(status=FollowUp.Status.PLANNED)
            change = None
            if result == FollowUp.Result.CHANGE:
                change = self._changed_spec(spec, done_at)
            services.complete_follow_up(
                user, follow_up, result=result, done_at=done_at, note=rng.choice(names.FOLLOW_UP_NOTES[result]), change=change
            )
            if result == FollowUp.Result.CHANGE:
                grant = grant.next_version
                _stamp(grant, created_at=at(done_at))
                grant = self._approve(grant, done_at)
            elif result in (FollowUp.Result.END, FollowUp.Result.END_AND_REFER):
                self._stamp_end(grant, case, done_at)
                break
        if plan.change_on is not None:
            new_spec = self._changed_spec(spec, plan.change_on)
            grant = services.change_grant(user, grant, new_spec)
            _stamp(grant, created_at=at(plan.change_on))
            grant = self._approve(grant, plan.change_on)
        return case

    def _changed_spec(self, spec: services.GrantSpec, start: dt.date) -> services.GrantSpec:
        unit, amounts = SCOPE_BY_BASIS[spec.legal_basis]
        others = [a for a in amounts if Decimal(a) != spec.scope_amount] or amounts
        amount = Decimal(self.rng.choice(others))
        reason = names.FOLLOW_UP_NOTES["change"][0 if amount > spec.scope_amount else 1]
        end = spec.end_date if spec.end_date is None or spec.end_date >= start else None
        return replace(spec, scope_amount=amount, start_date=start, end_date=end, change_reason=reason)

    def _stamp_end(self, grant: Grant, case: Case, done_at: dt.date):
        when = self.planner.at(done_at)
        for order in grant.orders.filter(ended_at__isnull=False):
            _stamp(order, ended_at=when)
        case.refresh_from_db(fields=["status", "closed_at"])
        if case.closed_at:
            _stamp(case, closed_at=when)


# --- The whole seeding -------------------------------------------------------------------


@dataclass
class Result:
    citizens: int = 0
    cases: int = 0


def _create_citizen(person: Person, org: Org, *, unit, caseworker, coordinator=None, actor=None) -> Citizen:
    citizen = Citizen.objects.create(
        municipality=org.municipality,
        acting_municipality=org.municipality,
        unit=unit,
        caseworker=caseworker,
        coordinator=coordinator,
        first_name=person.first_name,
        last_name=person.last_name,
        cpr=person.cpr,
        birth_date=person.birth_date,
        phone=person.phone,
        email=person.email,
        address=person.address,
        postcode=person.postcode,
        city=person.city,
    )
    audit.record(actor or caseworker, AuditEvent.Action.CREATE, citizen, after={"id": citizen.pk})
    return citizen


def seed(*, seed: int = DEFAULT_SEED, citizens: int = DEFAULT_CITIZENS, now: dt.datetime | None = None) -> Result:
    """Create the demo organisation, users, citizens and cases. Call inside a transaction.
    ``now`` may only be moved back in time: the services refuse dates after the real now."""
    now = now or timezone.now()
    password = demo_password()
    rng = random.Random(f"samplan-demo-cases:{seed}")
    vocab = Vocabulary()
    ltk, gla = build_organisation(vocab)
    # Quality standards, case deadlines and competence rules first: the services read them
    # when cases are registered and grants made (idempotent; Gladsaxe gets the same data).
    for org in (ltk, gla):
        load_standards(org.municipality)
        letter_services.ensure_templates(org.municipality)  # the shipped plain-Danish letter texts
    result = Result()

    # Users, one per role (plus a second caseworker and one in Gladsaxe).
    users = {}
    for username, role, first, last, unit_name, _note in STAFF:
        users[username] = _user(
            username,
            role,
            municipality=ltk.municipality,
            unit=ltk.units.get(unit_name) if unit_name else None,
            first_name=first,
            last_name=last,
            password=password,
        )
    users["gladsaxe"] = _user(
        "gladsaxe",
        Role.CASEWORKER,
        municipality=gla.municipality,
        unit=gla.authority,
        first_name="Rikke",
        last_name="Brandt",
        password=password,
    )

    # LTK citizens. The first is the demo citizen with her/his own login.
    taken = set(Citizen.objects.filter(municipality=ltk.municipality).values_list("cpr", flat=True))
    people = generate_people(seed, citizens, area="ltk", taken=taken)
    caseworker, other_cw, coordinator = users["sagsbehandler"], users["sagsbehandler2"], users["koordinator"]
    planner = Planner(rng, now)
    plans = []
    first_pass = list(GUARANTEED)
    rng.shuffle(first_pass)
    for i, person in enumerate(people):
        # The youth team (18–30 years) has its own caseworker; the policy hides them from the other team.
        in_other_team = i > 0 and now.year - person.birth_date.year <= 30 and rng.random() < 0.5
        cw = other_cw if in_other_team else caseworker
        citizen = _create_citizen(
            person,
            ltk,
            unit=ltk.other_team if in_other_team else ltk.authority,
            caseworker=cw,
            coordinator=coordinator if i == 0 or rng.random() < 0.25 else None,
        )
        if i == 0:
            plan = planner.plan(citizen, "followup_soon", basis="§85", provider="Slotsvænget")
        elif i <= len(first_pass):
            scenario, basis = first_pass[i - 1]
            plan = planner.plan(citizen, scenario, basis=basis)
        else:
            plan = planner.plan(citizen, _weighted(rng, SCENARIOS))
        plans.append((cw, plan, ltk))
        # Some citizens come back: an earlier, ended case before a new inquiry.
        if plan.scenario in NOT_YET_DECIDED and rng.random() < 0.4:
            old = planner.plan(citizen, "ended")
            if old.follow_ups[-1][1] < plan.received.date():
                plans.append((cw, old, ltk))
        result.citizens += 1

    first = plans[0][1].citizen
    borger = _user("borger", Role.CITIZEN, first_name=first.first_name, last_name=first.last_name, password=password)
    first.user = borger
    first.save(update_fields=["user"])
    relative = _user(
        "paaroerende",
        Role.RELATIVE,
        first_name="Lise",
        last_name=first.last_name,
        password=password,
    )
    relation = "Mor" if now.year - first.birth_date.year <= 45 else "Datter"
    member, _ = NetworkMember.objects.get_or_create(
        citizen=first,
        user=relative,
        defaults={"relation": relation, "name": relative.get_full_name(), "kind": "relative", "circle": "inner"},
    )
    # The citizen's consents: the relative may be contacted and see the plan (not invited
    # to meetings); a friend and the GP are in the network without a login.
    from samplan.consent import services as consent

    consent.give(borger, member, consent.Kind.CONTACT)
    consent.give(borger, member, consent.Kind.SEE_PLAN)
    for name, rel, phone, kind, circle in (
        ("Jonas Lund", "Ven", "20 00 00 01", "friend", "inner"),
        ("Lægehuset Sorgenfri", "Egen læge", "45 00 00 02", "gp", "outer"),
    ):
        NetworkMember.objects.get_or_create(
            citizen=first,
            name=name,
            defaults={"relation": rel, "phone": phone, "kind": kind, "circle": circle},
        )

    # Min side: the demo citizen and relative log in with password + an app code (TOTP).
    from samplan.portal.twofactor import ensure_confirmed_device

    ensure_confirmed_device(borger)
    ensure_confirmed_device(relative)

    # Gladsaxe: a few citizens, so tenancy is visible.
    gla_cw = users["gladsaxe"]
    taken = set(Citizen.objects.filter(municipality=gla.municipality).values_list("cpr", flat=True))
    gla_scenarios = ["inquiry_overdue", "assessment", "order_accepted", "followup_overdue", "yearly", "refused"]
    for i, person in enumerate(generate_people(seed, GLADSAXE_CITIZENS, area="gladsaxe", taken=taken)):
        citizen = _create_citizen(person, gla, unit=gla.authority, caseworker=gla_cw)
        scenario = gla_scenarios[i % len(gla_scenarios)]
        plans.append((gla_cw, planner.plan(citizen, scenario, basis=rng.choice(["§85", "§85", "§104"])), gla))
        result.citizens += 1

    # Walk the cases in order of receipt so case numbers follow time.
    walker = Walker(rng, vocab, planner, committee={ltk.municipality.pk: users["visitation"]})
    plans.sort(key=lambda t: (t[1].received, t[1].citizen.pk))
    for user, plan, org in plans:
        walker.walk(user, plan, org)
        result.cases += 1
    # CHIME self-ratings over the last year (samplan.questionnaires).
    from .questionnaires import seed_recovery

    seed_recovery(seed=seed, now=now)
    # The demo citizen's coherent plan (samplan.plans).
    from .plans import seed_demo_plan

    seed_demo_plan(first, editor=caseworker, provider_user=users["leverandoer"])
    from .meetings import seed_demo_meeting

    seed_demo_meeting(first, caseworker)
    from .documents import seed_demo_documents

    seed_demo_documents(first, caseworker=caseworker, provider_user=users["leverandoer"])
    from .letters import seed_demo_letters

    seed_demo_letters(first, caseworker=caseworker)  # a sent decision letter on Min side
    # The common offer catalogue and the recovery school Skole på Tværs (samplan.catalogue,
    # samplan.courses): offers named in the seeds, the spring-2019 brochure, the current term.
    from .catalogue import seed_catalogue
    from .courses import seed_courses

    catalogue = seed_catalogue(ltk.municipality, password=password)
    seed_courses(
        ltk.municipality,
        password=password,
        editor=catalogue.editor,
        units=catalogue.units,
        seed=seed,
        citizen=first,
        caseworker=caseworker,
        today=timezone.localdate(now),
    )
    _seed_appeal(ltk.municipality, timezone.localdate(now))
    # The inbox and the task lists as the daily job (notify_due) leaves them today.
    from samplan.cases.due import notify_due

    notify_due(timezone.localdate(now))
    ensure_staff_devices()
    return result


def _seed_appeal(municipality, today: dt.date) -> None:
    """One refusal appealed by the citizen a few days after the decision: on /klager/ and as
    the caseworker's reconsideration task."""
    from samplan.appeals import services as appeals

    decision = (
        Decision.objects.filter(case__municipality=municipality, outcome=Decision.Outcome.REFUSED, appeal_deadline__isnull=False)
        .order_by("-decided_at", "-pk")
        .first()
    )
    if decision is None:
        return
    received = min(today, decision.decided_at + dt.timedelta(days=5))
    appeals.register_appeal(
        decision.decided_by,
        decision,
        received_on=received,
        from_whom="citizen",
        summary="Borgeren mener, at hjælpen er nødvendig for at kunne bo i egen bolig.",
    )
