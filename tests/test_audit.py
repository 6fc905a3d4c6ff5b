"""The audit trail (DOMAIN.md §12): services log who changed what with before/after, and
the log is append-only on every path — the ORM and raw SQL (database triggers)."""

import contextvars
import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory
from django.utils import timezone

import samplan
from samplan.cases import services
from samplan.cases.models import Case, FollowUp, Grant, Inquiry
from samplan.core import audit
from samplan.core.models import AuditEvent
from tests.factories import grant_spec, make_citizen, walk_case

Action = AuditEvent.Action


@pytest.fixture
def cw(users):
    return users["caseworker"]


@pytest.fixture
def citizen(org, cw):
    return make_citizen(org, caseworker=cw)


def _rows(obj, action=None):
    qs = AuditEvent.objects.filter(object_type=obj._meta.label, object_id=str(obj.pk))
    return qs.filter(action=action) if action else qs


# --- services write before/after -------------------------------------------------------------


def test_record_first_contact_writes_one_update_row(org, cw, citizen):
    inquiry = walk_case(cw, citizen, org, until="inquiry")["inquiry"]
    at = timezone.now() - dt.timedelta(hours=2)
    count = AuditEvent.objects.count()

    services.record_first_contact(cw, inquiry, at)

    # The update of the inquiry, and the journal note the first contact also is (issue 12).
    assert AuditEvent.objects.count() == count + 2
    assert (
        AuditEvent.objects.filter(object_type="journal.JournalNote", action=Action.CREATE, citizen_id_ref=citizen.pk).count() == 1
    )
    [row] = _rows(inquiry, Action.UPDATE)
    assert row.before["first_contact_at"] is None
    assert row.after["first_contact_at"] == at.isoformat()
    assert row.before["reason"] == row.after["reason"] == "Ønsker støtte i hverdagen"
    assert (row.user_id_ref, row.username, row.role) == (cw.pk, cw.username, "caseworker")
    assert (row.citizen_id_ref, row.municipality_id_ref) == (citizen.pk, org["municipality"].pk)
    assert row.object_type == "cases.Inquiry"
    assert isinstance(row.request_id, str)
    assert isinstance(row.path, str) and row.channel == "web"
    assert row.at is not None


def test_register_inquiry_writes_create_rows(org, cw, citizen):
    inquiry = walk_case(cw, citizen, org, until="inquiry")["inquiry"]
    [case_row] = _rows(inquiry.case, Action.CREATE)
    [inquiry_row] = _rows(inquiry, Action.CREATE)
    assert case_row.before is None and case_row.after["case_number"] == inquiry.case.case_number
    assert inquiry_row.after["source"] == "citizen"
    assert {case_row.citizen_id_ref, inquiry_row.citizen_id_ref} == {citizen.pk}


def test_status_transitions_are_logged_with_before_and_after(org, cw, citizen):
    case = walk_case(cw, citizen, org, until="assessment")["case"]
    [row] = _rows(case, Action.TRANSITION)
    assert (row.before["status"], row.after["status"]) == (Case.Status.INQUIRY, Case.Status.ASSESSMENT)


def test_grant_change_is_logged_on_both_versions(org, cw, citizen):
    out = walk_case(cw, citizen, org, until="order")
    spec = dataclasses.replace(grant_spec(org, out["condition"], amount="30"), change_reason="Mere støtte")
    v2 = services.change_grant(cw, out["grant"], spec)
    transitions = [(r.before["status"], r.after["status"]) for r in _rows(out["grant"], Action.TRANSITION).order_by("id")]
    # Saved as pending, took effect at once (within competence), superseded by the change.
    assert transitions == [(Grant.Status.PENDING, Grant.Status.ACTIVE), (Grant.Status.ACTIVE, Grant.Status.SUPERSEDED)]
    [new] = _rows(v2, Action.CREATE)
    assert new.after["scope_amount"] == "30"
    assert new.after["previous_id"] == out["grant"].pk
    assert new.after["target_groups"]["primary"]
    [moved] = _rows(out["order"], Action.UPDATE)
    assert (moved.before["grant_id"], moved.after["grant_id"]) == (out["grant"].pk, v2.pk)


