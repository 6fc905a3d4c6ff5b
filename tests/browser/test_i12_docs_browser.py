"""The caseworker uploads a doctor's statement from the case page: a file that is not what
its name says is refused with the form kept, a real PDF is stored and listed, and it
downloads. axe finds no serious or critical issues on the new pages at 1280 and 375 px."""

from playwright.sync_api import expect

from samplan.core.models import Role
from samplan.documents.models import Document
from tests.factories import PASSWORD, make_citizen, make_org, make_user, walk_case
from tests.test_i12_docs import EXE, pdf_bytes

from .conftest import assert_axe_clean, login


def test_caseworker_uploads_a_doctors_statement(page, live_server):
    org = make_org()
    cw = make_user(Role.CASEWORKER, org)
    citizen = make_citizen(org, caseworker=cw, first_name="Mette")
    case = walk_case(cw, citizen, org, until="assessment")["case"]

    login(page, live_server, cw.username, PASSWORD)
    page.goto(f"{live_server.url}/sager/{case.pk}/")
    page.locator("#case-upload").click()
    expect(page.get_by_role("heading", name="Upload dokument for Mette", exact=False)).to_be_visible()
    assert_axe_clean(page, "upload form")

    page.get_by_label("Art").select_option("medical_statement")
    page.get_by_label("Titel").fill("Lægeerklæring fra egen læge")
    page.get_by_label("Fil", exact=False).set_input_files(
        {"name": "erklaering.pdf", "mimeType": "application/pdf", "buffer": EXE}
    )
    page.get_by_role("button", name="Gem dokument").click()
    expect(page.locator("#form-errors")).to_contain_text("Filen er ikke en tilladt filtype")
    expect(page.get_by_label("Titel")).to_have_value("Lægeerklæring fra egen læge")
    expect(page.get_by_label("Sag")).to_have_value(str(case.pk))
    assert_axe_clean(page, "upload form with a refused file")

    page.get_by_label("Fil", exact=False).set_input_files(
        {"name": "erklaering.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
    )
    page.get_by_role("button", name="Gem dokument").click()
    expect(page.get_by_text("Dokumentet »Lægeerklæring fra egen læge« er gemt.")).to_be_visible()
    document = Document.objects.get()
    assert document.case_id == case.pk and document.content_type == "application/pdf"
    row = page.get_by_role("row", name="Lægeerklæring fra egen læge")
    expect(row).to_contain_text("Lægeerklæring")
    expect(row).to_contain_text(case.case_number)
    assert_axe_clean(page, "document list")

    response = page.request.get(f"{live_server.url}/dokumenter/{document.pk}/fil/")
    assert response.status == 200 and response.body() == pdf_bytes()
    assert response.headers["x-content-type-options"] == "nosniff"
