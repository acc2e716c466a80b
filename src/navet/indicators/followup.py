"""The follow-up table of an organisation's targets, as in the Grums example (seeds/002).

One row per target: relevant Agenda 2030 target, dimension, link to the regional strategy,
keyword, indicator, statistics and comparison ("Grums 2021 = 58 g/ätande, rikssnitt
48 g/ätande"), steering document, desired state 2030, current state and the progress status.
The page, the PDF and the XLSX all read these rows, so they say the same thing.

The selector runs a fixed number of queries whatever the number of targets.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from navet.indicators.models import Indicator, IndicatorSet, IndicatorSetEntry, Target, Value
from navet.indicators.progress import Point, Status, progress_status
from navet.networks.models import Organisation

RIKET = "0000"
FOLLOWUP_KINDS = (Organisation.Kind.MUNICIPALITY, Organisation.Kind.REGION)


def format_number(value: float, decimals: int = 1) -> str:
    """Swedish style: decimal comma, a space between thousands, no trailing zeros."""
    # Half up from the shortest repr, as people round: 48.25 is 48,3 and not 48,2.
    rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{rounded:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(",", "\u00a0").replace(".", ",")


def format_value(value: float, indicator: Indicator) -> str:
    number = format_number(value, indicator.decimals)
    return f"{number} {indicator.unit}" if indicator.unit else number


@dataclass(frozen=True)
class FollowUpRow:
    target: Target
    indicator: Indicator
    # "12.3 Halve food waste …", or the indicator's own targets/goals when the row names none.
    relevant_goals: list[str]
    dimension: str
    strategy_link: str
    keyword: str
    latest: Point | None
    national: float | None  # Riket's value in the latest year
    statistics: str
    desired_state: str
    # "45 g/ätande in 2030", or "" for a target given in words only.
    target_text: str
    current_state: str
    # "58 g/ätande (2021)", or "" without a value.
    latest_text: str
    baseline: Point | None
    status: Status

    @property
    def is_demo(self) -> bool:
        return self.indicator.is_demo

    @property
    def steering_document(self) -> str:
        return self.target.steering_document

    @property
    def steering_document_url(self) -> str:
        return self.target.steering_document_url

    @property
    def status_label(self) -> str:
        return self.status.label


def common_target_year(rows: list[FollowUpRow]) -> int | None:
    """The target year of every row when they share one (the table's "Desired state 2030")."""
    years = {row.target.target_year for row in rows}
    return years.pop() if len(years) == 1 else None


def _series(
    *, organisation: Organisation, indicator_ids: list[int]
) -> tuple[dict[int, dict[int, float]], dict[int, dict[int, float]]]:
    """Yearly totals of the organisation and of Riket per indicator, in one query."""
    own: dict[int, dict[int, float]] = defaultdict(dict)
    national: dict[int, dict[int, float]] = defaultdict(dict)
    rows = Value.objects.filter(
        Q(organisation=organisation) | Q(organisation__scb_code=RIKET),
        indicator_id__in=indicator_ids,
        gender=Value.Gender.TOTAL,
        value__isnull=False,
    ).values_list("indicator_id", "organisation_id", "year", "value")
    for indicator_id, organisation_id, year, value in rows:
        if value is not None:
            into = own if organisation_id == organisation.pk else national
            into[indicator_id][year] = value
    return own, national


def _strategy_areas(indicator_ids: list[int]) -> dict[int, str]:
    """The area of a regional strategy each indicator follows up ("Robust samhälle")."""
    areas: dict[int, str] = {}
    entries = (
        IndicatorSetEntry.objects.filter(
            indicator_id__in=indicator_ids,
            indicator_set__kind=IndicatorSet.Kind.REGIONAL_STRATEGY,
        )
        .exclude(area="")
        .order_by("indicator_set__name", "position")
        .values_list("indicator_id", "area")
    )
    for indicator_id, area in entries:
        areas.setdefault(indicator_id, area)
    return areas


def _relevant_goals(target: Target) -> list[str]:
    if target.sdg_target is not None:
        return [f"{target.sdg_target.code} {target.sdg_target.title}"]
    indicator = target.indicator
    targets = [f"{t.code} {t.title}" for t in indicator.targets.all()]
    if targets:
        return targets
    return [str(goal) for goal in indicator.goals.all()]


def statistics_text(
    *, organisation: Organisation, indicator: Indicator, latest: Point, national: float | None
) -> str:
    """ "Grums 2021 = 58 g/ätande, rikssnitt 48 g/ätande" (the national part when known)."""
    text = _("%(organisation)s %(year)s = %(value)s") % {
        "organisation": organisation.name,
        "year": latest.year,
        "value": format_value(latest.value, indicator),
    }
    if national is None:
        return text
    return _("%(own)s, national average %(national)s") % {
        "own": text,
        "national": format_value(national, indicator),
    }


def followup_rows(*, organisation: Organisation) -> list[FollowUpRow]:
    """The organisation's targets as follow-up rows, in their order (five queries)."""
    targets = list(
        Target.objects.filter(organisation=organisation)
        .select_related("indicator", "sdg_target")
        .prefetch_related("indicator__targets", "indicator__goals")
        .order_by("position", "indicator__code")
    )
    if not targets:
        return []
    indicator_ids = [target.indicator_id for target in targets]
    own, national = _series(organisation=organisation, indicator_ids=indicator_ids)
    areas = _strategy_areas(indicator_ids)

    return [_row(target, organisation, own, national, areas) for target in targets]


def _row(
    target: Target,
    organisation: Organisation,
    own: dict[int, dict[int, float]],
    national: dict[int, dict[int, float]],
    areas: dict[int, str],
) -> FollowUpRow:
    indicator = target.indicator
    series = own.get(indicator.pk, {})
    latest = Point(max(series), series[max(series)]) if series else None
    national_value = national.get(indicator.pk, {}).get(latest.year) if latest else None

    baseline_value = target.baseline_value
    if baseline_value is None and target.baseline_year is not None:
        baseline_value = series.get(target.baseline_year)
    baseline = None
    if target.baseline_year is not None and baseline_value is not None:
        baseline = Point(target.baseline_year, baseline_value)
    goal = None
    if target.target_value is not None:
        goal = Point(target.target_year, target.target_value)

    statistics = latest_text = target_text = ""
    if latest is not None:
        statistics = statistics_text(
            organisation=organisation, indicator=indicator, latest=latest, national=national_value
        )
        latest_text = _("%(value)s (%(year)s)") % {
            "value": format_value(latest.value, indicator),
            "year": latest.year,
        }
    if goal is not None:
        target_text = _("%(value)s in %(year)s") % {
            "value": format_value(goal.value, indicator),
            "year": goal.year,
        }
    return FollowUpRow(
        target=target,
        indicator=indicator,
        relevant_goals=_relevant_goals(target),
        dimension=capfirst(indicator.get_dimension_display()) if indicator.dimension else "",
        strategy_link=target.strategy_link or areas.get(indicator.pk, ""),
        keyword=indicator.keyword,
        latest=latest,
        national=national_value,
        statistics=statistics,
        desired_state=target.desired_state,
        target_text=target_text,
        current_state=target.current_state,
        latest_text=latest_text,
        baseline=baseline,
        status=progress_status(
            baseline=baseline, latest=latest, direction=indicator.direction, target=goal
        ),
    )
