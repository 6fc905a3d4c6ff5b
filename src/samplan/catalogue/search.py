"""The catalogue's search seam: Danish full-text search on PostgreSQL, a stemmed fallback
on SQLite, and the filters with counts (facets) of the public search page and the API.

* ``index(offer_or_queryset)`` keeps the two derived columns of ``Offer`` up to date:
  ``search_vector`` (PostgreSQL's ``danish`` text search configuration, computed in the
  database; weights A title, B summary and audience, C the rest) and ``search_stems``
  (Snowball-Danish stems of the same text as " stem1 stem2 … ", for SQLite). The services
  call it after every change; ``manage.py index_offers`` rebuilds everything.
* ``search(queryset, q)`` narrows and orders: on PostgreSQL each word becomes a prefix
  term of a ``danish`` tsquery (``kurser`` → ``'kurs':*`` finds "Kursus"), AND-ed and
  ranked; on SQLite each word is stemmed the same way and must be the start of a stored
  stem, ordered by title. An empty query returns the queryset unchanged (ordered by title).
* ``Filters`` and ``catalogue(filters)``: the public search with the filters kind, target
  group, open access, area and free, and counts per value computed over the search
  result with the *other* filters applied (a fixed number of queries)."""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass, field

import snowballstemmer
from django.db import connection
from django.db.models import Case, Count, F, OuterRef, Q, QuerySet, StringAgg, Subquery, Value, When

from .models import Offer

CONFIG = "danish"
_WORD_RE = re.compile(r"[^\W_]+")  # letters and digits of any script; nothing else reaches a tsquery
MAX_WORDS = 8
_local = threading.local()


def _stemmer():
    # Snowball stemmers keep state while stemming a word: one per thread.
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer(CONFIG)
    return stemmer


def words(text: str) -> list[str]:
    """The words of ``text``, lower-cased, letters and digits only."""
    return _WORD_RE.findall((text or "").lower())


def stem(word: str) -> str:
    return _stemmer().stemWord(word)


def stems(text: str) -> list[str]:
    """Distinct Danish stems of the words of ``text``, in order of first appearance."""
    seen: dict[str, None] = {}
    for w in words(text):
        seen.setdefault(stem(w), None)
    return list(seen)


def query_words(q: str) -> list[str]:
    """The user's words (at most MAX_WORDS, duplicates removed)."""
    return list(dict.fromkeys(words(q)))[:MAX_WORDS]


# --- Indexing ----------------------------------------------------------------------------

WEIGHT_A = ("title",)
WEIGHT_B = ("summary", "audience")
WEIGHT_C = ("description", "area", "city", "postcode", "access_note", "legal_basis", "languages", "accessibility", "price_note")


def document_text(offer: Offer) -> str:
    """Everything a search looks at, as one text (the same fields as the tsvector)."""
    parts = [getattr(offer, name) or "" for name in WEIGHT_A + WEIGHT_B + WEIGHT_C]
    parts.append(offer.get_kind_display())
    parts.append(offer.owner.name if offer.owner_id else "")
    parts.extend(c.display for c in offer.target_groups.all())
    return " ".join(parts)


def _vector_expression():
    """The tsvector, computed by PostgreSQL from the row itself (no joins in an UPDATE:
    the owner's name and the target groups come in as subqueries)."""
    from samplan.core.models import OrgUnit

    owner_name = Subquery(OrgUnit.objects.filter(pk=OuterRef("owner_id")).values("name")[:1])
    through = Offer.target_groups.through
    groups = Subquery(
        through.objects.filter(offer_id=OuterRef("pk"))
        .order_by()
        .values("offer_id")
        .annotate(names=StringAgg("concept__display", Value(" ")))
        .values("names")[:1]
    )
    kind_label = Case(*[When(kind=value, then=Value(str(label))) for value, label in Offer.Kind.choices], default=Value(""))
    from django.contrib.postgres.search import SearchVector

    return (
        SearchVector(*WEIGHT_A, weight="A", config=CONFIG)
        + SearchVector(*WEIGHT_B, weight="B", config=CONFIG)
        + SearchVector(*WEIGHT_C, kind_label, owner_name, groups, weight="C", config=CONFIG)
    )


