"""Views: comparing values. An indicator across all municipalities (bars, map, ranking), one
organisation against Riket, its county, its group and its network, its trend for one
indicator, and a network's members ranked. All public: the figures are open statistics.

Every chart has a table with the same figures beside it, and each table can be downloaded as
CSV or XLSX. Figures are formatted here, in the page's language (a decimal comma in Swedish).
"""

from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.defaultfilters import floatformat
from django.urls import path, reverse
from django.utils.translation import gettext as _

from navet.indicators import charts, maps, selectors
from navet.indicators.models import Indicator, IndicatorSet, Target, Value
from navet.indicators.progress import Point, Status
from navet.networks.exports import Cell, Table, table_response
from navet.networks.models import Network, Organisation
from navet.networks.selectors import network_list

FORMATS = ("csv", "xlsx")
Row = list[Cell]


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise Http404


def _shown(value: float | None, indicator: Indicator) -> str:
    """The value as the page shows it: the indicator's decimals, the language's decimal sign."""
    if value is None:
        return "–"
    # floatformat rounds half up (number_format would cut 41.75 to 41,7).
    return str(floatformat(value, indicator.decimals))


def _indicator(code: str) -> Indicator:
    return get_object_or_404(Indicator.objects.prefetch_related("goals", "targets"), code=code)


def _organisation(pk: int) -> Organisation:
    """Only municipalities, regions and Riket have indicator values to compare."""
    return get_object_or_404(Organisation, pk=pk, kind__in=selectors.COMPARABLE_KINDS)


def _year(request: HttpRequest, years: list[int]) -> int | None:
    """The year asked for if it has values, else the latest one that has."""
    try:
        asked: int | None = int(request.GET.get("year", ""))
    except ValueError:
        asked = None
    if asked in years:
        return asked
    return years[0] if years else None


def _unit(indicator: Indicator) -> str:
    return f" ({indicator.unit})" if indicator.unit else ""


@dataclass(frozen=True)
class Quarter:
    """A rank's quarter among all municipalities, as a colour and a text."""

    number: int | None
    label: str
    colour: str


def _quarter(quartile: int | None, indicator: Indicator) -> Quarter:
    direction = indicator.direction
    return Quarter(
        quartile,
        charts.quartile_label(quartile, direction=direction),
        charts.quartile_colour(quartile, direction=direction),
    )


# --- One indicator, all municipalities -----------------------------------------------------


@dataclass(frozen=True)
class RankRow:
    ranked: selectors.RankedValue
    shown: str
    quarter: Quarter


def _ranking_context(indicator: Indicator, year: int) -> dict[str, Any]:
    rows = [
        RankRow(r, _shown(r.value, indicator), _quarter(r.quartile, indicator))
        for r in selectors.ranking(indicator=indicator, year=year)
    ]
    riket = selectors.riket_value(indicator=indicator, year=year)
    title = f"{indicator.title} {year}{_unit(indicator)}"
    bars = charts.ranked_bars(
        [r.ranked.organisation.name for r in rows],
        [r.ranked.value for r in rows],
        colours=[r.quarter.colour for r in rows],
        title=_("%(title)s: all municipalities") % {"title": title},
        description=_(
            "Bars for %(count)s municipalities, sorted from rank 1 to the last, coloured by "
            "their quarter; the dashed line is Riket's value."
        )
        % {"count": len(rows)},
        reference=(_("Riket"), riket),
    )
    areas = {
        r.ranked.organisation.scb_code or "": maps.Area(
            colour=r.quarter.colour,
            css_class=f"q{r.ranked.quartile}",
            tooltip=_("%(value)s, rank %(rank)s of %(count)s (%(quarter)s)")
            % {
                "value": r.shown,
                "rank": r.ranked.rank,
                "count": r.ranked.count,
                "quarter": r.quarter.label,
            },
        )
        for r in rows
    }
    map_svg = maps.municipality_map(
        areas=areas,
        title=_("Map: %(title)s") % {"title": title},
        description=_(
            "Sweden's municipalities coloured by their quarter of the ranking, relative to all "
            "municipalities; hatched grey means no value."
        ),
        no_value_text=_("no value"),
    )
    return {
        "year": year,
        "rows": rows,
        "riket": _shown(riket, indicator) if riket is not None else "",
        "bars": bars,
        "map": map_svg,
        "legend": charts.quartile_legend(direction=indicator.direction),
        "highest_first": selectors.ranks_highest_first(indicator),
    }


