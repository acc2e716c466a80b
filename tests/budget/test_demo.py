"""The demo budgets and status reports (navet.demo.budget): seeds/003's counts, idempotent."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum

from navet.budget.models import BudgetLine, StatusReport
from navet.budget.selectors import report_periods
from navet.demo.budget import load_demo_budget
from navet.demo.loader import load_demo

TODAY = datetime.date(2026, 12, 1)


@pytest.fixture
def demo(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo with its budgets loaded as on TODAY (load_demo would use the real date)."""
    monkeypatch.setattr("navet.demo.loader.load_demo_budget", lambda: False)
    assert load_demo() is True
    assert load_demo_budget(today=TODAY) is True


def test_uthallig_kommun_follows_the_final_report(demo: None) -> None:
    lines = BudgetLine.objects.filter(network__slug="uthallig-kommun", kind="cost")
    assert lines.aggregate(total=Sum("planned"))["total"] == Decimal(7_478_450)
    sent = StatusReport.objects.filter(network__slug="uthallig-kommun", status="sent")
    assert sent.filter(kind="month").count() == 25
    assert sent.filter(kind="quarter").count() == 9
    assert sorted(r.period_start.year for r in sent.filter(kind="year")) == [2009, 2010]
    network = lines.first().network  # type: ignore[union-attr]
    rows = report_periods(network=network, group=None, kind="month", year=2009, today=TODAY)
    assert [row.state for row in rows[:4]] == ["missing", "missing", "missing", "sent"]
    assert rows[6].state == "missing"  # July


def test_kommunnatverket_has_a_draft_and_a_cluster_draft(demo: None) -> None:
    drafts = StatusReport.objects.filter(network__slug="kommunnatverket", status="draft")
    assert {(r.period_start, r.group is not None) for r in drafts} == {
        (datetime.date(2026, 11, 1), False),
        (datetime.date(2026, 11, 1), True),
    }


def test_loading_twice_changes_nothing(demo: None) -> None:
    count = StatusReport.objects.count(), BudgetLine.objects.count()
    assert load_demo_budget(today=TODAY) is False
    assert (StatusReport.objects.count(), BudgetLine.objects.count()) == count


def test_the_demo_budgets_fee_income_near_last_years_fee_list(demo: None) -> None:
    """A coordinator budgets the fees from last year's list, not a number far from it."""
    from navet.fees.selectors import fee_total
    from navet.networks.models import Network

    network = Network.objects.get(slug="kommunnatverket")
    fees = BudgetLine.objects.get(network=network, year=TODAY.year, category="fees")
    last_year = fee_total(network=network, year=TODAY.year - 1)
    assert last_year > 0
    assert last_year - Decimal(10_000) < fees.planned <= last_year
