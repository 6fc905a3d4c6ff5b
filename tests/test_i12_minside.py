"""Min side's letters and documents (issue 12, point 6): the citizen reads their sent letters
(text and PDF) and the documents shared with them, and sends a document to the caseworker.
Drafts, failed letters, unshared documents and other citizens' things are 404."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samplan.core import policy
from samplan.core.models import AuditEvent, Role
from samplan.documents import services as document_services
from samplan.documents.models import Document
from samplan.letters import services as letter_services
from samplan.letters.models import Kind, Letter
from samplan.portal import landing
from tests.factories import PASSWORD, make_citizen, make_user, walk_case
from tests.test_i12_docs import EXE, pdf_bytes


def client_for(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def world(org, users, tmp_path, settings):
    settings.SAMPLAN_LETTER_OUTBOX = str(tmp_path)
    cw = users[Role.CASEWORKER]
    citizen = make_citizen(org, caseworker=cw, user=users[Role.CITIZEN])
    objs = walk_case(cw, citizen, org, until="order")
    other_user = make_user(Role.CITIZEN, org)
    other = make_citizen(org, caseworker=cw, user=other_user, first_name="Bo")
    return {"cw": cw, "citizen": citizen, "case": objs["case"], "other": other, "other_user": other_user}


def send(cw, case) -> Letter:
    """A real decision letter, approved (PDF made) and delivered."""
    letter = letter_services.create_letter(cw, case, kind=Kind.GRANT)
    letter = letter_services.approve_and_send(cw, letter, expected_version=letter.row_version)
    letter_services.record_delivery(letter.pk, backend="outbox", receipt={"reference": "r-1"})
    letter.refresh_from_db()
    assert letter.status == Letter.Status.SENT
    return letter


def copy_letter(letter: Letter, **changes) -> Letter:
    """Another letter like ``letter`` (for lists: no PDF rendering per row)."""
    fields = {
        f.name: getattr(letter, f.name) for f in Letter._meta.concrete_fields if f.name not in ("id", "created_at", "row_version")
    }
    return Letter.objects.create(**(fields | changes))


def reads_of(citizen, object_type: str):
    return AuditEvent.objects.filter(action=AuditEvent.Action.READ, citizen_id_ref=citizen.pk, object_type=object_type)


# --- Letters ------------------------------------------------------------------------------------


def test_citizen_sees_own_sent_letters_not_drafts_failed_or_others(world, users):
    sent = send(world["cw"], world["case"])
    draft = letter_services.create_letter(world["cw"], world["case"], kind=Kind.PARTIAL_GRANT)
    failed = copy_letter(sent, status=Letter.Status.FAILED, subject="Fejlet brev")
    others = copy_letter(sent, citizen=world["other"], case=None, subject="Bos brev")
    client = client_for(users[Role.CITIZEN])

    page = client.get(reverse("my-letters"))
    assert page.status_code == 200
    html = page.content.decode()
    assert sent.subject in html and "Svar: du får hjælp" in html
    assert "Fejlet brev" not in html and "Bos brev" not in html
    assert reverse("my-letter", args=[draft.pk]) not in html

    detail = client.get(reverse("my-letter", args=[sent.pk]))
    assert detail.status_code == 200
    assert "Hvis du vil klage" in detail.content.decode()  # the appeal guidance, in the text
    for hidden in (draft, failed, others):
        assert client.get(reverse("my-letter", args=[hidden.pk])).status_code == 404
        assert client.get(reverse("my-letter-pdf", args=[hidden.pk])).status_code == 404


def test_letter_pdf_is_a_pdf_with_a_safe_name_and_an_audit_row(world, users):
    sent = send(world["cw"], world["case"])
    client = client_for(users[Role.CITIZEN])
    before = reads_of(world["citizen"], "letters.Letter").count()
    response = client.get(reverse("my-letter-pdf", args=[sent.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert response["Content-Disposition"] == f'attachment; filename="brev-{sent.sent_at.date().isoformat()}-{sent.pk}.pdf"'
    rows = reads_of(world["citizen"], "letters.Letter")
    assert rows.count() == before + 1
    assert rows.latest("pk").object_id == str(sent.pk)


def test_staff_and_relatives_do_not_reach_min_side_letters(world, users):
    sent = send(world["cw"], world["case"])
    relative = client_for(users[Role.RELATIVE])
    assert relative.get(reverse("my-letter", args=[sent.pk])).status_code == 403  # Min side is the citizen's
    assert client_for(world["cw"]).get(reverse("my-letters")).status_code == 403
    other = client_for(world["other_user"])
    assert other.get(reverse("my-letter", args=[sent.pk])).status_code == 404
    assert sent.subject not in other.get(reverse("my-letters")).content.decode()


def test_landing_page_shows_letters_and_documents(world, users):
    sent = send(world["cw"], world["case"])
    html = client_for(users[Role.CITIZEN]).get(reverse("my-page")).content.decode()
    assert "Du har 1 brev fra kommunen" in html and sent.subject in html
    assert reverse("my-letters") in html and reverse("my-documents") in html and reverse("my-document-upload") in html
    assert landing.context(world["cw"]) == {}  # nothing for staff


# --- Documents ----------------------------------------------------------------------------------


def staff_upload(world, *, shared: bool, title: str) -> Document:
    return document_services.upload_document(
        world["cw"],
        world["citizen"],
        file=SimpleUploadedFile("x.pdf", pdf_bytes()),
        kind=Document.Kind.MEDICAL_STATEMENT,
        title=title,
        shared_with_citizen=shared,
    )


def test_citizen_sees_shared_documents_not_unshared(world, users):
    shared = staff_upload(world, shared=True, title="Delt erklæring")
    hidden = staff_upload(world, shared=False, title="Intern erklæring")
    client = client_for(users[Role.CITIZEN])
    html = client.get(reverse("my-documents")).content.decode()
    assert "Delt erklæring" in html and "Intern erklæring" not in html
    before = reads_of(world["citizen"], "documents.Document").count()
    download = client.get(reverse("my-document-file", args=[shared.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF-")
    assert reads_of(world["citizen"], "documents.Document").count() == before + 1
    assert client.get(reverse("my-document-file", args=[hidden.pk])).status_code == 404
    assert client_for(world["other_user"]).get(reverse("my-document-file", args=[shared.pk])).status_code == 404


def post_my_upload(client, data: bytes, name: str = "brev.pdf", **fields):
    body = {"title": "Brev fra min læge", "comment": "Her er brevet.", **fields}
    body["file"] = SimpleUploadedFile(name, data, content_type="application/pdf")
    return client.post(reverse("my-document-upload"), body)


def test_upload_refused_for_a_wrong_type_with_the_title_kept(world, users):
    response = post_my_upload(client_for(users[Role.CITIZEN]), EXE, title="Min titel")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Filen er ikke en tilladt filtype" in html and 'value="Min titel"' in html and "Her er brevet." in html
    assert not Document.objects.exists()


def test_upload_refused_when_too_large_with_the_title_kept(world, users, settings):
    settings.SAMPLAN_UPLOAD_MAX_MB = 0.01
    response = post_my_upload(client_for(users[Role.CITIZEN]), pdf_bytes() + b"0" * 20_000, title="Stort brev")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Filen er for stor. Den må højst fylde 0,01 MB." in html and 'value="Stort brev"' in html
    assert not Document.objects.exists()


def test_accepted_upload_is_on_the_staff_list_marked_from_the_citizen(world, users):
    client = client_for(users[Role.CITIZEN])
    response = post_my_upload(client, pdf_bytes())
    assert response.status_code == 302 and response["Location"] == reverse("my-documents")
    document = Document.objects.get()
    assert (document.citizen, document.uploaded_by, document.uploaded_by_role, document.from_citizen) == (
        world["citizen"],
        users[Role.CITIZEN],
        Role.CITIZEN,
        True,
    )
    assert (document.kind, document.comment, document.shared_with_citizen) == (Document.Kind.OTHER, "Her er brevet.", False)
    assert "Brev fra min læge" in client.get(reverse("my-documents")).content.decode()  # the citizen's own
    staff = client_for(world["cw"]).get(reverse("citizen-documents", args=[world["citizen"].pk])).content.decode()
    assert "Brev fra min læge" in staff and "Fra borgeren" in staff and "Her er brevet." in staff


def test_upload_is_idempotent_per_form_token(world, users):
    client = client_for(users[Role.CITIZEN])
    first = post_my_upload(client, pdf_bytes(), form_token="8b0e7c1e-5d3a-4c6f-9a51-0c1d2e3f4a5b")
    again = post_my_upload(client, pdf_bytes(), form_token="8b0e7c1e-5d3a-4c6f-9a51-0c1d2e3f4a5b")
    assert first.status_code == again.status_code == 302
    assert Document.objects.count() == 1


# --- Policy rows ------------------------------------------------------------------------------


def test_policy_matrix_for_min_side_documents(world, users):
    citizen_user, relative = users[Role.CITIZEN], users[Role.RELATIVE]
    own = document_services.upload_from_citizen(
        citizen_user, world["citizen"], file=SimpleUploadedFile("a.pdf", pdf_bytes()), title="Eget"
    )
    # The citizen: upload to themself, read their own and shared ones; nobody else's.
    assert policy.can(citizen_user, policy.UPLOAD_OWN_DOCUMENT, world["citizen"])
    assert policy.can(citizen_user, policy.VIEW_DOCUMENT, own)
    assert policy.decide(citizen_user, policy.UPLOAD_OWN_DOCUMENT, world["other"]).status == 404
    assert policy.decide(citizen_user, policy.UPLOAD_DOCUMENT, world["citizen"]).status == 403
    # Another citizen knows nothing of it; a relative none; staff may not upload "as the citizen".
    assert policy.decide(world["other_user"], policy.VIEW_DOCUMENT, own).status == 404
    assert policy.decide(world["other_user"], policy.UPLOAD_OWN_DOCUMENT, world["citizen"]).status == 404
    assert policy.decide(relative, policy.VIEW_DOCUMENT, own).status == 404
    assert not policy.can(relative, policy.UPLOAD_OWN_DOCUMENT, world["citizen"])
    assert policy.decide(world["cw"], policy.UPLOAD_OWN_DOCUMENT, world["citizen"]).status == 403
    assert policy.can(world["cw"], policy.VIEW_DOCUMENT, own)
    assert list(policy.visible(world["other_user"], Document.objects.all())) == []
    with pytest.raises(document_services.DocumentError):
        document_services.upload_from_citizen(
            citizen_user, world["other"], file=SimpleUploadedFile("a.pdf", pdf_bytes()), title="Andres"
        )


# --- Query counts -------------------------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["my-letters", "my-documents"])
def test_list_queries_do_not_grow_with_rows(world, users, url_name):
    """3 rows and then 30 rows: the same number of queries."""
    sent = send(world["cw"], world["case"])

    def add(n: int) -> None:
        for i in range(n):
            copy_letter(sent, subject=f"Brev {i}")
            staff_upload(world, shared=True, title=f"Dokument {i}")

    client = client_for(users[Role.CITIZEN])
    add(2)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse(url_name)).status_code == 200
    add(27)
    with CaptureQueriesContext(connection) as large:
        assert client.get(reverse(url_name)).status_code == 200
    assert len(large) == len(small) <= 20


# --- Demo ---------------------------------------------------------------------------------------


def test_demo_letter_is_sent_through_the_services_once(world, users):
    from samplan.demo.letters import seed_demo_letters

    assert seed_demo_letters(world["citizen"], caseworker=world["cw"]) == 1
    assert seed_demo_letters(world["citizen"], caseworker=world["cw"]) == 0
    letter = Letter.objects.get(citizen=world["citizen"])
    assert (letter.status, letter.kind, letter.backend) == (Letter.Status.SENT, Kind.GRANT, "outbox")
    assert bytes(letter.pdf).startswith(b"%PDF-")
    assert client_for(users[Role.CITIZEN]).get(reverse("my-letter-pdf", args=[letter.pk])).status_code == 200
