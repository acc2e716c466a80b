"""Sane bounds for what people type, upload or put in a query string.

The database and the templates have limits of their own (a date beyond 9999, a float of
1e308, an integer past 2**63); input is kept well inside them, and a query string with an
impossible value gives the page with a message instead of an error.
"""

import datetime
import math

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from django.utils.dateparse import parse_date
from django.utils.formats import number_format
from django.utils.translation import gettext as _

EARLIEST_YEAR = 2000
LATEST_YEAR = 2100
# Figures (indicator values, target values) stay within ±1e15: far beyond any real figure,
# well inside a float's exact integers and what the templates format.
MAX_ABS_FIGURE = 1e15
# Counts people type (capacity, attendance, n) stay within a PostgreSQL integer.
MAX_COUNT = 1_000_000


def check_year(year: int, *, field: str | None = None, earliest: int = EARLIEST_YEAR) -> None:
    if not earliest <= year <= LATEST_YEAR:
        message = _("Choose a year from %(first)d to %(last)d.") % {
            "first": earliest,
            "last": LATEST_YEAR,
        }
        raise ValidationError({field: message} if field else message)


def check_date(
    day: datetime.date, *, field: str | None = None, earliest: int = EARLIEST_YEAR
) -> None:
    check_year(day.year, field=field, earliest=earliest)


def check_figure(value: float, *, field: str | None = None) -> None:
    """A finite number within ±1e15."""
    if not math.isfinite(value) or abs(value) > MAX_ABS_FIGURE:
        message = _("Enter a number between −%(limit)s and %(limit)s.") % {
            "limit": number_format(MAX_ABS_FIGURE, decimal_pos=0, force_grouping=True)
        }
        raise ValidationError({field: message} if field else message)


def check_upload_size(uploaded: UploadedFile) -> None:
    """Every file field calls this: the limit is ``NAVET_MAX_UPLOAD_MB`` (default 50 MB)."""
    limit = settings.NAVET_MAX_UPLOAD_BYTES
    if uploaded.size is not None and uploaded.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {
                "size": number_format(uploaded.size / 1_000_000, 1),
                "limit": number_format(limit / 1_000_000, 0),
            }
        )


def date_param(request: HttpRequest, name: str = "date") -> tuple[datetime.date | None, str]:
    """A date from the query string: (the date or None, a message if it was impossible)."""
    text = request.GET.get(name, "") or ""
    if not text:
        return None, ""
    try:
        day = parse_date(text)
    except ValueError:
        day = None
    if day is None or not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        return None, _("“%(value)s” is not a date Navet can show; showing today instead.") % {
            "value": text[:40]
        }
    return day, ""


def int_param(request: HttpRequest, name: str, *, low: int, high: int) -> tuple[int | None, str]:
    """A whole number in [low, high] from the query string: (number or None, message)."""
    text = request.GET.get(name, "") or ""
    if not text:
        return None, ""
    # str.isdigit() accepts '²' and other digits int() refuses; only ASCII digits count.
    if text.isascii() and text.isdigit() and low <= int(text) <= high:
        return int(text), ""
    return None, _("“%(value)s” is not a valid choice for this filter and was ignored.") % {
        "value": text[:40]
    }
