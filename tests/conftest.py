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


# Shared by every transactional test (browser tests and the concurrency tests): no test uses
# serialized_rollback, whose restore breaks once another test's flush re-created content types.
@pytest.fixture(autouse=True)
def _transactional_database(request, django_db_blocker):
    """live_server and ``django_db(transaction=True)`` make tests transactional: the database
    is emptied after each one, which also removes the FFB terminology loaded by the data migration. Reload it (the
    loader is idempotent) before each test. Afterwards, on SQLite the append-only audit
    triggers would make that flush fail, so audit rows are removed here with the triggers
    briefly dropped (PostgreSQL's TRUNCATE does not fire its row trigger)."""
    marker = request.node.get_closest_marker("django_db")
    marked = marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    if not marked and "live_server" not in request.fixturenames and "transactional_db" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")
    from samplan.terminology.loader import load_code_system

    with django_db_blocker.unblock():
        load_code_system()
    yield
    with django_db_blocker.unblock():
        _clear_audit_on_sqlite()


def _clear_audit_on_sqlite():
    from django.db import connection, transaction

    if connection.vendor != "sqlite":
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'core_auditevent'")
        triggers = cursor.fetchall()
        for name, _ in triggers:
            cursor.execute(f'DROP TRIGGER "{name}"')
        cursor.execute("DELETE FROM core_auditevent")
        for _, sql in triggers:
            cursor.execute(sql)
