"""Bad input (issue 14, point 9): a clear error (English msgids here; the Swedish catalogue
translates them), the form keeps what was typed, and
nothing is half-saved."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from navet.core.models import AuditEntry
from navet.hours import services
from navet.hours.models import Allocation, LoggedHours
from navet.networks.models import Network, Person

MONTH = datetime.date(2020, 3, 1)


@pytest.fixture
def allocation(network: Network, roles) -> Allocation:
    coordinator = Person.objects.get(user=roles["group_coordinator"])
    return services.allocation_save(
        actor=roles["network_coordinator"],
        network=network,
        person=coordinator,
        role=Allocation.Role.CLUSTER_COORDINATOR,
        group=network.groups.get(slug="klimat"),
        hours_per_month=Decimal("50"),
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2020, 12, 31),
    )


def _messages(error: ValidationError) -> str:
    return " ".join(message for messages in error.message_dict.values() for message in messages)


def _log(network, allocation, **kwargs):
    data = {"month": MONTH, "hours": Decimal("10"), "activity": "Klusterträff", **kwargs}
    return services.hours_log(actor=None, network=network, allocation=allocation, **data)


@pytest.mark.django_db
def test_negative_hours_are_refused_in_swedish(network, allocation) -> None:
    with translation.override("en"), pytest.raises(ValidationError) as error:
        _log(network, allocation, hours=Decimal("-3"))
    assert "more than zero" in _messages(error.value)
    assert not LoggedHours.objects.exists()


@pytest.mark.django_db
def test_hours_outside_the_allocation_are_refused(network, allocation) -> None:
    with translation.override("en"), pytest.raises(ValidationError) as error:
        _log(network, allocation, month=datetime.date(2021, 2, 1))
    assert "outside" in _messages(error.value)
    assert not LoggedHours.objects.exists()


@pytest.mark.django_db
def test_more_than_the_month_has_is_refused(network, allocation) -> None:
    _log(network, allocation, hours=Decimal("700"))
    with translation.override("en"), pytest.raises(ValidationError) as error:
        _log(network, allocation, hours=Decimal("50"))  # March: 31 × 24 = 744 hours
    assert "744" in _messages(error.value)
    assert LoggedHours.objects.count() == 1
    _log(network, allocation, hours=Decimal("44"))  # exactly 744 is allowed


@pytest.mark.django_db
def test_something_to_spend_the_time_on_is_required(network, allocation) -> None:
    with translation.override("en"), pytest.raises(ValidationError) as error:
        _log(network, allocation, activity="  ")
    assert "activity" in _messages(error.value)


@pytest.mark.django_db
def test_overlapping_allocations_for_one_person_in_one_group(network, allocation, roles) -> None:
    entries = AuditEntry.objects.count()
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.allocation_save(
            actor=None,
            network=network,
            person=allocation.person,
            role=Allocation.Role.CLUSTER_COORDINATOR,
            group=allocation.group,
            hours_per_month=Decimal("10"),
            start_date=datetime.date(2020, 6, 1),
        )
    assert "may not overlap" in _messages(error.value)
    assert Allocation.objects.count() == 1
    assert AuditEntry.objects.count() == entries
    # Another group, or after the first one ends, is fine.
    services.allocation_save(
        actor=None,
        network=network,
        person=allocation.person,
        role=Allocation.Role.CLUSTER_COORDINATOR,
        group=allocation.group,
        hours_per_month=Decimal("10"),
        start_date=datetime.date(2021, 1, 1),
    )


@pytest.mark.django_db
def test_allocation_hours_beyond_a_month(network, allocation) -> None:
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.allocation_save(
            actor=None,
            network=network,
            allocation=allocation,
            person=allocation.person,
            role=allocation.role,
            group=allocation.group,
            hours_per_month=Decimal("745"),
            start_date=allocation.start_date,
        )
    assert "744" in _messages(error.value)
    allocation.refresh_from_db()
    assert allocation.hours_per_month == 50


@pytest.mark.django_db
def test_the_form_keeps_what_was_typed(client_for, network, allocation) -> None:
    client: Client = client_for("group_coordinator")
    url = reverse("hours:log", kwargs={"slug": network.slug})
    response = client.post(
        url,
        {
            "allocation": allocation.pk,
            "month": "2021-02",
            "hours": "-2,5",
            "activity": "Förberedelser",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Timmarna måste vara mer än noll (du angav -2,50)" in page
    assert "februari 2021 ligger utanför tilldelningen" in page
    assert 'value="-2,5"' in page and 'value="Förberedelser"' in page and 'value="2021-02"' in page
    assert not LoggedHours.objects.exists()


@pytest.mark.django_db
def test_a_coordinator_logs_own_hours_with_a_decimal_comma(client_for, network, allocation) -> None:
    client: Client = client_for("group_coordinator")
    url = reverse("hours:log", kwargs={"slug": network.slug})
    response = client.post(
        url,
        {
            "allocation": allocation.pk,
            "month": "2020-03",
            "hours": "12,5",
            "activity": "Klusterträff",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    entry = LoggedHours.objects.get()
    assert entry.hours == Decimal("12.5") and entry.month == MONTH
    assert entry.logged_by == allocation.person


@pytest.mark.django_db
def test_a_coordinator_cannot_log_against_someone_elses_allocation(
    client_for, network, allocation, roles
) -> None:
    other = services.allocation_save(
        actor=None,
        network=network,
        person=Person.objects.get(user=roles["network_coordinator"]),
        role=Allocation.Role.PROJECT_COORDINATOR,
        hours_per_month=Decimal("30"),
        start_date=datetime.date(2020, 1, 1),
    )
    client: Client = client_for("group_coordinator")
    response = client.post(
        reverse("hours:log", kwargs={"slug": network.slug}),
        {"allocation": other.pk, "month": "2020-03", "hours": "5", "activity": "x"},
    )
    assert response.status_code == 200
    assert not LoggedHours.objects.exists()
