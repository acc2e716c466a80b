"""Reading the search index: ``search(user, query, ...)`` is the one way to search.

**The permission filter is in the query.** ``visible_entries(user)`` is the OR of every
provider's ``kind = <kind> AND <the app's visibility rule>``; the hits, the total and every
facet count are computed from it in the database, before any page is cut, so nothing the user
may not see is ever counted or shown.

The total and all facets come from one aggregate of the matches grouped by kind, network,
group and year; a page of hits is ordered by relevance or date; snippets are made for that
page only. On PostgreSQL the aggregate and the page are one statement (the match and the
permission filter are evaluated once), the snippets a second; on SQLite three queries.

Facets count each dimension with the *other* filters applied (the type facet ignores the type
filter, and so on), so each shows what choosing another value would give.
"""

import contextlib
import dataclasses
import datetime
import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection, transaction
from django.db.models import Count, F, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from navet.networks.models import Network
from navet.search import registry
from navet.search.models import SearchEntry
from navet.search.stemming import stem

# What a query may be: longer text is cut, shorter words are left out.
MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 16
MIN_WORD_CHARS = 2
MAX_PER_PAGE = 100
# Marker characters around hits in the database's snippet; never stored (indexing strips
# control characters), replaced by <mark> after the rest is HTML-escaped.
MARK_START = "\x02"
MARK_END = "\x03"
SNIPPET_WORDS = 30
# Up to this many hits, PostgreSQL ranks by the whole text (ts_rank over title and body);
# beyond it by the title alone, then newest first: ranking by the whole text reads every hit's
# TOASTed vector (1 s for 20 000 hits), the title's vector is in the row.
FULL_RANK_LIMIT = 1000
# ts_headline parses and stems all the text it is given, so on PostgreSQL the snippet is made
# from a window of text around the first place a searched word's stem appears (Swedish stems
# are prefixes of the word's forms); only when that window holds no hit (the stem was part of
# another word, or the hit is in the title) from the first SNIPPET_SOURCE_CHARS characters.
SNIPPET_SOURCE_CHARS = 30_000
SNIPPET_WINDOW_BEFORE = 300
SNIPPET_WINDOW_CHARS = 700

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclasses.dataclass(frozen=True)
class Hit:
    kind: str
    kind_label: str | Promise
    object_id: int
    title: str
    url: str
    snippet: SafeString  # escaped text with <mark> around the hits
    network_id: int | None
    network_name: str
    year: int | None
    date: datetime.date | None


@dataclasses.dataclass(frozen=True)
class FacetValue:
    value: Any  # kind (str), network (Network) or year (int)
    label: str | Promise
    count: int


