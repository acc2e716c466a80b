"""The fee formula on worked examples, every figure computed by hand here (not by the code).

population × indexed rate = raw fee → floor/ceiling → pro rata → rounding.
"""

import datetime
from decimal import Decimal

import pytest

from navet.fees.models import FeeScheme
from navet.fees.selectors import fee_list, fee_total
from navet.networks.models import Network
from tests.factories import MembershipFactory, OrganisationFactory, organisation

from .conftest import index, population, scheme

D = Decimal
DALS_ED, FARGELANDA, LERUM, BENGTSFORS, BORAS = "1438", "1439", "1441", "1460", "1490"


def _amounts(network: Network, year: int) -> dict[str, Decimal | None]:
    fees = fee_list(scheme=FeeScheme.objects.get(network=network, year=year))
    return {m.organisation.scb_code or m.organisation.name: m.amount for m in fees.members}


@pytest.mark.django_db
def test_three_indexed_years_with_floor_ceiling_and_ordinary(fee_network: Network) -> None:
    """Base year 2023: 2.00 kr per inhabitant, floor 15 000, ceiling 60 000, rounded to
    hundreds. Wage index 2024 +4 %, 2025 +3 %, 2026 +2.5 %."""
    for code in (DALS_ED, LERUM, BORAS):
        MembershipFactory(network=fee_network, organisation=organisation(code))
    index(fee_network, 2024, "4.0")
    index(fee_network, 2025, "3.0")
    index(fee_network, 2026, "2.5")
    for year in (2024, 2025, 2026):
        scheme(fee_network, year, base_year=2023, rounding=FeeScheme.Rounding.HUNDREDS)
    # Population of 31 December the year before the fee year.
    for year, small, ordinary in ((2023, 4700, 12345), (2024, 4710, 12400), (2025, 4720, 12500)):
        population(DALS_ED, year, small)
        population(LERUM, year, ordinary)
        population(BORAS, year, 115_000)

    # 2024: factor 1.04 → rate 2.08, floor 15 600, ceiling 62 400.
    #   Dals-Ed 4 700 × 2.08 = 9 776 < floor → 15 600 → 15 600
    #   Lerum 12 345 × 2.08 = 25 677.60 → 25 700
    #   Borås 115 000 × 2.08 = 239 200 > ceiling → 62 400 → 62 400
    fees_2024 = fee_list(scheme=FeeScheme.objects.get(network=fee_network, year=2024))
    assert fees_2024.prices is not None
    assert fees_2024.prices.rate == D("2.08")
    assert (fees_2024.prices.floor, fees_2024.prices.ceiling) == (D("15600.00"), D("62400.00"))
    lerum = next(m for m in fees_2024.members if m.organisation.scb_code == LERUM)
    assert (lerum.population, lerum.raw_fee, lerum.bounded_fee) == (
        12345,
        D("25677.60"),
        D("25677.60"),
    )
    assert _amounts(fee_network, 2024) == {DALS_ED: D(15600), LERUM: D(25700), BORAS: D(62400)}
    assert fee_total(network=fee_network, year=2024) == D(103700)

    # 2025: factor 1.04 × 1.03 = 1.0712 → rate 2.1424, floor 16 068, ceiling 64 272.
    #   Dals-Ed 4 710 × 2.1424 = 10 090.70 < floor → 16 068 → 16 100
    #   Lerum 12 400 × 2.1424 = 26 565.76 → 26 600
    #   Borås → ceiling 64 272 → 64 300
    assert _amounts(fee_network, 2025) == {DALS_ED: D(16100), LERUM: D(26600), BORAS: D(64300)}
    assert fee_total(network=fee_network, year=2025) == D(107000)

    # 2026: factor 1.0712 × 1.025 = 1.09798 → rate 2.19596, kept to four decimals: 2.1960;
    #   floor 16 469.70, ceiling 65 878.80.
    #   Dals-Ed → floor 16 469.70 → 16 500
    #   Lerum 12 500 × 2.1960 = 27 450.00 → 274.5 hundreds, half up → 27 500
    #   (with the unrounded rate it would be 27 449.50 → 27 400: the rule is the published rate)
    #   Borås → ceiling 65 878.80 → 65 900
    fees_2026 = fee_list(scheme=FeeScheme.objects.get(network=fee_network, year=2026))
    assert fees_2026.prices is not None
    assert fees_2026.prices.factor == D("1.09798")
    assert fees_2026.prices.rate == D("2.1960")
    assert _amounts(fee_network, 2026) == {DALS_ED: D(16500), LERUM: D(27500), BORAS: D(65900)}
    assert fee_total(network=fee_network, year=2026) == D(109900)


@pytest.mark.django_db
def test_pro_rata_for_a_member_joining_on_1_july(fee_network: Network) -> None:
    """2025 has 365 days; 1 July–31 December is 184 of them."""
    MembershipFactory(
        network=fee_network, organisation=organisation(LERUM), start_date=datetime.date(2025, 7, 1)
    )
    MembershipFactory(
        network=fee_network,
        organisation=organisation(BORAS),
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2025, 3, 31),
    )
    MembershipFactory(network=fee_network, organisation=organisation(DALS_ED))
    scheme(fee_network, 2025, rate=D("3.00"), floor=D("10000"), ceiling=D("100000"), pro_rata=True)
    population(LERUM, 2024, 20000)
    population(BORAS, 2024, 25000)
    population(DALS_ED, 2024, 4700)
    fees = fee_list(scheme=FeeScheme.objects.get(network=fee_network, year=2025))
    by_code = {m.organisation.scb_code: m for m in fees.members}
    lerum = by_code[LERUM]
    # 20 000 × 3.00 = 60 000; × 184/365 = 30 246.575… → 30 246.58 → 30 247
    assert (lerum.days, lerum.days_in_year) == (184, 365)
    assert lerum.bounded_fee == D("60000.00")
    assert lerum.pro_rata_fee == D("30246.58")
    assert lerum.amount == D(30247)
    # Borås leaves on 31 March: 31 + 28 + 31 = 90 days; 75 000 × 90/365 = 18 493.150… → 18 493
    assert by_code[BORAS].days == 90
    assert by_code[BORAS].amount == D(18493)
    # Dals-Ed all year: 4 700 × 3 = 14 100 ≥ floor 10 000 → 14 100, no pro rata
    assert by_code[DALS_ED].days == 365
    assert by_code[DALS_ED].pro_rata_fee == D("14100.00")
    assert fees.total == D(30247 + 18493 + 14100)


