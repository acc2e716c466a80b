"""The searchable pickers in a real browser: keyboard only, axe-clean, and the form still sends
the chosen value through the plain <select> underneath."""

import pytest
from django.utils import timezone

from navet.demo.loader import COORDINATOR_EMAIL
from navet.networks.models import GroupMembership, Membership, Network, Organisation, Person
from tests.e2e.conftest import AxePage
from tests.e2e.test_network_core import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_picks_an_organisation_with_the_keyboard(
    axe_page: AxePage, demo: Network
) -> None:
    page = axe_page.page
    log_in(axe_page, COORDINATOR_EMAIL)
    axe_page.goto(f"/networks/{demo.slug}/members/add/")
    combobox = page.get_by_role("combobox", name="Organisation", exact=True)
    assert combobox.get_attribute("aria-expanded") == "false"
    combobox.focus()
    page.keyboard.type("gö")
    listbox = page.get_by_role("listbox")
    listbox.wait_for()
    options = listbox.get_by_role("option")
    assert options.nth(0).inner_text().startswith("Göteborg")
    assert options.nth(1).inner_text().startswith("Götene")
    assert combobox.get_attribute("aria-expanded") == "true"
    axe_page.check()  # with the suggestions open
    axe_page.screenshot("picker-organisations")

    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert combobox.get_attribute("aria-activedescendant") == options.nth(1).get_attribute("id")
    assert options.nth(1).get_attribute("aria-selected") == "true"
    page.keyboard.press("Enter")  # chooses; does not send the form
    assert combobox.get_attribute("aria-expanded") == "false"
    assert combobox.input_value() == "Götene"
    gotene = Organisation.objects.get(name="Götene")
    assert page.locator("select#id_organisation").input_value() == str(gotene.pk)

    # Escape closes the suggestions and leaves the choice as it was.
    combobox.fill("")
    page.keyboard.type("bor")
    listbox.wait_for()
    page.keyboard.press("Escape")
    assert combobox.get_attribute("aria-expanded") == "false"
    assert page.locator("select#id_organisation").input_value() == str(gotene.pk)

    page.get_by_label("Startdatum").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Spara").click()
    axe_page.check()
    assert Membership.objects.filter(network=demo, organisation=gotene).exists()


def test_coordinator_picks_a_person_among_the_networks_people(
    axe_page: AxePage, demo: Network
) -> None:
    page = axe_page.page
    group = demo.groups.order_by("pk").first()
    assert group is not None
    outsider = (
        Person.objects.exclude(group_memberships__group=group)
        .filter(group_memberships__group__network=demo)
        .first()
    )
    assert outsider is not None
    log_in(axe_page, COORDINATOR_EMAIL)
    axe_page.goto(f"/networks/{demo.slug}/groups/{group.slug}/participants/add/")
    combobox = page.get_by_role("combobox", name="Person")
    combobox.focus()
    page.keyboard.type(outsider.last_name[:4])
    page.get_by_role("listbox").wait_for()
    options = page.get_by_role("option")
    labels = [options.nth(i).inner_text() for i in range(options.count())]
    index = next(i for i, label in enumerate(labels) if label.startswith(outsider.full_name))
    axe_page.check()
    for _ in range(index + 1):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert page.locator("select#id_person").input_value() == str(outsider.pk)
    page.get_by_role("button", name="Lägg till").click()
    axe_page.check()
    assert GroupMembership.objects.filter(group=group, person=outsider).exists()