@dataclasses.dataclass
class SearchResults:
    query: str  # the query as searched (cut to MAX_QUERY_CHARS)
    hits: list[Hit]
    total: int
    page: int
    per_page: int
    kinds: list[FacetValue]
    networks: list[FacetValue]
    years: list[FacetValue]
    searched: bool  # False: the query had no word to search for

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def first_index(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.hits else 0

    @property
    def last_index(self) -> int:
        return (self.page - 1) * self.per_page + len(self.hits)


def clean_query(query: str) -> str:
    return " ".join((query or "").split())[:MAX_QUERY_CHARS]


def query_words(query: str) -> list[str]:
    """The words searched for: at least MIN_WORD_CHARS long, at most MAX_QUERY_WORDS."""
    words = [w for w in _WORD.findall(clean_query(query)) if len(w) >= MIN_WORD_CHARS]
    return words[:MAX_QUERY_WORDS]


def visible_entries(user: Any, kinds: Iterable[str] = ()) -> QuerySet[SearchEntry]:
    """The entries ``user`` may find: each provider's visibility rule AND-ed with its kind."""
    chosen = set(kinds)
    rule = Q(pk__in=[])
    for provider in registry.providers():
        if chosen and provider.kind not in chosen:
            continue
        rule |= Q(kind=provider.kind) & provider.visible(user)
    return SearchEntry.objects.filter(rule)


def _is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _fts_match(words: Sequence[str]) -> str:
    """The FTS5 query: every word's Swedish stem as a prefix ("kommunerna" → "kommun"*)."""
    return " ".join(f'"{stem(w).replace(chr(34), "")}"*' for w in words)


def _matching(entries: QuerySet[SearchEntry], query: str, words: Sequence[str]) -> Any:
    """Entries matching the query, and what the rank and snippets need (the websearch text on
    PostgreSQL, the FTS5 match on SQLite)."""
    if _is_postgresql():
        # websearch syntax ("a phrase", -not, or) on the full query, stemmed by 'swedish'.
        ts_query = SearchQuery(query, search_type="websearch", config="swedish")
        return entries.filter(search_vector=ts_query), query
    match = _fts_match(words)
    matched = entries.filter(
        pk__in=RawSQL(
            "SELECT rowid FROM search_searchentry_fts WHERE search_searchentry_fts MATCH %s",
            [match],
        )
    )
    return matched, match


def _sqlite_rank(needle: str) -> Any:
    """SQLite's relevance, higher is better: bm25 is lower for better hits; the title weighs
    ten times the body."""
    return RawSQL(
        "-(SELECT bm25(search_searchentry_fts, 10.0, 1.0) FROM search_searchentry_fts"
        " WHERE search_searchentry_fts MATCH %s AND rowid = search_searchentry.id)",
        [needle],
    )


@contextlib.contextmanager
def _index_scans() -> Iterator[None]:
    """PostgreSQL: use the GIN index even for a word most entries contain, without JIT.

    The planner does not count the cost of reading each row's TOASTed tsvector, so for a
    common word it picks a sequential scan that evaluates ``@@`` on every row (300 ms for
    20 000 entries), where a bitmap scan of the GIN index needs no recheck and no vector
    (35 ms). The setting is local to a savepoint and restored after.
    """
    if not _is_postgresql():
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('enable_seqscan'), current_setting('jit')")
        row = cursor.fetchone() or ("on", "on")
        cursor.execute("SET LOCAL enable_seqscan = off")
        # The statement's estimated cost passes jit_above_cost, and compiling it took half of
        # a common word's search (170 of 350 ms at 100 000 documents) for no gain.
        cursor.execute("SET LOCAL jit = off")
        yield
        cursor.execute(
            "SELECT set_config('enable_seqscan', %s, true), set_config('jit', %s, true)", row
        )


def _marked(text: str) -> SafeString:
    escaped = escape(text).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    return mark_safe(escaped)  # noqa: S308 - escaped above; only our <mark> tags added


# One excerpt of 12–30 words around the best hit (fragment mode would cut a short text at the
# hit).
_HEADLINE_OPTIONS = (
    f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords={SNIPPET_WORDS}, MinWords=12"
)


def _snippets(ids: list[int], needle: str) -> dict[int, str]:
    """SQLite: FTS5's snippet of the body for these entries."""
    if not ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid, snippet(search_searchentry_fts, 1, %s, %s, ' … ', %s)"
            " FROM search_searchentry_fts WHERE search_searchentry_fts MATCH %s"
            " AND rowid IN (SELECT value FROM json_each(%s))",
            [MARK_START, MARK_END, SNIPPET_WORDS, needle, json.dumps(ids)],
        )
        return dict(cursor.fetchall())


def search(
    user: Any,
    query: str,
    *,
    kinds: Sequence[str] = (),
    network: Network | None = None,
    group: Any = None,
    year: int | None = None,
    order: str = "relevance",
    page: int = 1,
    per_page: int = 20,
) -> SearchResults:
    """Search everything ``user`` may see for ``query``.

    ``kinds`` limits to some types (provider kinds: "document", "meeting", …), ``network``,
    ``group`` and ``year`` filter; ``order`` is "relevance" or "date" (newest first); a
    ``page`` past the last gives the last page.
    """
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    query = clean_query(query)
    words = query_words(query)
    if not words:
        return SearchResults(query, [], 0, 1, per_page, [], [], [], searched=False)
    with _index_scans():
        return _search(user, query, words, kinds, network, group, year, order, page, per_page)


