"""Each demo login's start page in a real browser: their own things, axe-clean.

The demo is loaded as ``make run`` loads it, so the meetings are relative to today
(``navet.demo.live``). Every page the tests visit is checked with axe-core.
"""

import re

import pytest

from navet.demo.loader import (
    ADMIN_EMAIL,
    COORDINATOR_EMAIL,
    GROUP_COORDINATOR_EMAIL,
    MEMBER_EMAIL,
    PARTNER_EMAIL,
)
from navet.evaluations.models import Invitation
from navet.networks.models import Network
from tests.e2e.conftest import AxePage
from tests.e2e.conftest import log_in_as as log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HELD_LAST_WEEK = "Klimatanpassning i den fysiska planeringen"
STRATEGY_NEXT = "Energiplanering och effektbrist i kommunen"
NATURE_NEXT = "Våtmarker och grön infrastruktur"
WHOLE_NETWORK = "Nätverksträff för hela nätverket: Agenda 2030 i styrningen"
FULL = "Etiska krav i upphandlingen"
NO_MINUTES_NOR_EVALUATION = "Åtgärdsprogram för hotade arter"


def section(axe_page: AxePage, heading_id: str) -> str:
    return str(axe_page.page.locator(f"section:has(#{heading_id})").inner_text())


def test_medlem_sees_the_meeting_to_register_for_and_the_evaluation_to_answer(
    axe_page: AxePage, demo: Network
) -> None:
    log_in(axe_page, MEMBER_EMAIL)
    page = axe_page.page
    upcoming = page.locator(".meeting-list > li")
    # Her group's next meeting, not registered for, comes first; the whole network's meeting
    # she signed up for is there too; other groups' meetings are not.
    assert STRATEGY_NEXT in upcoming.first.inner_text()
    assert "needs-answer" in (upcoming.first.get_attribute("class") or "")
    assert WHOLE_NETWORK in section(axe_page, "h-upcoming")
    assert NATURE_NEXT not in section(axe_page, "h-upcoming")
    evaluations = section(axe_page, "h-evaluations")
    assert HELD_LAST_WEEK in evaluations
    assert page.locator("#h-todos").count() == 0
    # Borås's participation and the indicators it follows, each with a way on.
    assert page.get_by_role("link", name=re.compile("Borås")).first.is_visible()
    assert page.locator(".target-list .progress").count() >= 1
    axe_page.screenshot("start-page-medlem")

    # The link on the start page is her own answer link.
    token = Invitation.objects.get(
        person__user__email=MEMBER_EMAIL, questionnaire__meeting__title=HELD_LAST_WEEK
    ).token
    page.locator("#h-evaluations ~ ul a").first.click()
    page.wait_for_url(f"**/answer/{token}/")
    axe_page.check()

    axe_page.goto("/profile/")
    assert page.locator("input[name=email]").input_value() == MEMBER_EMAIL
    assert "Miljöstrategigruppen" in page.locator("aside").inner_text()


def test_samordnare_sees_the_to_do_list(axe_page: AxePage, demo: Network) -> None:
    log_in(axe_page, COORDINATOR_EMAIL)
    todos = section(axe_page, "h-todos")
    assert HELD_LAST_WEEK in todos  # no minutes yet
    assert NO_MINUTES_NOR_EVALUATION in todos  # neither minutes nor an evaluation
    assert FULL in todos  # people on the waiting list
    assert NATURE_NEXT in section(axe_page, "h-upcoming")  # every meeting of her network
    axe_page.screenshot("start-page-samordnare")
    axe_page.page.locator("#h-todos ~ ul a", has_text=FULL).first.click()
    axe_page.page.wait_for_load_state("load")
    axe_page.check()
    assert FULL in axe_page.page.locator("h1").inner_text()


def test_grupp_sees_the_groups_meetings_and_its_minutes_to_do(
    axe_page: AxePage, demo: Network
) -> None:
    log_in(axe_page, GROUP_COORDINATOR_EMAIL)
    assert NATURE_NEXT in section(axe_page, "h-upcoming")
    todos = section(axe_page, "h-todos")
    assert NO_MINUTES_NOR_EVALUATION in todos
    assert HELD_LAST_WEEK not in todos  # another group's meeting
    assert "Naturvårdsgruppen" in axe_page.page.locator("aside").inner_text()
    axe_page.screenshot("start-page-grupp")


def test_partner_sees_the_guest_groups_meeting(axe_page: AxePage, demo: Network) -> None:
    log_in(axe_page, PARTNER_EMAIL)
    upcoming = section(axe_page, "h-upcoming")
    assert NATURE_NEXT in upcoming
    assert STRATEGY_NEXT not in upcoming
    assert axe_page.page.locator("#h-todos").count() == 0
    assert NO_MINUTES_NOR_EVALUATION in section(axe_page, "h-news")  # she took part
    axe_page.screenshot("start-page-partner")


def test_admin_sees_every_network_and_its_to_dos(axe_page: AxePage, demo: Network) -> None:
    log_in(axe_page, ADMIN_EMAIL)
    networks = axe_page.page.locator("aside").inner_text()
    assert demo.name in networks and "Uthållig kommun" in networks
    assert FULL in section(axe_page, "h-todos")
    axe_page.screenshot("start-page-admin")
    axe_page.goto("/networks/")
    assert axe_page.page.locator(".cards .card").count() == 2
