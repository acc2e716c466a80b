"""The coordinator screens through HTTP: forms keep what was typed, rules show as messages."""

import datetime
import io
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from navet.networks.models import ContactAssignment, Membership, Network, Organisation, Person
from tests.factories import ContactAssignmentFactory, MembershipFactory, PersonFactory, organisation

pytestmark = pytest.mark.django_db

ClientFor = Callable[[str], Client]


def test_membership_form_keeps_what_was_typed_when_the_period_overlaps(
    network: Network, client_for: ClientFor, roles: dict
) -> None:
    boras = organisation("1490")  # a member since 2020-01-01 (see conftest)
    url = reverse("networks:membership_add", args=[network.slug])
    response = client_for("network_coordinator").post(
        url, {"organisation": boras.pk, "start_date": "2024-05-01", "note": "Återinträde"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="2024-05-01"' in html
    assert 'value="Återinträde"' in html
    assert "redan medlem" in html  # Swedish: "... är redan medlem från ..."
    assert Membership.objects.filter(network=network, organisation=boras).count() == 1


def test_membership_form_refuses_end_before_start_and_keeps_values(
    network: Network, client_for: ClientFor
) -> None:
    lerum = organisation("1441")
    url = reverse("networks:membership_add", args=[network.slug])
    response = client_for("admin").post(
        url, {"organisation": lerum.pk, "start_date": "2024-05-01", "end_date": "2024-01-01"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="2024-01-01"' in html and 'aria-invalid="true"' in html
    assert not Membership.objects.filter(network=network, organisation=lerum).exists()


def test_ending_a_membership_closes_contacts_and_shows_on_the_organisation_page(
    network: Network, client_for: ClientFor, roles: dict
) -> None:
    membership = Membership.objects.get(network=network)
    contact = ContactAssignmentFactory(
        network=network,
        organisation=membership.organisation,
        person=PersonFactory(organisation=membership.organisation),
        start_date=datetime.date(2021, 1, 1),
    )
    client = client_for("network_coordinator")
    url = reverse("networks:membership_end", args=[network.slug, membership.pk])
    response = client.post(url, {"end_date": "2025-06-30"})
    assert response.status_code == 302
    membership.refresh_from_db()
    contact.refresh_from_db()
    assert membership.end_date == contact.end_date == datetime.date(2025, 6, 30)
    page = client.get(response["Location"]).content.decode()
    assert "2025-06-30" in page


def test_contact_assignment_through_the_form_keeps_the_history(
    network: Network, client_for: ClientFor, roles: dict
) -> None:
    boras = organisation("1490")
    first = PersonFactory(organisation=boras, first_name="Alva", last_name="Förstling")
    second = PersonFactory(
        organisation=boras, first_name="Bodil", last_name="Andrasson", registered_by_network=network
    )
    ContactAssignmentFactory(
        network=network, organisation=boras, person=first, start_date=datetime.date(2021, 1, 1)
    )
    client = client_for("network_coordinator")
    url = reverse("networks:contact_assign", args=[network.slug, boras.pk])
    response = client.post(url, {"person": second.pk, "start_date": "2025-03-01"})
    assert response.status_code == 302
    history = ContactAssignment.objects.filter(network=network, organisation=boras)
    assert [(c.person_id, c.start_date, c.end_date) for c in history.order_by("start_date")] == [
        (first.pk, datetime.date(2021, 1, 1), datetime.date(2025, 2, 28)),
        (second.pk, datetime.date(2025, 3, 1), None),
    ]
    page = client.get(reverse("networks:organisation_detail", args=[boras.pk])).content.decode()
    assert "Alva Förstling" in page and "Bodil Andrasson" in page and "2025-02-28" in page


def test_group_coordinator_may_only_assign_group_contacts(
    network: Network, group_klimat, client_for: ClientFor, roles: dict
) -> None:
    boras = organisation("1490")
    person = PersonFactory(organisation=boras, registered_by_network=network)
    client = client_for("group_coordinator")
    url = reverse("networks:contact_assign", args=[network.slug, boras.pk])
    refused = client.post(url, {"person": person.pk, "start_date": "2025-03-01"})
    assert refused.status_code == 200  # the group is required for a group coordinator
    assert not ContactAssignment.objects.exists()
    accepted = client.post(
        url, {"person": person.pk, "group": group_klimat.pk, "start_date": "2025-03-01"}
    )
    assert accepted.status_code == 302
    assert ContactAssignment.objects.get().group == group_klimat


def test_member_export_as_xlsx(network: Network, client_for: ClientFor, roles: dict) -> None:
    response = client_for("network_coordinator").get(
        reverse("networks:member_export", args=[network.slug, "xlsx"])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="medlemmar-hallbart-vast.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Organisation", "SCB-kod", "Län")
    assert rows[1][0] == "Borås" and rows[1][1] == "1490"
    assert response.get("Content-Type", "").startswith("application/vnd.openxmlformats")


def test_unknown_export_format_is_404(network: Network, client_for: ClientFor) -> None:
    url = reverse("networks:member_export", args=[network.slug, "pdf"])
    assert client_for("admin").get(url).status_code == 404


def test_import_page_reports_bad_rows_and_saves_nothing(
    network: Network, client_for: ClientFor, roles: dict
) -> None:
    before = Membership.objects.count()
    upload = io.BytesIO(b"Organisation;Startdatum\nLerum;2024-01-01\nAnkeborg;2024-01-01\n")
    upload.name = "medlemmar.csv"
    response = client_for("network_coordinator").post(
        reverse("networks:import_upload", args=[network.slug]), {"kind": "members", "file": upload}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ankeborg" in html and "<td>3</td>" in html
    assert Membership.objects.count() == before


@pytest.mark.parametrize("size", [5, 40])
def test_member_list_and_people_directory_queries_do_not_grow_with_size(
    size: int, network: Network, client_for: ClientFor, roles: dict, django_assert_max_num_queries
) -> None:
    municipalities = Organisation.objects.filter(kind="municipality", county_code="14").exclude(
        scb_code="1490"
    )[:size]
    for municipality in municipalities:
        MembershipFactory(network=network, organisation=municipality)
        PersonFactory(organisation=municipality)
    client = client_for("network_coordinator")
    with django_assert_max_num_queries(5):
        assert client.get(reverse("networks:member_list", args=[network.slug])).status_code == 200
    with django_assert_max_num_queries(8):
        response = client.get(reverse("networks:people_directory", args=[network.slug]))
    assert response.status_code == 200
    assert Person.objects.count() >= size


def test_swedish_is_the_default_whatever_the_browser_asks(network: Network) -> None:
    client = Client(headers={"accept-language": "en-US,en;q=0.9"})
    response = client.get(reverse("networks:member_list", args=[network.slug]))
    assert response.headers["Content-Language"] == "sv"
    assert "Medlemmar" in response.content.decode()


def test_language_switch_changes_to_english(network: Network) -> None:
    client = Client()
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get(reverse("networks:member_list", args=[network.slug]))
    assert page.headers["Content-Language"] == "en"
    assert "Members" in page.content.decode()


@pytest.mark.parametrize("size", [1, 12])
@pytest.mark.parametrize("role", ["anonymous", "member", "network_coordinator"])
def test_network_page_queries_do_not_grow_with_groups_and_coordinators(
    size: int, role: str, network: Network, client_for: ClientFor, django_assert_max_num_queries
) -> None:
    for i in range(size):
        group = network.groups.create(name=f"Arbetsgrupp {i}", slug=f"arbetsgrupp-{i}")
        coordinator = PersonFactory()
        group.coordinators.add(coordinator)
        network.coordinators.add(PersonFactory())
    client = client_for(role)
    caps = {"anonymous": 5, "member": 8, "network_coordinator": 8}
    with django_assert_max_num_queries(caps[role]):
        response = client.get(reverse("networks:network_detail", args=[network.slug]))
    assert response.status_code == 200
    assert response.content.decode().count("Arbetsgrupp ") == size
