"""Population from Kolada (N01951) through the indicators' client, against the local stand-in."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from navet.accounts.models import User
from navet.fees.models import Population
from navet.fees.population import population_import_kolada
from navet.networks.imports import ImportRejected
from navet.networks.models import Network
from tests.factories import MembershipFactory, organisation
from tests.indicators.kolada_stub import KoladaStub, Reply, failure, running_stub

RECORDED = Path(__file__).parent / "recorded"
PATH = "/data/kpi/N01951/municipality/1438,1441,1490/year/2024"


@pytest.fixture
def stub(settings: Any) -> Iterator[KoladaStub]:
    with running_stub(settings) as stub:
        yield stub


@pytest.fixture
def members(fee_network: Network) -> None:
    for code in ("1438", "1441", "1490"):
        MembershipFactory(network=fee_network, organisation=organisation(code))


@pytest.mark.django_db
def test_kolada_population_lands(
    stub: KoladaStub, fee_network: Network, coordinator: User, members: None, in_english: None
) -> None:
    stub.add(PATH, Reply(body=(RECORDED / "data_n01951.json").read_text(encoding="utf-8")))
    result = population_import_kolada(actor=coordinator, network=fee_network, years=[2024])
    assert result.saved == 2
    figures = {p.organisation.scb_code: p for p in Population.objects.all()}
    assert figures["1441"].inhabitants == 43807  # the total (T), not a gender's figure
    assert figures["1490"].inhabitants == 115092
    assert figures["1490"].source == Population.Source.KOLADA
    assert "1438" not in figures  # Kolada had no figure: not stored as 0
    assert any("Dals-Ed" in detail for detail in result.details)
    assert stub.requested("/data/kpi/N01951")


@pytest.mark.django_db
def test_kolada_failure_saves_nothing(
    stub: KoladaStub, fee_network: Network, coordinator: User, members: None, in_english: None
) -> None:
    stub.add(PATH, failure(500))
    with pytest.raises(ImportRejected, match="1 problem"):
        population_import_kolada(actor=coordinator, network=fee_network, years=[2024])
    assert not Population.objects.exists()
