"""Issue 13 point 7: the caseworker corrects a citizen's master data on
/borgere/<pk>/stamdata/, under optimistic locking, audited with before and after."""

import pytest
from django.urls import reverse

from samplan.citizens import services
from samplan.citizens.models import Citizen
from samplan.core import policy
from samplan.core.errors import DomainError
from samplan.core.locking import EditConflict
from samplan.core.models import AuditEvent, Role
from tests.factories import PASSWORD, make_citizen, make_user


@pytest.fixture
def cw(users):
    return users["caseworker"]


@pytest.fixture
def citizen(org, cw):
    return make_citizen(org, caseworker=cw)


def _form(citizen, **changes):
    data = {
        "first_name": citizen.first_name,
        "last_name": citizen.last_name,
        "phone": citizen.phone,
        "email": citizen.email,
        "address": citizen.address,
        "postcode": citizen.postcode,
        "city": citizen.city,
        "acting_municipality": citizen.acting_municipality_id,
        "caseworker": citizen.caseworker_id or "",
        "coordinator": citizen.coordinator_id or "",
        "version": citizen.row_version,
    }
    return data | changes


def test_caseworker_corrects_master_data_and_the_audit_holds_before_and_after(client, cw, citizen, users):
    assert client.login(username=cw.username, password=PASSWORD)
    url = reverse("citizen-master-data", args=[citizen.pk])
    reads = AuditEvent.objects.filter(action=AuditEvent.Action.READ, citizen_id_ref=citizen.pk).count()
    page = client.get(url)
    assert page.status_code == 200 and "Ret stamdata" in page.content.decode()
    assert citizen.cpr not in page.content.decode()  # only the masked number
    assert AuditEvent.objects.filter(action=AuditEvent.Action.READ, citizen_id_ref=citizen.pk).count() == reads + 1
    coordinator = users["coordinator"]
    response = client.post(
        url, _form(citizen, phone="41 22 33 44", address="Ny Vej 2", postcode="2800", coordinator=coordinator.pk)
    )
    assert response.status_code == 302 and response["Location"] == reverse("citizen-overview", args=[citizen.pk])
    fresh = Citizen.objects.get(pk=citizen.pk)
    assert (fresh.phone, fresh.address, fresh.coordinator_id) == ("41 22 33 44", "Ny Vej 2", coordinator.pk)
    assert fresh.row_version == citizen.row_version + 1
    event = AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE, object_type="citizens.Citizen").latest("id")
    assert event.citizen_id_ref == citizen.pk
    assert event.before["address"] == citizen.address and event.after["address"] == "Ny Vej 2"
    assert event.before["coordinator_id"] is None and event.after["coordinator_id"] == coordinator.pk
    assert "cpr" not in event.after and "first_name" not in event.after  # only what changed


def test_a_stale_page_is_a_conflict_and_keeps_what_was_typed(client, cw, citizen):
    assert client.login(username=cw.username, password=PASSWORD)
    services.update_master_data(cw, citizen, expected_version=citizen.row_version, city="Lyngby")
    url = reverse("citizen-master-data", args=[citizen.pk])
    response = client.post(url, _form(citizen, city="Kongens Lyngby", version=0))
    assert response.status_code == 409 and 'value="Kongens Lyngby"' in response.content.decode()
    assert Citizen.objects.get(pk=citizen.pk).city == "Lyngby"


def test_invalid_input_is_refused_in_danish(client, cw, citizen):
    assert client.login(username=cw.username, password=PASSWORD)
    response = client.post(reverse("citizen-master-data", args=[citizen.pk]), _form(citizen, postcode="28", first_name=""))
    assert response.status_code == 400
    assert "Dette felt er påkrævet." in response.content.decode()
    assert Citizen.objects.get(pk=citizen.pk).first_name == citizen.first_name


def test_caseworker_choices_are_the_citizens_unit(org, cw, citizen):
    stranger = make_user(Role.CASEWORKER, org, unit=org["other_team"])
    caseworkers, coordinators = policy.responsible_choices(citizen)
    assert cw in caseworkers and stranger not in caseworkers
    with pytest.raises(DomainError) as refused:
        services.update_master_data(cw, citizen, expected_version=None, caseworker=stranger)
    assert refused.value.messages == ["Sagsbehandleren skal høre til borgerens myndighedsenhed."]
    with pytest.raises(DomainError):
        services.update_master_data(cw, citizen, expected_version=None, cpr="0101010000")  # not master data here


def test_service_conflict(cw, citizen):
    with pytest.raises(EditConflict):
        services.update_master_data(cw, citizen, expected_version=citizen.row_version + 5, city="X")


def test_who_may_edit(client, org, users, citizen):
    url = reverse("citizen-master-data", args=[citizen.pk])
    assert client.login(username=users["coordinator"].username, password=PASSWORD)
    assert client.get(url).status_code == 404  # not their citizen
    stranger = make_user(Role.CASEWORKER, org, unit=org["other_team"])
    assert client.login(username=stranger.username, password=PASSWORD)
    assert client.get(url).status_code == 404
    assert client.login(username=users["provider_staff"].username, password=PASSWORD)
    assert client.get(url).status_code == 404  # no active order to their provider
    citizen.coordinator = users["coordinator"]
    citizen.save()
    assert client.login(username=users["coordinator"].username, password=PASSWORD)
    assert client.get(url).status_code == 403  # knows the citizen, may not edit
    overview = client.get(reverse("citizen-overview", args=[citizen.pk])).content.decode()
    assert 'id="edit-master-data"' not in overview
    assert client.login(username=users["caseworker"].username, password=PASSWORD)
    assert 'id="edit-master-data"' in client.get(reverse("citizen-overview", args=[citizen.pk])).content.decode()
