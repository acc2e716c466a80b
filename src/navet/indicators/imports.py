"""Import of indicator values from a tidy CSV or XLSX file: one value per row.

Columns (header row; Swedish or English names, any case): indicator code, organisation code,
year, gender (optional, T/K/M, T if empty), value (empty means missing) and status (optional).
Every row is checked first. If any row is wrong, nothing is stored and every problem is
reported with its row number; the import run (kind "file") is then marked failed and its log
lists the problems. A good file is stored through values.store_values, so importing the same
file again changes nothing.

Codes are resolved with dictionaries loaded once and the rows are parsed in one tight loop:
files of a million rows are meant to load at a good fraction of PostgreSQL's COPY speed.

What a file is, is decided by its content, not its name: a ZIP is read as an XLSX workbook,
text (UTF-8 or Windows-1252, no NUL or other control bytes) as CSV, and anything else is
refused with a message. A cell holds at most MAX_CELL characters and a file MAX_ROWS rows;
values are finite, within ±1e15 and within the indicator's plausible range (0–100 for a
percentage). A coordinator imports for one of their networks: the file may hold values of
that network's member organisations only, for Kolada's indicators and the network's own
(permissions.importable_organisations and IndicatorPolicy); a platform admin may import for
the whole platform.
"""

import csv
import io
import math
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from navet.core import uploads
from navet.core.bounds import MAX_ABS_FIGURE
from navet.indicators import permissions
from navet.indicators.models import ImportRun, Indicator
from navet.indicators.runs import add_counts, create_run, fail_run, finish_run, log_line, start_run
from navet.indicators.values import ValueRow, figure_problem, store_values
from navet.networks.imports import ImportRejected, RowProblem, _columns
from navet.networks.models import Network, Organisation

