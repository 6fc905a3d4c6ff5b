"""The public offer catalogue: Danish search (PostgreSQL's `danish` configuration and the
Snowball fallback for SQLite), filters with counts, pagination, the page without
JavaScript, an offer's page and the public API."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.urls import NoReverseMatch, reverse
from rest_framework.test import APIClient

from samplan.catalogue import search
from samplan.catalogue.models import Offer
from samplan.terminology import ffb

on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's danish text search")


def make_offer(org, title, *, kind=Offer.Kind.VOLUNTARY, owner=None, groups=(), index=True, **fields):
    offer = Offer.objects.create(
        municipality=org["municipality"], kind=kind, title=title, owner=owner or org["provider"], **fields
    )
    if groups:
        offer.target_groups.set(groups)
    if index:
        search.index(offer)
    return offer


def target_group(display):
    return ffb.branch(ffb.TARGET_GROUPS).get(display=display)


def titles(queryset):
    return [o.title for o in queryset]


@pytest.fixture
def offers(org):
    anxiety, relatives_group = target_group("Angst"), target_group("Depression")
    return {
        "course": make_offer(
            org,
            "Kursus i recovery",
            kind=Offer.Kind.COURSE,
            open_access=True,
            area="Lyngby",
            summary="Lær om din egen recovery sammen med andre",
            groups=[anxiety],
        ),
        "relatives": make_offer(
            org,
            "Pårørendegruppe for forældre",
            kind=Offer.Kind.RELATIVES,
            open_access=True,
            area="Virum",
            summary="Mød andre forældre",
            groups=[relatives_group],
        ),
        "cafe": make_offer(
            org,
            "Recoverycafé Lyngby",
            kind=Offer.Kind.CAFE,
            open_access=True,
            area="Lyngby",
            price_kr=Decimal("20"),
            summary="Kaffe og fællesskab",
            groups=[anxiety, relatives_group],
        ),
        "support": make_offer(
            org,
            "Bostøtte efter §85",
            kind=Offer.Kind.MUNICIPAL,
            legal_basis="§85",
            area="Hele kommunen",
            summary="Socialpædagogisk støtte i eget hjem",
            access_note="Kontakt Myndighed",
        ),
        "acute": make_offer(
            org,
            "Akuttilbuddet",
            kind=Offer.Kind.ACUTE,
            open_access=True,
            area="Lyngby",
            description="Døgnåben telefon, krisesamtaler og mulighed for at overnatte",
        ),
        "hidden": make_offer(org, "Kursus der ikke er offentligt", kind=Offer.Kind.COURSE, published=False),
    }


# --- Search ----------------------------------------------------------------------------------


@on_postgres
def test_postgres_danish_stemming_finds_kursus_and_paaroerendegruppe(offers):
    """Acceptance: "kurser" finds "Kursus i …" and "pårørende" finds "Pårørendegruppe …"."""
    published = search.public_offers()
    assert search.tsquery("kurser") == "kurser:*"
    assert titles(search.search(published, "kurser")) == ["Kursus i recovery"]
    assert titles(search.search(published, "pårørende")) == ["Pårørendegruppe for forældre"]
    assert titles(search.search(published, "Pårørendegrupper")) == ["Pårørendegruppe for forældre"]
    # The vector is kept by PostgreSQL itself: title weighs most.
    offer = Offer.objects.get(pk=offers["course"].pk)
    assert "'kursus':1A" in str(offer.search_vector)


@on_postgres
def test_postgres_ranks_title_matches_first(org, offers):
    make_offer(org, "Netværksgruppe", description="Vi taler også om recovery")
    found = titles(search.search(search.public_offers(), "recovery"))
    assert found[-1] == "Netværksgruppe"
    assert set(found[:2]) == {"Kursus i recovery", "Recoverycafé Lyngby"}


def test_stem_fallback_finds_kursus_and_paaroerendegruppe(offers):
    """The SQLite fallback (runs on both databases): Snowball Danish stems as prefixes."""
    published = search.public_offers()
    assert search.stem("kurser") == "kurs" and search.stem("pårørende") == "pårør"
    assert " kursus " in Offer.objects.get(pk=offers["course"].pk).search_stems
    assert titles(search.matching_stems(published, "kurser")) == ["Kursus i recovery"]
    assert titles(search.matching_stems(published, "pårørende")) == ["Pårørendegruppe for forældre"]
    assert titles(search.matching_stems(published, "Akut")) == ["Akuttilbuddet"]
    assert titles(search.matching_stems(published, "overnatte")) == ["Akuttilbuddet"]


def test_search_on_this_database(org, offers):
    """search() picks the database's own method; the results agree on both."""
    published = search.public_offers()
    assert titles(search.search(published, "kurser")) == ["Kursus i recovery"]
    assert titles(search.search(published, "pårørende")) == ["Pårørendegruppe for forældre"]
    # Every word must match (AND), in any field; the owner's name and FFB target groups count too.
    assert titles(search.search(published, "café lyngby")) == ["Recoverycafé Lyngby"]
    assert titles(search.search(published, "støtte hjem")) == ["Bostøtte efter §85"]
    assert set(titles(search.search(published, "angst"))) == {"Kursus i recovery", "Recoverycafé Lyngby"}
    assert len(titles(search.search(published, org["provider"].name.split()[0]))) == 5
    # Empty query: all published offers, by title; unpublished never.
    assert titles(search.search(published, "")) == titles(published.order_by("title", "id"))
    assert "Kursus der ikke er offentligt" not in titles(search.search(published, "kursus"))


