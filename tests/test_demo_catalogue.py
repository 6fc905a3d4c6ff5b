"""Demo data of the offer catalogue and the recovery school (seed_demo): offers named in the
seeds, the five spring-2019 courses of the brochure, the partners and their users, and a
current term one can enrol in."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from samplan.catalogue import search
from samplan.catalogue.models import Offer
from samplan.citizens.models import Citizen
from samplan.core import policy
from samplan.core.models import OrgUnit, Role, User
from samplan.courses import services as course_services
from samplan.courses.models import Course, Enrolment, Partner, School, Term
from samplan.demo import generator
from samplan.plans.models import PlanEffort

pytestmark = pytest.mark.django_db

# number: (title, first date, starts, ends, place, address, owner short name, min, max, overbooking, sessions)
BROCHURE = {
    1: (
        "Mentalt velvære fremmer recovery",
        dt.date(2019, 2, 12),
        dt.time(13, 0),
        dt.time(15, 0),
        "Aktivitets- og Kompetencecentret",
        "Rønnebærvej 19, 2840 Holte",
        "Rudersdal",
        6,
        12,
        0,
        9,
    ),
    2: (
        "Styr livet med personcentreret planlægning",
        dt.date(2019, 2, 28),
        dt.time(10, 0),
        dt.time(15, 0),
        "Fuglevad Mølle",
        "Møllevej 4, Lyngby",
        "Lyngby-Taarbæk",
        0,
        20,
        0,
        8,
    ),
    3: (
        "High energy – med fokus på hele din sundhed",
        dt.date(2019, 2, 6),
        dt.time(10, 0),
        dt.time(12, 30),
        "Sundhedscenter Hvide Hus",
        "Mitchellsstræde 3, 2820 Gentofte",
        "Gentofte",
        0,
        8,
        0,
        6,
    ),
    4: (
        "I gang igen",
        dt.date(2019, 5, 2),
        dt.time(12, 30),
        dt.time(15, 0),
        "Ungehuset (Gladsaxe Kommune)",
        "Valdemars Allé 81 B, 2860 Søborg",
        "Gladsaxe",
        6,
        10,
        0,
        6,
    ),
    5: (
        "Guide til et godt hverdagsliv",
        dt.date(2019, 5, 24),
        dt.time(9, 30),
        dt.time(12, 0),
        "Skolen for Recovery, Psykiatrisk Center Ballerup",
        "Maglevænget 2, Bygning 2, 2750 Ballerup",
        "RHP",
        4,
        15,
        2,
        4,
    ),
}


@pytest.fixture
def seeded():
    out = io.StringIO()
    call_command("seed_demo", stdout=out, seed=4, citizens=17)
    return out.getvalue()


def _counts():
    return {m.__name__: m.objects.count() for m in (Offer, OrgUnit, School, Partner, Term, Course, Enrolment, User, PlanEffort)}


def test_demo_catalogue_courses_partners_and_users(seeded):
    output = seeded
    ltk = OrgUnit.objects.get(name="Center for Social Indsats").municipality

    # --- At least 30 published offers, each with an owner, FFB target groups, area or address, and a check date.
    published = Offer.objects.filter(municipality=ltk, published=True)
    assert published.count() >= 30
    for offer in published.select_related("owner"):
        assert offer.owner_id and offer.target_groups.exists(), offer.title
        assert offer.last_verified, offer.title
        assert offer.phone or offer.email or offer.website, offer.title
    kinds = set(published.values_list("kind", flat=True))
    assert {
        Offer.Kind.MUNICIPAL,
        Offer.Kind.PROVIDER,
        Offer.Kind.VOLUNTARY,
        Offer.Kind.COURSE,
        Offer.Kind.PEER,
        Offer.Kind.CAFE,
        Offer.Kind.RELATIVES,
        Offer.Kind.ACUTE,
    } <= kinds

    acute = published.get(title="Akuttilbuddet")
    assert acute.kind == Offer.Kind.ACUTE and acute.open_access and acute.is_free
    assert acute.address == "Slotsvænget 23A" and acute.standard.key == "§82"
    paradiset = published.get(title="Værestedet Paradiset")
    assert paradiset.kind == Offer.Kind.CAFE and paradiset.owner.name == "Kirkens Korshær"
    assert paradiset.owner.kind == OrgUnit.Kind.OTHER and paradiset.owner.ownership == OrgUnit.Ownership.VOLUNTARY
    assert published.filter(kind=Offer.Kind.RELATIVES, title__startswith="Pårørendegruppe").exists()
    assert published.filter(title__startswith="Limone Ung", open_access=True).exists()
    # Slotsvænget's §-services are linked to LTK's quality standard of that §.
    for basis in ("§85", "§104", "§108", "§103"):
        offer = published.get(owner__name="Slotsvænget", legal_basis=basis)
        assert offer.kind == Offer.Kind.MUNICIPAL and offer.standard.key == basis and offer.standard.municipality == ltk
        assert not offer.open_access
    rhp = OrgUnit.objects.get(municipality=ltk, name="Region Hovedstadens Psykiatri")
    assert rhp.kind == OrgUnit.Kind.REGION and rhp.ownership == OrgUnit.Ownership.REGIONAL
    # The search index is built: the Danish search finds them on both databases.
    assert search.search(search.public_offers(), "pårørende").filter(title__startswith="Pårørendegruppe").exists()
    assert search.search(search.public_offers(), "kurser").filter(kind=Offer.Kind.COURSE).count() >= 5

    # --- The school and its partners (in the order of the seed's enrolment table).
    school = School.objects.get(name="Skole på Tværs")
    assert school.email == "kontakt@skolepaatvaers.dk" and school.phone == "24 98 38 88"
    partners = list(school.partners.all())
    assert [p.short_name for p in partners] == ["Gladsaxe", "Gentofte", "Rudersdal", "Lyngby-Taarbæk", "RHP"]
    by_short = {p.short_name: p for p in partners}
    assert by_short["Lyngby-Taarbæk"].municipality == ltk
    assert by_short["RHP"].kind == Partner.Kind.REGION and by_short["RHP"].name == "Region Hovedstadens Psykiatri"

    # --- The five spring-2019 courses exactly as in the brochure.
    spring = Term.objects.get(slug="foraar-2019")
    courses = {c.number: c for c in spring.courses.select_related("owner", "offer")}
    assert sorted(courses) == [1, 2, 3, 4, 5]
    for number, (title, first, starts, ends, place, address, owner, lo, hi, over, n) in BROCHURE.items():
        c = courses[number]
        assert (c.title, c.place, c.address, c.owner.short_name) == (title, place, address, owner)
        assert (c.min_participants, c.max_participants, c.overbooking) == (lo, hi, over)
        sessions = list(c.sessions.order_by("date"))
        assert len(sessions) == n and sessions[0].date == first
        assert {(s.starts, s.ends) for s in sessions} == {(starts, ends)}
        assert len({s.date.weekday() for s in sessions}) == (2 if number == 2 else 1)  # course 2: Wed and Thu
        assert sorted(c.teachers.values_list("competence", flat=True)) == ["lived_experience", "professional"]
        assert c.offer.kind == Offer.Kind.COURSE and c.offer.title == title and not c.offer.published
    assert courses[2].subtitle == "Drømme og nye mål" and courses[4].subtitle == "Tilbage til studie eller arbejde"
    assert [s.date for s in courses[2].sessions.order_by("date")] == [
        dt.date(2019, 2, 28),
        dt.date(2019, 3, 13),
        dt.date(2019, 3, 21),
        dt.date(2019, 3, 27),
        dt.date(2019, 4, 11),
        dt.date(2019, 4, 25),
        dt.date(2019, 5, 2),
        dt.date(2019, 5, 15),
    ]

    # --- The current term: open for enrolment now, one course full with a waitlist.
    current = Term.objects.exclude(slug__in=["foraar-2019"]).filter(slug__startswith="foraar-").get()
    now_courses = {c.number: c for c in current.courses.select_related("offer")}
    assert sorted(now_courses) == [1, 2, 3, 4, 5]
    for c in now_courses.values():
        assert course_services.registration_state(c)[0], c.title
        assert c.offer.published and c.offer.kind == Offer.Kind.COURSE
        assert (
            c.sessions.order_by("date").first().date.weekday()
            == courses[c.number].sessions.order_by("date").first().date.weekday()
        )
    full = course_services.counts(now_courses[3])
    assert full["free"] == 0 and full["waitlisted"] >= 1
    citizen_user = User.objects.get(username="borger")
    assert now_courses[2].enrolments.filter(citizen__user=citizen_user, status=Enrolment.Status.CONFIRMED).exists()
    effort = PlanEffort.objects.get(plan__citizen__user=citizen_user, offer=now_courses[2].offer)
    assert effort.start == now_courses[2].sessions.order_by("date").first().date

    # --- Users: one partner member per partner (tilbudsansvarlig) and the catalogue editor.
    for username, short in (
        ("skole-gladsaxe", "Gladsaxe"),
        ("skole-gentofte", "Gentofte"),
        ("skole-rudersdal", "Rudersdal"),
        ("skole-ltk", "Lyngby-Taarbæk"),
        ("skole-rhp", "RHP"),
    ):
        user = User.objects.get(username=username)
        assert user.role == Role.OFFER_MAINTAINER and user.check_password(generator.DEFAULT_PASSWORD)
        assert list(policy.partners_of(user)) == [by_short[short]]
        assert policy.courses_managed_by(user).filter(term=current).count() == 1
        assert username in output
    ltk_member = User.objects.get(username="skole-ltk")
    editable = policy.offers_editable_by(ltk_member)
    assert editable.filter(pk=now_courses[2].offer_id).exists() and editable.filter(title="Pårørendevejleder").exists()
    assert not editable.filter(title="Akuttilbuddet").exists()
    editor = User.objects.get(username="katalog")
    assert editor.role == Role.CATALOGUE_EDITOR and editor.municipality == ltk
    assert policy.offers_editable_by(editor).count() == Offer.objects.filter(municipality=ltk).count()
    assert "katalog" in output and str(Role.CATALOGUE_EDITOR.label) in output

    # --- Running the demo parts again changes nothing.
    from samplan.demo.catalogue import seed_catalogue
    from samplan.demo.courses import seed_courses

    before = _counts()
    result = seed_catalogue(ltk, password=generator.DEFAULT_PASSWORD)
    seed_courses(
        ltk,
        password=generator.DEFAULT_PASSWORD,
        editor=result.editor,
        units=result.units,
        seed=4,
        citizen=Citizen.objects.get(user=citizen_user),
    )
    assert _counts() == before


def test_the_pilot_is_seeded_when_its_module_is_there(seeded):
    pytest.importorskip("samplan.demo.pilot")
    pilot = Term.objects.exclude(slug__startswith="foraar-").get()
    enrolled = Enrolment.objects.filter(course__term=pilot).exclude(status=Enrolment.Status.WAITLISTED)
    assert enrolled.count() == 60  # the seed's table (004 L8709–8756); the waitlisted came on top
    assert set(pilot.courses.values_list("owner__school", flat=True)) == {School.objects.get(name="Skole på Tværs").pk}
