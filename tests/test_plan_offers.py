"""Into the plan: staff and the citizen add an offer or a course from the public catalogue to
the coherent plan as an effort linked to the offer, with a new plan version (who and when).
Relatives, other citizens and other teams are refused."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samplan.catalogue import search
from samplan.catalogue.models import Offer
from samplan.citizens.models import NetworkMember
from samplan.consent import services as consent
from samplan.consent.models import ConsentEvent
from samplan.core.models import AuditEvent, OrgUnit, Role
from samplan.courses.models import Course, Partner, School, Session, Term
from samplan.plans import services
from samplan.plans.models import PlanEffort, PlanVersion
from tests.factories import PASSWORD, make_citizen, make_user

pytestmark = pytest.mark.django_db


def _offer(org, title, *, kind=Offer.Kind.VOLUNTARY, owner=None, published=True, **fields):
    offer = Offer.objects.create(
        municipality=org["municipality"], kind=kind, title=title, owner=owner or org["provider"], published=published, **fields
    )
    search.index(offer)
    return offer


@pytest.fixture
def world(org, users):
    cw = users[Role.CASEWORKER]
    citizen = make_citizen(org, caseworker=cw, user=users[Role.CITIZEN], coordinator=users[Role.COORDINATOR], first_name="Maja")
    m = org["municipality"]
    volunteers = OrgUnit.objects.create(
        municipality=m, name="Frivilligcenter", kind=OrgUnit.Kind.OTHER, ownership=OrgUnit.Ownership.VOLUNTARY
    )
    offers = {
        "group": _offer(
            org,
            "Pårørendegruppe for forældre",
            kind=Offer.Kind.RELATIVES,
            owner=volunteers,
            summary="Pårørende mødes og taler sammen.",
            open_access=True,
        ),
        "cafe": _offer(org, "Værestedet ved søen", kind=Offer.Kind.CAFE, owner=volunteers, summary="Kaffe og fællesskab."),
        "hidden": _offer(org, "Værestedet der lukkede", kind=Offer.Kind.CAFE, owner=volunteers, published=False),
    }
    # A recovery-school course with a catalogue offer.
    school = School.objects.create(name="Skole på Tværs")
    partner = Partner.objects.create(school=school, name="Lyngby-Taarbæk Kommune", short_name="Lyngby-Taarbæk", municipality=m)
    term = Term.objects.create(school=school, name="Forår", slug="foraar-test")
    course_offer = _offer(
        org,
        "Styr livet med personcentreret planlægning",
        kind=Offer.Kind.COURSE,
        owner=org["authority"],
        summary="Kursus i Skole på Tværs.",
        open_access=True,
    )
    course = Course.objects.create(
        term=term,
        number=2,
        title=course_offer.title,
        owner=partner,
        offer=course_offer,
        place="Fuglevad Mølle",
        max_participants=20,
    )
    first = timezone.localdate() + dt.timedelta(days=30)
    for i in range(3):
        Session.objects.create(course=course, date=first + dt.timedelta(days=14 * i), starts=dt.time(10), ends=dt.time(15))
    offers["course"] = course_offer
    relative = make_user(Role.RELATIVE, org)
    member = NetworkMember.objects.create(citizen=citizen, user=relative, name="Mor", relation="Mor")
    consent.give(cw, member, ConsentEvent.Kind.SEE_PLAN)
    actors = dict(users)
    actors["consenting_relative"] = relative
    actors["other_citizen"] = make_user(Role.CITIZEN, org)
    make_citizen(org, caseworker=cw, user=actors["other_citizen"], first_name="Ib")
    actors["other_caseworker"] = make_user(Role.CASEWORKER, org, unit=org["other_team"])
    return actors, citizen, offers, first


def _client(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_staff_finds_an_offer_and_adds_it_to_the_plan(world, django_assert_max_num_queries):
    actors, citizen, offers, _ = world
    cw = actors[Role.CASEWORKER]
    client = _client(cw)
    url = reverse("plan-offers", args=[citizen.pk])

    # The plan page links to the catalogue search for the plan (a plain GET form, no JavaScript).
    page = client.get(reverse("plan-detail", args=[citizen.pk])).content.decode()
    assert f'action="{url}"' in page and 'name="q"' in page

    with django_assert_max_num_queries(14):
        response = client.get(url, {"q": "pårørende"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Pårørendegruppe for forældre" in html and "Værestedet ved søen" not in html
    assert "Føj til planen" in html
    assert "Værestedet der lukkede" not in client.get(url).content.decode()  # unpublished offers are not listed

    before = PlanVersion.objects.filter(plan__citizen=citizen).count()
    response = client.post(url, {"offer": offers["group"].pk, "q": "pårørende"})
    assert response.status_code == 302 and response["Location"] == reverse("plan-detail", args=[citizen.pk]) + "#efforts"
    effort = PlanEffort.objects.get(plan__citizen=citizen, offer=offers["group"])
    assert effort.title == "Pårørendegruppe for forældre" and effort.owner_kind == PlanEffort.OwnerKind.CIVIL
    assert effort.owner_name == "Frivilligcenter" and effort.status == PlanEffort.Status.PLANNED
    version = PlanVersion.objects.filter(plan__citizen=citizen).order_by("-number").first()
    assert PlanVersion.objects.filter(plan__citizen=citizen).count() == before + 1
    assert version.changed_by == cw and version.changed_at and version.changed_by_role == Role.CASEWORKER
    assert "Pårørendegruppe for forældre" in version.summary and cw.get_full_name() in version.summary
    assert version.snapshot["efforts"][-1]["offer"].startswith("Pårørendegruppe for forældre")
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CREATE, object_type="plans.PlanEffort", object_id=str(effort.pk)
    ).exists()

    # The plan page links the effort to the offer's public page; the search marks it as added.
    page = client.get(reverse("plan-detail", args=[citizen.pk])).content.decode()
    assert reverse("catalogue-detail", args=[offers["group"].pk]) in page
    assert "Er allerede i planen" in client.get(url, {"q": "pårørende"}).content.decode()
    # Adding it again is refused with a message (the data is kept; no new version).
    response = client.post(url, {"offer": offers["group"].pk})
    assert response.status_code == 400 and "allerede i planen" in response.content.decode()
    assert PlanVersion.objects.filter(plan__citizen=citizen).count() == before + 1
    # An unpublished or unknown offer cannot be added.
    assert client.post(url, {"offer": offers["hidden"].pk}).status_code == 404
    assert client.post(url, {"offer": "x"}).status_code == 404


def test_a_course_starts_on_its_first_session(world):
    actors, citizen, offers, first = world
    effort = services.add_offer_effort(actors[Role.COORDINATOR], citizen, offers["course"])
    assert effort.start == first and effort.end == first + dt.timedelta(days=28)
    assert effort.owner_kind == PlanEffort.OwnerKind.OTHER and effort.owner_name == "Skole på Tværs – Lyngby-Taarbæk Kommune"
    assert effort.plan.versions.get().changed_by == actors[Role.COORDINATOR]


def test_the_citizen_adds_an_offer_on_min_side(world):
    actors, citizen, offers, _ = world
    me = actors[Role.CITIZEN]
    client = _client(me)
    url = reverse("my-plan-offers")
    assert "Føj til min plan" in client.get(url, {"q": "værested"}).content.decode()
    # From the catalogue's offer page: a logged-in citizen sees "Føj til min plan".
    detail = client.get(reverse("catalogue-detail", args=[offers["cafe"].pk])).content.decode()
    assert "Føj til min plan" in detail and f'action="{url}"' in detail
    response = client.post(url, {"offer": offers["cafe"].pk})
    assert response.status_code == 302 and response["Location"] == reverse("my-plan") + "#efforts"
    effort = PlanEffort.objects.get(plan__citizen=citizen, offer=offers["cafe"])
    version = effort.plan.versions.get()
    assert version.changed_by == me and version.changed_by_role == Role.CITIZEN
    assert reverse("catalogue-detail", args=[offers["cafe"].pk]) in client.get(reverse("my-plan")).content.decode()
    # The citizen's staff URL sends them to their own page.
    assert client.get(reverse("plan-offers", args=[citizen.pk]))["Location"] == url


def test_who_does_not_see_the_button(world):
    actors, _, offers, _ = world
    detail = reverse("catalogue-detail", args=[offers["cafe"].pk])
    assert "Føj til min plan" not in Client().get(detail).content.decode()
    assert "Føj til min plan" not in _client(actors[Role.CASEWORKER]).get(detail).content.decode()
    assert "Føj til min plan" not in _client(actors["consenting_relative"]).get(detail).content.decode()


def test_relatives_other_citizens_and_other_teams_are_refused(world):
    actors, citizen, offers, _ = world
    staff_url = reverse("plan-offers", args=[citizen.pk])
    relative = _client(actors["consenting_relative"])
    assert relative.post(reverse("my-plan-offers"), {"offer": offers["cafe"].pk}).status_code == 403
    # The relative knows the citizen (in the network): the staff page is refused, not hidden.
    assert relative.post(staff_url, {"offer": offers["cafe"].pk}).status_code == 403
    assert relative.get(staff_url).status_code == 403
    # Another citizen reaches only their own plan.
    other = _client(actors["other_citizen"])
    assert other.post(staff_url, {"offer": offers["cafe"].pk}).status_code == 404
    other.post(reverse("my-plan-offers"), {"offer": offers["cafe"].pk})
    assert not PlanEffort.objects.filter(plan__citizen=citizen).exists()
    assert PlanEffort.objects.filter(plan__citizen__user=actors["other_citizen"], offer=offers["cafe"]).exists()
    # A caseworker of another team does not see the citizen at all.
    other_team = _client(actors["other_caseworker"])
    assert other_team.get(staff_url).status_code == 404
    assert other_team.post(staff_url, {"offer": offers["cafe"].pk}).status_code == 404
    # Staff who may read the plan but not edit it.
    assert _client(actors[Role.COMMITTEE]).post(staff_url, {"offer": offers["cafe"].pk}).status_code == 403
    assert not PlanEffort.objects.filter(plan__citizen=citizen).exists()
    # The service asks the same policy.
    with pytest.raises(PermissionDenied):
        services.add_offer_effort(actors["consenting_relative"], citizen, offers["cafe"])
    with pytest.raises(Http404):
        services.add_offer_effort(actors["other_citizen"], citizen, offers["cafe"])
    with pytest.raises(Http404):
        services.add_offer_effort(actors["other_caseworker"], citizen, offers["cafe"])
    with pytest.raises(PermissionDenied):
        services.add_offer_effort(actors[Role.COMMITTEE], citizen, offers["cafe"])
    with pytest.raises(services.PlanError):
        services.add_offer_effort(actors[Role.CASEWORKER], citizen, offers["hidden"])


def test_owner_kind_follows_the_offer(org):
    m = org["municipality"]

    def unit(name, kind, ownership, parent=None):
        return OrgUnit.objects.create(municipality=m, name=name, kind=kind, ownership=ownership, parent=parent)

    region = unit("Psykiatrisk Center", OrgUnit.Kind.REGION, OrgUnit.Ownership.REGIONAL)
    centre = unit("Center for Arbejdsmarked", OrgUnit.Kind.CENTRE, OrgUnit.Ownership.MUNICIPAL)
    jobcenter = unit("Jobcentret", OrgUnit.Kind.TEAM, OrgUnit.Ownership.MUNICIPAL, parent=centre)
    social = unit("Center for Social Indsats", OrgUnit.Kind.CENTRE, OrgUnit.Ownership.MUNICIPAL)
    voluntary = unit("Forening", OrgUnit.Kind.OTHER, OrgUnit.Ownership.VOLUNTARY)
    self_governing = unit("Selvejende", OrgUnit.Kind.PROVIDER, OrgUnit.Ownership.SELF_GOVERNING)
    K, Owner = Offer.Kind, PlanEffort.OwnerKind
    cases = [
        (K.PROVIDER, region, Owner.REGION),
        (K.PEER, voluntary, Owner.PEER),
        (K.COURSE, social, Owner.OTHER),
        (K.CAFE, voluntary, Owner.CIVIL),
        (K.RELATIVES, voluntary, Owner.CIVIL),
        (K.VOLUNTARY, social, Owner.CIVIL),
        (K.MUNICIPAL, jobcenter, Owner.JOBCENTER),
        (K.MUNICIPAL, social, Owner.CENTRE),
        (K.RELATIVES, social, Owner.CENTRE),
        (K.ACUTE, social, Owner.CENTRE),
        (K.PROVIDER, self_governing, Owner.OTHER),
    ]
    for kind, owner, expected in cases:
        offer = Offer(municipality=m, kind=kind, title="x", owner=owner)
        assert services.owner_kind_for(offer) == expected, (kind, owner.name)


def test_the_pdf_shows_offer_efforts(world):
    actors, citizen, offers, _ = world
    services.add_offer_effort(actors[Role.CASEWORKER], citizen, offers["group"])
    response = _client(actors[Role.CASEWORKER]).get(reverse("plan-pdf", args=[citizen.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    import re
    import zlib

    import pypdfium2 as pdfium

    text = pdfium.PdfDocument(response.content)[0].get_textpage().get_text_range()
    assert "Pårørendegruppe for forældre" in text and "Fra tilbudskataloget" in text
    # The title links to the offer's page (a URI annotation, maybe in a compressed object stream).
    streams = [response.content]
    for raw in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", response.content, re.S):
        try:
            streams.append(zlib.decompress(raw))
        except zlib.error:
            continue
    link = reverse("catalogue-detail", args=[offers["group"].pk]).encode()
    assert any(link in data for data in streams)


def test_a_cancelled_course_leaves_the_catalogue_and_cannot_be_added(world):
    from samplan.courses import services as courses

    actors, citizen, offers, _ = world
    course = offers["course"].course
    citizen_client = Client()
    assert citizen_client.login(username=actors[Role.CITIZEN].username, password=PASSWORD)
    page = citizen_client.get(reverse("catalogue-detail", args=[offers["course"].pk])).content.decode()
    assert "Føj til min plan" in page
    courses.cancel_course(course, reason="For få tilmeldte")
    assert offers["course"] not in search.public_offers()
    assert "Styr livet" not in Client().get("/tilbud/", {"q": "styr"}).content.decode()
    page = citizen_client.get(reverse("catalogue-detail", args=[offers["course"].pk])).content.decode()
    assert "Føj til min plan" not in page
    with pytest.raises(services.PlanError):
        services.add_offer_effort(actors[Role.CASEWORKER], citizen, offers["course"])
    assert not PlanEffort.objects.filter(offer=offers["course"]).exists()


def test_only_the_citizen_themself_gets_the_add_button(world):
    actors, _, offers, _ = world
    for actor in (Role.CASEWORKER, Role.RELATIVE, "other_caseworker"):
        client = Client()
        assert client.login(username=actors[actor].username, password=PASSWORD)
        assert "Føj til min plan" not in client.get(reverse("catalogue-detail", args=[offers["group"].pk])).content.decode()
    assert "Føj til min plan" not in Client().get(reverse("catalogue-detail", args=[offers["group"].pk])).content.decode()