@pytest.mark.parametrize("q", ["kursus & | ! :* ( ' \\", "'; DROP TABLE catalogue_offer; --", "a:b <-> c", "!!!", "  "])
def test_search_input_cannot_break_the_query(offers, q):
    found = list(search.search(search.public_offers(), q))  # no syntax error on either database
    if not search.query_words(q):
        assert len(found) == 5


def test_services_keep_the_index_current(org, users):
    from samplan.catalogue import services
    from samplan.core.models import Role

    editor = users[Role.CATALOGUE_EDITOR]
    offer = services.create_offer(editor, kind=Offer.Kind.PEER, title="Gåture i Virum", owner=org["provider"], open_access=True)
    assert titles(search.search(search.public_offers(), "gåtur")) == ["Gåture i Virum"]
    services.update_offer(editor, offer, title="Samtalegruppe i Virum")
    assert titles(search.search(search.public_offers(), "gåtur")) == []
    assert titles(search.search(search.public_offers(), "samtalegrupper")) == ["Samtalegruppe i Virum"]


def test_index_command_reindexes_everything(org, offers):
    from io import StringIO

    from django.core.management import call_command

    Offer.objects.update(search_stems="")
    out = StringIO()
    call_command("index_offers", stdout=out)
    assert "6 tilbud" in out.getvalue()
    assert titles(search.search(search.public_offers(), "kurser")) == ["Kursus i recovery"]


# --- Filters with counts -------------------------------------------------------------------


def options(facet):
    return {o.label: (o.count, o.selected) for o in facet}


def test_counts_are_over_the_result_with_the_other_filters(offers):
    result = search.catalogue(search.Filters())
    facets = result.facets
    assert len(result.offers) == 5
    assert options(facets.kinds)[str(Offer.Kind.CAFE.label)] == (1, False)
    assert facets.open_access == 4 and facets.free == 4
    assert options(facets.areas) == {"Hele kommunen": (1, False), "Lyngby": (3, False), "Virum": (1, False)}
    assert options(facets.targets) == {"Angst": (2, False), "Depression": (2, False)}

    filters = search.Filters(kinds=("cafe",), areas=("Lyngby",))
    result = search.catalogue(filters)
    assert titles(result.offers) == ["Recoverycafé Lyngby"]
    # The kind facet ignores the kind filter but applies the area filter, and vice versa.
    assert options(result.facets.kinds) == {
        str(Offer.Kind.COURSE.label): (1, False),
        str(Offer.Kind.CAFE.label): (1, True),
        str(Offer.Kind.ACUTE.label): (1, False),
    }
    assert options(result.facets.areas) == {"Lyngby": (1, True)}
    assert result.facets.free == 0 and result.facets.open_access == 1

    # With a search: counts only over the matches.
    result = search.catalogue(search.Filters(q="lyngby", free=True))
    assert titles(result.offers) == ["Akuttilbuddet", "Kursus i recovery"]
    assert result.facets.free == 2 and result.facets.open_access == 2
    assert options(result.facets.kinds) == {str(Offer.Kind.COURSE.label): (1, False), str(Offer.Kind.ACUTE.label): (1, False)}


def test_filters_parse_leniently():
    from django.http import QueryDict

    f = search.Filters.from_params(QueryDict("q=+kurser+&kind=cafe&kind=nonsense&target=7&target=x&area=Lyngby&open=1&free=on"))
    assert f == search.Filters(q="kurser", kinds=("cafe",), targets=(7,), areas=("Lyngby",), open_access=True, free=True)
    assert search.Filters.from_params(QueryDict("")) == search.Filters()


