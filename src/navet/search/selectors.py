"""Reading the search index: ``search(user, query, ...)`` is the one way to search.

**The permission filter is in the query.** ``visible_entries(user)`` is the OR of every
provider's ``kind = <kind> AND <the app's visibility rule>``; the hits, the total and every
facet count are computed from it in the database, before any page is cut, so nothing the user
may not see is ever counted or shown.

One search costs three queries: one aggregate (matches grouped by kind, network, group and
year: the total and all facets come from it), one page of hits ordered by relevance or date,
and one that makes the snippets of that page only.

Facets count each dimension with the *other* filters applied (the type facet ignores the type
filter, and so on), so each shows what choosing another value would give.
"""

import dataclasses
import datetime
import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
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
    """Entries matching the query, annotated with ``rank`` (higher is better); and what the
    snippet query needs (the websearch text on PostgreSQL, the FTS5 match on SQLite)."""
    if _is_postgresql():
        # websearch syntax ("a phrase", -not, or) on the full query, stemmed by 'swedish'.
        ts_query = SearchQuery(clean_query(query), search_type="websearch", config="swedish")
        matched = entries.filter(search_vector=ts_query).annotate(
            rank=SearchRank(F("search_vector"), ts_query)
        )
        return matched, clean_query(query)
    match = _fts_match(words)
    matched = entries.filter(
        pk__in=RawSQL(
            "SELECT rowid FROM search_searchentry_fts WHERE search_searchentry_fts MATCH %s",
            [match],
        )
    ).annotate(
        # bm25 is lower for better hits; title weighs ten times the body.
        rank=RawSQL(
            "-(SELECT bm25(search_searchentry_fts, 10.0, 1.0) FROM search_searchentry_fts"
            " WHERE search_searchentry_fts MATCH %s AND rowid = search_searchentry.id)",
            [match],
        )
    )
    return matched, match


def _marked(text: str) -> SafeString:
    escaped = escape(text).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    return mark_safe(escaped)  # noqa: S308 - escaped above; only our <mark> tags added


def _snippets(ids: list[int], needle: Any) -> dict[int, str]:
    if not ids:
        return {}
    if _is_postgresql():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, ts_headline('swedish', body, websearch_to_tsquery('swedish', %s), %s)"
                " FROM search_searchentry WHERE id = ANY(%s)",
                [
                    needle,
                    # One excerpt of 12–30 words around the best hit (fragment mode would
                    # cut a short text at the hit).
                    f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords={SNIPPET_WORDS},"
                    " MinWords=12",
                    ids,
                ],
            )
            return dict(cursor.fetchall())
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
    empty = SearchResults(query, [], 0, 1, per_page, [], [], [], searched=False)
    if not words:
        return empty
    matched, needle = _matching(visible_entries(user), query, words)

    filters = {
        "kind": Q(kind__in=list(kinds)) if kinds else Q(),
        "network": Q(network=network) if network is not None else Q(),
        "group": Q(group=group) if group is not None else Q(),
        "year": Q(year=year) if year is not None else Q(),
    }
    # One aggregate over the matches; the filters are applied to its rows in Python.
    buckets = list(
        matched.order_by().values("kind", "network_id", "group_id", "year").annotate(n=Count("pk"))
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
    filtered = matched.filter(*filters.values())
    if order == "date":
        ordering = [F("date").desc(nulls_last=True), F("rank").desc(), "-pk"]
    else:
        ordering = [F("rank").desc(), F("date").desc(nulls_last=True), "-pk"]
    start = (page - 1) * per_page
    rows = list(
        filtered.order_by(*ordering).values(
            "pk", "kind", "object_id", "title", "url", "network_id", "year", "date"
        )[start : start + per_page]
    )
    snippets = _snippets([r["pk"] for r in rows], needle)
    # Every hit's network is in the network facet (a hit passes all filters).
    networks = Network.objects.in_bulk(list(per_network))
    hits = [
        Hit(
            kind=r["kind"],
            kind_label=_kind_label(r["kind"]),
            object_id=r["object_id"],
            title=r["title"],
            url=r["url"],
            snippet=_marked(snippets.get(r["pk"]) or ""),
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


def _kind_label(kind: str) -> str | Promise:
    provider = registry.provider_for(kind)
    return provider.label if provider else kind