def test_every_planned_follow_up_is_logged(org, cw, citizen):
    """Follow-ups are citizen data too: the planned first follow-up of a grant is logged
    like the yearly one planned after a follow-up."""
    out = walk_case(cw, citizen, org, until="grant")
    first = out["grant"].follow_ups.get()
    [row] = _rows(first, Action.CREATE)
    assert row.after["kind"] == FollowUp.Kind.FIRST and row.citizen_id_ref == citizen.pk
    services.complete_follow_up(cw, first, result=FollowUp.Result.CONTINUE, done_at=timezone.localdate())
    yearly = out["grant"].follow_ups.get(status=FollowUp.Status.PLANNED)
    assert _rows(yearly, Action.CREATE).count() == 1
    [done] = _rows(first, Action.TRANSITION)
    assert (done.before["status"], done.after["status"]) == (FollowUp.Status.PLANNED, FollowUp.Status.DONE)


def test_request_id_and_path_are_recorded_from_the_request(org, cw, citizen):
    inquiry = walk_case(cw, citizen, org, until="inquiry")["inquiry"]
    request = RequestFactory().post("/api/v1/henvendelser/1/", HTTP_X_REQUEST_ID="req-1234")

    def in_request():
        audit.bind_request(request)
        services.record_first_contact(cw, inquiry, timezone.now())

    contextvars.copy_context().run(in_request)  # keeps the bound request out of other tests
    [row] = _rows(inquiry, Action.UPDATE)
    assert (row.request_id, row.path, row.channel) == ("req-1234", "/api/v1/henvendelser/1/", "api")


def test_request_without_id_gets_a_generated_one():
    request = RequestFactory().get("/borgere/")

    def in_request():
        audit.bind_request(request)
        return audit.current_request_id()

    rid = contextvars.copy_context().run(in_request)
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", rid)


def test_read_is_logged(org, cw, citizen):
    row = audit.record_read(cw, citizen)
    assert (row.action, row.citizen_id_ref, row.object_type, row.object_id) == (
        Action.READ,
        citizen.pk,
        "citizens.Citizen",
        str(citizen.pk),
    )
    assert row.before is None and row.after is None


# --- append-only through the ORM -----------------------------------------------------------------


@pytest.fixture
def row(org, cw, citizen):
    return audit.record_read(cw, citizen)


def _unchanged(row):
    fresh = AuditEvent.objects.get(pk=row.pk)
    assert (fresh.action, fresh.username, fresh.citizen_id_ref) == (row.action, row.username, row.citizen_id_ref)


def test_instance_save_on_existing_row_refused(row):
    row.action = Action.UPDATE
    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError):
        row.save(update_fields=["action"])
    row.action = Action.READ
    _unchanged(row)


def test_save_with_an_existing_pk_refused(row):
    copy = AuditEvent(pk=row.pk, action=Action.UPDATE, object_type="x")
    with pytest.raises(PermissionError):
        copy.save()
    with pytest.raises(PermissionError):
        copy.save(force_insert=True)
    _unchanged(row)


def test_force_update_refused(row):
    with pytest.raises(PermissionError):
        AuditEvent(action=Action.UPDATE, object_type="x").save(force_update=True)
    _unchanged(row)


def test_instance_delete_refused(row):
    with pytest.raises(PermissionError):
        row.delete()
    _unchanged(row)


def test_queryset_update_refused(row):
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=row.pk).update(action="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().update(username="someone else")
    _unchanged(row)


def test_queryset_delete_refused(row):
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=row.pk).delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    _unchanged(row)


def test_bulk_update_and_update_or_create_refused(row):
    row.action = "x"
    # Both open atomic blocks of their own (bulk_update without a savepoint), so each
    # attempt gets a savepoint here to leave the test transaction usable.
    with pytest.raises(PermissionError), transaction.atomic():
        AuditEvent.objects.bulk_update([row], ["action"])
    with pytest.raises(PermissionError), transaction.atomic():
        AuditEvent.objects.update_or_create(pk=row.pk, defaults={"action": "x"})
    row.action = Action.READ
    _unchanged(row)


