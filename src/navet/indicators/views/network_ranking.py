"""Views: a network's members ranked for one indicator, among all municipalities (public)."""

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from navet.core.views import network_or_404
from navet.indicators import charts, selectors
from navet.indicators.models import Indicator, Value
from navet.indicators.views.display import (
    Quarter,
    chosen_year,
    indicator_or_404,
    quarter_of,
    shown,
    unit_suffix,
)
from navet.networks.models import Network


@dataclass(frozen=True)
class MemberRow:
    item: selectors.NetworkRankedValue
    shown: str
    quarter: Quarter


def _network_choices(
    user: Any, network: Network, code: str
) -> tuple[list[Indicator], Indicator | None]:
    """The indicators of the network's first set (else SEKOM's) for the picker, and the one
    asked for (else the first of them, else any indicator with values)."""
    indicator_set = selectors.default_indicator_set(networks=[network])
    choices = selectors.set_indicators(indicator_set=indicator_set) if indicator_set else []
    if code:
        indicator: Indicator | None = indicator_or_404(user, code, related=False)
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
    network = network_or_404(slug)
    choices, indicator = _network_choices(request.user, network, request.GET.get("indicator", ""))
    context: dict[str, Any] = {"network": network, "indicator": indicator, "choices": choices}
    if indicator is not None:
        years = selectors.years_with_values(indicator=indicator)
        year = chosen_year(request, years)
        context["years"] = years
        if year is not None:
            context.update(_network_ranking_context(network, indicator, year))
    return render(request, "indicators/comparison/network_indicators.html", context)


def _network_ranking_context(network: Network, indicator: Indicator, year: int) -> dict[str, Any]:
    result = selectors.network_ranking(network=network, indicator=indicator, year=year)
    riket = selectors.riket_value(indicator=indicator, year=year)
    rows = [
        MemberRow(
            item, shown(item.ranked.value, indicator), quarter_of(item.ranked.quartile, indicator)
        )
        for item in result.rows
    ]
    bars = charts.ranked_bars(
        [row.item.ranked.organisation.name for row in rows],
        [row.item.ranked.value for row in rows],
        colours=[row.quarter.colour for row in rows],
        title=f"{indicator.title} {year}{unit_suffix(indicator)}: {network.name}",
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
        "riket": shown(riket, indicator) if riket is not None else "",
        "bars": bars,
        "legend": charts.quartile_legend(direction=indicator.direction),
        "highest_first": selectors.ranks_highest_first(indicator),
    }


urlpatterns = [
    path("networks/<slug:slug>/indicators/", network_indicators, name="network_indicators"),
]
