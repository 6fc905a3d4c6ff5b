"""The golden path through the real UI in headless Debian Chromium: a caseworker walks an
inquiry to a grant with an order; the provider sees and accepts it. axe-core checks the
worklist, the citizen overview and the assessment form (no serious or critical issues)."""

import re

from playwright.sync_api import expect

from samplan.cases.models import Order
from samplan.citizens.models import Citizen
from samplan.core.models import Role
from samplan.terminology import ffb
from tests.factories import PASSWORD, make_org, make_user

from .conftest import axe_violations, describe, login


def assert_accessible(page, what):
    violations = axe_violations(page)
    assert not violations, f"{what}:\n{describe(violations)}"


def submit(page, label):
    with page.expect_navigation():
        page.get_by_role("button", name=label).click()


def test_golden_path_inquiry_to_order_and_provider_sees_it(page, live_server):
    org = make_org()
    caseworker = make_user(Role.CASEWORKER, org, username="sagsbehandler")
    provider = make_user(Role.PROVIDER_STAFF, org, username="leverandoer")
    ad_theme = ffb.branch(ffb.ACTIVITY_PARTICIPATION, leaves_only=True).first()

    login(page, live_server, caseworker.username, PASSWORD)
    expect(page.get_by_role("heading", name="Min arbejdsliste")).to_be_visible()

    # Register the citizen.
    page.goto("/borgere/ny/")
    page.get_by_label("Fornavn").fill("Freja")
    page.get_by_label("Efternavn").fill("Prøvesen")
    page.get_by_label("CPR-nummer").fill("700285-4321")
    page.get_by_label("Telefon").fill("40506070")
    submit(page, "Opret borger")
    expect(page.get_by_role("heading", name="Freja Prøvesen")).to_be_visible()
    expect(page.locator("#cpr")).to_have_text("700285-••••")

    # Inquiry and first contact.
    page.get_by_role("link", name="Registrér henvendelse").click()
    page.get_by_label("Hvem henvendte sig").select_option("relative")
    page.get_by_label("Anledning").fill("Søsteren fortæller, at Freja har svært ved at komme ud af lejligheden.")
    page.get_by_label("Modtaget").fill("2026-03-02T09:30")
    submit(page, "Gem henvendelse")
    expect(page.locator("#case-status")).to_have_text("Henvendelse modtaget")
    page.get_by_label("Tidspunkt for første kontakt").fill("2026-03-03T10:00")
    submit(page, "Registrér første kontakt")
    submit(page, "Start udredning")

    # Assessment: an A&D condition without a level is refused in place (HTMX), then saved.
    expect(page.get_by_role("heading", name=re.compile("Udredning af Freja"))).to_be_visible()
    assert_accessible(page, "assessment form")
    page.get_by_label("Tema (FFB-tilstand)").select_option(str(ad_theme.pk))
    page.get_by_label("Beskrivelse").fill("Går sjældent ud")
    page.get_by_role("button", name="Gem tilstand").click()
    expect(page.locator("#conditions")).to_contain_text("Angiv funktionsevneniveau")
    expect(page.get_by_label("Beskrivelse")).to_have_value("Går sjældent ud")
    page.get_by_label("Tema (FFB-tilstand)").select_option(str(ad_theme.pk))
    page.get_by_label("Funktionsevneniveau").select_option("3")
    page.get_by_role("button", name="Gem tilstand").click()
    expect(page.locator("#conditions table")).to_contain_text("3 – Svært problem")
    page.get_by_label("Borgerens ønsker for fremtiden – med borgerens egne ord").fill(
        "Jeg vil gerne kunne gå i svømmehallen igen."
    )
    page.get_by_label("Støttebehov").select_option(label="Moderat støttebehov")
    submit(page, "Afslut udredning")
    expect(page.locator("#case-status")).to_have_text("Afventer afgørelse")

    # Decision.
    page.get_by_role("link", name="Træf afgørelse").click()
    page.get_by_label("Bevilget").check()
    page.get_by_label("Lovgrundlag").select_option("§85")
    page.get_by_label("Begrundelse").fill("Moderat til svært nedsat funktionsevne i samfundslivet.")
    submit(page, "Gem afgørelse")
    # Decided, but not "Bevilget" until a grant has taken effect (issue 12).
    expect(page.locator("#case-status")).to_have_text("Afgjort – bevillingen er ikke oprettet endnu")
    expect(page.get_by_text("Klagefrist")).to_be_visible()

    # Grant with an intervention goal on the A&D condition.
    page.get_by_role("link", name="Opret bevilling").click()
    service = ffb.branch(ffb.SERVICES, leaves_only=True).first()
    target_group = ffb.branch(ffb.TARGET_GROUPS, leaves_only=True).first()
    page.locator(f"input[name=services][value='{service.pk}']").check()  # a checkbox list (issue 13)
    page.get_by_label("Tilbud / leverandør").select_option(label=org["provider"].name)
    page.get_by_label("Omfang").fill("12")
    page.get_by_label("Enhed").select_option("hours_month")
    page.get_by_label("Startdato").fill("2026-04-01")
    page.get_by_label("Primær målgruppe").select_option(str(target_group.pk))
    page.get_by_label("Måltype").select_option(label="Udvikle funktionsevne")
    page.get_by_label("Indsatsmålet retter sig mod (primær tilstand)").select_option(index=1)
    page.get_by_label("Mål for funktionsevneniveau").select_option("2")
    submit(page, "Gem bevilling")
    expect(page.get_by_text("opfølgningen er planlagt efter kvalitetsstandarden")).to_be_visible()
    expect(page.get_by_text("senest 01.07.2026")).to_be_visible()
    expect(page.locator("#case-status")).to_have_text("Bevilget")  # within competence: in force at once

    # Order to the provider.
    page.get_by_role("link", name="Send bestilling").click()
    page.get_by_label("Formål med indsatsen").fill("Støtte til at komme ud og bruge lokalsamfundet.")
    page.get_by_label("Konkrete mål").fill("Går i svømmehallen en gang om ugen inden 3 måneder.")
    submit(page, "Send bestilling")
    expect(page.get_by_text(f"Bestillingen er sendt til {org['provider'].name}")).to_be_visible()

    citizen = Citizen.objects.get(last_name="Prøvesen")
    page.goto("/arbejdsliste/")
    expect(page.locator("#citizens ~ table").get_by_role("link", name="Freja Prøvesen", exact=True)).to_be_visible()
    assert_accessible(page, "worklist")
    page.goto(f"/borgere/{citizen.pk}/")
    expect(page.locator(".samplan-timeline")).to_contain_text("Bestilling til")
    assert_accessible(page, "citizen overview")
    page.get_by_role("button", name="Vis CPR-nummer").click()
    expect(page.locator("#cpr")).to_have_text("700285-4321")

    # The provider sees the order and accepts it.
    page.get_by_role("button", name="Log ud").click()
    login(page, live_server, provider.username, PASSWORD)
    expect(page.get_by_role("heading", name=re.compile("Bestillinger til"))).to_be_visible()
    page.get_by_role("link", name="Støtte til at komme ud og bruge lokalsamfundet.").click()
    submit(page, "Markér som modtaget")
    expect(page.locator("#order-status")).to_have_text("Modtaget af tilbuddet")
    assert Order.objects.get(citizen=citizen).status == Order.Status.ACCEPTED
