"""The database's own guard of the history tables (PostgreSQL only; SQLite keeps the ORM guard).

Two layers, both outside the application's reach:

* **Triggers** (installed by each app's migration through ``install_append_only_trigger``)
  refuse ``UPDATE`` and ``DELETE`` on append-only tables for every role, the owner included.
* **Privileges** (``grant_statements``, issued by ``manage.py grant_app_role``): the role the
  application connects as owns no table and may only ``INSERT``/``SELECT`` the append-only
  tables. Only a table's owner (or a superuser) may ``TRUNCATE`` without the privilege,
  ``ALTER TABLE … DISABLE TRIGGER`` or ``SET session_replication_role``, so the app cannot
  switch the triggers off.

Which tables are append-only is a property of the model: ``core.AppendOnly`` subclasses and
any model with ``append_only = True`` (questionnaire responses and answers)."""

from __future__ import annotations

import os
from collections.abc import Callable

import dj_database_url
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

FUNCTION = "samplan_append_only"

# One function for every table; the Danish message comes as the trigger's argument.
FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION USING MESSAGE = TG_ARGV[0];
END;
$$ LANGUAGE plpgsql;
"""


def _quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def install_append_only_trigger(schema_editor: BaseDatabaseSchemaEditor, table: str, message: str) -> None:
    """BEFORE UPDATE OR DELETE … RAISE EXCEPTION on ``table`` (PostgreSQL; a no-op elsewhere).
    Idempotent, so a migration may be re-applied after a reversal."""
    if schema_editor.connection.vendor != "postgresql":
        return
    qn = schema_editor.quote_name
    schema_editor.execute(FUNCTION_SQL)
    trigger = f"{table}_append_only"
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {qn(trigger)} ON {qn(table)}")
    schema_editor.execute(
        f"CREATE TRIGGER {qn(trigger)} BEFORE UPDATE OR DELETE ON {qn(table)} "
        f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}({_quote_literal(message)})"
    )


def remove_append_only_trigger(schema_editor: BaseDatabaseSchemaEditor, table: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    qn = schema_editor.quote_name
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {qn(table + '_append_only')} ON {qn(table)}")


def append_only_models() -> list[type[models.Model]]:
    from samplan.core.models import AppendOnly

    return [m for m in apps.get_models() if issubclass(m, AppendOnly) or getattr(m, "append_only", False)]


def append_only_tables() -> list[str]:
    return sorted(m._meta.db_table for m in append_only_models())


def grant_statements(role: str, schema: str, quote_name: Callable[[str], str], append_only: list[str]) -> list[str]:
    """The application role's privileges, from scratch each time (so a re-run is idempotent and
    takes back what an earlier version granted): everything revoked, then S/I/U/D on every
    table in the schema, then UPDATE/DELETE taken back on the append-only tables."""
    r, s = quote_name(role), quote_name(schema)
    statements = [
        f"GRANT USAGE ON SCHEMA {s} TO {r}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {s} FROM {r}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {s} FROM {r}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {s} TO {r}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {r}",
    ]
    statements += [f"REVOKE UPDATE, DELETE ON {quote_name(t)} FROM {r}" for t in append_only]
    return statements


# --- Connecting as the owner; granting the application role ---------------------------------

OWNER_URL_ENV = "SAMPLAN_MIGRATE_DATABASE_URL"


class AppRoleError(Exception):
    """The role cannot be the application role (missing, superuser, owns tables …)."""


def switch_to_owner(alias: str = DEFAULT_DB_ALIAS) -> str | None:
    """Reconnect ``alias`` as the owner role of ``SAMPLAN_MIGRATE_DATABASE_URL`` for the rest
    of this process (the migrate and grant commands) and return the application's user
    from ``DATABASE_URL``; ``None`` (and nothing changed) when the variable is unset or the
    database is not PostgreSQL. The database name stays the configured one (under the test
    runner: the test database), so the owner URL only gives who connects and where."""
    url = os.environ.get(OWNER_URL_ENV, "").strip()
    conn = connections[alias]
    if not url or conn.vendor != "postgresql":
        return None
    owner = dj_database_url.parse(url)
    if not owner["ENGINE"].endswith("postgresql"):
        raise ImproperlyConfigured(f"{OWNER_URL_ENV} must be a postgres:// URL.")
    app_user = conn.settings_dict["USER"]
    conn.close()
    for key in ("USER", "PASSWORD", "HOST", "PORT"):
        conn.settings_dict[key] = owner.get(key, "")
    conn.settings_dict["OPTIONS"] = {**conn.settings_dict.get("OPTIONS", {}), **owner.get("OPTIONS", {})}
    return app_user


def grant_app_role(role: str, alias: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Give ``role`` exactly the application's privileges (see ``grant_statements``) on the
    current schema, as the connected user (the owner). Refuses a role that could undo the
    guard: a superuser, the connected user itself, or a role that owns a table. Returns the
    append-only tables."""
    conn = connections[alias]
    if conn.vendor != "postgresql":
        raise AppRoleError("The application role is a PostgreSQL feature; SQLite keeps the ORM guard.")
    with conn.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
        row = cursor.fetchone()
        if row is None:
            raise AppRoleError(f"Role {role!r} does not exist; create it first (docs/operations.md).")
        if row[0]:
            raise AppRoleError(f"Role {role!r} is a superuser; a superuser can switch every guard off.")
        cursor.execute("SELECT current_user, current_schema()")
        current_user, schema = cursor.fetchone()
        if role == current_user:
            raise AppRoleError(f"Role {role!r} is the connected (owner) role; the application needs its own role.")
        cursor.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND pg_get_userbyid(c.relowner) = %s",
            [schema, role],
        )
        if cursor.fetchone()[0]:
            raise AppRoleError(f"Role {role!r} owns tables in schema {schema!r}; an owner can disable triggers.")
    tables = append_only_tables()
    with transaction.atomic(using=alias), conn.cursor() as cursor:
        for sql in grant_statements(role, schema, conn.ops.quote_name, tables):
            cursor.execute(sql)
    return tables
