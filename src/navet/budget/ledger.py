"""Reading a ledger export: a semicolon-separated CSV as Swedish Excel saves it.

Columns (the header row names them; the order is free, extra columns are ignored):

* ``Datum``: the booking date, ``2026-03-31`` (or ``20260331``), within the budget year;
* ``Konto``: the ledger account of a budget line (its *account* field), or the line's name;
* ``Text``: what the booking is (optional);
* ``Belopp``: the amount in kronor with a decimal comma, thousands optionally separated by a
  space or a dot (``12 345,50``, ``12.345,50``, ``-350``). A positive amount is a cost on a
  cost line and income on an income line; a negative one is a credit (a refund).

Every row is checked before anything is saved; a file with any bad row is refused with each
row's number and what is wrong, so an import lands whole or not at all.
"""

import csv
import datetime
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from navet.budget.models import BudgetLine
from navet.core import uploads

MAX_ROWS = 20_000
MAX_PROBLEMS = 30
MAX_AMOUNT = Decimal("999999999999.99")
COLUMNS: dict[str, tuple[str, ...]] = {
    "date": ("datum", "date", "bokföringsdatum", "verifikationsdatum"),
    "account": ("konto", "account", "kategori", "category", "budgetpost", "post"),
    "text": ("text", "beskrivning", "description", "verifikationstext"),
    "amount": ("belopp", "amount", "summa", "belopp (kr)"),
}
REQUIRED = ("date", "account", "amount")
TEMPLATE_HEADER = ["Datum", "Konto", "Text", "Belopp"]
TEMPLATE_ROWS = [
    ["2026-01-31", "7010", "Lön klustersamordnare januari", "42 500,00"],
    ["2026-02-14", "Resor", "Tåg Göteborg–Borås", "1 234,50"],
    ["2026-02-20", "Resor", "Återbetalning", "-350,00"],
]

_SPACES = re.compile(r"[\s\u00a0\u202f]")
_COMMA_DECIMAL = re.compile(r"^-?(\d{1,3}(\.\d{3})+|\d+),\d{1,2}$|^-?(\d{1,3}(\.\d{3})+|\d+)$")
_DOT_DECIMAL = re.compile(r"^-?\d+\.\d{1,2}$")


@dataclass(frozen=True)
class LedgerRow:
    row: int
    date: datetime.date
    line: BudgetLine
    text: str
    amount: Decimal


def template_csv() -> bytes:
    """The template download: header and example rows, UTF-8 with a BOM so Excel reads å, ä
    and ö right, separated by semicolons."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(TEMPLATE_HEADER)
    writer.writerows(TEMPLATE_ROWS)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def parse_amount(text: str) -> Decimal | None:
    """``12 345,50`` → 12345.50; None if it is not an amount."""
    cleaned = _SPACES.sub("", text).replace("\u2212", "-").replace("\u2013", "-")
    cleaned = re.sub(r"(?i)(kr|sek|:-)$", "", cleaned)
    if cleaned.startswith("+"):
        cleaned = cleaned[1:]
    if _COMMA_DECIMAL.match(cleaned) and ("," in cleaned or "." in cleaned):
        value = cleaned.replace(".", "").replace(",", ".")
    elif _DOT_DECIMAL.match(cleaned) or re.fullmatch(r"-?\d+", cleaned):
        value = cleaned
    else:
        return None
    try:
        amount = Decimal(value)
    except InvalidOperation:
        return None
    return amount if abs(amount) <= MAX_AMOUNT else None


def parse_date(text: str) -> datetime.date | None:
    text = text.strip()
    for pattern in ("%Y-%m-%d", "%Y%m%d"):
        try:
            return datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007
        except ValueError:
            continue
    return None


def _decode(content: bytes) -> str:
    text = uploads.decode_csv(content)
    if text is None:
        raise ValidationError(_("The file is not a CSV text file."))
    return text


def _positions(header: list[str]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, title in enumerate(header):
        wanted = title.strip().lower()
        for field, names in COLUMNS.items():
            if wanted in names and field not in positions:
                positions[field] = index
    missing = [field for field in REQUIRED if field not in positions]
    if missing:
        titles = {"date": "Datum", "account": "Konto", "amount": "Belopp"}
        raise ValidationError(
            _(
                "Row 1: the header must name the columns Datum, Konto, Text and Belopp "
                "(separated by semicolons); missing: %(missing)s."
            )
            % {"missing": ", ".join(titles[field] for field in missing)}
        )
    return positions


def _line_index(lines: Iterable[BudgetLine]) -> dict[str, BudgetLine]:
    index: dict[str, BudgetLine] = {}
    for line in lines:
        index.setdefault(line.name.strip().lower(), line)
    for line in lines:
        if line.account:
            index[line.account.strip().lower()] = line
    return index


def read_ledger(content: bytes, *, year: int, lines: list[BudgetLine]) -> list[LedgerRow]:
    """The rows of a ledger file, each matched to one of ``lines``; raises ValidationError
    listing every bad row ("Row 7: …") if any row is bad."""
    text = _decode(content)
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    except csv.Error as error:
        raise ValidationError(
            _("The file could not be read as CSV (%(error)s).") % {"error": error}
        ) from error
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise ValidationError(_("The file is empty."))
    if len(rows) > MAX_ROWS + 1:
        raise ValidationError(
            _("The file has %(rows)d rows; at most %(limit)d can be imported at once.")
            % {"rows": len(rows) - 1, "limit": MAX_ROWS}
        )
    positions = _positions(rows[0])
    index = _line_index(lines)
    parsed: list[LedgerRow] = []
    problems: list[str] = []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue

        def cell(field: str, cells: list[str] = cells) -> str:
            position = positions.get(field)
            return cells[position].strip() if position is not None and position < len(cells) else ""

        row_problems: list[str] = []
        date_text, account_text, amount_text = cell("date"), cell("account"), cell("amount")
        day = parse_date(date_text) if date_text else None
        if not date_text:
            row_problems.append(_("the date is missing"))
        elif day is None:
            row_problems.append(
                _("“%(value)s” is not a date (write it as %(year)d-03-31)")
                % {"value": date_text[:40], "year": year}
            )
        elif day.year != year:
            row_problems.append(
                _("the date %(date)s is not in %(year)d") % {"date": day.isoformat(), "year": year}
            )
        line = index.get(account_text.lower()) if account_text else None
        if not account_text:
            row_problems.append(_("the account is missing"))
        elif line is None:
            row_problems.append(
                _("no budget line of %(year)d has the account or name “%(value)s”")
                % {"value": account_text[:60], "year": year}
            )
        amount = parse_amount(amount_text) if amount_text else None
        if not amount_text:
            row_problems.append(_("the amount is missing"))
        elif amount is None:
            row_problems.append(
                _("“%(value)s” is not an amount in kronor (write it as 1 234,50)")
                % {"value": amount_text[:40]}
            )
        if row_problems:
            problems.append(
                _("Row %(row)d: %(problems)s.")
                % {"row": number, "problems": "; ".join(row_problems)}
            )
            continue
        assert day is not None and line is not None and amount is not None
        parsed.append(LedgerRow(number, day, line, cell("text")[:300], amount))
    if problems:
        shown = problems[:MAX_PROBLEMS]
        if len(problems) > MAX_PROBLEMS:
            shown.append(
                _("… and %(count)d more rows with problems.")
                % {"count": len(problems) - MAX_PROBLEMS}
            )
        raise ValidationError(
            [_("Nothing was imported: fix these rows and import the file again."), *shown]
        )
    if not parsed:
        raise ValidationError(_("The file has no rows to import."))
    return parsed
