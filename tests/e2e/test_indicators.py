"""Comparing indicators as a visitor does, in a real browser, on the demo data."""

from pathlib import Path
from typing import Any

import pytest
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from navet.demo.indicators import MEALS, NETWORK_SET_SLUG
from navet.indicators.models import Indicator, IndicatorSet, Value
from navet.networks.models import Network, Organisation
from tests.e2e.conftest import AxePage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def swedish(value: float, decimals: int) -> str:
    with translation.override("sv"):
        return str(floatformat(value, decimals))


def latest(indicator: Indicator, organisation: Organisation) -> tuple[int, float]:
    row = (
        Value.objects.filter(
            indicator=indicator, organisation=organisation, gender="T", value__isnull=False
        )
        .order_by("-year")
        .values_list("year", "value")
        .first()
    )
    assert row is not None and row[1] is not None
    return row[0], row[1]


def test_visitor_compares_a_member_with_riket_and_downloads_the_ranking(
    axe_page: AxePage, demo: Network, tmp_path: Path
) -> None:
    page: Any = axe_page.page
    boras = Organisation.objects.get(scb_code="1490")
    riket = Organisation.objects.get(scb_code="0000")
    meals = Indicator.objects.get(code=MEALS)
    indicator_set = IndicatorSet.objects.get(slug=NETWORK_SET_SLUG)
    year, value = latest(meals, boras)
    riket_year, riket_value = latest(meals, riket)
    assert riket_year == year

    # The member's comparison table: its network's set, Borås beside Riket.
    axe_page.goto(reverse("indicators:organisation_indicators", args=[boras.pk]))
    axe_page.screenshot("indicators-comparison")
    table = page.locator("table.comparison-table")
    assert indicator_set.name in table.locator("caption").inner_text()
    headers = table.locator("thead th").all_inner_texts()
    assert "Borås" in headers and "Riket" in headers
    row = table.get_by_role("row").filter(has_text=meals.title)
    cells = row.locator("td").all_inner_texts()
    assert cells[0] == str(year)
    assert cells[1] == swedish(value, meals.decimals)
    assert cells[2] == swedish(riket_value, meals.decimals)
    # Progress (Borås has a target for måltidssvinn) is a text of its own, not only a colour.
    assert row.locator(".progress").inner_text().strip()

    # One indicator's trend: the chart, its data table and the rank history.
    row.get_by_role("link", name=meals.title).click()
    axe_page.check()
    assert page.url.endswith(
        reverse("indicators:organisation_indicator", args=[boras.pk, meals.code])
        + f"?network={demo.slug}"
    )
    assert page.locator("svg.chart[role=img]").count() == 1
    trend_rows = page.locator("table.trend-table tbody tr")
    assert trend_rows.count() >= 5
    last = trend_rows.filter(has_text=str(year)).locator("td").all_inner_texts()
    assert last[0] == swedish(value, meals.decimals)
    assert last[1] == swedish(riket_value, meals.decimals)
    assert "290" in page.locator("table.rank-history").inner_text()

    # The indicator across Sweden: bars, the map of 290 municipalities, the ranking.
    page.locator(f'a[href="{meals.get_absolute_url()}"]').first.click()
    axe_page.check()
    axe_page.screenshot("indicators-map")
    assert page.locator("svg.map path[data-code]").count() == 290
    assert page.locator("svg.map path.no-value").count() == 0
    assert page.locator("table.ranking-table tbody tr").count() == 290
    assert page.locator(".demo-label").first.is_visible()

    # The ranking as XLSX: every municipality, Borås with its value as a number.
    xlsx = reverse("indicators:ranking_download", args=[meals.code, year, "xlsx"])
    with page.expect_download() as download_info:
        page.locator(f'a[href="{xlsx}"]').click()
    download = download_info.value
    assert download.suggested_filename == f"rangordning-{meals.code}-{year}.xlsx"
    target = tmp_path / "ranking.xlsx"
    download.save_as(target)
    sheet = load_workbook(target).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 291
    boras_row = next(r for r in rows if r[2] == "Borås")
    assert boras_row[3] == "1490"
    assert boras_row[5] == pytest.approx(value)
    assert rows[1][0] == 1 and boras_row[1] == 290
