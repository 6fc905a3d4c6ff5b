"""Journal notes (issue 12, point 1): the lock (ORM, page, database), corrections that keep
the original, who reads which notes, search, audit and the first contact's note."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from samplan.cases import services as case_services
from samplan.core import policy
from samplan.core.models import AuditEvent, Role
from samplan.journal import services
from samplan.journal.models import JournalNote, NoteAddendum
from tests.factories import make_citizen, make_user, walk_case


@pytest.fixture
def world(org, users):
    cw = users[Role.CASEWORKER]
    citizen = make_citizen(org, caseworker=cw, user=users[Role.CITIZEN], coordinator=users[Role.COORDINATOR])
    objs = walk_case(cw, citizen, org, until="order")  # an active order to org["provider"]
    other_provider = make_user(Role.PROVIDER_STAFF, org, unit=org["other_provider"])
    return {"citizen": citizen, "other_provider": other_provider, **objs}


def _note(user, citizen, **kw):
    data = {
        "kind": JournalNote.Kind.PHONE,
        "occurred_at": timezone.now() - dt.timedelta(hours=1),
        "subject": "Telefonsamtale",
        "text": "Borgeren ringede om sin bolig.",
    } | kw
    return services.create_note(user, citizen, **data)


def _age(note, hours=25):
    """Make a note older than the 24 hours without going through the guarded paths."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE journal_journalnote SET created_at = %s WHERE id = %s", [timezone.now() - dt.timedelta(hours=hours), note.pk]
        )
    note.refresh_from_db()


def _login(client, user):
    client.force_login(user)  # the test settings ask no second factor


# --- the lock -------------------------------------------------------------------------------


def test_a_note_is_locked_by_its_author_or_after_24_hours(users, world):
    cw = users[Role.CASEWORKER]
    note = _note(cw, world["citizen"])
    assert not note.is_locked
    services.change_note(cw, note, note.row_version, subject="Telefon om bolig")
    assert JournalNote.objects.get(pk=note.pk).subject == "Telefon om bolig"
    services.lock_note(cw, note)
    assert JournalNote.objects.get(pk=note.pk).is_locked
    young = _note(cw, world["citizen"])
    _age(young, hours=23)
    assert not young.is_locked
    _age(young, hours=25)
    assert young.is_locked


