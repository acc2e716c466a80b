"""What the comparison views share: the lookups from the URL and how figures, units and
quarters are shown. Figures are formatted here, in the page's language (a decimal comma in
Swedish)."""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

from navet.core import bounds
from navet.core.bounds import int_param
from navet.indicators import charts, permissions, selectors
from navet.indicators.models import Indicator
from navet.networks.exports import Cell
from navet.networks.models import Organisation

FORMATS = ("csv", "xlsx")
Row = list[Cell]


def check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise Http404


def shown(value: float | None, indicator: Indicator) -> str:
    """The value as the page shows it: the indicator's decimals, the language's decimal sign."""
    if value is None:
        return "–"
    # floatformat rounds half up (number_format would cut 41.75 to 41,7).
    return str(floatformat(value, indicator.decimals))


def indicator_or_404(user: Any, code: str, *, related: bool = True) -> Indicator:
    """The indicator with this code among those the user may view (all: they are public)."""
    indicators = permissions.indicators.instances_user_has_permission_for(user, "view")
    if related:
        indicators = indicators.prefetch_related("goals", "targets")
    return get_object_or_404(indicators, code=code)


def comparable_organisation_or_404(pk: int) -> Organisation:
    """Only municipalities, regions and Riket have indicator values to compare."""
    return get_object_or_404(Organisation, pk=pk, kind__in=selectors.COMPARABLE_KINDS)


# Years of the statistics: Kolada's series start in the 1990s.
FIRST_YEAR, LAST_YEAR = 1990, bounds.LATEST_YEAR


def chosen_year(request: HttpRequest, years: list[int]) -> int | None:
    """The year asked for if it has values, else the latest one that has. An impossible year
    in the query string ("²", 99999) is ignored with a message on the page."""
    asked, problem = int_param(request, "year", low=FIRST_YEAR, high=LAST_YEAR)
    if problem:
        messages.warning(request, problem)
    if asked in years:
        return asked
    if asked is not None and years:
        messages.info(
            request,
            _("There are no values for %(year)d; showing %(shown)d.")
            % {"year": asked, "shown": years[0]},
        )
    return years[0] if years else None


def year_or_404(year: int) -> int:
    """A year in a URL path (downloads): within the statistics' years, else not found."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    return year


def unit_suffix(indicator: Indicator) -> str:
    unit = indicator.unit_after_title
    return f" ({unit})" if unit else ""


@dataclass(frozen=True)
class Quarter:
    """A rank's quarter among all municipalities, as a colour and a text."""

    number: int | None
    label: str
    colour: str
    css_class: str


def quarter_of(quartile: int | None, indicator: Indicator) -> Quarter:
    direction = indicator.direction
    return Quarter(
        quartile,
        charts.quartile_label(quartile, direction=direction),
        charts.quartile_colour(quartile, direction=direction),
        charts.quartile_class(quartile, direction=direction),
    )