def _search(
    user: Any,
    query: str,
    words: list[str],
    kinds: Sequence[str],
    network: Network | None,
    group: Any,
    year: int | None,
    order: str,
    page: int,
    per_page: int,
) -> SearchResults:
    matched, needle = _matching(visible_entries(user), query, words)
    filters = {
        "kind": (Q(kind__in=list(kinds)), "kind = ANY(%s)", list(kinds)) if kinds else None,
        "network": (Q(network=network), "network_id = %s", network.pk) if network else None,
        "group": (Q(group=group), "group_id = %s", group.pk) if group is not None else None,
        "year": (Q(year=year), "year = %s", year) if year is not None else None,
    }
    active = [f for f in filters.values() if f is not None]
    if _is_postgresql():
        buckets, page_ids = _postgresql_buckets_and_page(
            matched, needle, active, order=order, page=page, per_page=per_page
        )
    else:
        # One aggregate over the matches; the filters are applied to its rows in Python.
        buckets = list(
            matched.order_by()
            .values("kind", "network_id", "group_id", "year")
            .annotate(n=Count("pk"))
        )

    def passes(bucket: dict[str, Any], skip: str = "") -> bool:
        return (
            (skip == "kind" or not kinds or bucket["kind"] in kinds)
            and (skip == "network" or network is None or bucket["network_id"] == network.pk)
            and (group is None or bucket["group_id"] == group.pk)
            and (skip == "year" or year is None or bucket["year"] == year)
        )

    total = sum(b["n"] for b in buckets if passes(b))
    per_kind: dict[str, int] = defaultdict(int)
    per_network: dict[int, int] = defaultdict(int)
    per_year: dict[int, int] = defaultdict(int)
    for b in buckets:
        if passes(b, skip="kind"):
            per_kind[b["kind"]] += b["n"]
        if passes(b, skip="network") and b["network_id"] is not None:
            per_network[b["network_id"]] += b["n"]
        if passes(b, skip="year") and b["year"] is not None:
            per_year[b["year"]] += b["n"]

    num_pages = max(1, math.ceil(total / per_page))
    page = max(1, min(page, num_pages))
    if _is_postgresql():
        rows = _postgresql_hits(page_ids, needle)
    else:
        rows = _sqlite_hits(matched, needle, active, order, page, per_page)
    # Every hit's network is in the network facet (a hit passes all filters).
    networks = Network.objects.in_bulk(list(per_network))
    hits = [
        Hit(
            kind=r["kind"],
            kind_label=_kind_label(r["kind"]),
            object_id=r["object_id"],
            title=r["title"],
            url=r["url"],
            snippet=_marked(r["snippet"] or ""),
            network_id=r["network_id"],
            network_name=networks[r["network_id"]].name if r["network_id"] in networks else "",
            year=r["year"],
            date=r["date"],
        )
        for r in rows
    ]
    return SearchResults(
        query=query,
        hits=hits,
        total=total,
        page=page,
        per_page=per_page,
        kinds=[
            FacetValue(p.kind, p.label, per_kind[p.kind])
            for p in registry.providers()
            if per_kind.get(p.kind)
        ],
        networks=sorted(
            (
                FacetValue(networks[pk], networks[pk].name, n)
                for pk, n in per_network.items()
                if pk in networks
            ),
            key=lambda f: (-f.count, str(f.label)),
        ),
        years=[FacetValue(y, str(y), per_year[y]) for y in sorted(per_year, reverse=True)],
        searched=True,
    )


_HIT_FIELDS = ("pk", "kind", "object_id", "title", "url", "network_id", "year", "date")


def _sqlite_hits(
    matched: QuerySet[SearchEntry],
    needle: str,
    active: list[Any],
    order: str,
    page: int,
    per_page: int,
) -> list[dict[str, Any]]:
    filtered = matched.filter(*(f[0] for f in active)).annotate(rank=_sqlite_rank(needle))
    ordering: list[Any] = [F("rank").desc(), F("date").desc(nulls_last=True), "-pk"]
    if order == "date":
        ordering = [F("date").desc(nulls_last=True), F("rank").desc(), "-pk"]
    start = (page - 1) * per_page
    rows = list(filtered.order_by(*ordering).values(*_HIT_FIELDS)[start : start + per_page])
    snippets = _snippets([r["pk"] for r in rows], needle)
    for row in rows:
        row["snippet"] = snippets.get(row["pk"], "")
    return rows


