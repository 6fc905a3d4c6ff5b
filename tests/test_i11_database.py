"""The audit trail and the other history tables, protected by PostgreSQL itself (issue 11, 8).

Triggers refuse raw UPDATE/DELETE on every append-only table, for every role. The role the
application connects as owns no table and has only INSERT/SELECT on those tables, so it
cannot TRUNCATE them, disable the triggers or set session_replication_role. The suite's
database user is a superuser, which may SET ROLE to a throw-away application role created
(and rolled back) inside each test."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from samplan.citizens.models import Citizen
from samplan.consent import services as consent_services
from samplan.consent.models import ConsentEvent
from samplan.core import audit, dbguard
from samplan.core.models import AuditEvent, Role
from samplan.meetings import services as meeting_services
from samplan.meetings.models import MeetingEvent
from samplan.plans import services as plan_services
from samplan.plans.models import PlanVersion
from samplan.questionnaires import services as questionnaire_services
from samplan.questionnaires.models import Answer, Response
from tests.factories import make_citizen

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="database triggers and roles are PostgreSQL's; SQLite keeps the ORM guard",
    ),
    pytest.mark.django_db,
]

APP_ROLE = "samplan_app_test"


def _refused(sql: str, params=None) -> str:
    """Run ``sql`` in a savepoint and return the database's refusal (fails if it succeeds)."""
    with pytest.raises(DatabaseError) as caught, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
    return str(caught.value)


@pytest.fixture
def rows(org, users):
    citizen = make_citizen(org, caseworker=users[Role.CASEWORKER], user=users[Role.CITIZEN])
    plan = plan_services.get_or_create_plan(citizen, users[Role.CASEWORKER])
    version = plan_services.update_wishes(users[Role.CASEWORKER], plan, "Jeg vil have min egen have.")
    member = consent_services.add_member(users[Role.CITIZEN], citizen, name="Lise Hansen", relation="Mor")
    consent = consent_services.give(users[Role.CITIZEN], member, ConsentEvent.Kind.CONTACT)
    event = audit.record(users[Role.CASEWORKER], AuditEvent.Action.READ, citizen, object_type="citizens.Citizen")
    qv = questionnaire_services.current_version()
    items = questionnaire_services.items_of(qv)
    response = questionnaire_services.submit_response(
        users[Role.CITIZEN], citizen, qv, {i.key: (5, "") for i in items}, channel=Response.Channel.PORTAL
    )
    meeting = meeting_services.request_meeting(users[Role.CITIZEN], citizen, purpose="Overblik")
    # The history row a scheduling writes, inserted directly (inserting is what the guard allows).
    meeting_event = MeetingEvent.objects.create(meeting=meeting, kind=MeetingEvent.Kind.SCHEDULED, by=users[Role.CASEWORKER])
    return {
        "citizen": citizen,
        "version": version,
        "consent": consent,
        "audit": event,
        "response": response,
        "meeting_event": meeting_event,
    }


