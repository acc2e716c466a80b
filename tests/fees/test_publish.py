"""Publishing freezes a year's fees; a change is kept with who, when, before and after."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from navet.accounts.models import User
from navet.core.models import AuditEntry
from navet.fees import services
from navet.fees.models import FeeLine, FeeSchemeChange, Population
from navet.fees.selectors import fee_list, fee_total
from navet.networks.models import Network
from tests.factories import MembershipFactory, UserFactory, organisation

from .conftest import index, population, scheme


@pytest.fixture
def published(fee_network: Network, coordinator: User) -> object:
    MembershipFactory(network=fee_network, organisation=organisation("1441"))
    population("1441", 2024, 10000)
    index(fee_network, 2025, "0")
    fee_scheme = scheme(fee_network, 2025, base_year=2024)
    return services.fee_year_publish(actor=coordinator, scheme=fee_scheme)


@pytest.mark.django_db
def test_a_published_year_is_frozen(
    fee_network: Network, coordinator: User, published: object
) -> None:
    assert FeeLine.objects.get().amount == Decimal(20000)
    Population.objects.update(inhabitants=20000)
    MembershipFactory(network=fee_network, organisation=organisation("1490"))
    fee_scheme = fee_network.fee_schemes.get()
    assert fee_list(scheme=fee_scheme).total == Decimal(20000)  # the stored line, not 40 000
    assert fee_total(network=fee_network, year=2025) == Decimal(20000)
    with pytest.raises(ValidationError):
        services.fee_scheme_update(actor=coordinator, scheme=fee_scheme, rate=Decimal("3"))
    with pytest.raises(ValidationError):
        services.fee_index_set(
            actor=coordinator, network=fee_network, year=2025, percent=Decimal(1)
        )


@pytest.mark.django_db
def test_reopening_needs_a_reason_and_is_kept(
    fee_network: Network, coordinator: User, published: object, in_english: None
) -> None:
    fee_scheme = fee_network.fee_schemes.get()
    with pytest.raises(ValidationError, match="why"):
        services.fee_year_reopen(actor=coordinator, scheme=fee_scheme, reason="  ")
    assert FeeLine.objects.count() == 1
    services.fee_year_reopen(actor=coordinator, scheme=fee_scheme, reason="Fel invånarantal")
    assert not FeeLine.objects.exists()
    change = FeeSchemeChange.objects.filter(action="reopened").get()
    assert change.reason == "Fel invånarantal" and change.actor == coordinator
    assert change.before == {"lines": 1, "total": "20000.00"}
    assert AuditEntry.objects.filter(action="fees.reopen").exists()


@pytest.mark.django_db
def test_a_change_keeps_before_and_after(fee_network: Network, coordinator: User) -> None:
    fee_scheme = scheme(fee_network, 2025)
    services.fee_scheme_update(actor=coordinator, scheme=fee_scheme, rate=Decimal("2.25"))
    change = FeeSchemeChange.objects.get(action="changed")
    assert change.actor == coordinator and change.at is not None
    assert change.before == {"rate": "2.0000"} and change.after == {"rate": "2.2500"}


@pytest.mark.django_db
def test_only_coordinators_write(fee_network: Network) -> None:
    fee_scheme = scheme(fee_network, 2025)
    stranger = UserFactory()
    with pytest.raises(PermissionDenied):
        services.fee_scheme_update(actor=stranger, scheme=fee_scheme, rate=Decimal("9"))
    with pytest.raises(PermissionDenied):
        services.fee_year_publish(actor=stranger, scheme=fee_scheme)
