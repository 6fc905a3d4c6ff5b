"""Maintaining the offer catalogue: who may edit what (offer maintainers their own
organisation's offers, the catalogue editor the municipality's), Danish validation that
keeps the typed data, the audit trail and "Bekræft at oplysningerne er rigtige"."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from samplan.catalogue import search, services
from samplan.catalogue.models import Offer
from samplan.core.models import AuditEvent, Role
from tests.factories import make_org, make_user

from .test_catalogue import make_offer, target_group


@pytest.fixture
def two_offers(org):
    own = make_offer(org, "Værestedet Paradiset", kind=Offer.Kind.CAFE, owner=org["provider"], open_access=True)
    other = make_offer(org, "Kastanjevej", kind=Offer.Kind.PROVIDER, owner=org["other_provider"], access_note="Visitation")
    return own, other


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def valid_post(org, **changes):
    data = {
        "kind": "voluntary",
        "title": "Frivilligcenter og Selvhjælp",
        "summary": "Hjælp til selvhjælp",
        "description": "",
        "audience": "Alle voksne",
        "open_access": "on",
        "access_note": "",
        "legal_basis": "",
        "standard": "",
        "price_kr": "0",
        "price_note": "",
        "address": "Lyngby Hovedgade 1",
        "postcode": "2800",
        "city": "Kgs. Lyngby",
        "area": "Lyngby",
        "opening_hours": "",
        "phone": "",
        "email": "",
        "website": "",
        "accessibility": "",
        "languages": "dansk",
        "owner": str(org["other_provider"].pk),
        "published": "on",
        "target_groups": [str(target_group("Angst").pk)],
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


# --- Who may edit --------------------------------------------------------------------------


def test_maintainer_edits_only_their_own_organisations_offers(org, users, two_offers):
    own, other = two_offers
    maintainer = users[Role.OFFER_MAINTAINER]
    assert maintainer.unit == org["provider"]
    client = client_for(maintainer)
    page = client.get("/tilbud/redigering/").content.decode()
    assert "Værestedet Paradiset" in page and "Kastanjevej" not in page
    assert client.get(f"/tilbud/{own.pk}/rediger/").status_code == 200
    assert client.get(f"/tilbud/{other.pk}/rediger/").status_code == 404
    assert client.post(f"/tilbud/{other.pk}/rediger/", valid_post(org)).status_code == 404
    assert client.post(f"/tilbud/{other.pk}/bekraeft/").status_code == 404
    other.refresh_from_db()
    assert other.title == "Kastanjevej" and other.last_verified is None


def test_maintainer_creates_offers_owned_by_their_organisation(org, users):
    client = client_for(users[Role.OFFER_MAINTAINER])
    form = client.get("/tilbud/ny/").content.decode()
    assert 'name="owner"' not in form and f"Tilbuddet ejes af {org['provider'].name}" in form
    # Even a forged owner in the request is ignored: the maintainer's own unit owns it.
    response = client.post("/tilbud/ny/", valid_post(org))
    offer = Offer.objects.get(title="Frivilligcenter og Selvhjælp")
    assert response.status_code == 302 and response["Location"] == f"/tilbud/{offer.pk}/"
    assert offer.owner == org["provider"] and offer.municipality == org["municipality"]
    assert list(offer.target_groups.values_list("display", flat=True)) == ["Angst"]
    assert offer.last_verified is None
    assert [o.title for o in search.search(search.public_offers(), "selvhjælpen")] == ["Frivilligcenter og Selvhjælp"]


def test_editor_edits_every_offer_of_the_municipality(org, users, two_offers):
    _own, other = two_offers
    editor = users[Role.CATALOGUE_EDITOR]
    client = client_for(editor)
    page = client.get("/tilbud/redigering/").content.decode()
    assert "Værestedet Paradiset" in page and "Kastanjevej" in page
    response = client.post(
        f"/tilbud/{other.pk}/rediger/",
        valid_post(org, title="Kastanjevej – dagtilbud", owner=str(org["provider"].pk), version="0"),
    )
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.title == "Kastanjevej – dagtilbud" and other.owner == org["provider"] and other.updated_by == editor
    # Units of another municipality are not among the owners and cannot be forced in.
    elsewhere = make_org(code="0230", name="Rudersdal Kommune")
    form = client.get(f"/tilbud/{other.pk}/rediger/").content.decode()
    assert org["authority"].name in form and elsewhere["provider"].name not in form
    response = client.post(f"/tilbud/{other.pk}/rediger/", valid_post(org, owner=str(elsewhere["provider"].pk), version="1"))
    assert response.status_code == 400 and "Vælg en organisation fra listen." in response.content.decode()
    # ...and the editor of another municipality does not see ours.
    foreign_editor = make_user(Role.CATALOGUE_EDITOR, elsewhere)
    assert client_for(foreign_editor).get(f"/tilbud/{other.pk}/rediger/").status_code == 404


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.PROVIDER_STAFF, Role.MANAGER, Role.ADMIN, Role.CITIZEN])
def test_other_roles_are_refused(org, users, two_offers, role):
    own, _ = two_offers
    client = client_for(users[role])
    for url in ("/tilbud/redigering/", "/tilbud/ny/", f"/tilbud/{own.pk}/rediger/"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/tilbud/{own.pk}/bekraeft/").status_code == 403
    assert client.post("/tilbud/ny/", valid_post(org)).status_code == 403
    assert not Offer.objects.filter(title="Frivilligcenter og Selvhjælp").exists()
    with pytest.raises(PermissionDenied):
        services.update_offer(users[role], own, title="Ændret")


def test_anonymous_is_sent_to_login(two_offers):
    own, _ = two_offers
    client = Client()
    for url in ("/tilbud/redigering/", "/tilbud/ny/", f"/tilbud/{own.pk}/rediger/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url
    assert client.post(f"/tilbud/{own.pk}/bekraeft/").status_code == 302
    # The public pages need no login.
    assert client.get("/tilbud/").status_code == 200
    assert client.get(f"/tilbud/{own.pk}/").status_code == 200


# --- Validation ----------------------------------------------------------------------------


def test_danish_errors_keep_the_entered_data(org, users):
    client = client_for(users[Role.CATALOGUE_EDITOR])
    response = client.post(
        "/tilbud/ny/",
        valid_post(
            org,
            title="",
            kind="municipal",
            postcode="28OO",
            open_access=None,
            email="ikke-en-adresse",
            summary="Støtte i eget hjem",
            audience="Voksne med psykiske vanskeligheder",
            price_kr="-5",
        ),
    )
    assert response.status_code == 400
    html = response.content.decode()
    for message in (
        "Formularen kunne ikke gemmes",
        "Skriv tilbuddets navn.",
        "Et postnummer er fire cifre, fx 2800.",
        "Et kommunalt tilbud efter serviceloven skal have en paragraf, fx §85.",
        "Skriv hvordan man får tilbuddet, når det kræver visitation.",
        "Skriv en gyldig e-mailadresse, fx navn@ltk.dk.",
        "Prisen kan ikke være negativ.",
    ):
        assert message in html, message
    # What was typed is still there.
    for value in (
        'value="28OO"',
        'value="Støtte i eget hjem"',
        'value="Voksne med psykiske vanskeligheder"',
        'value="ikke-en-adresse"',
        'value="Lyngby Hovedgade 1"',
    ):
        assert value in html, value
    assert 'value="municipal" selected' in html
    assert f'value="{target_group("Angst").pk}"' in html and "checked" in html
    assert 'aria-invalid="true"' in html
    assert not Offer.objects.exists()


# --- Audit and verification ----------------------------------------------------------------


def test_changes_are_audited_with_before_and_after(org, users, two_offers):
    own, _ = two_offers
    maintainer = users[Role.OFFER_MAINTAINER]
    client = client_for(maintainer)
    assert (
        client.post(
            f"/tilbud/{own.pk}/rediger/", valid_post(org, title="Værestedet Paradiset (Kirkens Korshær)", version="0")
        ).status_code
        == 302
    )
    event = AuditEvent.objects.filter(object_type="catalogue.Offer", object_id=str(own.pk), action=AuditEvent.Action.UPDATE).get()
    assert event.username == maintainer.username and event.role == Role.OFFER_MAINTAINER
    assert event.before["title"] == "Værestedet Paradiset"
    assert event.after["title"] == "Værestedet Paradiset (Kirkens Korshær)"
    assert event.after["target_groups"] == [target_group("Angst").pk]
    assert "search_stems" not in event.after and "search_vector" not in event.after
    assert event.citizen_id_ref is None and event.municipality_id_ref == org["municipality"].pk

    client.post("/tilbud/ny/", valid_post(org, title="Ny gruppe"))
    created = Offer.objects.get(title="Ny gruppe")
    assert AuditEvent.objects.filter(
        object_type="catalogue.Offer", object_id=str(created.pk), action=AuditEvent.Action.CREATE
    ).exists()


def test_confirming_sets_last_verified_to_today(org, users, two_offers):
    own, other = two_offers
    today = timezone.localdate()
    client = client_for(users[Role.CATALOGUE_EDITOR])
    # The checkbox in the form...
    response = client.post(f"/tilbud/{own.pk}/rediger/", valid_post(org, title=own.title, confirm="on", version="0"))
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.last_verified == today
    # ...and the button in the list.
    response = client.post(f"/tilbud/{other.pk}/bekraeft/")
    assert response.status_code == 302 and response["Location"] == "/tilbud/redigering/"
    other.refresh_from_db()
    assert other.last_verified == today
    event = AuditEvent.objects.filter(object_type="catalogue.Offer", object_id=str(other.pk)).latest("at")
    assert event.before == {"last_verified": None} and event.after == {"last_verified": today.isoformat()}
    page = client.get(f"/tilbud/{other.pk}/").content.decode()
    assert "Senest kontrolleret" in page and "Ikke kontrolleret endnu" not in page
    # Saving without the checkbox keeps the earlier date.
    client.post(f"/tilbud/{own.pk}/rediger/", valid_post(org, title="Paradiset", version="1"))
    own.refresh_from_db()
    assert own.last_verified == today and own.title == "Paradiset"
