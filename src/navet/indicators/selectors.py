"""Reads for comparing indicator values: rankings, reference values, comparison tables, trends.

Every selector runs a fixed number of queries, whatever the number of municipalities, years
or indicators: values are fetched in one go and ranked, averaged and grouped in Python, except
for the comparison table, whose figures the database aggregates (``_latest_figures``).

Ranks and quartiles are *relative*: they say where a value stands among all municipalities
that year (as Kolada's colours do), never whether it is good enough. Progress towards a target
is a separate thing (navet.indicators.progress).
"""

import bisect
import datetime
import statistics
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from navet.indicators.models import Indicator, IndicatorSet, MunicipalityGroup, Target, Value
from navet.indicators.progress import Point, Status, progress_status
from navet.networks.models import Membership, Network, Organisation
from navet.networks.selectors import active_on, members_on

RIKET = "0000"
DEFAULT_SET = "sekom-12"
MAX_DEFAULT_INDICATORS = 30
MUNICIPALITY = Organisation.Kind.MUNICIPALITY
COMPARABLE_KINDS = (
    Organisation.Kind.MUNICIPALITY,
    Organisation.Kind.REGION,
    Organisation.Kind.NATION,
)


class Ranker:
    """Ranks values among others: 1 is best in the desired direction, ties share a rank.

    Without a desired direction ("none") the highest value gets rank 1.
    """

    def __init__(self, values: Iterable[float], *, direction: str) -> None:
        self.sorted = sorted(values)
        self.lower_is_better = direction == Indicator.Direction.DECREASE

    @property
    def count(self) -> int:
        return len(self.sorted)

    def rank(self, value: float) -> int:
        if self.lower_is_better:
            return 1 + bisect.bisect_left(self.sorted, value)
        return 1 + len(self.sorted) - bisect.bisect_right(self.sorted, value)

    def quartile(self, rank: int) -> int:
        return relative_quartile(rank, self.count)


