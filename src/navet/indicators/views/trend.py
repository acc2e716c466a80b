"""Views: one organisation and one indicator over the years, beside Riket, the county and
the network, with its rank each year and its progress towards its target (public)."""

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from navet.core.views import network_or_404
from navet.indicators import charts, selectors
from navet.indicators.models import Indicator, Target
from navet.indicators.progress import Point
from navet.indicators.views.display import (
    Quarter,
    Row,
    check_format,
    comparable_organisation_or_404,
    indicator_or_404,
    quarter_of,
    shown,
    unit_suffix,
)
from navet.networks.exports import Table, table_response
from navet.networks.models import Network, Organisation
from navet.networks.selectors import network_list


def _trend_network(request: HttpRequest, organisation: Organisation) -> Network | None:
    slug = request.GET.get("network", "")
    if slug:
        return network_or_404(slug)
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
                own=shown(trend.own.get(year), indicator),
                references=[
                    TrendCell(shown(line.value(year), indicator), line.point(year).note)
                    for line in trend.references.lines
                ],
                rank=(rank[0], rank[1]) if rank else None,
                quarter=quarter_of(rank[2], indicator) if rank else None,
            )
        )
    return rows


def _trend_chart(
    trend: Trend, indicator: Indicator, organisation: Organisation, target: Target | None
) -> str:
    if not trend.years:
        return ""
    target_line = None
    if target is not None and target.target_value is not None:
        target_line = charts.TrendTarget(
            target.target_value,
            _("Target %(year)s: %(value)s")
            % {"year": target.target_year, "value": shown(target.target_value, indicator)},
        )
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
        title=f"{indicator.title}{unit_suffix(indicator)}: {organisation.name}",
        description=_(
            "%(organisation)s each year as a solid line and Riket as a dashed reference line, "
            "with the county and the network's mean where known."
        )
        % {"organisation": organisation.name},
        target=target_line,
    )


def organisation_indicator(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    organisation = comparable_organisation_or_404(pk)
    indicator = indicator_or_404(request.user, code)
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
            "chart": _trend_chart(trend, indicator, organisation, target),
            "has_ranks": bool(trend.references.ranks),
            "target": target,
            "target_value": shown(target.target_value, indicator) if target else "",
            "progress": progress,
            "highest_first": selectors.ranks_highest_first(indicator),
            "query": f"?{query}" if query else "",
            "all_networks": network_list(),
        },
    )


def trend_download(request: HttpRequest, pk: int, code: str, fmt: str) -> HttpResponse:
    check_format(fmt)
    organisation = comparable_organisation_or_404(pk)
    indicator = indicator_or_404(request.user, code, related=False)
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


urlpatterns = [
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
]
