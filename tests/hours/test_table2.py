"""Seeds/003, table 2: cluster coordinator time per municipality, from its inputs.

50 hours a month per cluster coordinator over 28 months; the number of municipalities of each
cluster is derived from the municipalities taking part in it, never typed in.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest

from navet.hours.models import Allocation
from navet.hours.selectors import cluster_table, hours_summary, month_fraction
from navet.networks.models import Group, GroupMembership, Organisation
from tests.factories import (
    GroupFactory,
    GroupMembershipFactory,
    MembershipFactory,
    NetworkFactory,
    PersonFactory,
    county_board,
)

START = datetime.date(2009, 1, 1)
END = datetime.date(2011, 4, 30)  # 28 months
CLUSTERS = [
    ("Övre norrland", 5, "10.00", "280.00"),
    ("Dalarna-Gävleborg", 8, "6.25", "175.00"),
    ("Värmland-Bergslagen", 6, "8.33", "233.33"),
    ("Västra Götaland", 9, "5.56", "155.56"),
    ("Mälardalen", 9, "5.56", "155.56"),
    ("Sydost", 6, "8.33", "233.33"),
]


def two(value: Decimal | None) -> Decimal:
    assert value is not None
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@pytest.fixture
def programme(db: None):
    network = NetworkFactory(name="Uthållig kommun", slug="uk")
    municipalities = iter(
        Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY).order_by("scb_code")
    )
    for name, size, _month, _period in CLUSTERS:
        group = GroupFactory(network=network, name=name, kind=Group.Kind.CLUSTER)
        for _ in range(size):
            municipality = next(municipalities)
            MembershipFactory(network=network, organisation=municipality, start_date=START)
            contact = PersonFactory(organisation=municipality)
            GroupMembershipFactory(group=group, person=contact, start_date=START)
        # A guest from a county board does not count as a municipality of the cluster.
        GroupMembershipFactory(
            group=group,
            person=PersonFactory(organisation=county_board("14")),
            start_date=START,
            role=GroupMembership.Role.GUEST,
        )
        Allocation.objects.create(
            network=network,
            group=group,
            person=PersonFactory(),
            role=Allocation.Role.CLUSTER_COORDINATOR,
            hours_per_month=Decimal("50"),
            start_date=START,
            end_date=END,
        )
    return network


def test_month_fraction() -> None:
    assert month_fraction(START, END) == 28
    assert month_fraction(datetime.date(2009, 1, 1), datetime.date(2009, 1, 15)) == Decimal(
        15
    ) / Decimal(31)


def test_table_2_comes_out_of_its_inputs(programme) -> None:
    rows = {row.group.name: row for row in cluster_table(network=programme, start=START, end=END)}
    for name, size, per_month, per_period in CLUSTERS:
        row = rows[name]
        assert row.municipalities == size
        assert row.months == 28
        assert row.hours_per_month == 50
        assert two(row.per_municipality_month) == Decimal(per_month), name
        assert two(row.per_municipality_period) == Decimal(per_period), name
        assert row.planned == 1400


def test_eleven_months_a_year_over_two_and_a_half_years(programme) -> None:
    Allocation.objects.filter(network=programme).update(
        months_per_year=11, end_date=datetime.date(2011, 6, 30)
    )
    end = datetime.date(2011, 6, 30)
    rows = cluster_table(network=programme, start=START, end=end)
    # 30 calendar months × 11/12 = 27.5 months counted, 50 hours each.
    assert {row.months for row in rows} == {Decimal("27.5")}
    assert {row.planned for row in rows} == {Decimal("1375")}


def test_hours_summary_planned_pro_rata(programme) -> None:
    summary = hours_summary(
        network=programme, start=datetime.date(2010, 1, 1), end=datetime.date(2010, 3, 31)
    )
    assert summary.planned == 6 * 50 * 3
    assert summary.logged == 0
    assert len(summary.by_person) == 6