def test_target_group_filter_and_a_selected_group_without_offers(offers):
    angst, homeless = target_group("Angst"), target_group("Hjemløshed")
    result = search.catalogue(search.Filters(targets=(angst.pk, homeless.pk)))
    assert titles(result.offers) == ["Kursus i recovery", "Recoverycafé Lyngby"]
    assert options(result.facets.targets) == {"Angst": (2, True), "Depression": (2, False), "Hjemløshed": (0, True)}


# --- The page ------------------------------------------------------------------------------


def test_search_page_works_without_javascript(offers):
    client = Client()
    response = client.get("/tilbud/", {"q": "lyngby", "open": "1", "kind": "cafe"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html and 'method="get"' in html
    assert "Recoverycafé Lyngby</a>" in html and "Kursus i recovery</a>" not in html
    assert 'name="kind" value="cafe" checked' in html
    assert 'id="filter-open" name="open" value="1" checked' in html
    assert 'value="lyngby"' in html
    assert "Fjern alle filtre" in html
    assert "Kursus der ikke er offentligt" not in client.get("/tilbud/").content.decode()


def test_htmx_request_gets_the_results_partial(offers):
    response = Client().get("/tilbud/", {"q": "kurser"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "Kursus i recovery" in html and 'id="catalogue-count"' in html
    assert "HX-Request" in response["Vary"]


def test_search_page_has_a_bounded_number_of_queries(org, django_assert_max_num_queries):
    groups = list(ffb.branch(ffb.TARGET_GROUPS, leaves_only=True)[:6])
    for n in range(40):
        make_offer(
            org,
            f"Tilbud {n:02d}",
            kind=Offer.Kind.values[n % 8],
            area=f"Område {n % 5}",
            open_access=n % 2 == 0,
            groups=groups[n % 3 : n % 3 + 3],
            index=False,
        )
    search.index(Offer.objects.all())
    client = Client()
    with django_assert_max_num_queries(8):
        response = client.get("/tilbud/", {"area": ["Område 1", "Område 2"], "target": [groups[2].pk]})
    assert response.status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/tilbud/", {"q": "tilbud", "page": "2"}).status_code == 200


def test_pagination_keeps_query_and_filters(org):
    for n in range(45):
        make_offer(org, f"Samtaletilbud {n:02d}", open_access=True, index=False)
    search.index(Offer.objects.all())
    client = Client()
    page1 = client.get("/tilbud/", {"q": "samtaletilbud", "open": "1"}).content.decode()
    assert page1.count('class="samplan-offer"') == 20
    assert "45 tilbud" in page1 and "side 1 af 3" in page1
    assert "?q=samtaletilbud&amp;open=1&amp;page=2" in page1
    page3 = client.get("/tilbud/", {"q": "samtaletilbud", "open": "1", "page": "3"}).content.decode()
    assert page3.count('class="samplan-offer"') == 5 and "Samtaletilbud 44" in page3
    assert "Forrige side" in page3 and "Næste side" not in page3
    # A page that does not exist shows the last one rather than an error.
    assert client.get("/tilbud/", {"q": "samtaletilbud", "page": "99"}).status_code == 200


def test_no_results_page(offers):
    html = Client().get("/tilbud/", {"q": "zebra"}).content.decode()
    assert "Ingen tilbud passer til din søgning." in html


# --- An offer's page -----------------------------------------------------------------------


def test_offer_page_shows_everything_public(org, offers):
    from samplan.standards.models import QualityStandard, StandardVersion

    standard = QualityStandard.objects.create(municipality=org["municipality"], key="§85", legal_bases=["§85"])
    common = dict(
        standard=standard,
        title="Socialpædagogisk støtte",
        revision_due=dt.date(2030, 1, 1),
        target_group_text="Voksne",
        content="Støtte",
    )
    StandardVersion.objects.create(version=1, adopted_on=dt.date(2019, 6, 1), citizen_summary="Gammel tekst.", **common)
    StandardVersion.objects.create(
        version=2, adopted_on=dt.date(2024, 1, 1), citizen_summary="Du får hjælp til at klare hverdagen.", **common
    )
    StandardVersion.objects.create(version=3, adopted_on=dt.date(2099, 1, 1), citizen_summary="Fremtidig tekst.", **common)
    offer = offers["support"]
    Offer.objects.filter(pk=offer.pk).update(
        standard=standard,
        price_kr=0,
        address="Lyngby Torv 1",
        postcode="2800",
        city="Kgs. Lyngby",
        opening_hours="Hverdage 9-15",
        phone="45 97 35 00",
        email="stoette@example.invalid",
        accessibility="Niveaufri adgang",
        languages="dansk, engelsk",
        last_verified=dt.date(2026, 3, 5),
        audience="Voksne med psykiske vanskeligheder",
    )
    offer.target_groups.set([target_group("Angst")])
    html = Client().get(f"/tilbud/{offer.pk}/").content.decode()
    for text in (
        "Bostøtte efter §85",
        "Voksne med psykiske vanskeligheder",
        "Angst",
        "Kræver visitation.",
        "Kontakt Myndighed",
        "Gratis",
        "Lyngby Torv 1, 2800 Kgs. Lyngby",
        "Hverdage 9-15",
        "45 97 35 00",
        "stoette@example.invalid",
        "Niveaufri adgang",
        "dansk, engelsk",
        org["provider"].name,
        "5. marts 2026",
        "Du får hjælp til at klare hverdagen.",
    ):
        assert text in html, text
    assert "Gammel tekst." not in html and "Fremtidig tekst." not in html

    cafe = Client().get(f"/tilbud/{offers['cafe'].pk}/").content.decode()
    assert "20 kr." in cafe and "Kræver ikke visitation." in cafe and "Ikke kontrolleret endnu" in cafe


def test_unpublished_offer_is_hidden_except_for_its_editors(offers, users):
    from samplan.core.models import Role

    url = f"/tilbud/{offers['hidden'].pk}/"
    assert Client().get(url).status_code == 404
    client = Client()
    client.force_login(users[Role.CASEWORKER])
    assert client.get(url).status_code == 404
    client.force_login(users[Role.CATALOGUE_EDITOR])
    response = client.get(url)
    assert response.status_code == 200 and "ikke offentliggjort" in response.content.decode()


def test_offer_page_links_to_its_course(org, offers):
    from samplan.courses.models import Course, Partner, School, Term

    school = School.objects.create(name="Skole på Tværs")
    partner = Partner.objects.create(school=school, name="Lyngby-Taarbæk")
    term = Term.objects.create(school=school, name="Forår 2019", slug="foraar-2019")
    course = Course.objects.create(
        term=term,
        number=1,
        title="Kursus i recovery",
        owner=partner,
        place="Fuglevad Mølle",
        max_participants=20,
        offer=offers["course"],
    )
    html = Client().get(f"/tilbud/{offers['course'].pk}/").content.decode()
    try:
        url = reverse("course-detail", args=[course.pk])
    except NoReverseMatch:
        assert "Se kurset" not in html
    else:
        assert f'href="{url}"' in html
    assert "Se kurset" not in Client().get(f"/tilbud/{offers['cafe'].pk}/").content.decode()


# --- API -----------------------------------------------------------------------------------


def test_api_is_public_and_searches_like_the_page(offers):
    client = APIClient()
    response = client.get("/api/v1/offers/", {"q": "kurser"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1 and body["results"][0]["title"] == "Kursus i recovery"
    assert body["results"][0]["target_groups"][0]["display"] == "Angst"
    assert body["results"][0]["page_url"].endswith(f"/tilbud/{offers['course'].pk}/")
    body = client.get("/api/v1/offers/?kind=cafe&kind=acute&area=Lyngby&free=1").json()
    assert [r["title"] for r in body["results"]] == ["Akuttilbuddet"]
    assert body["results"][0]["is_free"] is True
    body = client.get("/api/v1/offers/", {"limit": 2}).json()
    assert body["count"] == 5 and len(body["results"]) == 2 and body["next"]
    assert "Kursus der ikke er offentligt" not in {r["title"] for r in client.get("/api/v1/offers/").json()["results"]}


def test_api_refuses_unknown_filter_values_in_danish(offers):
    response = APIClient().get("/api/v1/offers/", {"kind": "spa", "target": "x"})
    assert response.status_code == 400
    errors = response.json()["fejl"]
    assert "Ukendt type" in errors["kind"][0] and "heltal" in errors["target"][0]


def test_api_detail(org, offers):
    client = APIClient()
    # A stale token does not turn a public endpoint into a 401.
    client.credentials(HTTP_AUTHORIZATION="Token ugyldig")
    response = client.get(f"/api/v1/offers/{offers['support'].pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["title"] == "Bostøtte efter §85" and data["owner"] == org["provider"].name
    assert data["standard_summary"] is None and data["kind"] == "municipal"
    assert client.get(f"/api/v1/offers/{offers['hidden'].pk}/").status_code == 404
    assert client.post("/api/v1/offers/", {}).status_code in (403, 405)
