import os

import pytest

os.environ.setdefault("SAMPLAN_DEMO", "1")
os.environ.setdefault("SAMPLAN_INSECURE_HTTP", "1")


@pytest.fixture
def org(db):
    from tests.factories import make_org

    return make_org()


@pytest.fixture
def users(org):
    from tests.factories import make_users

    return make_users(org)


# The recovery school and its five partners (test modules may define their own `school`).
@pytest.fixture
def school(db):
    from samplan.courses.models import School

    return School.objects.create(name="Skole på Tværs", email="kontakt@skole.example.invalid", phone="24 98 38 88")


@pytest.fixture
def partners(school):
    from samplan.demo import pilot

    return pilot.ensure_partners(school)