def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    indicator = _indicator(code)
    years = selectors.years_with_values(indicator=indicator)
    year = _year(request, years)
    context: dict[str, Any] = {"indicator": indicator, "years": years}
    if year is not None:
        context.update(_ranking_context(indicator, year))
    return render(request, "indicators/comparison/indicator_detail.html", context)


def _ranking_table(indicator: Indicator, year: int) -> Table:
    rows: list[Row] = [
        [
            r.rank,
            r.count,
            r.organisation.name,
            r.organisation.scb_code,
            r.organisation.county,
            r.value,
            r.quartile,
            charts.quartile_label(r.quartile, direction=indicator.direction),
        ]
        for r in selectors.ranking(indicator=indicator, year=year)
    ]
    header = [
        _("Rank"),
        _("Of"),
        _("Municipality"),
        _("SCB code"),
        _("County"),
        f"{indicator.title}{_unit(indicator)}",
        _("Quarter"),
        _("Quarter (relative to all municipalities)"),
    ]
    return Table(title=f"{indicator.code} {year}", header=header, rows=rows)


def ranking_download(request: HttpRequest, code: str, year: int, fmt: str) -> HttpResponse:
    _check_format(fmt)
    indicator = get_object_or_404(Indicator, code=code)
    return table_response(
        _ranking_table(indicator, year), filename=f"rangordning-{indicator.code}-{year}", fmt=fmt
    )


# --- One organisation, many indicators -----------------------------------------------------


@dataclass
class Choice:
    indicator_set: IndicatorSet | None
    indicators: list[Indicator]
    network: Network | None


def _choice(request: HttpRequest, organisation: Organisation) -> Choice:
    """The indicators and the network asked for, else the defaults: the first set of a network
    the organisation is a member of (with that network), else SEKOM's set, else up to 30
    indicators the organisation has values for."""
    networks = selectors.member_networks(organisation=organisation)
    slug = request.GET.get("set", "")
    indicator_set = (
        get_object_or_404(IndicatorSet.objects.select_related("network"), slug=slug)
        if slug
        else selectors.default_indicator_set(networks=networks)
    )
    if indicator_set is not None:
        indicators = selectors.set_indicators(indicator_set=indicator_set)
    else:
        indicators = selectors.indicators_with_values(organisation=organisation)
    network_slug = request.GET.get("network", "")
    network: Network | None
    if network_slug:
        network = get_object_or_404(Network, slug=network_slug)
    elif indicator_set is not None and indicator_set.network is not None:
        network = indicator_set.network
    else:
        network = networks[0] if networks else None
    return Choice(indicator_set, indicators, network)


@dataclass(frozen=True)
class ComparisonLine:
    """One indicator's row of the comparison table, with every text it shows ready: the table
    is the page's hot path, and plain strings render faster than template logic per cell."""

    row: selectors.ComparisonRow
    url: str
    value: str
    riket: str
    county: str
    county_is_mean: bool
    group: str
    network: str
    rank: str
    quarter: Quarter | None
    progress: Status | None


