"""Min side's letters and documents in a browser: the citizen opens their letters, reads one,
downloads its PDF, opens their documents and sends a PDF to the caseworker; axe at 1280 and
375 px on every new page."""

from django.core.files.uploadedfile import SimpleUploadedFile

from samplan.core.models import Role
from samplan.documents import services as document_services
from samplan.documents.models import Document
from samplan.letters import services as letter_services
from samplan.letters.models import Kind, Letter
from tests.factories import make_citizen, walk_case
from tests.test_i12_docs import pdf_bytes

from .conftest import assert_axe_clean, login_citizen


def test_citizen_reads_letters_and_sends_a_document(page, live_server, org, users, tmp_path, settings):
    settings.SAMPLAN_LETTER_OUTBOX = str(tmp_path)
    cw = users[Role.CASEWORKER]
    citizen = make_citizen(org, caseworker=cw, user=users[Role.CITIZEN])
    case = walk_case(cw, citizen, org, until="order")["case"]
    letter = letter_services.create_letter(cw, case, kind=Kind.GRANT)
    letter = letter_services.approve_and_send(cw, letter, expected_version=letter.row_version)
    letter_services.record_delivery(letter.pk, backend="outbox", receipt={"reference": "r-1"})
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.SENT
    document_services.upload_document(
        cw,
        citizen,
        file=SimpleUploadedFile("x.pdf", pdf_bytes()),
        kind=Document.Kind.MEDICAL_STATEMENT,
        title="Lægeerklæring til dig",
        shared_with_citizen=True,
    )

    login_citizen(page, live_server, users[Role.CITIZEN])
    page.goto(f"{live_server.url}/mit/")
    assert page.get_by_role("heading", name="Breve").count() == 1
    assert_axe_clean(page, "Min side med breve og dokumenter")
    with page.expect_navigation():
        page.get_by_role("link", name="Se dine breve").click()
    assert page.get_by_role("heading", name="Mine breve").count() == 1
    assert_axe_clean(page, "Mine breve")

    with page.expect_navigation():
        page.get_by_role("link", name=letter.subject).click()
    assert page.get_by_text("Hvis du vil klage").count() >= 1
    assert_axe_clean(page, "Et brev")
    with page.expect_download() as download_info:
        page.locator("#my-letter-pdf").click()
    path = download_info.value.path()
    assert path is not None and open(path, "rb").read(5) == b"%PDF-"

    page.goto(f"{live_server.url}/mit/dokumenter/")
    assert page.get_by_role("link", name="Lægeerklæring til dig").count() == 1
    assert_axe_clean(page, "Mine dokumenter")
    with page.expect_navigation():
        page.locator("#my-upload-link").click()
    assert_axe_clean(page, "Send et dokument")
    page.get_by_label("Hvad er det for et dokument?").fill("Brev fra min læge")
    page.get_by_label("Besked til din sagsbehandler (kan udelades)").fill("Her er brevet.")
    upload = tmp_path / "brev.pdf"
    upload.write_bytes(pdf_bytes())
    page.locator("#id_file").set_input_files(str(upload))
    with page.expect_navigation():
        page.get_by_role("button", name="Send dokumentet").click()
    assert "Din sagsbehandler kan nu se det." in page.content()
    assert page.locator("#sent-documents").get_by_role("link", name="Brev fra min læge").count() == 1
    assert Document.objects.filter(citizen=citizen, from_citizen=True).count() == 1
    assert_axe_clean(page, "Mine dokumenter (sendt)")
