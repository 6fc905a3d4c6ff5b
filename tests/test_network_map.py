"""The network map (netværkskort): the citizen's network on three rings and as a list, with
current consents; the citizen adds people on /mit/netvaerk/; staff who may see the citizen
read it, and only the caseworker adds. Every read and addition is audited."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from samplan.citizens.models import NetworkMember
from samplan.consent import network, services
from samplan.core.models import AuditEvent, Role
from tests.factories import PASSWORD, make_citizen, make_user

Kind = services.Kind


@pytest.fixture
def world(org, users):
    citizen = make_citizen(org, caseworker=users[Role.CASEWORKER], user=users[Role.CITIZEN])
    mother = services.add_member(
        users[Role.CITIZEN],
        citizen,
        name="Lise Hansen",
        relation="Mor",
        kind="relative",
        circle="inner",
        phone="20000000",
    )
    friend = services.add_member(users[Role.CITIZEN], citizen, name="Jonas Lund", relation="Ven", kind="friend", circle="inner")
    gp = services.add_member(
        users[Role.CITIZEN],
        citizen,
        name="Lægehuset Sorgenfri",
        relation="Egen læge",
        kind="gp",
        circle="outer",
        organisation="Lægehuset Sorgenfri",
        email="laege@example.invalid",
    )
    old = NetworkMember.objects.create(citizen=citizen, name="Bent Nabo", relation="Nabo")  # defaults
    services.give(users[Role.CITIZEN], mother, Kind.SEE_PLAN)
    services.give(users[Role.CITIZEN], mother, Kind.CONTACT)
    other_user = make_user(Role.CITIZEN, org)
    other = make_citizen(org, caseworker=users[Role.CASEWORKER], user=other_user)
    services.add_member(other_user, other, name="Peter Fremmed", relation="Bror", kind="relative", circle="inner")
    return {
        "citizen": citizen,
        "mother": mother,
        "friend": friend,
        "gp": gp,
        "old": old,
        "other": other,
        "other_user": other_user,
    }


def client_for(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def markers(html: str) -> dict[str, str]:
    """{member pk: data-circle} for every member marker in the SVG."""
    svg = html[html.index("<svg") : html.index("</svg>")]
    return dict(re.findall(r'data-member="(\d+)" data-circle="(\w+)"', svg))


def test_kind_circle_and_organisation_are_stored_with_defaults(world):
    gp = NetworkMember.objects.get(pk=world["gp"].pk)
    assert (gp.kind, gp.circle, gp.organisation) == ("gp", "outer", "Lægehuset Sorgenfri")
    assert gp.get_kind_display() == "Egen læge" and gp.get_circle_display() == "Længere væk"
    old = NetworkMember.objects.get(pk=world["old"].pk)
    assert (old.kind, old.circle, old.organisation) == ("other", "middle", "")


def test_add_member_refuses_unknown_kind_or_circle(users, world):
    with pytest.raises(services.ConsentError):
        services.add_member(users[Role.CITIZEN], world["citizen"], name="X", relation="Y", kind="alien")
    with pytest.raises(services.ConsentError):
        services.add_member(users[Role.CITIZEN], world["citizen"], name="X", relation="Y", circle="far")


def test_layout_is_deterministic_and_on_the_right_ring(world):
    first = network.network_map(world["citizen"])
    second = network.network_map(world["citizen"])
    assert [(p.member.pk, p.x, p.y) for p in first["placed"]] == [(p.member.pk, p.x, p.y) for p in second["placed"]]
    for p in first["placed"]:
        distance = ((p.x - network.CENTRE) ** 2 + (p.y - network.CENTRE) ** 2) ** 0.5
        assert abs(distance - network.RADIUS[p.circle]) < 1
    inner = [p for p in first["placed"] if p.circle == "inner"]
    assert len({(p.x, p.y) for p in inner}) == 2  # spread, not on top of each other


def test_citizen_sees_own_map_with_one_marker_per_member_on_the_right_ring(users, world):
    response = client_for(users[Role.CITIZEN]).get(reverse("my-network"))
    assert response.status_code == 200
    html = response.content.decode()
    assert markers(html) == {
        str(world["mother"].pk): "inner",
        str(world["friend"].pk): "inner",
        str(world["gp"].pk): "outer",
        str(world["old"].pk): "middle",
    }
    assert html.count("<title>Lise Hansen – Mor") == 1
    assert "Peter Fremmed" not in html
    assert ' style="' not in html[html.index("<svg") : html.index("</svg>")]


def test_list_shows_kind_circle_contact_and_consents(users, world):
    html = client_for(users[Role.CITIZEN]).get(reverse("my-network")).content.decode()
    table = html[html.index('id="network-list"') :]
    row = table[table.index(f'id="network-row-{world["mother"].pk}"') :]
    row = row[: row.index("</tr>")]
    assert "Pårørende" in row and "Tæt på" in row and "20000000" in row
    assert "Må kontaktes" in row and "Må se min plan" in row and "Må inviteres" not in row
    friend_row = table[table.index(f'id="network-row-{world["friend"].pk}"') :]
    assert "Ingen samtykker" in friend_row[: friend_row.index("</tr>")]
    gp_row = table[table.index(f'id="network-row-{world["gp"].pk}"') :]
    assert "laege@example.invalid" in gp_row[: gp_row.index("</tr>")]


def test_withdrawal_shows_on_the_next_request(users, world):
    services.withdraw(users[Role.CITIZEN], world["mother"], Kind.SEE_PLAN)
    html = client_for(users[Role.CITIZEN]).get(reverse("my-network")).content.decode()
    row = html[html.index(f'id="network-row-{world["mother"].pk}"') :]
    assert "Må se min plan" not in row[: row.index("</tr>")]


def test_other_citizen_sees_only_own_and_never_the_staff_page(users, world):
    client = client_for(world["other_user"])
    html = client.get(reverse("my-network")).content.decode()
    assert "Peter Fremmed" in html and "Lise Hansen" not in html
    assert client.get(reverse("citizen-network", args=[world["citizen"].pk])).status_code == 404


def test_staff_access(org, users, world):
    url = reverse("citizen-network", args=[world["citizen"].pk])
    response = client_for(users[Role.CASEWORKER]).get(url)
    assert response.status_code == 200 and set(markers(response.content.decode()).values()) == {"inner", "middle", "outer"}
    assert b'id="add-member"' in response.content
    other_unit = make_user(Role.CASEWORKER, org, unit=org["other_team"])
    assert client_for(other_unit).get(url).status_code == 404
    assert client_for(users[Role.PROVIDER_STAFF]).get(url).status_code == 404  # no order for the citizen
    assert client_for(users[Role.RELATIVE]).get(url).status_code == 404
    assert client_for(users[Role.CITIZEN]).get(url).status_code == 200  # the citizen's own


def test_committee_reads_but_may_not_add(users, world):
    url = reverse("citizen-network", args=[world["citizen"].pk])
    client = client_for(users[Role.COMMITTEE])
    response = client.get(url)
    assert response.status_code == 200 and b'id="add-member"' not in response.content
    before = NetworkMember.objects.count()
    assert client.post(url, {"ny-name": "X", "ny-relation": "Y"}).status_code == 403
    assert NetworkMember.objects.count() == before


def test_staff_pages_refuse_non_citizens_on_my_network(users):
    assert client_for(users[Role.CASEWORKER]).get(reverse("my-network")).status_code == 403


def test_citizen_adds_a_friend_in_the_inner_circle(users, world):
    client = client_for(users[Role.CITIZEN])
    response = client.post(
        reverse("my-network"),
        {
            "ny-name": "Sara Holm",
            "ny-relation": "Veninde",
            "ny-kind": "friend",
            "ny-circle": "inner",
            "ny-phone": "30000000",
        },
    )
    assert response.status_code == 302
    member = NetworkMember.objects.get(citizen=world["citizen"], name="Sara Holm")
    assert (member.kind, member.circle, member.phone) == ("friend", "inner", "30000000")
    created = AuditEvent.objects.filter(action=AuditEvent.Action.CREATE, object_id=str(member.pk))
    assert created.count() == 1 and created.get().after["circle"] == "inner"
    html = client.get(reverse("my-network")).content.decode()
    assert markers(html)[str(member.pk)] == "inner"


def test_caseworker_adds_on_the_staff_page(users, world):
    url = reverse("citizen-network", args=[world["citizen"].pk])
    response = client_for(users[Role.CASEWORKER]).post(
        url,
        {
            "ny-name": "Kim Støtte",
            "ny-relation": "Bostøtte",
            "ny-kind": "municipal",
            "ny-circle": "middle",
            "ny-organisation": "Socialpsykiatrien",
        },
    )
    assert response.status_code == 302
    assert NetworkMember.objects.get(name="Kim Støtte").organisation == "Socialpsykiatrien"


def test_missing_name_is_400_and_keeps_input(users, world):
    before = NetworkMember.objects.count()
    response = client_for(users[Role.CITIZEN]).post(
        reverse("my-network"),
        {
            "ny-name": "",
            "ny-relation": "Nabo ovenpå",
            "ny-kind": "neighbour",
            "ny-circle": "outer",
            "ny-phone": "31313131",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Skriv personens navn." in html
    assert 'value="Nabo ovenpå"' in html and 'value="31313131"' in html
    assert re.search(r'<option value="neighbour" selected>', html)
    assert re.search(r'value="outer"[^>]*checked', html)
    assert NetworkMember.objects.count() == before


def test_reads_are_audited(users, world):
    citizen = world["citizen"]
    reads = AuditEvent.objects.filter(action=AuditEvent.Action.READ, citizen_id_ref=citizen.pk, object_type="consent.network_map")
    client_for(users[Role.CITIZEN]).get(reverse("my-network"))
    assert reads.count() == 1 and reads.get().user_id_ref == users[Role.CITIZEN].pk
    client_for(users[Role.CASEWORKER]).get(reverse("citizen-network", args=[citizen.pk]))
    assert reads.count() == 2
    client_for(world["other_user"]).get(reverse("my-network"))
    assert reads.count() == 2  # the other citizen's read is recorded on their own record


def test_pages_link_to_the_map(users, world):
    citizen = world["citizen"]
    assert reverse("my-network").encode() in client_for(users[Role.CITIZEN]).get(reverse("my-page")).content
    assert reverse("my-network").encode() in client_for(users[Role.CITIZEN]).get(reverse("my-consents")).content
    staff = client_for(users[Role.CASEWORKER])
    target = reverse("citizen-network", args=[citizen.pk]).encode()
    assert target in staff.get(reverse("citizen-consents", args=[citizen.pk])).content
    assert target in staff.get(reverse("citizen-overview", args=[citizen.pk])).content