def index(target: Offer | QuerySet) -> int:
    """Recompute the search columns of one offer or of a queryset of offers; returns how
    many offers were indexed. Does not touch ``updated_at``."""
    queryset = Offer.objects.filter(pk=target.pk) if isinstance(target, Offer) else target
    rows = list(queryset.order_by().select_related("owner").prefetch_related("target_groups"))
    for row in rows:
        row.search_stems = " " + " ".join(stems(document_text(row))) + " "
    Offer.objects.bulk_update(rows, ["search_stems"], batch_size=500)
    if connection.vendor == "postgresql" and rows:
        ids = [row.pk for row in rows]
        for start in range(0, len(ids), 1000):
            Offer.objects.filter(pk__in=ids[start : start + 1000]).update(search_vector=_vector_expression())
    if isinstance(target, Offer) and rows:
        target.search_stems = rows[0].search_stems
    return len(rows)


# --- Searching ---------------------------------------------------------------------------


def tsquery(q: str) -> str:
    """A raw tsquery: every word a prefix term, AND-ed ("kurser lyngby" → "kurser:* & lyngby:*").
    Only letters and digits get here, so the user cannot write tsquery syntax."""
    return " & ".join(f"{w}:*" for w in query_words(q))


def matching(queryset: QuerySet, q: str) -> QuerySet:
    """``queryset`` narrowed to offers matching every word of ``q`` (no ordering added)."""
    terms = query_words(q)
    if not terms:
        return queryset
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery

        return queryset.filter(search_vector=SearchQuery(tsquery(q), search_type="raw", config=CONFIG))
    return matching_stems(queryset, q)


def matching_stems(queryset: QuerySet, q: str) -> QuerySet:
    """The SQLite fallback (works on any database): the Danish stem of every word must be
    the start of a stored stem (" kurs" is in " kursus recovery ")."""
    for w in query_words(q):
        queryset = queryset.filter(search_stems__contains=" " + stem(w))
    return queryset


def ordered(queryset: QuerySet, q: str) -> QuerySet:
    """Order already matching offers: best first on PostgreSQL (rank, then title), by title
    on SQLite and for an empty query."""
    if query_words(q) and connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank

        query = SearchQuery(tsquery(q), search_type="raw", config=CONFIG)
        return queryset.annotate(rank=SearchRank(F("search_vector"), query)).order_by("-rank", "title", "id")
    return queryset.order_by("title", "id")


def search(queryset: QuerySet, q: str) -> QuerySet:
    """Offers of ``queryset`` matching ``q``, best first."""
    return ordered(matching(queryset, q), q)


# --- Filters and counts ------------------------------------------------------------------


def public_offers() -> QuerySet:
    """Published offers, without courses that have been cancelled (their offer row stays)."""
    return Offer.objects.filter(published=True).exclude(course__status="cancelled")


def _ints(values) -> tuple[int, ...]:
    out = []
    for v in values:
        try:
            out.append(int(v))
        except (TypeError, ValueError):
            continue
    return tuple(dict.fromkeys(out))


def _flag(value) -> bool:
    return str(value or "").lower() in ("1", "true", "ja", "on", "yes")