@pytest.mark.django_db
def test_pro_rata_off_bills_a_full_year(fee_network: Network) -> None:
    MembershipFactory(
        network=fee_network, organisation=organisation(LERUM), start_date=datetime.date(2025, 7, 1)
    )
    scheme(fee_network, 2025, pro_rata=False)
    population(LERUM, 2024, 20000)
    assert _amounts(fee_network, 2025) == {LERUM: D(40000)}


@pytest.mark.django_db
def test_an_association_is_billed_for_three_municipalities(fee_network: Network) -> None:
    """Dalslands kommunalförbund is a member itself (fixed fee 5 000) and three municipalities
    take part via it; rate 2.00, floor 15 000, ceiling 60 000, rounded to tens."""
    dalsland = OrganisationFactory(name="Dalslands kommunalförbund")
    MembershipFactory(network=fee_network, organisation=dalsland)
    for code in (BENGTSFORS, DALS_ED, FARGELANDA):
        MembershipFactory(network=fee_network, organisation=organisation(code), via=dalsland)
    MembershipFactory(network=fee_network, organisation=organisation(BORAS))
    scheme(fee_network, 2025, rounding=FeeScheme.Rounding.TENS)
    population(BENGTSFORS, 2024, 9612)  # 19 224 → 19 220
    population(DALS_ED, 2024, 4700)  # 9 400 < floor → 15 000
    population(FARGELANDA, 2024, 7777)  # 15 554 → 15 550
    population(BORAS, 2024, 115_000)  # 230 000 > ceiling → 60 000
    fees = fee_list(scheme=FeeScheme.objects.get(network=fee_network, year=2025))
    assert [line.billed_to.name for line in fees.lines] == ["Borås", "Dalslands kommunalförbund"]
    line = fees.lines[1]
    assert line.is_itemised
    assert [m.organisation.name for m in line.members] == [
        "Dalslands kommunalförbund",
        "Bengtsfors",
        "Dals-Ed",
        "Färgelanda",
    ]
    assert [m.amount for m in line.members] == [D(5000), D(19220), D(15000), D(15550)]
    assert line.members[0].is_fixed
    assert line.total == D(5000 + 19220 + 15000 + 15550)  # 54 770
    assert fees.total == D(54770 + 60000)


@pytest.mark.django_db
def test_fee_exactly_at_floor_and_ceiling_and_population_zero(fee_network: Network) -> None:
    for code in (DALS_ED, LERUM, BORAS):
        MembershipFactory(network=fee_network, organisation=organisation(code))
    scheme(fee_network, 2025)
    population(DALS_ED, 2024, 7500)  # 7 500 × 2 = 15 000 = floor: not raised
    population(BORAS, 2024, 30000)  # 30 000 × 2 = 60 000 = ceiling: not lowered
    population(LERUM, 2024, 0)  # 0 → floor 15 000
    fees = fee_list(scheme=FeeScheme.objects.get(network=fee_network, year=2025))
    by_code = {m.organisation.scb_code: m for m in fees.members}
    assert (by_code[DALS_ED].amount, by_code[DALS_ED].bound) == (D(15000), "")
    assert (by_code[BORAS].amount, by_code[BORAS].bound) == (D(60000), "")
    assert (by_code[LERUM].raw_fee, by_code[LERUM].bound) == (D("0.00"), "floor")
    assert by_code[LERUM].amount == D(15000)


@pytest.mark.django_db
def test_index_zero_and_negative(fee_network: Network) -> None:
    MembershipFactory(network=fee_network, organisation=organisation(LERUM))
    population(LERUM, 2024, 10000)
    population(LERUM, 2025, 10000)
    index(fee_network, 2025, "0")
    index(fee_network, 2026, "-2.0")
    scheme(fee_network, 2025, base_year=2024)
    scheme(fee_network, 2026, base_year=2025)
    fees_2025 = fee_list(scheme=FeeScheme.objects.get(network=fee_network, year=2025))
    assert fees_2025.prices is not None
    assert fees_2025.prices.rate == D("2.0000")  # 0 %: unchanged
    assert fees_2025.members[0].amount == D(20000)
    # −2 %: rate 1.96, floor 14 700, ceiling 58 800; 10 000 × 1.96 = 19 600
    fees_2026 = fee_list(scheme=FeeScheme.objects.get(network=fee_network, year=2026))
    assert fees_2026.prices is not None
    assert (fees_2026.prices.rate, fees_2026.prices.floor, fees_2026.prices.ceiling) == (
        D("1.9600"),
        D("14700.00"),
        D("58800.00"),
    )
    assert fees_2026.members[0].amount == D(19600)


@pytest.mark.django_db
def test_fee_total_without_a_scheme_is_zero(fee_network: Network) -> None:
    assert fee_total(network=fee_network, year=2025) == D(0)
