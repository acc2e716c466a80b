"""Reporting periods: calendar months, quarters and years.

A period is named by its kind and first day; its last day follows. Quarters are calendar
quarters (January–March …), so no quarter spans a year boundary; months and years are
calendar months and years.
"""

import calendar
import datetime
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _

MONTH, QUARTER, YEAR = "month", "quarter", "year"
KINDS = (MONTH, QUARTER, YEAR)


@dataclass(frozen=True)
class Period:
    kind: str
    start: datetime.date
    end: datetime.date

    @property
    def label(self) -> str:
        if self.kind == MONTH:
            return date_format(self.start, "YEAR_MONTH_FORMAT")
        if self.kind == QUARTER:
            return _("Q%(quarter)d %(year)d") % {
                "quarter": (self.start.month - 1) // 3 + 1,
                "year": self.start.year,
            }
        return str(self.start.year)

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end


def period_of(kind: str, day: datetime.date) -> Period:
    """The period of ``kind`` that holds ``day``."""
    if kind == MONTH:
        start = day.replace(day=1)
        end = day.replace(day=calendar.monthrange(day.year, day.month)[1])
    elif kind == QUARTER:
        first_month = (day.month - 1) // 3 * 3 + 1
        start = datetime.date(day.year, first_month, 1)
        last_month = first_month + 2
        end = datetime.date(day.year, last_month, calendar.monthrange(day.year, last_month)[1])
    elif kind == YEAR:
        start, end = datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31)
    else:
        raise ValueError(f"No period kind {kind!r}")
    return Period(kind, start, end)


def periods_of_year(kind: str, year: int) -> list[Period]:
    if kind == MONTH:
        return [period_of(MONTH, datetime.date(year, month, 1)) for month in range(1, 13)]
    if kind == QUARTER:
        return [period_of(QUARTER, datetime.date(year, month, 1)) for month in (1, 4, 7, 10)]
    return [period_of(YEAR, datetime.date(year, 1, 1))]
