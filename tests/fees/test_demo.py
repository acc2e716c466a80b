import pytest

from navet.demo.fees import load_demo_fees
from navet.fees.models import FeeScheme, Population
from navet.fees.selectors import fee_total
from tests.factories import MembershipFactory, NetworkFactory, OrganisationFactory, organisation


@pytest.mark.django_db
def test_demo_fees_are_labelled_and_idempotent() -> None:
    assert load_demo_fees() is False  # no demo network yet
    network = NetworkFactory(slug="kommunnatverket")
    dalsland = OrganisationFactory(name="Dalslands miljö- och energiförbund")
    MembershipFactory(network=network, organisation=dalsland)
    MembershipFactory(network=network, organisation=organisation("1438"), via=dalsland)
    MembershipFactory(network=network, organisation=organisation("1490"))
    assert load_demo_fees() is True
    assert load_demo_fees() is False
    assert set(Population.objects.values_list("source", flat=True)) == {Population.Source.DEMO}
    published = FeeScheme.objects.filter(network=network, published_at__isnull=False)
    assert sorted(published.values_list("year", flat=True)) == [2024, 2025]
    assert fee_total(network=network, year=2025) > 0
    assert all(line.population_is_demo for line in published[0].lines.exclude(is_fixed=True))