def _postgresql_buckets_and_page(
    matched: QuerySet[SearchEntry],
    needle: str,
    active: list[Any],
    *,
    order: str,
    page: int,
    per_page: int,
) -> tuple[list[dict[str, Any]], list[int]]:
    """PostgreSQL: the facet buckets and one page of hit ids in ONE statement, so the
    full-text match and the permission filter are evaluated once (a MATERIALIZED CTE).

    A page past the last gives the last page, as the Python side computes it. The full text
    rank is computed only when at most FULL_RANK_LIMIT hits pass the filters.
    """
    ts_query = SearchQuery(needle, search_type="websearch", config="swedish")
    hits_sql, hits_params = (
        matched.order_by()
        .annotate(title_rank=SearchRank(F("title_vector"), ts_query))
        .values("id", "kind", "network_id", "group_id", "year", "date", "title_rank")
        .query.sql_with_params()
    )
    where = " AND ".join(f[1] for f in active) or "TRUE"
    rank = (
        "CASE WHEN (SELECT n FROM counted) <= %s THEN (SELECT ts_rank(x.search_vector,"
        " websearch_to_tsquery('swedish', %s)) FROM search_searchentry x WHERE x.id = f.id)"
        " ELSE f.title_rank END"
    )
    if order == "date":
        ordering = "f.date DESC NULLS LAST, hit_rank DESC, f.id DESC"
    else:
        ordering = "hit_rank DESC, f.date DESC NULLS LAST, f.id DESC"
    sql = (
        f"WITH hits AS MATERIALIZED ({hits_sql}),"  # noqa: S608 - ORM SQL and constants
        f" filtered AS (SELECT * FROM hits WHERE {where}),"
        " counted AS (SELECT count(*) AS n FROM filtered)"
        " SELECT kind, network_id, group_id, year, count(*), NULL::bigint[] FROM hits"
        " GROUP BY kind, network_id, group_id, year"
        " UNION ALL"
        " SELECT NULL, NULL, NULL, NULL, NULL, ARRAY("
        f"   SELECT p.id FROM (SELECT f.id, f.date, {rank} AS hit_rank FROM filtered f"
        f"   ORDER BY {ordering}"
        "   LIMIT %s OFFSET LEAST(%s, GREATEST(((SELECT n FROM counted) - 1) / %s * %s, 0))"
        "   ) p)"
    )
    params = [
        *hits_params,
        *(f[2] for f in active),
        FULL_RANK_LIMIT,
        needle,
        per_page,
        (page - 1) * per_page,
        per_page,
        per_page,
    ]
    buckets: list[dict[str, Any]] = []
    page_ids: list[int] = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for kind, network_id, group_id, year, n, ids in cursor.fetchall():
            if ids is not None:
                page_ids = list(ids)
            else:
                buckets.append(
                    {"kind": kind, "network_id": network_id, "group_id": group_id, "year": year}
                    | {"n": n}
                )
    return buckets, page_ids


# The window is cut back to whole words at the ends that fall inside the text; CASE computes
# the headline of the whole text only when the window's has no hit.
_POSTGRESQL_HITS_SQL = """
WITH q AS (SELECT websearch_to_tsquery('swedish', %(needle)s) AS query)
SELECT e.id, e.kind, e.object_id, e.title, e.url, e.network_id, e.year, e.date,
    CASE WHEN strpos(near.headline, %(mark)s) > 0 THEN near.headline
    ELSE ts_headline('swedish', left(e.body, %(source_chars)s), q.query, %(options)s) END
FROM search_searchentry e CROSS JOIN q
CROSS JOIN LATERAL (
    SELECT greatest(min(nullif(strpos(lower(e.body), stem), 0)) - %(before)s, 1) AS start
    FROM unnest(%(stems)s::text[]) AS stem
) AS hit
CROSS JOIN LATERAL (
    SELECT substr(e.body, hit.start, %(window)s) AS text
) AS raw_window
CROSS JOIN LATERAL (
    SELECT ts_headline('swedish', regexp_replace(regexp_replace(raw_window.text,
        CASE WHEN hit.start > 1 THEN '^\\S*\\s' ELSE '^$' END, ''),
        CASE WHEN char_length(e.body) >= hit.start + %(window)s THEN '\\s\\S*$' ELSE '^$' END,
        ''), q.query, %(options)s) AS headline
) AS near
WHERE e.id = ANY(%(ids)s)
"""


def _postgresql_hits(ids: list[int], needle: str) -> list[dict[str, Any]]:
    """The page's entries (ids from the permission-filtered query) with their snippets."""
    if not ids:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            _POSTGRESQL_HITS_SQL,
            {
                "needle": needle,
                "mark": MARK_START,
                "source_chars": SNIPPET_SOURCE_CHARS,
                "options": _HEADLINE_OPTIONS,
                "stems": sorted({stem(word) for word in query_words(needle)}),
                "before": SNIPPET_WINDOW_BEFORE,
                "window": SNIPPET_WINDOW_CHARS,
                "ids": ids,
            },
        )
        by_id = {row[0]: dict(zip((*_HIT_FIELDS, "snippet"), row, strict=True)) for row in cursor}
    return [by_id[pk] for pk in ids if pk in by_id]


def _kind_label(kind: str) -> str | Promise:
    provider = registry.provider_for(kind)
    return provider.label if provider else kind
