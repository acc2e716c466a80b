"""The ledger CSV: Swedish amounts, the columns, and bad rows (nothing half-saved)."""

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from navet.budget import ledger, services
from navet.budget.models import BudgetLine, LedgerImport, OutcomeEntry
from navet.networks.models import Network

YEAR = 2026


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12 345,50", Decimal("12345.50")),
        ("12\u00a0345,50", Decimal("12345.50")),
        ("12.345,50", Decimal("12345.50")),
        ("1.234.567,8", Decimal("1234567.8")),
        ("-350,00", Decimal("-350.00")),
        ("\u2212350", Decimal("-350")),
        ("350", Decimal("350")),
        ("350.50", Decimal("350.50")),
        ("1 200 kr", Decimal("1200")),
        ("1.234", Decimal("1234")),
    ],
)
def test_swedish_amounts(text: str, expected: Decimal) -> None:
    assert ledger.parse_amount(text) == expected


@pytest.mark.parametrize("text", ["", "abc", "12,345,50", "1,2,3", "12.34.5", "1e5", "NaN", "--3"])
def test_not_amounts(text: str) -> None:
    assert ledger.parse_amount(text) is None


@pytest.fixture
def lines(network: Network) -> dict[str, BudgetLine]:
    return {
        "salaries": BudgetLine.objects.create(
            network=network, year=YEAR, name="Löner", category="salaries", account="7010",
            planned=Decimal(500000),
        ),
        "travel": BudgetLine.objects.create(
            network=network, year=YEAR, name="Resor", category="travel", planned=Decimal(40000)
        ),
    }  # fmt: skip


def _csv(*rows: str, header: str = "Datum;Konto;Text;Belopp") -> bytes:
    return ("\r\n".join([header, *rows]) + "\r\n").encode("cp1252")


def test_import_lands_whole(network: Network, lines: dict[str, BudgetLine], roles: Any) -> None:
    content = _csv(
        "2026-01-31;7010;Lön januari;42 500,00",
        "2026-02-14;resor;Tåg Göteborg–Borås;1 234,50",
        ";;;",
        "20260220;Resor;Återbetalning;-350,00",
    )
    batch = services.ledger_import(
        actor=roles["network_coordinator"], network=network, year=YEAR,
        filename="huvudbok.csv", content=content,
    )  # fmt: skip
    assert batch.rows == 3
    assert batch.total == Decimal("43384.50")
    travel = OutcomeEntry.objects.filter(line=lines["travel"]).order_by("date")
    assert [e.amount for e in travel] == [Decimal("1234.50"), Decimal("-350.00")]
    assert travel[0].text == "Tåg Göteborg–Borås"  # cp1252 read right
    assert OutcomeEntry.objects.get(line=lines["salaries"]).date == datetime.date(YEAR, 1, 31)


def test_a_bad_row_saves_nothing_and_names_the_row(
    network: Network, lines: dict[str, BudgetLine], roles: Any
) -> None:
    content = _csv(
        "2026-01-31;7010;Lön januari;42 500,00",
        "2026-02-30;Resor;Tåg;1 234,50",
        "2026-03-01;9999;Okänt konto;100",
        "2025-12-31;Resor;Fel år;100",
        "2026-04-01;Resor;Inget belopp;",
        "2026-04-02;Resor;Trasigt belopp;12,34,5",
    )
    with pytest.raises(ValidationError) as raised:
        services.ledger_import(
            actor=roles["network_coordinator"], network=network, year=YEAR,
            filename="huvudbok.csv", content=content,
        )  # fmt: skip
    messages = raised.value.messages
    text = "\n".join(messages)
    assert "Nothing was imported" in messages[0] or "Inget importerades" in messages[0]
    for row, detail in (
        (3, "2026-02-30"),
        (4, "9999"),
        (5, "2025-12-31"),
        (6, ""),
        (7, "12,34,5"),
    ):
        line = next(m for m in messages if m.startswith((f"Row {row}:", f"Rad {row}:")))
        assert detail in line
    assert "Row 2:" not in text and "Rad 2:" not in text
    assert not OutcomeEntry.objects.exists()
    assert not LedgerImport.objects.exists()


def test_missing_columns_and_empty_files(network: Network, lines: dict[str, BudgetLine]) -> None:
    with pytest.raises(ValidationError) as raised:
        ledger.read_ledger(
            _csv("2026-01-01;x", header="Datum;Text"), year=YEAR, lines=list(lines.values())
        )
    assert "Konto" in raised.value.messages[0] and "Belopp" in raised.value.messages[0]
    with pytest.raises(ValidationError):
        ledger.read_ledger(b"", year=YEAR, lines=list(lines.values()))
    with pytest.raises(ValidationError):
        ledger.read_ledger(_csv(), year=YEAR, lines=list(lines.values()))
    with pytest.raises(ValidationError):
        ledger.read_ledger(b"Datum;Konto\x00", year=YEAR, lines=list(lines.values()))


def test_the_same_file_twice_is_refused(
    network: Network, lines: dict[str, BudgetLine], roles: Any
) -> None:
    content = _csv("2026-01-31;7010;Lön januari;42 500,00")
    actor = roles["network_coordinator"]
    services.ledger_import(
        actor=actor, network=network, year=YEAR, filename="a.csv", content=content
    )
    with pytest.raises(ValidationError):
        services.ledger_import(
            actor=actor, network=network, year=YEAR, filename="b.csv", content=content
        )
    assert OutcomeEntry.objects.count() == 1


def test_template_reads_back(network: Network, lines: dict[str, BudgetLine]) -> None:
    """The template download is itself importable (its example lines exist here)."""
    rows = ledger.read_ledger(ledger.template_csv(), year=YEAR, lines=list(lines.values()))
    assert [row.amount for row in rows] == [
        Decimal("42500.00"),
        Decimal("1234.50"),
        Decimal("-350.00"),
    ]
    assert ledger.template_csv().startswith("\ufeff".encode())


def test_undo_removes_the_import(
    network: Network, lines: dict[str, BudgetLine], roles: Any
) -> None:
    batch = services.ledger_import(
        actor=roles["network_coordinator"], network=network, year=YEAR,
        filename="a.csv", content=_csv("2026-01-31;7010;Lön;100"),
    )  # fmt: skip
    with pytest.raises(ValidationError):
        services.entry_delete(actor=None, entry=batch.entries.get())
    services.ledger_import_undo(actor=None, batch=batch)
    assert not OutcomeEntry.objects.exists()
