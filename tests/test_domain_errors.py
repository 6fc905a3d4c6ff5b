"""One base for refused domain operations (core.errors.DomainError): every app's error is
one, and a refusal reaches the user as its Danish message on a page and in the API."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from samplan.cases.services import DomainError as CaseError
from samplan.citizens.models import Citizen
from samplan.consent.services import ConsentError
from samplan.core.errors import DomainError
from samplan.core.models import Role
from samplan.meetings.services import MeetingError
from samplan.plans.services import PlanError
from tests.factories import PASSWORD, cpr_for, make_user

NO_UNIT = "Din bruger er ikke knyttet til en kommune og en myndighedsenhed."


@pytest.mark.parametrize("error", [CaseError, PlanError, MeetingError, ConsentError])
def test_every_apps_refusal_is_a_domain_error(error):
    refusal = error("Afvist.", code="invalid")
    assert isinstance(refusal, DomainError) and isinstance(refusal, ValidationError)
    assert refusal.messages == ["Afvist."]


@pytest.fixture
def caseworker_without_unit(org):
    user = make_user(Role.CASEWORKER, org)
    user.unit = None
    user.save(update_fields=["unit"])
    return user


def test_refused_registration_shows_the_danish_message_on_the_page(client, org, caseworker_without_unit):
    assert client.login(username=caseworker_without_unit.username, password=PASSWORD)
    r = client.post(
        reverse("citizen-create"),
        {
            "first_name": "Mette",
            "last_name": "Fiktiv",
            "cpr": cpr_for(11),
            "phone": "40404040",
            "acting_municipality": org["municipality"].pk,
        },
    )
    assert r.status_code == 400
    assert NO_UNIT in r.content.decode()
    assert not Citizen.objects.filter(last_name="Fiktiv").exists()


def test_refused_registration_is_a_400_with_the_danish_message_in_the_api(caseworker_without_unit):
    client = APIClient()
    client.force_authenticate(caseworker_without_unit)
    r = client.post("/api/v1/citizens/", {"first_name": "A", "last_name": "Fiktiv", "cpr": cpr_for(12)}, format="json")
    assert r.status_code == 400
    assert r.json()["kode"] == "invalid" and r.json()["besked"] == NO_UNIT
    assert r.json()["fejlkoder"] == {"non_field_errors": ["no_unit"]}
    assert not Citizen.objects.filter(last_name="Fiktiv").exists()
