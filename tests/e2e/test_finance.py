"""Fees, coordinator time and the budget in a real browser, as the coordinator and a member
use them, axe-clean on every page.

The coordinator opens last year's fee list and reads a member's calculation, the budget with
the fee income from the fee list, and the status reports; Uthållig kommun's coordinator time
shows seeds/003's table 2; the member from Borås finds her organisation's own fee in the
network menu and sees no other member's.
"""

import re

import pytest
from django.utils import timezone

from navet.demo.loader import ADMIN_EMAIL, COORDINATOR_EMAIL, MEMBER_EMAIL
from navet.fees.selectors import fee_total
from navet.networks.models import Network
from tests.e2e.conftest import AxePage
from tests.e2e.conftest import log_in_as as log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def kronor(amount: object) -> str:
    """1405800 → '1 405 800' as the pages write it (a no-break space between groups)."""
    return f"{int(amount):,}".replace(",", "\xa0")  # type: ignore[call-overload]


def test_the_coordinator_reads_fees_time_and_budget(axe_page: AxePage, demo: Network) -> None:
    page = axe_page.page
    year = timezone.localdate().year
    log_in(axe_page, COORDINATOR_EMAIL)

    axe_page.goto(f"/networks/{demo.slug}/")
    page.get_by_role("link", name="Avgifter", exact=True).click()
    axe_page.check()
    page.get_by_role("link", name=re.compile(f"{year - 1}")).first.click()
    axe_page.check()
    axe_page.screenshot("fee-list")
    boras = page.get_by_role("row").filter(has_text="Borås").first.inner_text()
    assert "övre gräns" in boras  # Borås pays the ceiling, and the page says why
    total = page.locator("body").inner_text()
    assert kronor(fee_total(network=demo, year=year - 1)) in total.replace(" ", "\xa0")
    # The association's line itemises the members it pays for.
    assert "Dalslands miljö- och energiförbund: faktureras för" in total

    axe_page.goto(f"/networks/{demo.slug}/budget/")
    axe_page.screenshot("budget")
    fees_row = page.get_by_role("row").filter(has_text="Medlemsavgifter").first.inner_text()
    assert kronor(fee_total(network=demo, year=year)) in fees_row.replace(" ", "\xa0")

    page.get_by_role("link", name="Lägesrapporter").first.click()
    axe_page.check()
    assert "Lägesrapporter" in page.locator("h1").inner_text()


def test_table_2_of_the_final_report_comes_out_of_the_allocations(
    axe_page: AxePage, demo: Network
) -> None:
    """Uthållig kommun's coordinator time, as its programme office (here the platform admin)
    reads it: hours per municipality and month, and over the 28 months."""
    page = axe_page.page
    log_in(axe_page, ADMIN_EMAIL)
    axe_page.goto("/networks/uthallig-kommun/hours/")
    axe_page.screenshot("coordinator-time")
    table = page.locator("main").inner_text()
    for per_month in ("10,00", "6,25", "8,33", "5,56"):
        assert per_month in table, per_month
    assert "233,33" in table and "155,56" in table


def test_a_member_sees_her_own_fee_and_no_one_elses(axe_page: AxePage, demo: Network) -> None:
    page = axe_page.page
    log_in(axe_page, MEMBER_EMAIL)
    axe_page.goto(f"/networks/{demo.slug}/")
    page.get_by_role("link", name="Vår avgift").click()
    axe_page.check()
    axe_page.screenshot("own-fee")
    text = page.locator("main").inner_text()
    assert "Borås" in text
    assert "Göteborg" not in text and "Lerum" not in text
    # The coordinators' pages stay closed to her.
    response = axe_page.goto(f"/networks/{demo.slug}/budget/")
    assert response.status == 403
