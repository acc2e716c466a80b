"""The fee formula, step by step, as plain functions of plain values (no database).

population × indexed rate = raw fee → floor/ceiling → pro rata → rounding.

Rate, floor and ceiling are given in the prices of the scheme's base year. The index factor
for the fee year is the product of (1 + index/100) for every year after the base year up to
and including the fee year. The indexed rate is kept to four decimals, the indexed floor and
ceiling to öre; the raw and pro rata fees to öre; the rounding rule (whole kronor, tens or
hundreds, half up) is applied last, to each member's fee.
"""

import calendar
import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

ORE = Decimal("0.01")
RATE_PLACES = Decimal("0.0001")


class IndexMissing(Exception):
    def __init__(self, years: list[int]) -> None:
        self.years = years
        super().__init__(self.message)

    @property
    def message(self) -> str:
        listed = ", ".join(str(year) for year in self.years)
        return _(
            "The wage index is missing for %(years)s: enter it under Index before the fees "
            "can be computed."
        ) % {"years": listed}


def index_factor(*, indices: Mapping[int, Decimal], base_year: int, year: int) -> Decimal:
    """(1 + p/100) compounded over every year after ``base_year`` up to ``year``."""
    missing = [y for y in range(base_year + 1, year + 1) if y not in indices]
    if missing:
        raise IndexMissing(missing)
    factor = Decimal(1)
    for y in range(base_year + 1, year + 1):
        factor *= 1 + Decimal(indices[y]) / 100
    return factor


@dataclass(frozen=True)
class Indexed:
    factor: Decimal
    rate: Decimal
    floor: Decimal
    ceiling: Decimal


def indexed(*, rate: Decimal, floor: Decimal, ceiling: Decimal, factor: Decimal) -> Indexed:
    return Indexed(
        factor=factor,
        rate=(rate * factor).quantize(RATE_PLACES, ROUND_HALF_UP),
        floor=(floor * factor).quantize(ORE, ROUND_HALF_UP),
        ceiling=(ceiling * factor).quantize(ORE, ROUND_HALF_UP),
    )


def days_in_year(year: int) -> int:
    return 366 if calendar.isleap(year) else 365


def membership_days(
    periods: Iterable[tuple[datetime.date, datetime.date | None]], *, year: int
) -> int:
    """Days of ``year`` covered by at least one period (``end`` is the last day, or open)."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    covered: set[int] = set()
    for start, end in periods:
        start, end = max(start, first), min(end or last, last)
        if start <= end:
            covered.update(range(start.toordinal(), end.toordinal() + 1))
    return len(covered)


def round_fee(amount: Decimal, rounding: int) -> Decimal:
    step = Decimal(rounding)
    return ((amount / step).quantize(Decimal(1), ROUND_HALF_UP) * step).quantize(ORE)


@dataclass(frozen=True)
class Steps:
    raw_fee: Decimal
    bounded_fee: Decimal
    bound: str  # "floor", "ceiling" or ""
    pro_rata_fee: Decimal
    amount: Decimal


def population_fee(
    *, population: int, prices: Indexed, days: int, year_days: int, pro_rata: bool, rounding: int
) -> Steps:
    raw = (population * prices.rate).quantize(ORE, ROUND_HALF_UP)
    bound = ""
    bounded = raw
    if raw < prices.floor:
        bounded, bound = prices.floor, "floor"
    elif raw > prices.ceiling:
        bounded, bound = prices.ceiling, "ceiling"
    return _finish(raw, bounded, bound, days, year_days, pro_rata, rounding)


def fixed_fee(*, fee: Decimal, days: int, year_days: int, pro_rata: bool, rounding: int) -> Steps:
    return _finish(fee, fee, "", days, year_days, pro_rata, rounding)


def _finish(
    raw: Decimal,
    bounded: Decimal,
    bound: str,
    days: int,
    year_days: int,
    pro_rata: bool,
    rounding: int,
) -> Steps:
    part = bounded
    if pro_rata and days < year_days:
        part = (bounded * days / year_days).quantize(ORE, ROUND_HALF_UP)
    return Steps(
        raw_fee=raw,
        bounded_fee=bounded,
        bound=bound,
        pro_rata_fee=part,
        amount=round_fee(part, rounding),
    )