def _comparison_lines(comparison: selectors.Comparison, query: str) -> list[ComparisonLine]:
    lines = []
    organisation = comparison.organisation.pk
    for row in comparison.rows:
        indicator = row.indicator
        lines.append(
            ComparisonLine(
                row=row,
                url=reverse(
                    "indicators:organisation_indicator", args=[organisation, indicator.code]
                )
                + query,
                value=_shown(row.value, indicator),
                riket=_shown(row.riket, indicator),
                county=_shown(row.county.value, indicator),
                county_is_mean=bool(row.county.note),
                group=_shown(row.group, indicator),
                network=_shown(row.network, indicator),
                rank=(
                    _("%(rank)s of %(total)s") % {"rank": row.rank, "total": row.count}
                    if row.rank
                    else "–"
                ),
                quarter=_quarter(row.quartile, indicator) if row.quartile else None,
                progress=row.progress,
            )
        )
    return lines


def organisation_indicators(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation(pk)
    choice = _choice(request, organisation)
    comparison = selectors.organisation_comparison(
        organisation=organisation, indicators=choice.indicators, network=choice.network
    )
    network_query = f"?network={choice.network.slug}" if choice.network else ""
    lines = _comparison_lines(comparison, network_query)
    query = request.GET.urlencode()
    return render(
        request,
        "indicators/comparison/organisation_indicators.html",
        {
            "organisation": organisation,
            "choice": choice,
            "comparison": comparison,
            "lines": lines,
            "any_county_mean": any(line.county_is_mean for line in lines),
            "any_demo": any(line.row.indicator.is_demo for line in lines),
            "sets": IndicatorSet.objects.order_by("name"),
            "all_networks": network_list(),
            "query": f"?{query}" if query else "",
            "is_municipality": organisation.kind == Organisation.Kind.MUNICIPALITY,
        },
    )


def _comparison_table(comparison: selectors.Comparison) -> Table:
    network = comparison.network
    header = [
        _("Code"),
        _("Indicator"),
        _("Unit"),
        _("Year"),
        comparison.organisation.name,
        _("Riket"),
        comparison.county_label or _("County"),
        _("Note on the county"),
        comparison.group_label or _("Municipality group"),
        _("%(network)s (mean)") % {"network": network.name} if network else _("Network (mean)"),
        _("Rank"),
        _("Of"),
        _("Quarter (relative to all municipalities)"),
        _("Progress towards the target"),
    ]
    rows: list[Row] = [
        [
            row.indicator.code,
            row.indicator.title,
            row.indicator.unit,
            row.year,
            row.value,
            row.riket,
            row.county.value,
            row.county.note,
            row.group,
            row.network,
            row.rank,
            row.count,
            charts.quartile_label(row.quartile, direction=row.indicator.direction)
            if row.quartile
            else "",
            row.progress.label if row.progress else "",
        ]
        for row in comparison.rows
    ]
    return Table(title=comparison.organisation.name, header=header, rows=rows)


def organisation_indicators_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    _check_format(fmt)
    organisation = _organisation(pk)
    choice = _choice(request, organisation)
    comparison = selectors.organisation_comparison(
        organisation=organisation, indicators=choice.indicators, network=choice.network
    )
    return table_response(
        _comparison_table(comparison),
        filename=f"indikatorer-{organisation.scb_code or organisation.pk}",
        fmt=fmt,
    )


# --- One organisation, one indicator over the years ----------------------------------------


def _trend_network(request: HttpRequest, organisation: Organisation) -> Network | None:
    slug = request.GET.get("network", "")
    if slug:
        return get_object_or_404(Network, slug=slug)
    networks = selectors.member_networks(organisation=organisation)
    return networks[0] if networks else None


@dataclass
class Trend:
    years: list[int]
    own: dict[int, float | None]
    references: selectors.References


def _trend(indicator: Indicator, organisation: Organisation, network: Network | None) -> Trend:
    own = selectors.series(indicator=indicator, organisations=[organisation])[organisation.pk]
    references = selectors.reference_values(
        indicator=indicator, organisation=organisation, network=network
    )
    years = sorted({y for y, v in own.items() if v is not None} | set(references.years))
    return Trend(years=years, own=own, references=references)


@dataclass(frozen=True)
class TrendCell:
    shown: str
    note: str


@dataclass(frozen=True)
class TrendRow:
    year: int
    own: str
    references: list[TrendCell]
    rank: tuple[int, int] | None
    quarter: Quarter | None


def _trend_rows(trend: Trend, indicator: Indicator) -> list[TrendRow]:
    rows = []
    for year in trend.years:
        rank = trend.references.ranks.get(year)
        rows.append(
            TrendRow(
                year=year,
                own=_shown(trend.own.get(year), indicator),
                references=[
                    TrendCell(_shown(line.value(year), indicator), line.point(year).note)
                    for line in trend.references.lines
                ],
                rank=(rank[0], rank[1]) if rank else None,
                quarter=_quarter(rank[2], indicator) if rank else None,
            )
        )
    return rows


def _trend_chart(trend: Trend, indicator: Indicator, organisation: Organisation) -> str:
    if not trend.years:
        return ""
    references = trend.references
    lines = [charts.TrendLine(organisation.name, [trend.own.get(y) for y in trend.years], "main")]
    if organisation.scb_code != selectors.RIKET:
        lines.append(
            charts.TrendLine(
                _("Riket"), [references.riket.value(y) for y in trend.years], "reference"
            )
        )
    for line in (references.county, references.network):
        if line is not None:
            lines.append(charts.TrendLine(line.label, [line.value(y) for y in trend.years]))
    return charts.trend_chart(
        trend.years,
        lines,
        title=f"{indicator.title}{_unit(indicator)}: {organisation.name}",
        description=_(
            "%(organisation)s each year as a solid line and Riket as a dashed reference line, "
            "with the county and the network's mean where known."
        )
        % {"organisation": organisation.name},
    )


def organisation_indicator(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    organisation = _organisation(pk)
    indicator = _indicator(code)
    network = _trend_network(request, organisation)
    trend = _trend(indicator, organisation, network)
    target = Target.objects.filter(organisation=organisation, indicator=indicator).first()
    progress = None
    if target is not None:
        own = {y: v for y, v in trend.own.items() if v is not None}
        latest = max(own) if own else None
        progress = selectors.target_progress(
            target=target,
            own=own,
            latest=Point(latest, own[latest]) if latest is not None else None,
            direction=indicator.direction,
        )
    rows = _trend_rows(trend, indicator)
    query = request.GET.urlencode()
    return render(
        request,
        "indicators/comparison/organisation_indicator.html",
        {
            "organisation": organisation,
            "indicator": indicator,
            "network": network,
            "years": trend.years,
            "rows": rows,
            "any_notes": any(cell.note for row in rows for cell in row.references),
            "lines": trend.references.lines,
            "chart": _trend_chart(trend, indicator, organisation),
            "has_ranks": bool(trend.references.ranks),
            "target": target,
            "target_value": _shown(target.target_value, indicator) if target else "",
            "progress": progress,
            "highest_first": selectors.ranks_highest_first(indicator),
            "query": f"?{query}" if query else "",
            "all_networks": network_list(),
        },
    )


def trend_download(request: HttpRequest, pk: int, code: str, fmt: str) -> HttpResponse:
    _check_format(fmt)
    organisation = _organisation(pk)
    indicator = get_object_or_404(Indicator, code=code)
    trend = _trend(indicator, organisation, _trend_network(request, organisation))
    lines = trend.references.lines
    header = [
        _("Year"),
        organisation.name,
        *[line.label for line in lines],
        _("Rank"),
        _("Of"),
        _("Quarter (relative to all municipalities)"),
        _("Notes"),
    ]
    rows: list[Row] = []
    for year in trend.years:
        rank = trend.references.ranks.get(year)
        notes = [f"{line.label}: {line.note}" for line in lines if line.note]
        notes += [
            f"{line.label}: {line.point(year).note}" for line in lines if line.point(year).note
        ]
        rows.append(
            [
                year,
                trend.own.get(year),
                *[line.value(year) for line in lines],
                rank[0] if rank else None,
                rank[1] if rank else None,
                charts.quartile_label(rank[2], direction=indicator.direction) if rank else "",
                "; ".join(notes),
            ]
        )
    return table_response(
        Table(title=indicator.code, header=header, rows=rows),
        filename=f"{indicator.code}-{organisation.scb_code or organisation.pk}",
        fmt=fmt,
    )


# --- A network's members for one indicator -------------------------------------------------


@dataclass(frozen=True)
class MemberRow:
    item: selectors.NetworkRankedValue
    shown: str
    quarter: Quarter


def _network_choices(network: Network, code: str) -> tuple[list[Indicator], Indicator | None]:
    """The indicators of the network's first set (else SEKOM's) for the picker, and the one
    asked for (else the first of them, else any indicator with values)."""
    indicator_set = selectors.default_indicator_set(networks=[network])
    choices = selectors.set_indicators(indicator_set=indicator_set) if indicator_set else []
    if code:
        indicator: Indicator | None = get_object_or_404(Indicator, code=code)
    elif choices:
        indicator = choices[0]
    else:
        indicator = (
            Indicator.objects.filter(pk__in=Value.objects.values("indicator_id"))
            .order_by("code")
            .first()
        )
    if indicator is not None and indicator not in choices:
        choices = [*choices, indicator]
    return choices, indicator


def network_indicators(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_object_or_404(Network, slug=slug)
    choices, indicator = _network_choices(network, request.GET.get("indicator", ""))
    context: dict[str, Any] = {"network": network, "indicator": indicator, "choices": choices}
    if indicator is not None:
        years = selectors.years_with_values(indicator=indicator)
        year = _year(request, years)
        context["years"] = years
        if year is not None:
            context.update(_network_ranking_context(network, indicator, year))
    return render(request, "indicators/comparison/network_indicators.html", context)


def _network_ranking_context(network: Network, indicator: Indicator, year: int) -> dict[str, Any]:
    result = selectors.network_ranking(network=network, indicator=indicator, year=year)
    riket = selectors.riket_value(indicator=indicator, year=year)
    rows = [
        MemberRow(
            item, _shown(item.ranked.value, indicator), _quarter(item.ranked.quartile, indicator)
        )
        for item in result.rows
    ]
    bars = charts.ranked_bars(
        [row.item.ranked.organisation.name for row in rows],
        [row.item.ranked.value for row in rows],
        colours=[row.quarter.colour for row in rows],
        title=f"{indicator.title} {year}{_unit(indicator)}: {network.name}",
        description=_(
            "The network's members sorted by rank, coloured by their quarter among all "
            "municipalities; the dashed line is Riket's value."
        ),
        reference=(_("Riket"), riket),
    )
    return {
        "year": year,
        "rows": rows,
        "without_value": result.without_value,
        "riket": _shown(riket, indicator) if riket is not None else "",
        "bars": bars,
        "legend": charts.quartile_legend(direction=indicator.direction),
        "highest_first": selectors.ranks_highest_first(indicator),
    }


urlpatterns = [
    path(
        "indicators/<str:code>/<int:year>/ranking.<str:fmt>",
        ranking_download,
        name="ranking_download",
    ),
    path("indicators/<str:code>/", indicator_detail, name="indicator_detail"),
    path(
        "organisations/<int:pk>/indicators.<str:fmt>",
        organisation_indicators_download,
        name="organisation_indicators_download",
    ),
    path(
        "organisations/<int:pk>/indicators/",
        organisation_indicators,
        name="organisation_indicators",
    ),
    path(
        "organisations/<int:pk>/indicators/<str:code>/trend.<str:fmt>",
        trend_download,
        name="trend_download",
    ),
    path(
        "organisations/<int:pk>/indicators/<str:code>/",
        organisation_indicator,
        name="organisation_indicator",
    ),
    path("networks/<slug:slug>/indicators/", network_indicators, name="network_indicators"),
]