def test_a_locked_note_refuses_every_orm_path(users, world):
    cw = users[Role.CASEWORKER]
    note = _note(cw, world["citizen"])
    services.lock_note(cw, note)
    note.text = "Omskrevet"
    with pytest.raises(PermissionError):
        note.save()
    with pytest.raises(PermissionError):
        JournalNote.objects.filter(pk=note.pk).update(text="Omskrevet")
    with pytest.raises(PermissionError), transaction.atomic():  # bulk_update leaves no savepoint
        JournalNote.objects.bulk_update([note], ["text"])
    with pytest.raises(PermissionError):
        note.delete()
    old = _note(cw, world["citizen"])
    _age(old)
    with pytest.raises(PermissionError):
        JournalNote.objects.filter(pk=old.pk).update(subject="x")
    with pytest.raises(services.DomainError):
        services.change_note(cw, old, old.row_version, text="Omskrevet")
    assert JournalNote.objects.get(pk=note.pk).text == "Borgeren ringede om sin bolig."


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's; SQLite keeps the ORM guard")
def test_postgresql_refuses_a_raw_update_of_a_locked_note(users, world):
    cw = users[Role.CASEWORKER]
    locked = _note(cw, world["citizen"])
    services.lock_note(cw, locked)
    old = _note(cw, world["citizen"])
    _age(old)
    for note in (locked, old):
        with pytest.raises(DatabaseError, match="låst"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE journal_journalnote SET text = 'x' WHERE id = %s", [note.pk])
        with pytest.raises(DatabaseError, match="låst"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM journal_journalnote WHERE id = %s", [note.pk])
    fresh = _note(cw, world["citizen"])
    with connection.cursor() as cursor:  # an unlocked note is an ordinary row
        cursor.execute("UPDATE journal_journalnote SET subject = 'Ny' WHERE id = %s", [fresh.pk])
    addendum = services.add_to_note(cw, locked, kind=NoteAddendum.Kind.ADDENDUM, text="Mere")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE journal_noteaddendum SET text = 'x' WHERE id = %s", [addendum.pk])


def test_a_correction_keeps_the_original_visible(client, users, world):
    cw = users[Role.CASEWORKER]
    note = _note(cw, world["citizen"], text="Mødet var tirsdag.")
    with pytest.raises(services.DomainError):  # not yet locked: the author still edits
        services.add_to_note(cw, note, kind=NoteAddendum.Kind.CORRECTION, text="Mødet var onsdag.")
    services.lock_note(cw, note)
    services.add_to_note(cw, note, kind=NoteAddendum.Kind.CORRECTION, text="Mødet var onsdag.")
    _login(client, cw)
    page = client.get(reverse("note-detail", args=[note.pk])).content.decode()
    assert "<del" in page and "Mødet var tirsdag." in page and "Mødet var onsdag." in page and "Rettet" in page
    assert page.index("Mødet var tirsdag.") < page.index("Mødet var onsdag.")
    assert JournalNote.objects.get(pk=note.pk).text == "Mødet var tirsdag."


def test_only_provider_staff_write_dagbog_and_their_notes_carry_the_provider(org, users, world):
    with pytest.raises(services.DomainError):
        _note(users[Role.CASEWORKER], world["citizen"], kind=JournalNote.Kind.DIARY)
    note = _note(users[Role.PROVIDER_STAFF], world["citizen"], kind=JournalNote.Kind.DIARY, order=world["order"])
    assert note.provider_unit == org["provider"] and note.case == world["case"]


def test_a_note_is_tied_only_to_the_citizens_own_case(org, users, world):
    other = make_citizen(org, caseworker=users[Role.CASEWORKER])
    with pytest.raises(services.DomainError):
        _note(users[Role.CASEWORKER], other, case=world["case"])


# --- who reads which notes -------------------------------------------------------------------


def test_visible_notes_per_role(org, users, world):
    citizen = world["citizen"]
    authority = _note(users[Role.CASEWORKER], citizen)
    shared = _note(users[Role.CASEWORKER], citizen, shared_with_citizen=True)
    diary = _note(users[Role.PROVIDER_STAFF], citizen, kind=JournalNote.Kind.DIARY)

    def seen(user):  # (leaving out the first contact's note that walk_case wrote)
        return set(policy.visible_notes(user).exclude(subject="Første kontakt").values_list("pk", flat=True))

    assert seen(users[Role.CASEWORKER]) == {authority.pk, shared.pk, diary.pk}
    assert seen(users[Role.COORDINATOR]) == {authority.pk, shared.pk}
    assert seen(users[Role.PROVIDER_STAFF]) == {diary.pk}
    assert seen(world["other_provider"]) == set()
    assert seen(users[Role.CITIZEN]) == {shared.pk}
    for role in (Role.MANAGER, Role.ADMIN, Role.RELATIVE, Role.COMMITTEE):
        assert seen(users[role]) == set()
    # The object answers follow the same rule: 404 for a note one may not know exists.
    assert policy.decide(users[Role.COORDINATOR], policy.NOTE_VIEW, diary).status == 404
    assert policy.decide(world["other_provider"], policy.NOTE_VIEW, diary).status == 404
    assert policy.decide(users[Role.MANAGER], policy.NOTE_VIEW, authority).status == 404
    assert policy.decide(users[Role.CITIZEN], policy.NOTE_VIEW, authority).status == 404
    assert policy.decide(users[Role.CITIZEN], policy.NOTE_VIEW, shared).status == 200
    assert policy.decide(users[Role.CASEWORKER], policy.NOTE_VIEW, diary).status == 200


def test_only_the_author_edits_and_only_until_locked(users, world):
    cw, coordinator = users[Role.CASEWORKER], users[Role.COORDINATOR]
    note = _note(cw, world["citizen"])
    assert policy.decide(cw, policy.NOTE_EDIT, note).status == 200
    refusal = policy.decide(coordinator, policy.NOTE_EDIT, note)
    assert refusal.status == 403 and refusal.reason == policy.NOT_NOTE_AUTHOR
    assert policy.decide(coordinator, policy.NOTE_ADDENDUM, note).status == 403  # not locked yet
    services.lock_note(cw, note)
    refusal = policy.decide(cw, policy.NOTE_EDIT, note)
    assert refusal.status == 403 and refusal.reason == policy.NOTE_LOCKED
    assert policy.decide(coordinator, policy.NOTE_ADDENDUM, note).status == 200
    with pytest.raises(PermissionDenied):
        policy.require(cw, policy.NOTE_EDIT, note)
    with pytest.raises(Http404):
        policy.require(users[Role.MANAGER], policy.NOTE_EDIT, note)


# --- first contact -----------------------------------------------------------------------


def test_first_contact_records_a_note(org, users):
    cw = users[Role.CASEWORKER]
    citizen = make_citizen(org, caseworker=cw)
    inquiry = case_services.register_inquiry(
        cw, citizen, source="citizen", reason="Hjælp", received_at=timezone.now() - dt.timedelta(days=2)
    )
    at = timezone.now() - dt.timedelta(days=1)
    case_services.record_first_contact(cw, inquiry, at, how=JournalNote.Kind.HOME_VISIT, note="Besøg i hjemmet.")
    note = JournalNote.objects.get(citizen=citizen)
    assert (note.kind, note.occurred_at, note.text, note.case) == (
        JournalNote.Kind.HOME_VISIT,
        at,
        "Besøg i hjemmet.",
        inquiry.case,
    )


def test_first_contact_page_records_the_typed_note(client, org, users):
    cw = users[Role.CASEWORKER]
    citizen = make_citizen(org, caseworker=cw)
    inquiry = case_services.register_inquiry(
        cw, citizen, source="citizen", reason="Hjælp", received_at=timezone.now() - dt.timedelta(days=2)
    )
    _login(client, cw)
    at = timezone.localtime() - dt.timedelta(hours=3)
    response = client.post(
        reverse("case-first-contact", args=[inquiry.case.pk]),
        {"first_contact_at": at.strftime("%Y-%m-%dT%H:%M"), "how": "email", "note": "Skrev om møde."},
    )
    assert response.status_code == 302
    note = JournalNote.objects.get(citizen=citizen)
    assert (note.kind, note.text) == ("email", "Skrev om møde.")


# --- pages: list, search, audit, query counts, create, edit, lock --------------------------


def _read_rows(citizen):
    return AuditEvent.objects.filter(action=AuditEvent.Action.READ, citizen_id_ref=citizen.pk)


def test_the_note_list_searches_and_writes_one_audit_row_naming_the_citizen(client, users, world):
    cw = users[Role.CASEWORKER]
    citizen = world["citizen"]
    _note(cw, citizen, subject="Bolig", text="Samtale om husleje og flytning.")
    _note(cw, citizen, subject="Job", text="Praktik i Netto.")
    _login(client, cw)
    before = _read_rows(citizen).count()
    page = client.get(reverse("note-list", args=[citizen.pk]), {"q": "husleje flytning"}).content.decode()
    assert "Bolig" in page and "Praktik i Netto" not in page
    assert _read_rows(citizen).count() == before + 1
    page = client.get(reverse("note-list", args=[citizen.pk]), {"q": "netto"}).content.decode()
    assert "Praktik i Netto" in page and "husleje" not in page


@pytest.mark.parametrize("url_name", ["note-list", "citizen-overview"])
def test_query_count_does_not_grow_with_the_notes(client, users, world, url_name, django_assert_max_num_queries):
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    cw = users[Role.CASEWORKER]
    citizen = world["citizen"]
    _login(client, cw)
    url = reverse(url_name, args=[citizen.pk])

    def count() -> int:
        client.get(url)  # warm the session and the per-process caches
        with CaptureQueriesContext(conn) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    for _ in range(5):
        _note(cw, citizen)
    few = count()
    notes = [
        JournalNote(
            citizen=citizen,
            kind=JournalNote.Kind.PHONE,
            occurred_at=timezone.now() - dt.timedelta(hours=2),
            author=cw,
            author_role=cw.role,
            subject=f"Notat {i}",
            text="Tekst",
            shared_with_citizen=bool(i % 2),
        )
        for i in range(195)
    ]
    JournalNote.objects.bulk_create(notes)
    for note in JournalNote.objects.filter(subject__startswith="Notat ")[:20]:
        NoteAddendum.objects.create(note=note, kind=NoteAddendum.Kind.ADDENDUM, text="Mere", author=cw, author_role=cw.role)
    assert JournalNote.objects.filter(citizen=citizen).count() >= 200
    assert count() == few


def test_a_note_is_created_once_per_submit_and_tied_to_the_case(client, users, world):
    cw = users[Role.CASEWORKER]
    citizen = world["citizen"]
    _login(client, cw)
    url = reverse("note-create", args=[citizen.pk])
    form = client.get(url, {"sag": world["case"].pk}).content.decode()
    assert 'name="sag"' in form
    token = form.split('name="form_token" value="')[1].split('"')[0]
    data = {
        "form_token": token,
        "sag": world["case"].pk,
        "kind": "telefon",
        "occurred_at": (timezone.localtime() - dt.timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M"),
        "subject": "Opkald",
        "text": "Borgeren ringede.",
    }
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    notes = JournalNote.objects.filter(citizen=citizen, subject="Opkald")
    assert notes.count() == 1 and notes.get().case == world["case"]


def test_edit_with_row_version_and_no_edit_once_locked(client, users, world):
    cw = users[Role.CASEWORKER]
    note = _note(cw, world["citizen"])
    _login(client, cw)
    url = reverse("note-edit", args=[note.pk])
    data = {
        "kind": "telefon",
        "occurred_at": timezone.localtime(note.occurred_at).strftime("%Y-%m-%dT%H:%M"),
        "subject": "Rettet emne",
        "text": "Rettet tekst",
        "version": note.row_version,
    }
    assert client.post(url, data).status_code == 302
    stale = client.post(url, data | {"text": "Gammel version"})  # the version read before the first save
    assert stale.status_code == 409
    shown = stale.content.decode()
    assert "Rettet tekst" in shown and "Gammel version" in shown  # the saved text beside the typed one
    assert JournalNote.objects.get(pk=note.pk).text == "Rettet tekst"
    assert client.post(reverse("note-lock", args=[note.pk])).status_code == 302
    refused = client.post(url, data | {"version": note.row_version + 2, "text": "Efter lås"})
    assert refused.status_code == 403
    assert client.post(reverse("note-lock", args=[note.pk])).status_code == 403
    assert JournalNote.objects.get(pk=note.pk).text == "Rettet tekst"


def test_the_citizen_sees_no_staff_note_page_and_other_providers_get_404(client, users, world):
    diary = _note(users[Role.PROVIDER_STAFF], world["citizen"], kind=JournalNote.Kind.DIARY)
    _login(client, world["other_provider"])
    assert client.get(reverse("note-detail", args=[diary.pk])).status_code == 404
    assert client.get(reverse("note-list", args=[world["citizen"].pk])).status_code == 404
    _login(client, users[Role.PROVIDER_STAFF])
    assert client.get(reverse("note-detail", args=[diary.pk])).status_code == 200


# --- the timeline --------------------------------------------------------------------------


def test_the_timeline_shows_notes_and_same_day_events_in_true_time_order(org, users):
    from samplan.cases.models import Decision
    from samplan.cases.overview import citizen_timeline
    from samplan.terminology import ffb
    from tests.factories import ad_theme, other_theme

    cw = users[Role.CASEWORKER]
    citizen = make_citizen(org, caseworker=cw)
    morning = timezone.now() - dt.timedelta(minutes=10)  # today: before the fix a decision sat at midnight
    inquiry = case_services.register_inquiry(cw, citizen, source="citizen", reason="Hjælp", received_at=morning)
    case_services.record_first_contact(cw, inquiry, morning + dt.timedelta(minutes=1))
    assessment = case_services.start_assessment(cw, inquiry.case)
    case_services.set_condition(cw, assessment, theme=ad_theme(), functioning_level=3)
    case_services.set_condition(cw, assessment, theme=other_theme(), functioning_level=None)
    case_services.complete_assessment(
        cw, assessment, citizen_wishes="Bo selv", support_need=ffb.children(ffb.SUPPORT_NEED).first()
    )
    case_services.make_decision(
        cw,
        inquiry.case,
        outcome=Decision.Outcome.REFUSED,
        legal_basis="§85",
        justification="Ikke behov",
        decided_at=timezone.localdate(),
        consultation_not_needed_reason="Borgeren kender oplysningerne",
    )
    kinds = [e.kind for e in citizen_timeline(citizen, cw)["events"]]
    assert kinds.index("inquiry") < kinds.index("contact") < kinds.index("note") < kinds.index("decision")
    assert kinds.index("assessment") < kinds.index("decision")


def test_the_citizen_sees_only_shared_notes_on_min_side(client, users, world):
    cw = users[Role.CASEWORKER]
    _note(cw, world["citizen"], subject="Delt notat", shared_with_citizen=True)
    _note(cw, world["citizen"], subject="Internt notat")
    _login(client, users[Role.CITIZEN])
    before = _read_rows(world["citizen"]).count()
    page = client.get(reverse("my-notes")).content.decode()
    assert "Delt notat" in page and "Internt notat" not in page
    assert _read_rows(world["citizen"]).count() == before + 1
