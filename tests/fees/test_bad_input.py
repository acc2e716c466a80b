"""Bad input: a missing index, a member without population, bad SCB rows; nothing half-saved."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from navet.accounts.models import User
from navet.fees import services
from navet.fees.models import FeeLine, FeeScheme, Population
from navet.fees.population import population_import_scb
from navet.fees.selectors import fee_list, fee_total
from navet.networks.imports import ImportRejected
from navet.networks.models import Network
from tests.factories import MembershipFactory, organisation

from .conftest import index, population, scheme

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.django_db
def test_a_missing_index_names_the_year(
    fee_network: Network, coordinator: User, in_english: None
) -> None:
    MembershipFactory(network=fee_network, organisation=organisation("1441"))
    population("1441", 2025, 43000)
    index(fee_network, 2024, "4.0")
    index(fee_network, 2026, "2.5")
    fee_scheme = scheme(fee_network, 2026, base_year=2023)
    fees = fee_list(scheme=fee_scheme)
    assert "2025" in fees.error and "missing" in fees.error
    assert fees.members[0].amount is None
    assert fee_total(network=fee_network, year=2026) == Decimal(0)
    with pytest.raises(ValidationError, match="missing for 2025"):
        services.fee_year_publish(actor=coordinator, scheme=fee_scheme)
    assert not FeeLine.objects.exists()
    assert not FeeScheme.objects.get(pk=fee_scheme.pk).is_published


@pytest.mark.django_db
def test_a_member_without_population_is_flagged_not_zero(
    fee_network: Network, coordinator: User, in_english: None
) -> None:
    MembershipFactory(network=fee_network, organisation=organisation("1441"))
    MembershipFactory(network=fee_network, organisation=organisation("1490"))
    population("1490", 2024, 115_000)
    fee_scheme = scheme(fee_network, 2025)
    fees = fee_list(scheme=fee_scheme)
    [missing] = fees.problems
    assert missing.organisation.name == "Lerum"
    assert missing.amount is None and missing.raw_fee is None
    assert "No population for 31 December 2024" in missing.problem
    assert fees.total == Decimal(60000)
    with pytest.raises(ValidationError, match="Lerum"):
        services.fee_year_publish(actor=coordinator, scheme=fee_scheme)
    assert not FeeLine.objects.exists()


@pytest.mark.django_db
def test_scb_file_lands_whole(fee_network: Network, coordinator: User) -> None:
    for code in ("1438", "1441", "1490"):
        MembershipFactory(network=fee_network, organisation=organisation(code))
    for name in ("scb_folkmangd.csv", "scb_folkmangd_cp1252.csv"):
        upload = SimpleUploadedFile(name, (FIXTURES / name).read_bytes(), "text/csv")
        result = population_import_scb(actor=coordinator, network=fee_network, uploaded=upload)
        assert (
            result.saved == 6
        )  # three members × two years; Riket, the county, non-members passed over
    figures = {(p.organisation.scb_code, p.year): p.inhabitants for p in Population.objects.all()}
    assert figures[("1490", 2024)] == 115092
    assert figures[("1438", 2023)] == 4716
    assert ("1480", 2024) not in figures  # Göteborg is not a member
    assert Population.objects.filter(source=Population.Source.SCB).count() == 6


@pytest.mark.django_db
def test_a_bad_scb_row_saves_nothing_and_says_where(
    fee_network: Network, coordinator: User, in_english: None
) -> None:
    for code in ("1438", "1441", "1490"):
        MembershipFactory(network=fee_network, organisation=organisation(code))
    content = (
        '"region";"2023";"2024"\n'
        '"1438 Dals-Ed";4716;4702\n'
        '"1441 Lerum";43431;fyrtiotretusen\n'
        '"Borås";114471;115092\n'
        '"1490 Borås";114471\n'
    ).encode()
    upload = SimpleUploadedFile("folkmangd.csv", content, "text/csv")
    with pytest.raises(ImportRejected) as rejected:
        population_import_scb(actor=coordinator, network=fee_network, uploaded=upload)
    problems = {p.row: p.message for p in rejected.value.problems}
    assert set(problems) == {3, 4, 5}
    assert "Lerum" in problems[3] and "2024" in problems[3] and "whole number" in problems[3]
    assert "1490 Borås" in problems[4]
    assert "columns" in problems[5]
    assert not Population.objects.exists()


@pytest.mark.django_db
def test_an_scb_file_without_region_header_is_refused(
    fee_network: Network, coordinator: User, in_english: None
) -> None:
    upload = SimpleUploadedFile("x.csv", b"kommun;2024\n1490 Boras;1\n", "text/csv")
    with pytest.raises(ImportRejected, match="1 problem"):
        population_import_scb(actor=coordinator, network=fee_network, uploaded=upload)


@pytest.mark.django_db
def test_scheme_bounds(fee_network: Network, coordinator: User, in_english: None) -> None:
    with pytest.raises(ValidationError, match="ceiling"):
        services.fee_scheme_create(
            actor=coordinator,
            network=fee_network,
            year=2025,
            base_year=2025,
            rate=Decimal("2"),
            floor=Decimal("100"),
            ceiling=Decimal("50"),
            rounding=1,
            pro_rata=False,
            fixed_fee=Decimal("0"),
        )
    with pytest.raises(ValidationError, match="base year"):
        services.fee_scheme_create(
            actor=coordinator,
            network=fee_network,
            year=2025,
            base_year=2026,
            rate=Decimal("2"),
            floor=Decimal("100"),
            ceiling=Decimal("500"),
            rounding=1,
            pro_rata=False,
            fixed_fee=Decimal("0"),
        )
    with pytest.raises(ValidationError):
        services.fee_index_set(
            actor=coordinator, network=fee_network, year=2025, percent=Decimal("80")
        )
    assert not FeeScheme.objects.exists()