@dataclass(frozen=True)
class Filters:
    """What the visitor asked for. Parsed leniently from GET parameters: unknown values
    are ignored rather than refused, so an old link still shows something."""

    q: str = ""
    kinds: tuple[str, ...] = ()
    targets: tuple[int, ...] = ()
    areas: tuple[str, ...] = ()
    open_access: bool = False
    free: bool = False

    @classmethod
    def from_params(cls, params) -> Filters:
        getlist = params.getlist if hasattr(params, "getlist") else (lambda k: [params[k]] if k in params else [])
        kinds = tuple(dict.fromkeys(k for k in getlist("kind") if k in Offer.Kind.values))
        areas = tuple(dict.fromkeys(a.strip()[:100] for a in getlist("area") if a and a.strip()))
        q = (params.get("q") or "").strip()[:200]
        return cls(
            q=q,
            kinds=kinds,
            targets=_ints(getlist("target")),
            areas=areas,
            open_access=_flag(params.get("open")),
            free=_flag(params.get("free")),
        )

    @property
    def any_filter(self) -> bool:
        return bool(self.kinds or self.targets or self.areas or self.open_access or self.free)

    def apply(self, queryset: QuerySet, skip: str | None = None) -> QuerySet:
        """Apply every filter but ``skip`` (values of one filter are OR-ed, filters AND-ed)."""
        if self.kinds and skip != "kind":
            queryset = queryset.filter(kind__in=self.kinds)
        if self.targets and skip != "target":
            through = Offer.target_groups.through
            queryset = queryset.filter(pk__in=through.objects.filter(concept_id__in=self.targets).values("offer_id"))
        if self.areas and skip != "area":
            queryset = queryset.filter(area__in=self.areas)
        if self.open_access and skip != "open":
            queryset = queryset.filter(open_access=True)
        if self.free and skip != "free":
            queryset = queryset.filter(price_kr=0)
        return queryset


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool

    @property
    def key(self) -> str:
        """A stable, id-safe key for the value (checkbox ids survive an HTMX swap)."""
        return hashlib.sha1(self.value.encode(), usedforsecurity=False).hexdigest()[:10]


@dataclass
class Facets:
    kinds: list[FacetOption] = field(default_factory=list)
    targets: list[FacetOption] = field(default_factory=list)
    areas: list[FacetOption] = field(default_factory=list)
    open_access: int = 0
    free: int = 0


@dataclass
class Result:
    offers: QuerySet  # ordered, ready to paginate
    facets: Facets


def facet_counts(base: QuerySet, filters: Filters) -> Facets:
    """Counts per filter value over ``base`` (the search result) with the other filters
    applied — four or five queries (one more when a chosen target group has no offers left)."""
    facets = Facets()

    by_kind = dict(filters.apply(base, skip="kind").order_by().values_list("kind").annotate(n=Count("pk")))
    for value, label in Offer.Kind.choices:
        count = by_kind.get(value, 0)
        if count or value in filters.kinds:
            facets.kinds.append(FacetOption(value, str(label), count, value in filters.kinds))

    through = Offer.target_groups.through
    rows = (
        through.objects.filter(offer_id__in=filters.apply(base, skip="target").order_by().values("pk"))
        .values_list("concept_id", "concept__display", "concept__sort_key")
        .annotate(n=Count("offer_id"))
        .order_by("concept__sort_key")
    )
    seen = set()
    for concept_id, display, _sort, count in rows:
        seen.add(concept_id)
        facets.targets.append(FacetOption(str(concept_id), display, count, concept_id in filters.targets))
    missing = [t for t in filters.targets if t not in seen]
    if missing:
        from samplan.terminology.models import Concept

        for concept in Concept.objects.filter(pk__in=missing).order_by("sort_key"):
            facets.targets.append(FacetOption(str(concept.pk), concept.display, 0, True))

    by_area = dict(filters.apply(base, skip="area").exclude(area="").order_by().values_list("area").annotate(n=Count("pk")))
    for area in filters.areas:
        by_area.setdefault(area, 0)
    for area in sorted(by_area, key=str.casefold):
        facets.areas.append(FacetOption(area, area, by_area[area], area in filters.areas))

    open_q, free_q = Q(open_access=True), Q(price_kr=0)
    if not filters.open_access and not filters.free:
        # Neither is chosen: both are counted over the same set, in one query.
        counts = filters.apply(base).aggregate(open=Count("pk", filter=open_q), free=Count("pk", filter=free_q))
        facets.open_access, facets.free = counts["open"], counts["free"]
    else:
        facets.open_access = filters.apply(base, skip="open").filter(open_q).count()
        facets.free = filters.apply(base, skip="free").filter(free_q).count()
    return facets


def catalogue(filters: Filters, queryset: QuerySet | None = None) -> Result:
    """The public search: matching published offers, filtered, ordered, with counts."""
    base = matching(public_offers() if queryset is None else queryset, filters.q)
    offers = ordered(filters.apply(base), filters.q).select_related("owner").prefetch_related("target_groups")
    return Result(offers=offers, facets=facet_counts(base, filters))
