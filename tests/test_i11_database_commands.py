"""The database-guard commands outside PostgreSQL (issue 11, 8): SQLite keeps the ORM guard,
so granting an application role is refused with a clear reason and the owner URL is ignored."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from samplan.core import dbguard

pytestmark = [
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the PostgreSQL side is tests/test_i11_database.py"),
    pytest.mark.django_db,
]


def test_grant_app_role_refuses_on_sqlite():
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("grant_app_role", "samplan_app")


def test_owner_url_is_ignored_on_sqlite(monkeypatch):
    monkeypatch.setenv(dbguard.OWNER_URL_ENV, "postgres://owner:secret@db.invalid:5432/samplan")
    before = dict(connection.settings_dict)
    assert dbguard.switch_to_owner() is None
    assert connection.settings_dict == before


def test_migrate_is_samplans_wrapper():
    # The owner-role wrapper must win over Django's own migrate (app commands override core's).
    from django.core.management import get_commands

    assert get_commands()["migrate"] == "samplan.core"
