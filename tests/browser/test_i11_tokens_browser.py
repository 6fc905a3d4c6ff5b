"""The API-token pages in a browser: accessible at both widths, and revoking works."""

from knox.models import AuthToken

from samplan.core import api_tokens
from samplan.core.models import Role
from tests.factories import PASSWORD

from .conftest import assert_axe_clean, login


def test_own_tokens_page_lists_and_revokes(page, live_server, users):
    caseworker = users[Role.CASEWORKER]
    row, _ = api_tokens.issue(caseworker)
    login(page, live_server, caseworker.username, PASSWORD)
    page.goto(live_server.url + "/konto/api-noegler/")
    assert page.locator("td code", has_text=api_tokens.shown_key(row)).count() == 1
    assert_axe_clean(page, "Mine API-nøgler")
    with page.expect_navigation():
        page.get_by_role("button", name="Tilbagekald").click()
    assert "er tilbagekaldt" in page.content()
    assert not AuthToken.objects.filter(user=caseworker).exists()


def test_admin_tokens_page_is_accessible(page, live_server, users):
    api_tokens.issue(users[Role.COORDINATOR])
    login(page, live_server, users[Role.ADMIN].username, PASSWORD)
    page.goto(live_server.url + "/administration/api-noegler/")
    assert page.get_by_role("heading", name="Brugernes API-nøgler").count() == 1
    assert_axe_clean(page, "Brugernes API-nøgler")
