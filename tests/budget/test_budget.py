"""Budget against outcome per line and in total, the fee income, and the pages."""

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from navet.budget import selectors, services
from navet.budget.models import BudgetLine, OutcomeEntry
from navet.networks.models import Network

YEAR = 2026


@pytest.fixture
def budget(network: Network) -> dict[str, BudgetLine]:
    def line(name: str, category: str, planned: int, kind: str = "cost") -> BudgetLine:
        return BudgetLine.objects.create(
            network=network, year=YEAR, name=name, category=category, kind=kind,
            planned=Decimal(planned),
        )  # fmt: skip

    lines = {
        "salaries": line("Löner", "salaries", 400000),
        "travel": line("Resor", "travel", 40000),
        "web": line("Webbplats", "own", 0),
        "grant": line("Bidrag Energimyndigheten", "grant", 300000, kind="income"),
        "fees": line("Medlemsavgifter", "fees", 120000, kind="income"),
    }
    for key, day, amount in (
        ("salaries", datetime.date(YEAR, 1, 31), "210000"),
        ("salaries", datetime.date(YEAR, 6, 30), "230000"),
        ("travel", datetime.date(YEAR, 3, 3), "10000"),
        ("web", datetime.date(YEAR, 4, 1), "5000"),
        ("grant", datetime.date(YEAR, 2, 1), "150000"),
    ):
        OutcomeEntry.objects.create(line=lines[key], date=day, amount=Decimal(amount))
    return lines


def test_deviation_per_line_and_in_total(
    network: Network, budget: dict[str, BudgetLine], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selectors, "fee_total", lambda *, network, year: Decimal("118500"))
    overview = selectors.budget_overview(network=network, year=YEAR)
    costs = {row.name: row for row in overview.costs}
    assert costs["Löner"].outcome == Decimal(440000)
    assert costs["Löner"].deviation == Decimal(40000)
    assert costs["Löner"].deviation_percent == Decimal("10.0")
    assert costs["Resor"].deviation == Decimal(-30000)
    assert costs["Resor"].deviation_percent == Decimal("-75.0")
    assert costs["Webbplats"].deviation_percent is None  # nothing planned: no percentage
    assert overview.cost_totals.planned == Decimal(440000)
    assert overview.cost_totals.outcome == Decimal(455000)
    assert overview.cost_totals.deviation_percent == Decimal("3.4")  # 15000 / 440000
    incomes = {row.name: row for row in overview.incomes}
    assert incomes["Medlemsavgifter"].from_fee_list
    assert incomes["Medlemsavgifter"].outcome == Decimal("118500")
    assert incomes["Medlemsavgifter"].deviation == Decimal(-1500)
    assert overview.income_totals.outcome == Decimal("268500")
    assert overview.result_outcome == Decimal("268500") - Decimal(455000)


def test_fee_income_without_a_line_of_its_own(
    network: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selectors, "fee_total", lambda *, network, year: Decimal(5000))
    overview = selectors.budget_overview(network=network, year=YEAR)
    assert [(row.line, row.planned, row.outcome) for row in overview.incomes] == [
        (None, None, Decimal(5000))
    ]


def test_no_fee_scheme_means_no_fee_income(network: Network) -> None:
    overview = selectors.budget_overview(network=network, year=YEAR)
    assert overview.fee_income == 0
    assert overview.incomes == []


def test_line_rules(
    network: Network, other_network: Network, budget: dict[str, BudgetLine]
) -> None:
    with pytest.raises(ValidationError) as raised:
        services.line_create(actor=None, network=network, year=YEAR, name="löner")
    assert "name" in raised.value.error_dict
    with pytest.raises(ValidationError):
        services.line_create(actor=None, network=network, year=1999, name="Gammalt")
    with pytest.raises(ValidationError):
        services.line_create(
            actor=None, network=network, year=YEAR, name="Jättelikt",
            planned=Decimal("1e13"),
        )  # fmt: skip
    with pytest.raises(ValidationError):
        services.line_create(
            actor=None, network=network, year=YEAR, name="Fel grupp",
            group=other_network.groups.create(name="Vatten", slug="vatten"),
        )  # fmt: skip
    with pytest.raises(ValidationError):
        services.line_delete(actor=None, line=budget["salaries"])  # it has outcome
    with pytest.raises(ValidationError):
        services.entry_add(
            actor=None, line=budget["travel"], date=datetime.date(YEAR + 1, 1, 1),
            amount=Decimal(1),
        )  # fmt: skip


def test_budget_page(client_for: Any, network: Network, budget: dict[str, BudgetLine]) -> None:
    client: Client = client_for("network_coordinator")
    response = client.get(reverse("budget:budget", args=[network.slug, YEAR]))
    assert response.status_code == 200
    page = response.content.decode()
    for text in ("Löner", "Resor", "Webbplats", "Medlemsavgifter", "440\xa0000", "10,0 %"):
        assert text in page, text


def test_enter_an_amount_with_a_decimal_comma(
    client_for: Any, network: Network, budget: dict[str, BudgetLine]
) -> None:
    client: Client = client_for("network_coordinator")
    line = budget["travel"]
    url = reverse("budget:line_detail", args=[network.slug, line.pk])
    response = client.post(url, {"date": "2026-05-05", "amount": "1 234,50", "text": "Tåg"})
    assert response.status_code == 302
    assert line.entries.filter(amount=Decimal("1234.50")).exists()


def test_ledger_import_page_shows_the_rows_and_saves_nothing(
    client_for: Any, network: Network, budget: dict[str, BudgetLine]
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = OutcomeEntry.objects.count()
    content = "Datum;Konto;Text;Belopp\r\n2026-01-05;Resor;Tåg;100\r\n2026-01-06;Resor;Buss;tio\r\n"
    upload = SimpleUploadedFile("huvudbok.csv", content.encode(), content_type="text/csv")
    response = client_for("network_coordinator").post(
        reverse("budget:ledger_import", args=[network.slug, YEAR]), {"file": upload}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "3:" in page and "tio" in page
    assert OutcomeEntry.objects.count() == before


def test_ledger_template_download(client_for: Any, network: Network) -> None:
    response = client_for("network_coordinator").get(
        reverse("budget:ledger_template", args=[network.slug])
    )
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode("utf-8-sig").startswith("Datum;Konto;Text;Belopp")


def test_budget_page_queries_do_not_grow_with_lines(
    client_for: Any, network: Network, django_assert_max_num_queries: Any
) -> None:
    for number in range(30):
        line = BudgetLine.objects.create(
            network=network, year=YEAR, name=f"Post {number}", planned=Decimal(1000)
        )
        OutcomeEntry.objects.create(line=line, date=datetime.date(YEAR, 1, 2), amount=Decimal(5))
    client: Client = client_for("network_coordinator")
    url = reverse("budget:budget", args=[network.slug, YEAR])
    with django_assert_max_num_queries(25):
        assert client.get(url).status_code == 200
