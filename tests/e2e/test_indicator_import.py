"""A coordinator imports indicator values from a file in a real browser: a bad file is refused
with its rows named and nothing saved; the corrected file lands and the comparison shows it.
The import is for the coordinator's network (chosen for them: they coordinate one), so the file
holds values of its member organisations only; Riket's row is refused."""

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from navet.demo.indicators import MEALS
from navet.demo.loader import COORDINATOR_EMAIL
from navet.indicators.models import ImportRun, Indicator, Value
from navet.networks.models import Network, Organisation
from tests.e2e.conftest import AxePage
from tests.e2e.test_indicators import swedish
from tests.e2e.test_network_core import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = 2025


def test_coordinator_imports_values_from_a_file(
    axe_page: AxePage, demo: Network, tmp_path: Path
) -> None:
    page: Any = axe_page.page
    boras = Organisation.objects.get(scb_code="1490")
    meals = Indicator.objects.get(code=MEALS)
    values_before = Value.objects.count()
    log_in(axe_page, COORDINATOR_EMAIL)

    # From the catalogue to the import form.
    axe_page.goto(reverse("indicators:catalogue"))
    page.locator(f'nav a[href="{reverse("indicators:file_import")}"]').click()
    axe_page.check()

    # The network is chosen already: the coordinator coordinates one.
    assert page.locator("select[name=network] option:checked").inner_text() == demo.name

    # A file with an unknown municipality code, and Riket (not a member) with a value that is
    # not a number.
    bad = tmp_path / "varden.csv"
    bad.write_text(
        "kpi;kommunkod;år;värde\n"
        f"{MEALS};1490;{YEAR};41,5\n"
        f"{MEALS};9999;{YEAR};40\n"
        f"{MEALS};0000;{YEAR};många\n",
        encoding="utf-8",
    )
    page.set_input_files("input[name=file]", str(bad))
    page.locator("form[enctype] button[type=submit]").click()
    axe_page.check()
    problems = page.locator(".form-errors table tbody tr")
    assert problems.count() == 2
    rows = [problems.nth(i).locator("td").first.inner_text() for i in range(2)]
    assert rows == ["3", "4"]
    assert "9999" in problems.nth(0).inner_text()
    assert "många" in problems.nth(1).inner_text()
    assert "not a member" in problems.nth(1).inner_text() or "inte medlem" in (
        problems.nth(1).inner_text()
    )
    assert Value.objects.count() == values_before

    # The corrected file lands whole; the run page counts what it did.
    good = tmp_path / "varden-ratt.csv"
    good.write_text(
        f"kpi;kommunkod;år;värde\n{MEALS};1490;{YEAR};41,5\n",
        encoding="utf-8",
    )
    page.set_input_files("input[name=file]", str(good))
    page.locator("form[enctype] button[type=submit]").click()
    axe_page.check()
    run = ImportRun.objects.filter(kind=ImportRun.Kind.FILE).latest("pk")
    assert run.status == ImportRun.Status.SUCCEEDED
    assert page.url.endswith(reverse("indicators:run_detail", args=[run.pk]))
    assert page.locator("#count-added").inner_text() == "1"
    assert page.locator("#run-progress").get_attribute("value") == "100"
    assert Value.objects.count() == values_before + 1
    assert run.network == demo

    # Borås's trend for the indicator now ends with the imported year.
    axe_page.goto(reverse("indicators:organisation_indicator", args=[boras.pk, meals.code]))
    last = page.locator("table.trend-table tbody tr").filter(has_text=str(YEAR))
    cells = last.locator("td").all_inner_texts()
    assert cells[0] == swedish(41.5, meals.decimals)
