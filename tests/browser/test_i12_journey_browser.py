"""Issue 12's acceptance journey in one browser session per person: the caseworker records a
phone call as a note, uploads a doctor's statement, sends a partshøring before a partial
grant, the citizen answers on Min side, the caseworker decides and grants, and the decision
letter's PDF (§, scope, provider, period, appeal guidance once) is on the citizen's Min side.
axe (no serious or critical findings) at 1280 and 375 px on the pages walked."""

import io

import pypdfium2
import pytest
from django.test import override_settings
from playwright.sync_api import expect

from samplan.cases.models import Decision, Grant
from samplan.core.models import Role
from samplan.documents.models import Document
from samplan.journal.models import JournalNote
from samplan.letters.models import Kind, Letter
from samplan.terminology import ffb
from tests.factories import PASSWORD, make_citizen, make_org, make_user, walk_case
from tests.test_i12_docs import pdf_bytes

from .conftest import assert_axe_clean, login, login_citizen

APPEAL_HEADING = "Hvis du vil klage"


def pdf_text(data: bytes) -> str:
    document = pypdfium2.PdfDocument(io.BytesIO(data))
    return "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))


@pytest.fixture
def outbox(tmp_path):
    with override_settings(SAMPLAN_LETTER_BACKEND="outbox", SAMPLAN_LETTER_OUTBOX=str(tmp_path)):
        yield tmp_path


