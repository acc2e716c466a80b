"""The network core as a coordinator uses it, in a real browser, on the demo networks."""

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from navet.demo.loader import COORDINATOR_EMAIL, DEMO_PASSWORD
from navet.networks import selectors
from navet.networks.models import ContactAssignment, Membership, Network, Organisation
from tests.e2e.conftest import AxePage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(axe_page: AxePage, email: str, password: str = DEMO_PASSWORD) -> None:
    axe_page.goto("/accounts/login/")
    page = axe_page.page
    page.get_by_label("E-post").fill(email)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    axe_page.check()
    assert page.get_by_role("button", name="Logga ut").is_visible()


def test_coordinator_ends_a_membership_and_replaces_a_contact_person(
    axe_page: AxePage, demo: Network
) -> None:
    page = axe_page.page
    today = timezone.localdate()
    log_in(axe_page, COORDINATOR_EMAIL)

    # End Åmål's membership from the member list.
    amal = Organisation.objects.get(scb_code="1492")
    axe_page.goto(f"/networks/{demo.slug}/members/")
    axe_page.screenshot("member-list")
    page.get_by_role("link", name="Avsluta Åmål").click()
    axe_page.check()
    page.get_by_label("Sista dag").fill(today.isoformat())
    page.get_by_role("button", name="Avsluta medlemskap").click()
    axe_page.check()
    assert "Medlemskapet för Åmål avslutades" in page.get_by_role("status").inner_text()
    network_row = page.get_by_role("row").filter(has_text=demo.name).first
    assert today.isoformat() in network_row.inner_text()
    membership = Membership.objects.get(network=demo, organisation=amal)
    assert membership.end_date == today
    assert not selectors.members_on(network=demo, day=today + datetime.timedelta(days=1)).filter(
        organisation=amal
    )

    # Lerum gets a new contact person; the earlier one stays in the history.
    lerum = Organisation.objects.get(scb_code="1441")
    current = ContactAssignment.objects.get(
        network=demo, organisation=lerum, group=None, end_date__isnull=True
    )
    # A successor among the network's own people (joining is consented).
    successor = (
        selectors.people_in_network(network=demo)
        .filter(organisation=lerum)
        .exclude(pk=current.person_id)
        .first()
    )
    assert successor is not None
    axe_page.goto(f"/organisations/{lerum.pk}/")
    page.get_by_role("link", name="Ny kontaktperson").first.click()
    axe_page.check()
    page.get_by_label("Ny kontaktperson").select_option(label=successor.full_name)
    page.get_by_label("Från").fill(today.isoformat())
    page.get_by_role("button", name="Spara kontaktperson").click()
    axe_page.check()
    axe_page.screenshot("organisation-contact-history")

    history = page.get_by_role("table", name="Kontaktpersoner, nu och tidigare")
    rows_here = history.get_by_role("row").filter(has_text=demo.name)
    new_row = rows_here.filter(has_text=successor.full_name)
    old_row = rows_here.filter(has_text=current.person.full_name)
    assert "nuvarande" in new_row.inner_text()
    yesterday = (today - datetime.timedelta(days=1)).isoformat()
    assert yesterday in old_row.inner_text()
    current.refresh_from_db()
    assert current.end_date == today - datetime.timedelta(days=1)


def test_import_with_one_bad_row_reports_it_and_imports_nothing(
    axe_page: AxePage, demo: Network, tmp_path: Path
) -> None:
    page = axe_page.page
    log_in(axe_page, COORDINATOR_EMAIL)
    before = Membership.objects.count()
    upload = tmp_path / "medlemmar.csv"
    upload.write_text(
        "Organisation;Startdatum;Slutdatum;Via\n"
        "Grästorps kommun;2024-01-01;;\n"
        "Ankeborgs kommun;2024-01-01;;\n"
        "Essunga kommun;2024-13-01;;\n",
        encoding="utf-8",
    )
    axe_page.goto(f"/networks/{demo.slug}/members/import/")
    page.get_by_label("Medlemmar (organisationer)").check()
    page.get_by_label("Fil (CSV eller XLSX)").set_input_files(str(upload))
    page.get_by_role("button", name="Kontrollera och importera").click()
    axe_page.check()
    axe_page.screenshot("import-rejected")

    alert = page.get_by_role("alert")
    text = alert.inner_text()
    assert "Ingenting sparades" in text
    rows = alert.get_by_role("row")
    assert rows.count() == 3  # header + the two bad rows
    assert "Ankeborgs kommun" in rows.nth(1).inner_text() and "3" in rows.nth(1).inner_text()
    assert "2024-13-01" in rows.nth(2).inner_text() and "4" in rows.nth(2).inner_text()
    assert Membership.objects.count() == before


def test_the_interface_is_swedish_first_and_switches_to_english(
    axe_page: AxePage, demo: Network
) -> None:
    page: Any = axe_page.page
    axe_page.goto(f"/networks/{demo.slug}/")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.get_by_role("link", name="Medlemmar").first.is_visible()
    axe_page.screenshot("network-page-sv")
    page.get_by_role("button", name="English").click()
    axe_page.check()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Members").first.is_visible()
    # The skip link is the first thing a keyboard reaches and leads to the main landmark.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