@pytest.fixture
def app_role(db):
    """A login role like production's application role, granted by the real command."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {APP_ROLE} LOGIN")
    call_command("grant_app_role", APP_ROLE)
    return APP_ROLE


class _AsRole:
    def __init__(self, role: str):
        self.role = role

    def __enter__(self):
        with connection.cursor() as cursor:
            cursor.execute(f"SET ROLE {self.role}")

    def __exit__(self, *exc):
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


# --- triggers: raw SQL cannot rewrite history, not even as the owner/superuser ---------------


@pytest.mark.parametrize(
    ("table", "key", "message"),
    [
        ("plans_planversion", "version", "Planversioner kan ikke ændres eller slettes."),
        ("consent_consentevent", "consent", "Samtykkehistorik kan ikke ændres eller slettes."),
        ("core_auditevent", "audit", "Revisionsloggen kan ikke ændres eller slettes."),
        ("questionnaires_response", "response", "Besvarelser kan ikke ændres eller slettes."),
        ("meetings_meetingevent", "meeting_event", "Mødehistorik kan ikke ændres eller slettes."),
    ],
)
def test_raw_update_and_delete_fail_on_history_tables(rows, table, key, message):
    pk = rows[key].pk
    assert message in _refused(f"UPDATE {table} SET id = id WHERE id = %s", [pk])  # noqa: S608
    assert message in _refused(f"DELETE FROM {table} WHERE id = %s", [pk])  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table} WHERE id = %s", [pk])  # noqa: S608
        assert cursor.fetchone()[0] == 1


def test_raw_answer_update_fails(rows):
    answer = Answer.objects.filter(response=rows["response"]).first()
    assert "Svar kan ikke ændres eller slettes." in _refused(
        "UPDATE questionnaires_answer SET value = 1 WHERE id = %s", [answer.pk]
    )


def test_every_append_only_table_has_the_trigger():
    tables = dbguard.append_only_tables()
    assert {
        "core_auditevent",
        "plans_planversion",
        "consent_consentevent",
        "meetings_meetingevent",
        "questionnaires_response",
        "questionnaires_answer",
        "calculators_companionusage",
        "calculators_extracostcalculation",
    } <= set(tables)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = c.relname || '_append_only' AND t.tgenabled = 'O' AND NOT t.tgisinternal"
        )
        guarded = {r[0] for r in cursor.fetchall()}
    assert set(tables) <= guarded


# --- the application role ---------------------------------------------------------------------


def test_app_role_cannot_truncate_disable_triggers_or_replicate(rows, app_role):
    with _AsRole(app_role):
        assert "permission denied" in _refused("TRUNCATE core_auditevent")
        assert "must be owner" in _refused("ALTER TABLE core_auditevent DISABLE TRIGGER ALL")
        assert "must be owner" in _refused("ALTER TABLE plans_planversion DISABLE TRIGGER ALL")
        assert "permission denied" in _refused("SET session_replication_role = replica")
        assert "must be owner" in _refused("DROP TABLE core_auditevent")
    assert AuditEvent.objects.filter(pk=rows["audit"].pk).exists()


def test_app_role_cannot_update_or_delete_history_but_can_insert_and_read(rows, app_role):
    pk = rows["audit"].pk
    with _AsRole(app_role):
        for table in dbguard.append_only_tables():
            # Refused by the missing privilege, before any trigger runs.
            assert "permission denied" in _refused(f"UPDATE {table} SET id = id")  # noqa: S608
            assert "permission denied" in _refused(f"DELETE FROM {table}")  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            assert cursor.fetchone()[0] == app_role
        event = audit.record(None, AuditEvent.Action.SEARCH, object_type="citizens.Citizen")
        assert AuditEvent.objects.filter(pk__in=[pk, event.pk]).count() == 2


def test_the_app_works_as_the_app_role(org, users, app_role):
    with _AsRole(app_role):
        citizen = make_citizen(org, caseworker=users[Role.CASEWORKER], first_name="Rolle")
        citizen.first_name = "Rollemodel"
        citizen.save()
        plan = plan_services.get_or_create_plan(citizen, users[Role.CASEWORKER])
        plan_services.update_wishes(users[Role.CASEWORKER], plan, "Skrevet som applikationens rolle.")
    assert Citizen.objects.get(pk=citizen.pk).first_name == "Rollemodel"
    assert PlanVersion.objects.filter(plan=plan).count() == 1


def test_grant_is_idempotent_and_takes_back_extra_privileges(app_role):
    with connection.cursor() as cursor:
        cursor.execute(f"GRANT TRUNCATE, UPDATE ON core_auditevent TO {app_role}")
    call_command("grant_app_role", app_role)
    call_command("grant_app_role", app_role)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT privilege_type FROM information_schema.role_table_grants WHERE grantee = %s AND table_name = %s",
            [app_role, "core_auditevent"],
        )
        assert sorted(r[0] for r in cursor.fetchall()) == ["INSERT", "SELECT"]
        cursor.execute(
            "SELECT privilege_type FROM information_schema.role_table_grants WHERE grantee = %s AND table_name = %s",
            [app_role, "citizens_citizen"],
        )
        assert sorted(r[0] for r in cursor.fetchall()) == ["DELETE", "INSERT", "SELECT", "UPDATE"]


def test_grant_refuses_a_role_that_could_undo_the_guard(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        me = cursor.fetchone()[0]
        cursor.execute("CREATE ROLE samplan_owner_test")
        cursor.execute("ALTER TABLE core_municipality OWNER TO samplan_owner_test")
    with pytest.raises(CommandError, match="superuser|connected"):
        call_command("grant_app_role", me)
    with pytest.raises(CommandError, match="owns tables"):
        call_command("grant_app_role", "samplan_owner_test")
    with pytest.raises(CommandError, match="does not exist"):
        call_command("grant_app_role", "samplan_no_such_role")