def test_note_document_consultation_partial_grant_letter_on_min_side(page, live_server, browser, outbox, tmp_path):
    org = make_org()
    cw = make_user(Role.CASEWORKER, org)
    citizen_user = make_user(Role.CITIZEN, org)
    citizen = make_citizen(org, caseworker=cw, first_name="Sofie", user=citizen_user)
    case = walk_case(cw, citizen, org, until="awaiting_decision")["case"]
    login(page, live_server, cw.username, PASSWORD)

    # 1. A phone call, as a note, from the citizen overview.
    page.goto(f"/borgere/{citizen.pk}/")
    with page.expect_navigation():
        page.locator("#new-note").click()
    page.get_by_label("Art").select_option(JournalNote.Kind.PHONE)
    page.get_by_label("Emne").fill("Telefonsamtale om indkøb")
    page.locator("#id_text").fill("Sofie ringede: hun kan handle ind, når en anden går med.")
    with page.expect_navigation():
        page.get_by_role("button", name="Gem notat").click()
    expect(page.get_by_text("Notatet er gemt.")).to_be_visible()
    assert JournalNote.objects.get(citizen=citizen, subject="Telefonsamtale om indkøb").kind == JournalNote.Kind.PHONE

    # 2. The doctor's statement, on the case.
    page.goto(f"/sager/{case.pk}/")
    page.locator("#case-upload").click()
    page.get_by_label("Art").select_option(Document.Kind.MEDICAL_STATEMENT)
    page.get_by_label("Titel").fill("Lægeerklæring")
    page.get_by_label("Fil", exact=False).set_input_files(
        {"name": "laege.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
    )
    page.get_by_role("button", name="Gem dokument").click()
    expect(page.get_by_text("Dokumentet »Lægeerklæring« er gemt.")).to_be_visible()
    assert Document.objects.get(citizen=citizen).case_id == case.pk

    # 3. Partshøring before a partial grant: the facts, sent as a letter.
    page.goto(f"/sager/{case.pk}/")
    page.get_by_role("link", name="Send partshøring").click()
    page.wait_for_url("**/partshoering/ny/")
    page.get_by_label("Oplysninger, afgørelsen vil bygge på").fill(
        "Lægeerklæringen og din opringning viser, at du kan handle ind med en ledsager 6 timer om måneden."
    )
    page.get_by_role("button", name="Lav brevet").click()
    page.wait_for_url("**/breve/*/")
    page.get_by_role("button", name="Godkend og send").click()
    page.locator("#letter-pdf-link").wait_for()
    assert Letter.objects.get(kind=Kind.CONSULTATION).status == Letter.Status.SENT

    # A partial grant is refused while the citizen has neither answered nor let the deadline pass.
    page.goto(f"/sager/{case.pk}/afgoerelse/")
    page.get_by_label("Bevilget").check()
    page.get_by_label("Delvis bevilling", exact=False).check()
    page.get_by_label("Lovgrundlag").select_option("§85")
    page.get_by_label("Begrundelse").fill("Du får støtte til indkøb, men ikke til rengøring.")
    with page.expect_navigation():
        page.get_by_role("button", name="Gem afgørelse").click()
    expect(page.locator("#form-errors")).to_be_visible()
    expect(page.get_by_label("Begrundelse")).to_have_value("Du får støtte til indkøb, men ikke til rengøring.")
    assert not Decision.objects.filter(case=case).exists()

    # 4. The citizen answers on Min side.
    citizen_page = browser.new_page(base_url=live_server.url)
    login_citizen(citizen_page, live_server, citizen_user)
    citizen_page.goto("/mit/partshoeringer/")
    citizen_page.get_by_role("link", name="Svar på partshøringen").click()
    citizen_page.wait_for_url("**/mit/partshoeringer/*/svar/")
    citizen_page.get_by_label("Dit svar").fill("Det er rigtigt. Jeg vil gerne have hjælp om tirsdagen.")
    citizen_page.get_by_role("button", name="Send svar").click()
    citizen_page.wait_for_url("**/mit/partshoeringer/")
    assert "Du har svaret" in citizen_page.content()

    # 5. The caseworker decides (partial grant, the answered consultation) and grants.
    page.goto(f"/sager/{case.pk}/afgoerelse/")
    expect(page.locator("#decision-consultations")).to_contain_text("Svar modtaget")
    page.get_by_label("Bevilget").check()
    page.get_by_label("Delvis bevilling", exact=False).check()
    page.get_by_label("Lovgrundlag").select_option("§85")
    page.get_by_label("Begrundelse").fill("Du får støtte til indkøb, men ikke til rengøring.")
    page.get_by_label("Partshøring (forvaltningsloven § 19)").select_option(index=1)
    with page.expect_navigation():
        page.get_by_role("button", name="Gem afgørelse").click()
    expect(page.get_by_text("Afgørelsen er gemt.")).to_be_visible()
    decision = Decision.objects.get(case=case)
    assert decision.partial and decision.consultation_id is not None

    page.get_by_role("link", name="Opret bevilling").click()
    service = ffb.branch(ffb.SERVICES, leaves_only=True).first()
    target_group = ffb.branch(ffb.TARGET_GROUPS, leaves_only=True).first()
    page.locator(f"input[name=services][value='{service.pk}']").check()
    page.get_by_label("Tilbud / leverandør").select_option(label=org["provider"].name)
    page.get_by_label("Omfang").fill("6")
    page.get_by_label("Enhed").select_option("hours_month")
    page.get_by_label("Startdato").fill(decision.decided_at.isoformat())
    page.get_by_label("Slutdato").fill(decision.decided_at.replace(year=decision.decided_at.year + 1).isoformat())
    page.get_by_label("Primær målgruppe").select_option(str(target_group.pk))
    page.get_by_label("Måltype").select_option(label="Udvikle funktionsevne")
    page.get_by_label("Indsatsmålet retter sig mod (primær tilstand)").select_option(index=1)
    page.get_by_label("Mål for funktionsevneniveau").select_option("2")
    with page.expect_navigation():
        page.get_by_role("button", name="Gem bevilling").click()
    grant = Grant.objects.get(case=case)
    assert grant.status == Grant.Status.ACTIVE, grant.status

    # 6. The decision letter, made after the grant: the partial-grant kind, approved and sent.
    page.goto(f"/sager/{case.pk}/")
    page.get_by_role("link", name="Lav brev").click()
    page.wait_for_url("**/breve/nyt/")
    page.get_by_label("Delvis bevilling", exact=True).check()
    page.get_by_role("button", name="Lav kladde").click()
    page.wait_for_url("**/breve/*/")
    page.get_by_role("button", name="Godkend og send").click()
    page.locator("#letter-pdf-link").wait_for()
    letter = Letter.objects.get(kind=Kind.PARTIAL_GRANT)
    assert letter.status == Letter.Status.SENT

    # 7. On Min side: the letter and its PDF, with §, scope, provider, period, appeal once.
    citizen_page.goto("/mit/breve/")
    assert_axe_clean(citizen_page, "Mine breve efter afgørelsen")
    with citizen_page.expect_navigation():
        citizen_page.get_by_role("link", name=letter.subject).click()
    assert_axe_clean(citizen_page, "Afgørelsesbrevet på Min side")
    with citizen_page.expect_download() as download:
        citizen_page.locator("#my-letter-pdf").click()
    path = download.value.path()
    data = open(path, "rb").read()
    text = " ".join(pdf_text(data).split())
    assert data[:5] == b"%PDF-"
    assert "§ 85" in text or "§85" in text
    assert "6 timer pr. måned" in text
    assert org["provider"].name in text
    assert f"{grant.start_date:%d.%m.%Y}–{grant.end_date:%d.%m.%Y}" in text  # the period, from–to
    assert text.count(APPEAL_HEADING) == 1
    citizen_page.close()
