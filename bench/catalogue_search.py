"""Benchmark of the offer catalogue's search on one database.

Builds a throwaway database (a temporary SQLite file, or the PostgreSQL database
``samplan_bench`` which is created and dropped again), migrates it, creates 5,000 offers
with FFB target groups, indexes them with ``catalogue.search.index`` and then runs a fixed
set of searches, each repeated (default 50 times after 3 warm-up runs). One run is what a
request to /tilbud/ costs in the database: matching, ordering, the first page of 20
results with their target groups, the result count and all filter counts.

    .venv/bin/python bench/catalogue_search.py --db sqlite
    .venv/bin/python bench/catalogue_search.py --db postgres [--pg-url postgres://postgres@127.0.0.1:5432/samplan_bench]

Prints p50/p95 in milliseconds per query. ``bench/run.py`` runs both."""

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/samplan_bench"

# (label, q, filter parameters)
QUERIES = [
    ("kurser", "kurser", {}),
    ("pårørende", "pårørende", {}),
    ("akut", "akut", {}),
    ("café lyngby", "café lyngby", {}),
    ("recovery", "recovery", {}),
    ("bostøtte", "bostøtte", {}),
    ("(tom) + kræver ikke visitation", "", {"open": "1"}),
    ("kursus + gratis + område Lyngby", "kursus", {"free": "1", "area": "Lyngby"}),
    ("(tom, alle tilbud)", "", {}),
]

TOPICS = [
    ("Kursus i recovery", "course", "Lær om recovery sammen med andre, der har prøvet det på egen krop."),
    ("Kursus i at håndtere angst", "course", "Et kursus om angst, hverdagsliv og håb."),
    ("Pårørendegruppe for forældre", "relatives", "Mød andre forældre til unge med psykiske vanskeligheder."),
    ("Rådgivning for pårørende", "relatives", "Samtaler med pårørendevejlederen, også om aftenen."),
    ("Recoverycafé", "cafe", "Kaffe, fællesskab og aktiviteter uden tilmelding."),
    ("Værestedet", "cafe", "Et sted at være, spise og møde andre."),
    ("Akuttilbuddet", "acute", "Døgnåben telefon, krisesamtaler og mulighed for at overnatte."),
    ("Akut krisehjælp", "acute", "Hjælp her og nu, når det hele bliver for meget."),
    ("Bostøtte efter §85", "municipal", "Socialpædagogisk støtte i eget hjem."),
    ("Aktivitets- og samværstilbud", "municipal", "Fællesskab og aktiviteter i dagtimerne efter §104."),
    ("Peerstøtte", "peer", "Samtaler med en peermedarbejder med egen erfaring."),
    ("Frivilligcenter og Selvhjælp", "voluntary", "Selvhjælpsgrupper og frivillige netværk."),
    ("Sport og fællesskab", "voluntary", "Motion, fodbold og fællesskab for unge 18–30 år."),
    ("Bo- og dagtilbud", "provider", "Selvejende tilbud med botilbud og beskæftigelse."),
    ("Job og uddannelse", "provider", "Støtte til at komme i gang med job eller uddannelse."),
    ("Madklub", "voluntary", "Vi laver mad sammen og spiser sammen hver torsdag."),
]
AREAS = ["Lyngby", "Virum", "Sorgenfri", "Taarbæk", "Lundtofte", "Hele kommunen", "Kgs. Lyngby", "Ulrikkenborg"]
AUDIENCES = [
    "Voksne med psykiske vanskeligheder",
    "Unge 18–30 år",
    "Pårørende til voksne med psykisk sygdom",
    "Alle borgere i kommunen",
    "Borgere med angst eller depression",
]
WORDS = (
    "samtale netværk hverdag trivsel ensomhed gåtur motion kreativ musik natur mindfulness søvn økonomi bolig "
    "uddannelse frivillig fællesskab ung voksen ældre familie"
).split()


