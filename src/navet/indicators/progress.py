"""Progress towards a target: the Statistics Canada method that Open SDG uses.

The actual compound annual growth rate since the baseline is compared with the rate needed to
reach the target in the target year:

    CR_actual   = (x_latest / x_base) ** (1 / (t_latest - t_base)) - 1
    CR_required = (x_target / x_base) ** (1 / (t_target - t_base)) - 1
    ratio       = CR_actual / CR_required

ratio >= 0.95 is substantial progress, >= 0.5 moderate, >= 0 limited, below 0 deterioration;
a latest value at or beyond the target is achieved. Without a target value the actual rate in
the desired direction is graded instead: >= 1 % a year substantial, >= 0.5 % moderate, >= 0
limited, below 0 deterioration. Growth rates need positive values; where a value is zero or
negative the same comparison is made with linear yearly change instead.

This status is about the organisation's own path. It is never the rank colour, which only says
where a value stands among other municipalities.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

SUBSTANTIAL_RATIO, MODERATE_RATIO = 0.95, 0.5
SUBSTANTIAL_RATE, MODERATE_RATE = 0.01, 0.005


class Status(StrEnum):
    ACHIEVED = "achieved"
    SUBSTANTIAL = "substantial"
    MODERATE = "moderate"
    LIMITED = "limited"
    DETERIORATION = "deterioration"
    NOT_ENOUGH_DATA = "not_enough_data"

    @property
    def label(self) -> str:
        return str(LABELS[self])


LABELS = {
    Status.ACHIEVED: _("Target achieved"),
    Status.SUBSTANTIAL: _("Substantial progress"),
    Status.MODERATE: _("Moderate progress"),
    Status.LIMITED: _("Limited progress"),
    Status.DETERIORATION: _("Deterioration"),
    Status.NOT_ENOUGH_DATA: _("Not enough data"),
}


@dataclass(frozen=True)
class Point:
    year: int
    value: float


def _rate(start: Point, end: Point, *, relative: bool) -> float:
    years = end.year - start.year
    if relative:
        return float((end.value / start.value) ** (1 / years) - 1)
    return (end.value - start.value) / years


def _grade(score: float, substantial: float, moderate: float) -> Status:
    if score >= substantial:
        return Status.SUBSTANTIAL
    if score >= moderate:
        return Status.MODERATE
    if score >= 0:
        return Status.LIMITED
    return Status.DETERIORATION


def progress_status(
    *,
    baseline: Point | None,
    latest: Point | None,
    direction: str,
    target: Point | None = None,
) -> Status:
    """Grade the way from ``baseline`` to ``latest`` against ``target`` (or the direction alone).

    ``direction`` is an ``Indicator.Direction`` value ("increase", "decrease", "none"); with
    "none" the target's side of the baseline decides, and without a target nothing can be said.
    """
    if baseline is None or latest is None or latest.year <= baseline.year:
        return Status.NOT_ENOUGH_DATA
    if direction not in {"increase", "decrease"}:
        if target is None or target.value == baseline.value:
            return Status.NOT_ENOUGH_DATA
        direction = "increase" if target.value > baseline.value else "decrease"
    sign = 1 if direction == "increase" else -1

    if target is not None:
        if sign * (latest.value - target.value) >= 0:
            return Status.ACHIEVED
        if target.year <= baseline.year:
            return Status.NOT_ENOUGH_DATA
        relative = min(baseline.value, latest.value, target.value) > 0
        required = _rate(baseline, target, relative=relative)
        if required == 0 or sign * required < 0:
            # The target lies behind the baseline in the desired direction: it was met once.
            return Status.DETERIORATION
        return _grade(
            _rate(baseline, latest, relative=relative) / required, SUBSTANTIAL_RATIO, MODERATE_RATIO
        )

    relative = min(baseline.value, latest.value) > 0
    actual = sign * _rate(baseline, latest, relative=relative)
    if not relative:
        # A linear change has the indicator's unit; grade it relative to the baseline's size.
        actual /= abs(baseline.value) or 1
    return _grade(actual, SUBSTANTIAL_RATE, MODERATE_RATE)
