"""The caseworker makes a grant letter from the case, previews it, edits its text and
approves it; the PDF is there afterwards. No serious or critical axe findings on the new
pages (make, preview, edit, templates) at 1280 and 375 px."""

import pytest
from django.test import override_settings

from samplan.core.models import Role
from samplan.letters.models import Letter
from tests.factories import PASSWORD, make_citizen, make_org, make_user, walk_case

from .conftest import assert_axe_clean, login


@pytest.fixture
def outbox(tmp_path):
    with override_settings(SAMPLAN_LETTER_BACKEND="outbox", SAMPLAN_LETTER_OUTBOX=str(tmp_path)):
        yield tmp_path


def test_caseworker_previews_edits_and_approves_a_letter(page, live_server, outbox):
    org = make_org()
    cw = make_user(Role.CASEWORKER, org)
    citizen = make_citizen(org, caseworker=cw, first_name="Maja")
    objs = walk_case(cw, citizen, org, until="order")

    login(page, live_server, cw.username, PASSWORD)
    page.goto(f"/sager/{objs['case'].pk}/")
    page.get_by_role("link", name="Lav brev").click()
    page.wait_for_url("**/breve/nyt/")
    assert_axe_clean(page, "Lav brev")
    page.get_by_label("Bevilling", exact=True).check()
    page.get_by_role("button", name="Lav kladde").click()
    page.wait_for_url("**/breve/*/")
    preview = page.locator("#letter-preview")
    assert "timer pr. måned" in preview.inner_text()
    assert preview.inner_text().count("Hvis du vil klage") == 1
    assert_axe_clean(page, "Forhåndsvisning af brev")

    page.get_by_role("link", name="Ret teksten").click()
    page.wait_for_url("**/rediger/")
    assert_axe_clean(page, "Ret brev")
    body = page.get_by_label("Brødtekst")
    body.fill(body.input_value().replace("Kære Maja", "Kære Maja (rettet)"))
    page.get_by_role("button", name="Gem brevet").click()
    page.wait_for_url("**/breve/*/")
    assert "Kære Maja (rettet)" in page.locator("#letter-preview").inner_text()

    page.get_by_role("button", name="Godkend og send").click()
    page.locator("#letter-pdf-link").wait_for()
    letter = Letter.objects.get()
    assert letter.status in (Letter.Status.QUEUED, Letter.Status.SENT) and letter.pdf
    assert "Kære Maja (rettet)" in letter.body
    assert_axe_clean(page, "Godkendt brev")


def test_administrator_template_pages_are_accessible(page, live_server):
    org = make_org()
    admin = make_user(Role.ADMIN, org)
    login(page, live_server, admin.username, PASSWORD)
    page.goto("/brevskabeloner/")
    assert_axe_clean(page, "Brevskabeloner")
    page.get_by_role("link", name="Afslag").click()
    page.wait_for_url("**/brevskabeloner/refusal/")
    assert_axe_clean(page, "Skabelon")
