"""Views: comparing values. An indicator across all municipalities (bars, map, ranking) and
one organisation against Riket, its county, its group and its network for many indicators.
All public: the figures are open statistics.

Every chart has a table with the same figures beside it, and each table can be downloaded as
CSV or XLSX. The trend of one organisation and indicator is in ``trend``, a network's members
in ``network_ranking``; what they share is in ``display``.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from navet.indicators import charts, maps, selectors
from navet.indicators.models import Indicator, IndicatorSet
from navet.indicators.progress import Status
from navet.indicators.views.display import (
    Quarter,
    Row,
    check_format,
    chosen_year,
    comparable_organisation_or_404,
    indicator_or_404,
    quarter_of,
    shown,
    unit_suffix,
    year_or_404,
)
from navet.networks.exports import Table, table_response
from navet.networks.models import Network, Organisation

# --- One indicator, all municipalities -----------------------------------------------------


@dataclass(frozen=True)
class RankRow:
    ranked: selectors.RankedValue
    shown: str
    quarter: Quarter


def _ranking_context(indicator: Indicator, year: int) -> dict[str, Any]:
    rows = [
        RankRow(r, shown(r.value, indicator), quarter_of(r.quartile, indicator))
        for r in selectors.ranking(indicator=indicator, year=year)
    ]
    riket = selectors.riket_value(indicator=indicator, year=year)
    title = f"{indicator.title} {year}{unit_suffix(indicator)}"
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
        "riket": shown(riket, indicator) if riket is not None else "",
        "bars": bars,
        "map": map_svg,
        "legend": charts.quartile_legend(direction=indicator.direction),
        "highest_first": selectors.ranks_highest_first(indicator),
    }


def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    indicator = indicator_or_404(request.user, code)
    years = selectors.years_with_values(indicator=indicator)
    year = chosen_year(request, years)
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
        f"{indicator.title}{unit_suffix(indicator)}",
        _("Quarter"),
        _("Quarter (relative to all municipalities)"),
    ]
    return Table(title=f"{indicator.code} {year}", header=header, rows=rows)


def ranking_download(request: HttpRequest, code: str, year: int, fmt: str) -> HttpResponse:
    check_format(fmt)
    year = year_or_404(year)
    indicator = indicator_or_404(request.user, code, related=False)
    return table_response(
        _ranking_table(indicator, year), filename=f"rangordning-{indicator.code}-{year}", fmt=fmt
    )


# --- One organisation, many indicators -----------------------------------------------------


@dataclass
class Choice:
    indicator_set: IndicatorSet | None
    indicators: list[Indicator]
    network: Network | None
    # What the choosers offer: every set and every network, by name.
    sets: Sequence[IndicatorSet]
    networks: Sequence[Network]


Slugged = TypeVar("Slugged", IndicatorSet, Network)


def _by_slug(items: Sequence[Slugged], slug: str) -> Slugged:
    for item in items:
        if item.slug == slug:
            return item
    raise Http404


def _choice(request: HttpRequest, organisation: Organisation) -> Choice:
    """The indicators and the network asked for, else the defaults: the first set of a network
    the organisation is a member of (with that network), else SEKOM's set, else up to 30
    indicators the organisation has values for. The choosers' lists serve as the look-ups."""
    networks = selectors.network_choices(organisation=organisation)
    sets = selectors.indicator_sets()
    slug = request.GET.get("set", "")
    indicator_set = (
        _by_slug(sets, slug)
        if slug
        else selectors.pick_default_set(sets=sets, networks=networks.member_of)
    )
    if indicator_set is not None:
        indicators = selectors.set_indicators(indicator_set=indicator_set)
    else:
        indicators = selectors.indicators_with_values(organisation=organisation)
    network_slug = request.GET.get("network", "")
    network: Network | None
    if network_slug:
        network = _by_slug(networks.networks, network_slug)
    elif indicator_set is not None and indicator_set.network is not None:
        network = indicator_set.network
    else:
        network = networks.member_of[0] if networks.member_of else None
    return Choice(indicator_set, indicators, network, sets, networks.networks)


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
                value=shown(row.value, indicator),
                riket=shown(row.riket, indicator),
                county=shown(row.county.value, indicator),
                county_is_mean=bool(row.county.note),
                group=shown(row.group, indicator),
                network=shown(row.network, indicator),
                rank=(
                    _("%(rank)s of %(total)s") % {"rank": row.rank, "total": row.count}
                    if row.rank
                    else "–"
                ),
                quarter=quarter_of(row.quartile, indicator) if row.quartile else None,
                progress=row.progress,
            )
        )
    return lines


def organisation_indicators(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = comparable_organisation_or_404(pk)
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
    check_format(fmt)
    organisation = comparable_organisation_or_404(pk)
    choice = _choice(request, organisation)
    comparison = selectors.organisation_comparison(
        organisation=organisation, indicators=choice.indicators, network=choice.network
    )
    return table_response(
        _comparison_table(comparison),
        filename=f"indikatorer-{organisation.scb_code or organisation.pk}",
        fmt=fmt,
    )


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
]