def relative_quartile(rank: int, count: int) -> int:
    """1 for the best quarter … 4 for the worst, by the share of the others ranked above; the
    first is always in the best quarter and the last in the worst, and tied values share their
    quartile."""
    if count < 2:
        return 1
    return min(4, (rank - 1) * 4 // (count - 1) + 1)


@dataclass(frozen=True)
class RankedValue:
    organisation: Organisation
    value: float
    rank: int
    quartile: int
    count: int


def ranks_highest_first(indicator: Indicator) -> bool:
    """True when rank 1 is simply the highest value because no direction is desired."""
    return indicator.direction == Indicator.Direction.NONE


def ranking(*, indicator: Indicator, year: int, gender: str = "T") -> list[RankedValue]:
    """All municipalities with a value for the indicator and year, best first (one query)."""
    values = list(
        Value.objects.filter(
            indicator=indicator,
            year=year,
            gender=gender,
            value__isnull=False,
            organisation__kind=MUNICIPALITY,
        )
        .select_related("organisation")
        .only(
            "value",
            "organisation__name",
            "organisation__kind",
            "organisation__scb_code",
            "organisation__county_code",
        )
    )
    ranker = Ranker((v.value for v in values if v.value is not None), direction=indicator.direction)
    ranked = []
    for row in values:
        assert row.value is not None
        rank = ranker.rank(row.value)
        ranked.append(
            RankedValue(
                organisation=row.organisation,
                value=row.value,
                rank=rank,
                quartile=ranker.quartile(rank),
                count=ranker.count,
            )
        )
    ranked.sort(key=lambda r: (r.rank, r.organisation.name))
    return ranked


def years_with_values(*, indicator: Indicator, gender: str = "T") -> list[int]:
    """The years in which some municipality has a value, latest first."""
    return list(
        Value.objects.filter(
            indicator=indicator, gender=gender, value__isnull=False, organisation__kind=MUNICIPALITY
        )
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def series(
    *, indicator: Indicator, organisations: Sequence[Organisation], gender: str = "T"
) -> dict[int, dict[int, float | None]]:
    """Organisation id → {year: value} (None where the value is missing), one query."""
    result: dict[int, dict[int, float | None]] = {o.pk: {} for o in organisations}
    rows = Value.objects.filter(
        indicator=indicator, organisation__in=[o.pk for o in organisations], gender=gender
    ).values_list("organisation_id", "year", "value")
    for organisation_id, year, value in rows.order_by("year"):
        result[organisation_id][year] = value
    return result


# --- Reference values -------------------------------------------------------------------


@dataclass(frozen=True)
class ReferencePoint:
    value: float | None
    # How the figure came about when it is not a published one (e.g. a mean standing in).
    note: str = ""


@dataclass
class ReferenceLine:
    key: str  # "riket", "county", "group", "network", "mean" or "median"
    label: str
    points: dict[int, ReferencePoint] = field(default_factory=dict)
    # Why there are no figures at all, e.g. municipality groups not synced from Kolada yet.
    note: str = ""

    def value(self, year: int) -> float | None:
        point = self.points.get(year)
        return point.value if point else None

    def point(self, year: int) -> ReferencePoint:
        return self.points.get(year) or ReferencePoint(None)


@dataclass
class References:
    years: list[int]
    riket: ReferenceLine
    county: ReferenceLine | None
    groups: list[ReferenceLine]
    network: ReferenceLine | None
    mean: ReferenceLine
    median: ReferenceLine
    # The organisation's own values and (for a municipality) its rank each year.
    own: dict[int, float] = field(default_factory=dict)
    ranks: dict[int, tuple[int, int, int]] = field(default_factory=dict)  # (rank, of, quartile)

    @property
    def lines(self) -> list[ReferenceLine]:
        lines = [self.riket]
        if self.county is not None:
            lines.append(self.county)
        lines += self.groups
        if self.network is not None:
            lines.append(self.network)
        return [*lines, self.mean, self.median]


@dataclass(frozen=True)
class _GroupInfo:
    """The organisation's municipality groups: (id, title, member ids); or why there are none."""

    groups: list[tuple[int, str, set[int]]]
    note: str


def _group_info(organisation: Organisation) -> _GroupInfo:
    if organisation.kind != MUNICIPALITY:
        return _GroupInfo([], "")
    rows = (
        MunicipalityGroup.objects.filter(
            pk__in=MunicipalityGroup.objects.filter(members=organisation).values("pk")
        )
        .order_by("title", "pk")
        .values_list("pk", "title", "members")
    )
    groups: dict[int, tuple[int, str, set[int]]] = {}
    for pk, title, member in rows:
        groups.setdefault(pk, (pk, title, set()))[2].add(member)
    if groups:
        return _GroupInfo(list(groups.values()), "")
    if MunicipalityGroup.objects.exists():
        return _GroupInfo([], _("not in any municipality group"))
    return _GroupInfo([], _("municipality groups not synced from Kolada yet"))


def _network_member_ids(network: Network, day: datetime.date) -> QuerySet[Membership, int]:
    return members_on(network=network, day=day).order_by().values_list("organisation_id", flat=True)


def _mean(values: list[float]) -> float | None:
    return statistics.fmean(values) if values else None


def _comparable_organisations(organisation: Organisation) -> Q:
    """Municipalities, Riket, the organisation itself and its county's region."""
    wanted = Q(organisation__kind=MUNICIPALITY) | Q(organisation__scb_code=RIKET)
    wanted |= Q(organisation=organisation)
    if organisation.county_code:
        wanted |= Q(
            organisation__kind=Organisation.Kind.REGION,
            organisation__scb_code=organisation.county_code,
        )
    return wanted


@dataclass
class _YearValues:
    """One indicator-year's values: municipalities by id, Riket, the county's region, own."""

    municipalities: dict[int, float] = field(default_factory=dict)
    county_members: list[float] = field(default_factory=list)
    riket: float | None = None
    region: float | None = None
    own: float | None = None


def _collect(
    rows: Iterable[tuple[int, int, str, str | None, str, float | None]],
    organisation: Organisation,
) -> dict[int, _YearValues]:
    """Group (key, organisation id, kind, scb code, county code, value) rows by key."""
    result: dict[int, _YearValues] = defaultdict(_YearValues)
    # Thousands of rows: attribute look-ups are hoisted out of the loop.
    own_pk, own_county, region = organisation.pk, organisation.county_code, Organisation.Kind.REGION
    for key, organisation_id, kind, scb_code, county_code, value in rows:
        if value is None:
            continue
        bucket = result[key]
        if organisation_id == own_pk:
            bucket.own = value
        if kind == MUNICIPALITY:
            bucket.municipalities[organisation_id] = value
            if own_county and county_code == own_county:
                bucket.county_members.append(value)
        elif scb_code == RIKET:
            bucket.riket = value
        elif kind == region and scb_code == own_county:
            bucket.region = value
    return result


_VALUE_TABLE = connection.ops.quote_name(Value._meta.db_table)
_ORGANISATION_TABLE = connection.ops.quote_name(Organisation._meta.db_table)


def _county_reference(region: float | None, municipalities_mean: float | None) -> ReferencePoint:
    """The county's region's value; where it has none, the mean of the county's
    municipalities stands in and says so."""
    if region is not None:
        return ReferencePoint(region)
    if municipalities_mean is None:
        return ReferencePoint(None)
    return ReferencePoint(municipalities_mean, _("mean of the county's municipalities"))


def reference_values(
    *,
    indicator: Indicator,
    organisation: Organisation,
    years: Collection[int] | None = None,
    network: Network | None = None,
    gender: str = "T",
) -> References:
    """Riket, the county, the municipality group(s), the network's members and all
    municipalities (mean and median) for the indicator, each year (or the given ``years``).

    The county is its region's value; where the region has none, the mean of the county's
    municipalities stands in and says so. Means are unweighted means of municipalities.
    """
    rows = Value.objects.filter(
        _comparable_organisations(organisation),
        indicator=indicator,
        gender=gender,
        value__isnull=False,
    )
    if years is not None:
        rows = rows.filter(year__in=list(years))
    by_year = _collect(
        rows.values_list(
            "year",
            "organisation_id",
            "organisation__kind",
            "organisation__scb_code",
            "organisation__county_code",
            "value",
        ),
        organisation,
    )
    group_info = _group_info(organisation)
    members = set(_network_member_ids(network, timezone.localdate())) if network else set()

    is_municipality = organisation.kind == MUNICIPALITY
    references = References(
        years=sorted(by_year),
        riket=ReferenceLine("riket", _("Riket")),
        county=(
            ReferenceLine("county", organisation.county)
            if is_municipality and organisation.county
            else None
        ),
        groups=[ReferenceLine("group", title) for _pk, title, _m in group_info.groups],
        network=(
            ReferenceLine("network", _("%(network)s (mean of members)") % {"network": network.name})
            if network is not None
            else None
        ),
        mean=ReferenceLine("mean", _("Mean of all municipalities")),
        median=ReferenceLine("median", _("Median of all municipalities")),
    )
    if is_municipality and not group_info.groups:
        references.groups = [ReferenceLine("group", _("Municipality group"), note=group_info.note)]
    for year, bucket in sorted(by_year.items()):
        references.riket.points[year] = ReferencePoint(bucket.riket)
        if references.county is not None:
            references.county.points[year] = _county_reference(
                bucket.region, _mean(bucket.county_members)
            )
        for line, (_pk, _title, group_members) in zip(
            references.groups, group_info.groups, strict=False
        ):
            line.points[year] = ReferencePoint(
                _mean([v for pk, v in bucket.municipalities.items() if pk in group_members])
            )
        if references.network is not None:
            references.network.points[year] = ReferencePoint(
                _mean([v for pk, v in bucket.municipalities.items() if pk in members])
            )
        everyone = list(bucket.municipalities.values())
        references.mean.points[year] = ReferencePoint(_mean(everyone))
        references.median.points[year] = ReferencePoint(
            statistics.median(everyone) if everyone else None
        )
        if bucket.own is not None:
            references.own[year] = bucket.own
            if is_municipality:
                ranker = Ranker(everyone, direction=indicator.direction)
                rank = ranker.rank(bucket.own)
                references.ranks[year] = (rank, ranker.count, ranker.quartile(rank))
    return references


# --- One organisation against the others, indicator by indicator ---------------------------


@dataclass(frozen=True)
class ComparisonRow:
    indicator: Indicator
    year: int | None = None
    value: float | None = None
    riket: float | None = None
    county: ReferencePoint = ReferencePoint(None)
    group: float | None = None
    network: float | None = None
    rank: int | None = None
    count: int | None = None
    quartile: int | None = None
    target: Target | None = None
    progress: Status | None = None


@dataclass
class Comparison:
    organisation: Organisation
    rows: list[ComparisonRow]
    network: Network | None
    county_label: str
    # The first of the organisation's municipality groups, or why there is none.
    group_label: str
    group_note: str


def target_progress(
    *, target: Target, own: dict[int, float], latest: Point | None, direction: str
) -> Status:
    """Progress from the target's baseline (its value, else the organisation's value that
    year in ``own``) to ``latest``."""
    baseline = None
    if target.baseline_year is not None:
        value = (
            target.baseline_value
            if target.baseline_value is not None
            else own.get(target.baseline_year)
        )
        if value is not None:
            baseline = Point(target.baseline_year, value)
    goal = (
        Point(target.target_year, target.target_value) if target.target_value is not None else None
    )
    return progress_status(baseline=baseline, latest=latest, direction=direction, target=goal)


@dataclass(frozen=True)
class _LatestFigures:
    """An indicator's latest year with a value for the organisation, that value, and what it
    is compared with in that year."""

    year: int
    value: float
    municipalities: int  # with a value that year
    higher: int  # municipalities with a higher value than the organisation's
    lower: int  # ... and with a lower one
    riket: float | None
    region: float | None  # the county's region
    county_mean: float | None  # the mean of the county's municipalities
    group_mean: float | None
    network_mean: float | None

    def rank(self, direction: str) -> int:
        """As Ranker.rank: one more than the municipalities better in the desired direction."""
        return 1 + (self.lower if direction == Indicator.Direction.DECREASE else self.higher)


def _latest_figures(
    organisation: Organisation,
    indicator_ids: list[int],
    *,
    group: int | None,
    network: Network | None,
) -> dict[int, _LatestFigures]:
    """Indicator id → its figures in its latest year with a value for ``organisation``.

    Hand-written because it is most of the comparison page's work: the ORM cannot pair each
    indicator with its own latest year. The database aggregates the values of those
    indicator-years where they lie (the covering index serves them), so one row per indicator
    travels instead of every municipality's value. Means are plain means of municipalities.
    """
    if not indicator_ids:
        return {}
    municipality = str(MUNICIPALITY)
    county = organisation.county_code or None  # NULL matches no county
    group_mean, group_params = "NULL", []
    if group is not None:
        members_sql, members_params = (
            MunicipalityGroup.members.through.objects.filter(municipalitygroup_id=group)
            .values("organisation_id")
            .query.sql_with_params()
        )
        group_mean = f"AVG(v.value) FILTER (WHERE o.kind = %s AND o.id IN ({members_sql}))"
        group_params = [municipality, *members_params]
    network_mean, network_params = "NULL", []
    if network is not None:
        members_sql, members_params = _network_member_ids(
            network, timezone.localdate()
        ).query.sql_with_params()
        network_mean = f"AVG(v.value) FILTER (WHERE o.kind = %s AND o.id IN ({members_sql}))"
        network_params = [municipality, *members_params]
    ids = ", ".join(["%s"] * len(indicator_ids))
    sql = (
        "SELECT latest.indicator_id, latest.year, own.value, "  # noqa: S608
        "COUNT(*) FILTER (WHERE o.kind = %s), "
        "COUNT(*) FILTER (WHERE o.kind = %s AND v.value > own.value), "
        "COUNT(*) FILTER (WHERE o.kind = %s AND v.value < own.value), "
        "MAX(v.value) FILTER (WHERE o.scb_code = %s), "
        "MAX(v.value) FILTER (WHERE o.kind = %s AND o.scb_code = %s), "
        "AVG(v.value) FILTER (WHERE o.kind = %s AND o.county_code = %s), "
        f"{group_mean}, {network_mean} "
        f"FROM (SELECT indicator_id, MAX(year) AS year FROM {_VALUE_TABLE} "
        f"WHERE organisation_id = %s AND indicator_id IN ({ids}) AND gender = 'T' "
        "AND value IS NOT NULL GROUP BY indicator_id) latest "
        f"JOIN {_VALUE_TABLE} own ON own.indicator_id = latest.indicator_id "
        "AND own.year = latest.year AND own.organisation_id = %s AND own.gender = 'T' "
        f"JOIN {_VALUE_TABLE} v ON v.indicator_id = latest.indicator_id "
        "AND v.year = latest.year AND v.gender = 'T' AND v.value IS NOT NULL "
        f"JOIN {_ORGANISATION_TABLE} o ON o.id = v.organisation_id "
        "GROUP BY latest.indicator_id, latest.year, own.value"
    )
    params = [
        *[municipality] * 3,
        RIKET,
        str(Organisation.Kind.REGION),
        county,
        municipality,
        county,
        *group_params,
        *network_params,
        organisation.pk,
        *indicator_ids,
        organisation.pk,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0]: _LatestFigures(*row[1:]) for row in cursor.fetchall()}


def _own_series(
    organisation: Organisation, indicator_ids: list[int]
) -> dict[int, dict[int, float]]:
    """Indicator id → {year: value} of the organisation's values (none missing)."""
    own: dict[int, dict[int, float]] = defaultdict(dict)
    if indicator_ids:
        for indicator_id, year, value in Value.objects.filter(
            organisation=organisation, indicator__in=indicator_ids, gender="T", value__isnull=False
        ).values_list("indicator_id", "year", "value"):
            if value is not None:
                own[indicator_id][year] = value
    return own


def organisation_comparison(
    *,
    organisation: Organisation,
    indicators: Sequence[Indicator],
    network: Network | None = None,
) -> Comparison:
    """For each indicator, the organisation's latest value beside Riket, its county, its
    municipality group and the network's mean, its rank among all municipalities that year,
    and its progress status where it has a target. At most five queries, for any number of
    indicators (the series only where a target's baseline is to be read from the values)."""
    is_municipality = organisation.kind == MUNICIPALITY
    group_info = _group_info(organisation)
    first_group = group_info.groups[0] if group_info.groups else None
    latest = _latest_figures(
        organisation,
        [i.pk for i in indicators],
        group=first_group[0] if first_group else None,
        network=network,
    )
    targets = {
        t.indicator_id: t
        # No ordering: the model's default joins two tables to sort rows that go into a dict.
        for t in Target.objects.filter(
            organisation=organisation, indicator__in=[i.pk for i in indicators]
        ).order_by()
    }
    own = _own_series(
        organisation,
        [
            t.indicator_id
            for t in targets.values()
            if t.baseline_value is None and t.baseline_year is not None
        ],
    )

    result = []
    for indicator in indicators:
        target = targets.get(indicator.pk)
        figures = latest.get(indicator.pk)
        if figures is None:
            result.append(
                ComparisonRow(
                    indicator=indicator,
                    target=target,
                    progress=Status.NOT_ENOUGH_DATA if target else None,
                )
            )
            continue
        rank: int | None = None
        count: int | None = None
        quartile: int | None = None
        if is_municipality:
            rank, count = figures.rank(indicator.direction), figures.municipalities
            quartile = relative_quartile(rank, count)
        result.append(
            ComparisonRow(
                indicator=indicator,
                year=figures.year,
                value=figures.value,
                riket=figures.riket,
                county=(
                    _county_reference(figures.region, figures.county_mean)
                    if is_municipality
                    else ReferencePoint(None)
                ),
                group=figures.group_mean,
                network=figures.network_mean,
                rank=rank,
                count=count,
                quartile=quartile,
                target=target,
                progress=(
                    target_progress(
                        target=target,
                        own=own[indicator.pk],
                        latest=Point(figures.year, figures.value),
                        direction=indicator.direction,
                    )
                    if target
                    else None
                ),
            )
        )
    return Comparison(
        organisation=organisation,
        rows=result,
        network=network,
        county_label=organisation.county if is_municipality else "",
        group_label=first_group[1] if first_group else "",
        group_note=group_info.note,
    )


# --- What to show by default ---------------------------------------------------------------


def _memberships_today(organisation: Organisation) -> QuerySet[Membership]:
    return Membership.objects.filter(active_on(timezone.localdate()), organisation=organisation)


def member_networks(*, organisation: Organisation) -> list[Network]:
    """The networks the organisation is a member of today, by name."""
    memberships = _memberships_today(organisation)
    return list(Network.objects.filter(pk__in=memberships.values("network_id")).order_by("name"))


@dataclass(frozen=True)
class NetworkChoices:
    networks: Sequence[Network]  # every network, by name
    member_of: Sequence[Network]  # those the organisation is a member of today, by name


def network_choices(*, organisation: Organisation) -> NetworkChoices:
    """Every network to choose from, and those the organisation is a member of (one query)."""
    member = Exists(_memberships_today(organisation).filter(network=OuterRef("pk")))
    networks = list(Network.objects.annotate(is_member=member).order_by("name"))
    return NetworkChoices(networks, [n for n in networks if n.is_member])


def indicator_sets() -> list[IndicatorSet]:
    """Every indicator set, by name, with its network."""
    return list(IndicatorSet.objects.select_related("network").order_by("name"))


def pick_default_set(
    *, sets: Sequence[IndicatorSet], networks: Sequence[Network]
) -> IndicatorSet | None:
    """Of ``sets``: the first set of the first of the networks that has one, else SEKOM's
    twelve key indicators if loaded."""
    order = {n.pk: i for i, n in enumerate(networks)}
    own = sorted(
        (s for s in sets if s.network_id in order),
        key=lambda s: (order[s.network_id or 0], s.name),
    )
    if own:
        return own[0]
    return next((s for s in sets if s.slug == DEFAULT_SET), None)


def default_indicator_set(*, networks: Sequence[Network]) -> IndicatorSet | None:
    """The first set of one of the networks, else SEKOM's twelve key indicators if loaded."""
    sets = IndicatorSet.objects.filter(
        Q(network__in=[n.pk for n in networks]) | Q(slug=DEFAULT_SET)
    ).select_related("network")
    return pick_default_set(sets=list(sets), networks=networks)


def set_indicators(*, indicator_set: IndicatorSet) -> list[Indicator]:
    return [
        entry.indicator
        for entry in indicator_set.entries.select_related("indicator").order_by(
            "position", "indicator__code"
        )
    ]


def indicators_with_values(
    *, organisation: Organisation, limit: int = MAX_DEFAULT_INDICATORS
) -> list[Indicator]:
    return list(
        Indicator.objects.filter(
            pk__in=Value.objects.filter(organisation=organisation, value__isnull=False).values(
                "indicator_id"
            )
        ).order_by("code")[:limit]
    )


@dataclass(frozen=True)
class NetworkRankedValue:
    ranked: RankedValue  # its rank among all municipalities
    network_rank: int  # its rank among the network's members


@dataclass
class NetworkRanking:
    rows: list[NetworkRankedValue]
    # Member municipalities without a value that year, by name.
    without_value: list[Organisation]


def network_ranking(
    *, network: Network, indicator: Indicator, year: int, gender: str = "T"
) -> NetworkRanking:
    """The network's member municipalities today, best first, with their rank among the
    members and among all municipalities (two queries)."""
    members = {
        m.organisation.pk: m.organisation
        for m in members_on(network=network, day=timezone.localdate()).filter(
            organisation__kind=MUNICIPALITY
        )
    }
    ranked = [
        r
        for r in ranking(indicator=indicator, year=year, gender=gender)
        if r.organisation.pk in members
    ]
    ranker = Ranker((r.value for r in ranked), direction=indicator.direction)
    with_value = {r.organisation.pk for r in ranked}
    return NetworkRanking(
        rows=[NetworkRankedValue(ranked=r, network_rank=ranker.rank(r.value)) for r in ranked],
        without_value=sorted(
            (o for pk, o in members.items() if pk not in with_value), key=lambda o: o.name
        ),
    )


def riket_value(*, indicator: Indicator, year: int, gender: str = "T") -> float | None:
    return (
        Value.objects.filter(
            indicator=indicator, year=year, gender=gender, organisation__scb_code=RIKET
        )
        .values_list("value", flat=True)
        .first()
    )