# Accepted column names (compared in lower case) for each field.
COLUMNS = {
    "indicator": ["kpi", "indikator", "indicator", "kpi_id", "indikatorkod", "indicator code"],
    "organisation": [
        "kommunkod",
        "kod",
        "municipality",
        "organisation",
        "organization",
        "municipality_id",
        "organisationskod",
        "scb-kod",
    ],
    "year": ["år", "year", "period"],
    "gender": ["kön", "gender"],
    "value": ["värde", "value"],
    "status": ["status"],
}
REQUIRED = ("indicator", "organisation", "year", "value")
# The header of the downloadable template, in the order the columns are described.
TEMPLATE_HEADER = ["kpi", "kommunkod", "år", "kön", "värde", "status"]
GENDERS = {
    "": "T",
    "T": "T",
    "K": "K",
    "M": "M",
    "TOTALT": "T",
    "TOTAL": "T",
    "KVINNOR": "K",
    "WOMEN": "K",
    "MÄN": "M",
    "MEN": "M",
}
FIRST_YEAR = 1990
MAX_ROWS = 2_000_000
MAX_STATUS = 30
# No cell of a tidy values file is anywhere near this long; a longer one is a wrong file.
MAX_CELL = 1_000
# Files that start as text but are not (PDF), and old binary Excel (OLE).
BINARY_SIGNATURES = (b"%PDF-", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")
# Bytes that never occur in a text file (tab, newlines, form feed and Ctrl-Z are allowed).
# Problems kept for the page and the exception; the run log lists the first LOGGED of them.
KEPT_PROBLEMS = 1_000
LOGGED_PROBLEMS = 200
# Spaces people and spreadsheets put in numbers ("1 234,5"), and the typographic minus sign.
NUMBER_SPACES = str.maketrans({" ": None, "\u00a0": None, "\u202f": None, "\u2212": "-"})
COMPARABLE_KINDS = (
    Organisation.Kind.MUNICIPALITY,
    Organisation.Kind.REGION,
    Organisation.Kind.NATION,
)


class ValuesFileRejected(ImportRejected):
    """The file was not imported. ``problems`` holds the first KEPT_PROBLEMS of ``total``;
    ``run`` is the failed import run whose log says so."""

    def __init__(self, problems: list[RowProblem], *, total: int, run: ImportRun) -> None:
        super().__init__(problems)
        self.total = total
        self.run = run


@dataclass
class Lookups:
    """Codes as written in files → primary keys, loaded once per import; and which of them
    this import may write (None: all), with each indicator's plausible range."""

    indicators: dict[str, int]
    organisations: dict[str, int]
    allowed_indicators: frozenset[int] | None = None
    allowed_organisations: frozenset[int] | None = None
    ranges: dict[int, tuple[float, float]] | None = None
    network_name: str = ""

    @classmethod
    def load(cls, *, actor: Any = None, network: Network | None = None) -> "Lookups":
        """Every code; with an ``actor``, the policies decide which of them they may write."""
        indicators: dict[str, int] = {}
        ranges: dict[int, tuple[float, float]] = {}
        for code, pk, unit in Indicator.objects.values_list("code", "pk", "unit"):
            indicators[code] = pk
            indicators.setdefault(code.upper(), pk)
            plausible = Indicator(unit=unit).plausible_range
            if plausible is not None:
                ranges[pk] = plausible
        organisations: dict[str, int] = {}
        for scb_code, pk in Organisation.objects.filter(
            kind__in=COMPARABLE_KINDS, scb_code__isnull=False
        ).values_list("scb_code", "pk"):
            scb = scb_code or ""
            organisations[scb] = pk
            if len(scb) == 2:  # a region: its county code, or Kolada's 00 + county code
                organisations[f"00{scb}"] = pk
        lookups = cls(indicators=indicators, organisations=organisations, ranges=ranges)
        if actor is not None:
            lookups.allowed_indicators = frozenset(
                permissions.indicators.instances_user_has_permission_for(
                    actor, "import", network=network
                ).values_list("pk", flat=True)
            )
            lookups.allowed_organisations = frozenset(
                permissions.importable_organisations(actor, network).values_list("pk", flat=True)
            )
            lookups.network_name = network.name if network else ""
        return lookups


# -- Reading ----------------------------------------------------------------------------------


def _not_a_table() -> ImportRejected:
    return ImportRejected(
        [
            RowProblem(
                0,
                _(
                    "The file is neither a CSV file nor an XLSX workbook. Save it from your "
                    "spreadsheet as CSV (UTF-8) or XLSX and upload it again."
                ),
            )
        ]
    )


def _decode(content: bytes) -> str:
    """The text of a CSV file; raises ImportRejected for content that is not text."""
    text = uploads.decode_csv(content)
    if text is None:
        raise _not_a_table()
    return text


def _csv_rows(content: bytes) -> Iterator[list[str]]:
    """A CSV file's rows, read as they are parsed (a million-row file is not held twice)."""
    text = _decode(content)
    delimiter = uploads.csv_delimiter(text)
    # Python's csv refuses a field over 131 072 characters: check_rows reports the row.
    return csv.reader(io.StringIO(text), delimiter=delimiter)


def _unreadable_row(number: int) -> ImportRejected:
    """A field over csv's limit (131 072 characters) or quotes that never close."""
    return ImportRejected(
        [
            RowProblem(
                number,
                _(
                    "The row cannot be read as CSV: a cell is longer than %(max)d "
                    "characters or its quotes are not closed."
                )
                % {"max": MAX_CELL},
            )
        ]
    )


def _xlsx_rows(content: bytes) -> Iterator[Sequence[Any]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError, IndexError):
        raise _not_a_table() from None
    try:
        yield from sheet.iter_rows(values_only=True)
    finally:
        workbook.close()


def file_rows(uploaded: UploadedFile) -> Iterator[Sequence[Any]]:
    """The file's rows as cells, header first; what the file is, is decided by its content
    (an XLSX workbook is a ZIP archive), not its name. Raises ImportRejected if it is neither
    CSV nor XLSX."""
    content = uploaded.read()
    if zipfile.is_zipfile(io.BytesIO(content)):
        return _xlsx_rows(content)
    if content.startswith(BINARY_SIGNATURES) or (uploaded.name or "").lower().endswith(
        (".xlsx", ".xlsm", ".xls")
    ):
        raise _not_a_table()
    return _csv_rows(content)


def _longest(row: Sequence[Any]) -> int:
    try:
        return max(map(len, row), default=0)
    except TypeError:  # numbers and dates from a workbook
        return max((len(_text(cell)) for cell in row), default=0)


# -- Checking ---------------------------------------------------------------------------------


def _text(cell: Any) -> str:
    """A cell as text; whole numbers from spreadsheets lose their ".0"."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _number(cell: Any) -> float | None:
    """A value cell as a float, None for an empty cell; raises ValueError if not a number."""
    if cell is None:
        return None
    if isinstance(cell, bool):
        raise ValueError(cell)
    if isinstance(cell, int | float):
        number = float(cell)
    else:
        text = str(cell).strip().translate(NUMBER_SPACES)
        if not text:
            return None
        if "," in text:
            if "." in text:
                raise ValueError(text)  # 1,234.5 or 1.234,5: ambiguous, so refused
            text = text.replace(",", ".")
        if "_" in text:
            raise ValueError(text)
        number = float(text)
    if not math.isfinite(number):
        raise ValueError(cell)
    return number


def _try_number(cell: Any) -> tuple[float | None, bool]:
    try:
        return _number(cell), True
    except ValueError:
        return None, False


def _year_problem(cell: Any, last_year: int) -> str:
    text = _text(cell)
    if not text:
        return _("The year is missing.")
    if not text.isdigit():
        return _("The year “%(year)s” is not a year.") % {"year": text}
    return _("The year %(year)s is outside %(first)d–%(last)d.") % {
        "year": text,
        "first": FIRST_YEAR,
        "last": last_year,
    }


def check_rows(
    rows: Iterator[Sequence[Any]], *, lookups: Lookups
) -> tuple[list[ValueRow], list[RowProblem], int]:
    """The good rows, the first KEPT_PROBLEMS problems and the number of problems in all.

    Raises ImportRejected at once for a file that cannot be read as a table of values (empty,
    columns missing, too long).
    """
    try:
        header = next(rows, None)
    except csv.Error as error:
        raise _unreadable_row(1) from error
    if header is None:
        raise ImportRejected([RowProblem(0, _("The file is empty."))])
    positions = _columns(list(header), COLUMNS)
    absent = [name for name in REQUIRED if name not in positions]
    if absent:
        raise ImportRejected(
            [
                RowProblem(
                    1,
                    _("Columns are missing from the header row: %(columns)s.")
                    % {"columns": ", ".join(COLUMNS[name][0] for name in absent)},
                )
            ]
        )
    i_indicator, i_organisation = positions["indicator"], positions["organisation"]
    i_year, i_value = positions["year"], positions["value"]
    i_gender, i_status = positions.get("gender"), positions.get("status")
    width = max(positions.values()) + 1
    last_year = timezone.localdate().year + 1
    years = {str(year): year for year in range(FIRST_YEAR, last_year + 1)}
    indicators, organisations = lookups.indicators, lookups.organisations
    allowed_indicators = lookups.allowed_indicators
    allowed_organisations = lookups.allowed_organisations
    ranges = lookups.ranges or {}
    seen: dict[tuple[int, int, int, str], int] = {}
    good: list[ValueRow] = []
    problems: list[RowProblem] = []
    total = 0

    # One pass, fast paths first: CSV cells are plain strings that usually match a dict key.
    number = 1
    try:
        for number, row in enumerate(rows, start=2):
            if number > MAX_ROWS + 1:
                raise ImportRejected(
                    [RowProblem(0, _("The file has more than %(max)d rows.") % {"max": MAX_ROWS})]
                )
            if len(row) < width:
                if not any(_text(cell) for cell in row):
                    continue  # blank rows are not errors
                row = [*row, *([None] * (width - len(row)))]
            messages: list[str] = []
            if _longest(row) > MAX_CELL:
                total += 1
                if len(problems) < KEPT_PROBLEMS:
                    problems.append(
                        RowProblem(
                            number,
                            _("A cell is longer than %(max)d characters.") % {"max": MAX_CELL},
                        )
                    )
                continue

            cell = row[i_indicator]
            code = cell.strip() if type(cell) is str else _text(cell)
            indicator_id = indicators.get(code)
            if indicator_id is None:
                indicator_id = indicators.get(code.upper())

            cell = row[i_organisation]
            organisation_code = cell.strip() if type(cell) is str else _text(cell)
            organisation_id = organisations.get(organisation_code)
            if organisation_id is None and organisation_code.isdigit():
                # Zeros dropped by a spreadsheet: 180 is Stockholm (0180), 14 region 14 (0014).
                organisation_id = organisations.get(organisation_code.zfill(4))

            cell = row[i_year]
            year = years.get(cell) if type(cell) is str else years.get(_text(cell))
            if year is None and type(cell) is str:
                year = years.get(cell.strip())

            if i_gender is None:
                gender: str | None = "T"
            else:
                cell = row[i_gender]
                gender = GENDERS.get(
                    cell.strip().upper() if type(cell) is str else _text(cell).upper()
                )

            cell = row[i_value]
            value: float | None = None
            if type(cell) is str and "_" not in cell:
                if "," in cell and "." not in cell:
                    cell = cell.replace(",", ".")  # decimal comma
                try:
                    value = float(cell) if cell else None
                    value_ok = value is None or -math.inf < value < math.inf
                except ValueError:
                    value_ok = False
                if not value_ok:  # a last chance for " 1 234 " and the like
                    value, value_ok = _try_number(row[i_value])
            else:
                value, value_ok = _try_number(cell)

            if i_status is None:
                status = ""
            else:
                cell = row[i_status]
                status = cell.strip() if type(cell) is str else _text(cell)

            if indicator_id is None:
                if not code and not any(_text(c) for c in row):
                    continue  # a row of empty cells
                messages.append(
                    _("Unknown indicator code “%(code)s”.") % {"code": code}
                    if code
                    else _("The indicator code is missing.")
                )
            if organisation_id is None:
                messages.append(
                    _(
                        "Unknown organisation code “%(code)s”: give a municipality's four-digit "
                        "SCB code, a region's code (e.g. 0014) or 0000 for Riket."
                    )
                    % {"code": organisation_code}
                    if organisation_code
                    else _("The organisation code is missing.")
                )
            if year is None:
                messages.append(_year_problem(row[i_year], last_year))
            if gender is None:
                messages.append(
                    _("Unknown gender “%(gender)s”: use T (total), K (women) or M (men).")
                    % {"gender": _text(row[i_gender] if i_gender is not None else "")}
                )
            if not value_ok:
                messages.append(
                    _("The value “%(value)s” is not a number.") % {"value": _text(row[i_value])}
                )
            elif value is not None and (
                not -MAX_ABS_FIGURE <= value <= MAX_ABS_FIGURE or indicator_id in ranges
            ):
                problem = figure_problem(value, ranges.get(indicator_id) if indicator_id else None)
                if problem:
                    messages.append(
                        _("The value “%(value)s”: %(problem)s")
                        % {"value": _text(row[i_value]), "problem": problem}
                    )
            if (
                allowed_indicators is not None
                and indicator_id is not None
                and indicator_id not in allowed_indicators
            ):
                messages.append(
                    _("The indicator “%(code)s” belongs to another network.") % {"code": code}
                )
            if (
                allowed_organisations is not None
                and organisation_id is not None
                and organisation_id not in allowed_organisations
            ):
                messages.append(
                    _(
                        "The organisation “%(code)s” is not a member of %(network)s; values of "
                        "other organisations are imported by platform admins."
                    )
                    % {"code": organisation_code, "network": lookups.network_name}
                    if lookups.network_name
                    else _("Only platform admins import values for the whole platform.")
                )
            if len(status) > MAX_STATUS:
                messages.append(
                    _("The status “%(status)s” is longer than %(max)d characters.")
                    % {"status": status, "max": MAX_STATUS}
                )
            if (
                not messages
                and indicator_id is not None
                and organisation_id is not None
                and year is not None
                and gender is not None
            ):
                key = (indicator_id, organisation_id, year, gender)
                first = seen.setdefault(key, number)
                if first == number:
                    good.append(
                        ValueRow(indicator_id, organisation_id, year, gender, value, status)
                    )
                    continue
                messages.append(
                    _(
                        "Row %(row)d repeats row %(first)d: the same indicator, organisation, "
                        "year and gender."
                    )
                    % {"row": number, "first": first}
                )
            total += 1
            if len(problems) < KEPT_PROBLEMS:
                problems.append(RowProblem(number, " ".join(messages)))
    except csv.Error as error:
        raise _unreadable_row(number + 1) from error
    return good, problems, total


# -- Importing --------------------------------------------------------------------------------


def _log_problems(run: ImportRun, problems: list[RowProblem], total: int) -> None:
    lines = [
        _("Row %(row)d: %(problem)s") % {"row": p.row, "problem": p.message} if p.row else p.message
        for p in problems[:LOGGED_PROBLEMS]
    ]
    if total > LOGGED_PROBLEMS:
        lines.append(
            ngettext(
                "… and %(count)d more problem.",
                "… and %(count)d more problems.",
                total - LOGGED_PROBLEMS,
            )
            % {"count": total - LOGGED_PROBLEMS}
        )
    log_line(run, "\n".join(lines))


def import_values_file(
    *, actor: Any, uploaded: UploadedFile, network: Network | None = None
) -> ImportRun:
    """Check the whole file, then store every row or none; returns the succeeded run.

    ``network`` is the network the import is for (None: the whole platform, admins only);
    the policies decide which organisations and indicators the file may hold values of.
    Raises ValuesFileRejected (with the failed run) if any row is wrong.
    """
    name = (uploaded.name or "")[:200]
    run = create_run(
        kind=ImportRun.Kind.FILE,
        parameters={"file": name},
        started_by=actor,
        steps_total=1,
        network=network,
    )
    start_run(run)
    log_line(run, _("File “%(name)s”.") % {"name": name})
    try:
        good, problems, total = check_rows(
            file_rows(uploaded), lookups=Lookups.load(actor=actor, network=network)
        )
    except ImportRejected as rejected:
        problems, total = rejected.problems, len(rejected.problems)
    if problems:
        _log_problems(run, problems, total)
        fail_run(
            run,
            ngettext(
                "The file was not imported: %(count)d problem. Nothing was saved.",
                "The file was not imported: %(count)d problems. Nothing was saved.",
                total,
            )
            % {"count": total},
        )
        raise ValuesFileRejected(problems, total=total, run=run)
    try:
        with transaction.atomic():
            counts = store_values(run=run, rows=good)
            add_counts(run, counts)
            log_line(
                run,
                _(
                    "%(rows)d rows: %(added)d added, %(changed)d changed, %(unchanged)d "
                    "unchanged, %(missing)d without a value."
                )
                % {
                    "rows": len(good),
                    "added": counts.added,
                    "changed": counts.changed,
                    "unchanged": counts.unchanged,
                    "missing": counts.missing,
                },
            )
            finish_run(run)
    except Exception as error:
        run.refresh_from_db()
        fail_run(run, _("The file could not be stored: %(error)s") % {"error": error})
        raise
    return run
