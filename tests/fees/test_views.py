"""The fee pages: the list step by step, the downloads, and a member's own fee only."""

import io
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from navet.accounts.models import User
from navet.fees import services
from navet.networks.models import Network
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    NetworkFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    organisation,
)
from tests.pdf import pdf_text

from .conftest import population, scheme


@pytest.fixture
def dalsland(fee_network: Network) -> object:
    association = OrganisationFactory(name='=HYPERLINK("http://x")')
    MembershipFactory(network=fee_network, organisation=association)
    for code in ("1460", "1438"):
        MembershipFactory(network=fee_network, organisation=organisation(code), via=association)
    MembershipFactory(network=fee_network, organisation=organisation("1490"))
    MembershipFactory(network=fee_network, organisation=organisation("1441"))
    population("1460", 2024, 9612)
    population("1438", 2024, 4700, source="demo")
    population("1490", 2024, 115_000)
    scheme(fee_network, 2025)
    return association


def _client(user: User) -> Client:
    client = Client()
    assert client.login(email=user.email, password=PASSWORD)
    return client


@pytest.mark.django_db
def test_fee_list_page_shows_steps_and_problems(
    fee_network: Network, coordinator: User, dalsland: object, in_english: None
) -> None:
    response = _client(coordinator).get(reverse("fees:fee_list", args=[fee_network.slug, 2025]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "19,224.00" in page  # Bengtsfors raw fee 9 612 × 2.00
    assert "No population for 31 December 2024" in page  # Lerum
    assert "billed for 3 members" in page
    assert "Demo data" in page


@pytest.mark.django_db
def test_fee_list_query_count_is_flat(
    fee_network: Network, coordinator: User, dalsland: object
) -> None:
    client = _client(coordinator)
    url = reverse("fees:fee_list", args=[fee_network.slug, 2025])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for code in ("1439", "1461", "1462", "1463"):
        MembershipFactory(network=fee_network, organisation=organisation(code))
        population(code, 2024, 5000)
    with CaptureQueriesContext(connection) as more:
        client.get(url)
    assert len(more) == len(few)


@pytest.mark.django_db
def test_xlsx_has_numbers_bold_header_frozen_row_and_no_formula(
    fee_network: Network, coordinator: User, dalsland: object
) -> None:
    response = _client(coordinator).get(
        reverse("fees:fee_list_xlsx", args=[fee_network.slug, 2025])
    )
    assert response["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    boras = next(row for row in rows if row[1] == "Borås")
    assert boras[3] == 115000 and boras[10] == 60000.0
    injected = [c for c in sheet["A"] if str(c.value).startswith("=HYPERLINK")]
    assert injected and all(cell.data_type == "s" for cell in injected)


@pytest.mark.django_db
def test_pdf_holds_the_calculation(
    fee_network: Network, coordinator: User, dalsland: object, tmp_path: Path, in_english: None
) -> None:
    response = _client(coordinator).get(reverse("fees:fee_list_pdf", args=[fee_network.slug, 2025]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "Bengtsfors" in text and "19,224.00" in text
    assert "No population" in text


@pytest.mark.django_db
def test_a_member_sees_its_own_fee_only(
    fee_network: Network, coordinator: User, dalsland: object, in_english: None
) -> None:
    population("1441", 2024, 43000)
    services.fee_year_publish(actor=coordinator, scheme=fee_network.fee_schemes.get())
    boras_user = UserFactory()
    PersonFactory(organisation=organisation("1490"), user=boras_user)
    page = (
        _client(boras_user).get(reverse("fees:overview", args=[fee_network.slug])).content.decode()
    )
    assert "Borås" in page and "60,000" in page
    assert "Lerum" not in page and "Bengtsfors" not in page and "86,000" not in page
    # The association's people see their own line with its members itemised.
    association_user = UserFactory()
    PersonFactory(organisation=dalsland, user=association_user)
    page = (
        _client(association_user)
        .get(reverse("fees:overview", args=[fee_network.slug]))
        .content.decode()
    )
    assert "Bengtsfors" in page and "Dals-Ed" in page
    assert "Borås" not in page and "Lerum" not in page
    # A member's people cannot open the list or the downloads.
    for name in ("fees:fee_list", "fees:fee_list_xlsx", "fees:fee_list_pdf"):
        response = _client(boras_user).get(reverse(name, args=[fee_network.slug, 2025]))
        assert response.status_code == 403


@pytest.mark.django_db
def test_another_networks_coordinator_is_refused(fee_network: Network, dalsland: object) -> None:
    other = UserFactory()
    NetworkFactory().coordinators.add(PersonFactory(user=other))
    for name in ("fees:fee_list", "fees:fee_list_xlsx"):
        response = _client(other).get(reverse(name, args=[fee_network.slug, 2025]))
        assert response.status_code == 403


@pytest.mark.django_db
def test_scheme_form_and_publish_flow(
    fee_network: Network, coordinator: User, in_english: None
) -> None:
    MembershipFactory(network=fee_network, organisation=organisation("1490"))
    population("1490", 2024, 115_000)
    client = _client(coordinator)
    response = client.post(
        reverse("fees:scheme_create", args=[fee_network.slug]),
        {
            "year": 2025,
            "base_year": 2025,
            "rate": "2.50",
            "floor": "20000",
            "ceiling": "150000",
            "rounding": 10,
            "fixed_fee": "5000",
        },
    )
    assert response.status_code == 302
    response = client.post(reverse("fees:publish", args=[fee_network.slug, 2025]))
    assert response.status_code == 302
    page = client.get(reverse("fees:fee_list", args=[fee_network.slug, 2025])).content.decode()
    assert "Published" in page and "150,000" in page
    response = client.post(reverse("fees:reopen", args=[fee_network.slug, 2025]), {"reason": ""})
    assert response.status_code == 200
    response = client.post(
        reverse("fees:reopen", args=[fee_network.slug, 2025]), {"reason": "Nytt index"}
    )
    assert response.status_code == 302
    page = client.get(reverse("fees:fee_list", args=[fee_network.slug, 2025])).content.decode()
    assert "Nytt index" in page
