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