def test_orm_paths_around_the_manager_are_stopped_by_the_database(row):
    """The base manager and _raw_delete bypass the Python guard; the triggers still hold."""
    with pytest.raises((PermissionError, DatabaseError)), transaction.atomic():
        AuditEvent._base_manager.filter(pk=row.pk).update(action="x")
    with pytest.raises((PermissionError, DatabaseError)), transaction.atomic():
        AuditEvent._base_manager.filter(pk=row.pk).delete()
    with pytest.raises((PermissionError, DatabaseError)), transaction.atomic():
        AuditEvent.objects.filter(pk=row.pk)._raw_delete(AuditEvent.objects.db)
    _unchanged(row)


def test_inserting_new_rows_still_works(row):
    count = AuditEvent.objects.count()
    AuditEvent.objects.bulk_create([AuditEvent(action=Action.READ, object_type="x")])
    AuditEvent.objects.create(action=Action.READ, object_type="y")
    assert AuditEvent.objects.count() == count + 2


# --- append-only in the database (triggers) --------------------------------------------------------


def test_raw_sql_update_refused_by_database(row):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE core_auditevent SET action='x'")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE core_auditevent SET username='x' WHERE id = %s", [row.pk])
    _unchanged(row)


def test_raw_sql_delete_refused_by_database(row):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM core_auditevent")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM core_auditevent WHERE id = %s", [row.pk])
    assert AuditEvent.objects.filter(pk=row.pk).exists()
    _unchanged(row)


def test_raw_sql_insert_allowed(row):
    count = AuditEvent.objects.count()
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO core_auditevent (at, username, role, object_type, object_id, action, channel, request_id, path) "
            "VALUES (%s, '', '', 'x', '', 'read', 'web', '', '')",
            [timezone.now()],
        )
    assert AuditEvent.objects.count() == count + 1


# --- no code rewrites the log ------------------------------------------------------------------------

SRC = Path(samplan.__file__).resolve().parent
ORM_WRITE = re.compile(r"AuditEvent\.(objects|_base_manager|_default_manager)\.[^\n]*\.(update|delete|_raw_delete|bulk_update)\(")
RAW_WRITE = re.compile(r"(UPDATE|DELETE\s+FROM)\s+core_auditevent", re.IGNORECASE)


def test_patterns_catch_what_they_should():
    assert ORM_WRITE.search("AuditEvent.objects.filter(pk=1).update(action='x')")
    assert ORM_WRITE.search("AuditEvent.objects.all().delete()")
    assert ORM_WRITE.search("    AuditEvent._base_manager.filter(at__lt=x).delete()")
    assert not ORM_WRITE.search("AuditEvent.objects.create(action='read')")
    assert RAW_WRITE.search('cur.execute("delete from core_auditevent")')


def test_no_source_file_updates_or_deletes_audit_rows():
    offenders = []
    files = sorted(SRC.rglob("*.py"))
    assert len(files) > 10  # really looking at the source tree
    for path in files:
        rel = path.relative_to(SRC).as_posix()
        text = path.read_text(encoding="utf-8")
        for n, line in enumerate(text.splitlines(), 1):
            if rel != "core/models.py" and ORM_WRITE.search(line):
                offenders.append(f"{rel}:{n}: {line.strip()}")
            if rel != "core/migrations/0002_audit_append_only.py" and RAW_WRITE.search(line):
                offenders.append(f"{rel}:{n}: {line.strip()}")
    assert offenders == []


def test_audit_event_has_no_foreign_keys_that_could_cascade():
    assert [f.name for f in AuditEvent._meta.concrete_fields if f.is_relation] == []


def test_inquiry_snapshot_shape(org, cw, citizen):
    inquiry = walk_case(cw, citizen, org, until="inquiry")["inquiry"]
    snap = audit.snapshot(Inquiry.objects.get(pk=inquiry.pk))
    assert set(snap) == {f.attname for f in Inquiry._meta.concrete_fields}
    assert snap["case_id"] == inquiry.case_id and isinstance(snap["received_at"], str)
