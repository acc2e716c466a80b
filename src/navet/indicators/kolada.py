"""A small client for the Kolada API v3 (https://api.kolada.se/v3), standard library only.

What this relies on, as Kolada v3 answers (checked against RKA's own R package koladafun and
other public v3 clients, since v2 is switched off):

* Metadata: ``/kpi/{id,id,…}`` (``id``, ``title``, ``description``, ``is_divided_by_gender``,
  ``publication_date``, …), ``/municipality`` (``id``, ``title``, ``type`` "K" or "L") and
  ``/municipality_groups`` (``id``, ``title``, ``members``: ``[{"member_id", "member_title"}]``).
* Values: ``/data/kpi/{ids}/municipality/{ids}/year/{years}`` (path form; the query form
  answers empty). A page is ``{"values": [{"kpi", "municipality", "period", "values":
  [{"gender", "status", "value", "count", "isdeleted"}]}], "count", "next_url",
  "previous_url"}``; ``value`` is null where Kolada has no figure (``status`` says why).
* Paging: ``per_page`` (up to 5000) and ``page``; the next page's link is ``next_url`` (older
  answers call it ``next_page``), absolute or relative, null on the last page.
* Limits: at most 25 ids of a kind per request (more gives HTTP 422), at most 5 requests a
  second; 5xx, 429 and time-outs are worth retrying, other 4xx are not.
* Municipality ids: four digits for a municipality (the SCB code), ``00`` + county code for a
  region, ``0000`` for Riket; group ids start with ``G``.

Each page is checked before anything is read from it: a page of an unexpected shape raises
KoladaError naming what was wrong and the URL, so a caller can fail cleanly.
"""

import http.client
import json
import math
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

from django.conf import settings

from navet.core import bounds

MAX_IDS_PER_REQUEST = 25
PER_PAGE = 5000
GENDERS = frozenset({"T", "K", "M"})
USER_AGENT = "Navet (Kolada sync)"


class KoladaError(Exception):
    """Kolada could not be reached, refused, or answered something unexpected."""


@dataclass(frozen=True)
class Kpi:
    id: str
    title: str
    description: str
    is_divided_by_gender: bool


@dataclass(frozen=True)
class Municipality:
    id: str
    title: str
    type: str  # "K" municipality, "L" region (landsting); Riket is "0000"


@dataclass(frozen=True)
class MunicipalityGroup:
    id: str
    title: str
    members: tuple[str, ...]


@dataclass(frozen=True)
class DataPoint:
    kpi: str
    municipality: str
    period: int
    gender: str
    value: float | None
    status: str
    count: int | None
    deleted: bool = False


@dataclass(frozen=True)
class Batch:
    """One data request (≤ 25 KPIs × ≤ 25 municipalities × ≤ 25 years), all its pages."""

    number: int
    kpis: tuple[str, ...]
    municipalities: tuple[str, ...]
    years: tuple[int, ...]

    def describe(self) -> str:
        years = f"{self.years[0]}–{self.years[-1]}" if len(self.years) > 1 else str(self.years[0])
        return (
            f"KPI {', '.join(self.kpis)}; municipalities {self.municipalities[0]}–"
            f"{self.municipalities[-1]} ({len(self.municipalities)}); years {years}"
        )


def chunks(items: Sequence[Any], size: int) -> list[tuple[Any, ...]]:
    return [tuple(items[start : start + size]) for start in range(0, len(items), size)]