def setup_django(db: str, pg_url: str) -> tuple:
    """Point Django at a fresh throwaway database; returns a clean-up function."""
    os.environ.setdefault("SAMPLAN_DEMO", "1")
    os.environ["SAMPLAN_DEBUG"] = "0"
    os.environ["DJANGO_SETTINGS_MODULE"] = "samplan.settings"
    sys.path.insert(0, str(ROOT / "src"))
    tmpdir = None
    if db == "sqlite":
        tmpdir = tempfile.mkdtemp(prefix="samplan_bench_")
        os.environ["DATABASE_URL"] = f"sqlite:///{tmpdir}/bench.sqlite3"
    else:
        import psycopg

        name = pg_url.rsplit("/", 1)[1]
        admin_url = pg_url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = pg_url

    def cleanup():
        from django.db import connections

        connections.close_all()
        if tmpdir:
            shutil.rmtree(tmpdir, ignore_errors=True)
        else:
            import psycopg

            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')

    import django

    django.setup()
    return cleanup


def build(n: int, seed: int = 2019) -> float:
    """Create ``n`` offers and index them; returns the seconds the indexing took."""
    from django.db import connection, transaction

    from samplan.catalogue import search
    from samplan.catalogue.models import Offer
    from samplan.core.models import Municipality, OrgUnit
    from samplan.terminology import ffb

    rng = random.Random(seed)
    municipality = Municipality.objects.create(code="0173", name="Lyngby-Taarbæk Kommune")
    owners = OrgUnit.objects.bulk_create(
        OrgUnit(municipality=municipality, name=f"Organisation {i:02d}", kind=OrgUnit.Kind.PROVIDER) for i in range(40)
    )
    groups = list(ffb.branch(ffb.TARGET_GROUPS, leaves_only=True).values_list("pk", flat=True))
    offers = []
    for i in range(n):
        title, kind, sentence = rng.choice(TOPICS)
        area = rng.choice(AREAS)
        extra = " ".join(rng.sample(WORDS, 4))
        offers.append(
            Offer(
                municipality=municipality,
                kind=kind,
                title=f"{title} {area} {i}",
                summary=sentence,
                description=f"{sentence} Vi arbejder med {extra}.",
                audience=rng.choice(AUDIENCES),
                open_access=rng.random() < 0.5,
                access_note="Kontakt din sagsbehandler",
                price_kr=0 if rng.random() < 0.6 else 50,
                area=area,
                city="Kgs. Lyngby",
                postcode="2800",
                owner=rng.choice(owners),
                published=rng.random() < 0.95,
            )
        )
    with transaction.atomic():
        Offer.objects.bulk_create(offers, batch_size=500)
        through = Offer.target_groups.through
        links = []
        for offer in Offer.objects.only("pk"):
            for concept_id in rng.sample(groups, rng.randint(0, 3)):
                links.append(through(offer_id=offer.pk, concept_id=concept_id))
        through.objects.bulk_create(links, batch_size=1000)
    started = time.perf_counter()
    search.index(Offer.objects.all())
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return seconds


def one_search(q: str, params: dict) -> int:
    """What /tilbud/ asks the database: results page 1, count and filter counts."""
    from django.core.paginator import Paginator
    from django.http import QueryDict

    from samplan.catalogue import search

    query = QueryDict(mutable=True)
    query.update({"q": q, **params})
    result = search.catalogue(search.Filters.from_params(query))
    page = Paginator(result.offers, 20).get_page(1)
    list(page.object_list)
    return page.paginator.count


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    k = (len(values) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", DEFAULT_PG_URL))
    parser.add_argument("--offers", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args(argv)

    cleanup = setup_django(args.db, args.pg_url)
    try:
        from django.core.management import call_command
        from django.db import connection

        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        migrated = time.perf_counter() - started
        index_seconds = build(args.offers)
        version = connection.cursor().connection.info.server_version if connection.vendor == "postgresql" else None
        label = f"PostgreSQL {version // 10000}.{version % 10000}" if version else f"SQLite {connection.Database.sqlite_version}"
        print(
            f"\n== {label}: {args.offers} offers (migrate {migrated:.1f} s, index {index_seconds:.1f} s), "
            f"{args.repeat} runs per query =="
        )
        print(f"{'query':40} {'hits':>6} {'p50 ms':>8} {'p95 ms':>8}")
        for name, q, params in QUERIES:
            for _ in range(3):
                hits = one_search(q, params)
            times = []
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                one_search(q, params)
                times.append((time.perf_counter() - t0) * 1000)
            print(f"{name:40} {hits:>6} {statistics.median(times):>8.1f} {percentile(times, 0.95):>8.1f}")
    finally:
        cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
