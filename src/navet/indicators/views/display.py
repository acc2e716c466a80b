"""What the comparison views share: the lookups from the URL and how figures, units and
quarters are shown. Figures are formatted here, in the page's language (a decimal comma in
Swedish)."""

from dataclasses import dataclass

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import floatformat

from navet.indicators import charts, selectors
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


def indicator_or_404(code: str) -> Indicator:
    return get_object_or_404(Indicator.objects.prefetch_related("goals", "targets"), code=code)


def comparable_organisation_or_404(pk: int) -> Organisation:
    """Only municipalities, regions and Riket have indicator values to compare."""
    return get_object_or_404(Organisation, pk=pk, kind__in=selectors.COMPARABLE_KINDS)


def chosen_year(request: HttpRequest, years: list[int]) -> int | None:
    """The year asked for if it has values, else the latest one that has."""
    try:
        asked: int | None = int(request.GET.get("year", ""))
    except ValueError:
        asked = None
    if asked in years:
        return asked
    return years[0] if years else None


def unit_suffix(indicator: Indicator) -> str:
    unit = indicator.unit_after_title
    return f" ({unit})" if unit else ""


@dataclass(frozen=True)
class Quarter:
    """A rank's quarter among all municipalities, as a colour and a text."""

    number: int | None
    label: str
    colour: str


def quarter_of(quartile: int | None, indicator: Indicator) -> Quarter:
    direction = indicator.direction
    return Quarter(
        quartile,
        charts.quartile_label(quartile, direction=direction),
        charts.quartile_colour(quartile, direction=direction),
    )
