from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from navet.accounts.models import User
from navet.fees.models import FeeIndex, FeeScheme, Population
from navet.networks.models import Network, Organisation
from tests.factories import NetworkFactory, PersonFactory, UserFactory, organisation


@pytest.fixture
def in_english(settings: Any) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def fee_network(db: None) -> Network:
    return NetworkFactory(name="Avgiftsnätverket", slug="avgifter")


@pytest.fixture
def coordinator(fee_network: Network) -> User:
    user = UserFactory(email="samordnare@avgift.test")
    fee_network.coordinators.add(PersonFactory(organisation=organisation("14"), user=user))
    return user


def population(scb_code: str, year: int, inhabitants: int, source: str = "scb") -> Population:
    return Population.objects.create(
        organisation=organisation(scb_code), year=year, inhabitants=inhabitants, source=source
    )


def index(network: Network, year: int, percent: str) -> FeeIndex:
    return FeeIndex.objects.create(network=network, year=year, percent=Decimal(percent))


def scheme(network: Network, year: int, **values: Any) -> FeeScheme:
    defaults: dict[str, Any] = {
        "base_year": year,
        "rate": Decimal("2.00"),
        "floor": Decimal("15000"),
        "ceiling": Decimal("60000"),
        "rounding": FeeScheme.Rounding.KRONOR,
        "pro_rata": False,
        "fixed_fee": Decimal("5000"),
    }
    defaults.update(values)
    return FeeScheme.objects.create(network=network, year=year, **defaults)


def municipality(scb_code: str) -> Organisation:
    return organisation(scb_code)