class KoladaClient:
    """Fetches Kolada pages politely: rate-limited, retried with backoff, shape-checked.

    ``sleep`` and ``clock`` are injectable so tests of the rate limit and the backoff are
    instant and exact. Settings are read when the client is made (tests change them).
    """

    def __init__(
        self,
        *,
        base_url: str | None = None,
        requests_per_second: float | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
        backoff_seconds: float = 1.0,
        max_ids: int = MAX_IDS_PER_REQUEST,
        per_page: int = PER_PAGE,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.base_url = (base_url or settings.KOLADA_BASE_URL).rstrip("/")
        if urlsplit(self.base_url).scheme not in {"http", "https"}:
            raise KoladaError(f"The Kolada address must be http(s): {self.base_url}")
        rate = (
            requests_per_second
            if requests_per_second is not None
            else settings.KOLADA_REQUESTS_PER_SECOND
        )
        self.min_interval = 1.0 / rate if rate > 0 else 0.0
        self.timeout = timeout if timeout is not None else settings.KOLADA_TIMEOUT_SECONDS
        self.max_retries = max_retries if max_retries is not None else settings.KOLADA_MAX_RETRIES
        self.backoff_seconds = backoff_seconds
        self.max_ids = max(1, min(max_ids, MAX_IDS_PER_REQUEST))
        self.per_page = per_page
        self.sleep = sleep
        self.clock = clock
        self._last_request: float | None = None

    # -- HTTP -----------------------------------------------------------------------------

    def _wait_for_turn(self) -> None:
        if self._last_request is not None and self.min_interval:
            wait = self._last_request + self.min_interval - self.clock()
            if wait > 0:
                self.sleep(wait)
        self._last_request = self.clock()

    def _get_once(self, url: str) -> bytes:
        self._wait_for_turn()
        headers = {"Accept": "application/json", "User-Agent": USER_AGENT}
        request = urllib.request.Request(url, headers=headers)  # noqa: S310 (scheme checked)
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
            body: bytes = response.read()
            return body

    def get_json(self, url: str) -> Any:
        """One page as JSON, retrying 5xx, 429, time-outs and connection errors with
        exponential backoff (1 s, 2 s, 4 s, …) up to ``max_retries`` times."""
        attempt = 0
        while True:
            delay = 0.0
            try:
                body = self._get_once(url)
            except urllib.error.HTTPError as error:
                problem = f"HTTP {error.code} {error.reason}"
                if error.code == 429:
                    delay = self._retry_after(error)
                error.close()
                if error.code < 500 and error.code != 429:
                    raise KoladaError(f"Kolada refused the request ({problem}): {url}") from error
            except (OSError, http.client.HTTPException) as error:
                # URLError, time-outs and dropped connections are all OSErrors.
                reason = getattr(error, "reason", error)
                if isinstance(reason, TimeoutError):
                    problem = f"no answer within {self.timeout:g} s"
                else:
                    problem = f"connection failed ({reason})"
            else:
                try:
                    return json.loads(body.decode("utf-8"))
                except (UnicodeDecodeError, json.JSONDecodeError) as error:
                    raise KoladaError(f"Kolada's answer is not JSON ({error}): {url}") from error
            if attempt >= self.max_retries:
                attempts = f"{attempt + 1} attempt{'s' if attempt else ''}"
                raise KoladaError(
                    f"Kolada did not answer after {attempts} (last: {problem}): {url}"
                )
            self.sleep(max(self.backoff_seconds * 2**attempt, delay))
            attempt += 1

    @staticmethod
    def _retry_after(error: urllib.error.HTTPError) -> float:
        value = error.headers.get("Retry-After") if error.headers else None
        try:
            return min(float(value), 60.0) if value else 0.0
        except ValueError:
            return 0.0

    def _next_link(self, page: dict[str, Any], url: str) -> str | None:
        link = page.get("next_url") or page.get("next_page")
        if link is None or link == "":
            return None
        if not isinstance(link, str):
            raise KoladaError(f"Unexpected page from Kolada: the next-page link is not text: {url}")
        resolved = urlsplit(urljoin(url, link))
        base = urlsplit(self.base_url)
        if resolved.netloc != base.netloc:
            raise KoladaError(
                f"Unexpected page from Kolada: the next-page link leads away from {base.netloc}: "
                f"{url}"
            )
        # Keep the scheme we were given (an http:// link must not downgrade an https base).
        return urlunsplit((base.scheme, *resolved[1:]))

    def pages(self, path: str) -> Iterator[tuple[str, dict[str, Any]]]:
        """Every page of a listing, following next_url / next_page; each checked to be a
        dict with a list ``values``."""
        separator = "&" if "?" in path else "?"
        url: str | None = (
            f"{self.base_url}{path}{separator}{urlencode({'per_page': self.per_page})}"
        )
        seen: set[str] = set()
        while url:
            if url in seen:
                raise KoladaError(f"Unexpected page from Kolada: the next-page link loops: {url}")
            seen.add(url)
            page = self.get_json(url)
            if not isinstance(page, dict):
                raise KoladaError(f"Unexpected page from Kolada: not a JSON object: {url}")
            if not isinstance(page.get("values"), list):
                raise KoladaError(f"Unexpected page from Kolada: no list “values”: {url}")
            yield url, page
            url = self._next_link(page, url)

    # -- Metadata -------------------------------------------------------------------------

    def kpis(self, ids: Sequence[str]) -> list[Kpi]:
        found: list[Kpi] = []
        for chunk in chunks(list(ids), self.max_ids):
            for url, page in self.pages(f"/kpi/{','.join(chunk)}"):
                for index, item in enumerate(page["values"]):
                    where = _Where(url, index)
                    found.append(
                        Kpi(
                            id=where.text(item, "id"),
                            title=where.text(item, "title"),
                            description=where.text(item, "description", required=False),
                            is_divided_by_gender=bool(item.get("is_divided_by_gender")),
                        )
                    )
        return found

    def municipalities(self) -> list[Municipality]:
        found: list[Municipality] = []
        for url, page in self.pages("/municipality"):
            for index, item in enumerate(page["values"]):
                where = _Where(url, index)
                found.append(
                    Municipality(
                        id=where.text(item, "id"),
                        title=where.text(item, "title"),
                        type=where.text(item, "type", required=False),
                    )
                )
        return found

    def municipality_groups(self) -> list[MunicipalityGroup]:
        found: list[MunicipalityGroup] = []
        for url, page in self.pages("/municipality_groups"):
            for index, item in enumerate(page["values"]):
                where = _Where(url, index)
                members = where.dict(item).get("members", [])
                if not isinstance(members, list):
                    raise where.error("“members” is not a list")
                member_ids = []
                for member in members:
                    if not isinstance(member, dict):
                        raise where.error("a member is not an object")
                    member_id = member.get("member_id", member.get("id"))
                    if not isinstance(member_id, str):
                        raise where.error("a member has no “member_id”")
                    member_ids.append(member_id)
                found.append(
                    MunicipalityGroup(
                        id=where.text(item, "id"),
                        title=where.text(item, "title"),
                        members=tuple(member_ids),
                    )
                )
        return found

    # -- Values ---------------------------------------------------------------------------

    def batches(
        self, *, kpis: Sequence[str], municipalities: Sequence[str], years: Sequence[int]
    ) -> list[Batch]:
        """The requests needed for KPIs × municipalities × years, ≤ 25 ids of each per
        request."""
        combos = [
            (k, m, y)
            for k in chunks(list(kpis), self.max_ids)
            for m in chunks(list(municipalities), self.max_ids)
            for y in chunks(sorted(years), self.max_ids)
        ]
        return [
            Batch(number=n, kpis=k, municipalities=m, years=y)
            for n, (k, m, y) in enumerate(combos, start=1)
        ]

    def batch_path(self, batch: Batch) -> str:
        return (
            f"/data/kpi/{','.join(batch.kpis)}/municipality/{','.join(batch.municipalities)}"
            f"/year/{','.join(str(y) for y in batch.years)}"
        )

    def fetch_batch(self, batch: Batch) -> list[DataPoint]:
        """All data points of one batch, every page fetched and checked before any is
        returned, so a bad page means nothing of the batch is used."""
        points: list[DataPoint] = []
        for url, page in self.pages(self.batch_path(batch)):
            points.extend(parse_data_page(page, url))
        return points


class _Where:
    """Names the page and item a shape problem was found in."""

    def __init__(self, url: str, index: int) -> None:
        self.url, self.index = url, index

    def error(self, problem: str) -> KoladaError:
        return KoladaError(
            f"Unexpected page from Kolada: item {self.index + 1} of “values”: {problem}: {self.url}"
        )

    def dict(self, item: Any) -> dict[str, Any]:
        if not isinstance(item, dict):
            raise self.error("not an object")
        return item

    def text(self, item: Any, key: str, *, required: bool = True) -> str:
        value = self.dict(item).get(key)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or (required and not value):
            raise self.error(f"“{key}” is missing or not text")
        return value


def parse_data_page(page: dict[str, Any], url: str) -> list[DataPoint]:
    points: list[DataPoint] = []
    for index, raw in enumerate(page["values"]):
        where = _Where(url, index)
        item = where.dict(raw)
        kpi = where.text(item, "kpi")
        municipality = where.text(item, "municipality")
        period = item.get("period")
        if isinstance(period, str) and period.isdigit():
            period = int(period)
        if not isinstance(period, int) or isinstance(period, bool):
            raise where.error("“period” is missing or not a year")
        values = item.get("values")
        if not isinstance(values, list):
            raise where.error("“values” is missing or not a list")
        for figure in values:
            if not isinstance(figure, dict):
                raise where.error("a figure in “values” is not an object")
            gender = figure.get("gender")
            if gender not in GENDERS:
                raise where.error(f"gender {gender!r} is not T, K or M")
            if "value" not in figure:
                raise where.error("a figure has no “value”")
            value = figure["value"]
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int | float)
            ):
                raise where.error(f"value {value!r} is not a number")
            if value is not None and not (
                math.isfinite(value) and abs(value) <= bounds.MAX_ABS_FIGURE
            ):
                raise where.error(f"value {value!r} is not a finite figure within ±1e15")
            status = figure.get("status")
            if status is not None and not isinstance(status, str):
                raise where.error(f"status {status!r} is not text")
            count = figure.get("count")
            if count is not None and (isinstance(count, bool) or not isinstance(count, int)):
                raise where.error(f"count {count!r} is not a whole number")
            points.append(
                DataPoint(
                    kpi=kpi,
                    municipality=municipality,
                    period=period,
                    gender=str(gender),
                    value=None if value is None else float(value),
                    status=status or "",
                    count=count,
                    deleted=bool(figure.get("isdeleted")),
                )
            )
    return points
