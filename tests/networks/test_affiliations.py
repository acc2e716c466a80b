"""A person's affiliations: each kind, the edges of the day, one statement, read once a request."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from navet.core.request_memo import memo_opened
from navet.networks.affiliations import Affiliations, affiliations_of
from navet.networks.models import Group, GroupMembership, Network
from tests.factories import (
    GroupFactory,
    GroupMembershipFactory,
    MembershipFactory,
    NetworkFactory,
    OrganisationFactory,
    PersonFactory,
    organisation,
)

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 6, 15)
ONE_DAY = datetime.timedelta(days=1)


def test_a_person_of_an_organisation_without_memberships_has_none() -> None:
    NetworkFactory()
    person = PersonFactory(organisation=OrganisationFactory())
    assert affiliations_of(person, DAY) == Affiliations()
    assert affiliations_of(person, DAY).networks == frozenset()


@pytest.mark.parametrize(
    ("start", "end", "counts"),
    [
        (DAY, None, True),  # starts on the day
        (DAY - ONE_DAY, DAY, True),  # ends on the day
        (DAY + ONE_DAY, None, False),  # starts the day after
        (DAY - 10 * ONE_DAY, DAY - ONE_DAY, False),  # ended the day before
    ],
)
def test_a_membership_counts_from_its_first_to_its_last_day(
    start: datetime.date, end: datetime.date | None, counts: bool
) -> None:
    network = NetworkFactory()
    member = OrganisationFactory()
    MembershipFactory(network=network, organisation=member, start_date=start, end_date=end)
    person = PersonFactory(organisation=member)
    expected = frozenset({network.pk}) if counts else frozenset()
    assert affiliations_of(person, DAY).member_networks == expected
    assert affiliations_of(person, DAY).networks == expected


def test_the_via_organisation_of_a_membership_is_a_member_too() -> None:
    network = NetworkFactory()
    via = OrganisationFactory(name="Sjuhärads kommunalförbund")
    MembershipFactory(network=network, organisation=organisation("1490"), via=via)
    person = PersonFactory(organisation=via)
    assert affiliations_of(person, DAY).member_networks == {network.pk}


@pytest.mark.parametrize(
    ("role", "end", "counts"),
    [
        (GroupMembership.Role.PARTICIPANT, None, True),
        (GroupMembership.Role.GUEST, DAY, True),
        (GroupMembership.Role.PARTICIPANT, DAY - ONE_DAY, False),
    ],
)
def test_taking_part_in_a_group_gives_the_group_and_its_network(
    role: str, end: datetime.date | None, counts: bool
) -> None:
    group = GroupFactory()
    person = PersonFactory(organisation=OrganisationFactory())
    GroupMembershipFactory(group=group, person=person, role=role, end_date=end)
    standing = affiliations_of(person, DAY)
    assert standing.groups == ({group.pk} if counts else set())
    assert standing.group_networks == ({group.network_id} if counts else set())
    assert standing.member_networks == set()
    assert standing.coordinated_groups == set()


def test_coordinating_a_network_or_a_group() -> None:
    person = PersonFactory(organisation=OrganisationFactory())
    coordinated: Network = NetworkFactory()
    coordinated.coordinators.add(person)
    group: Group = GroupFactory()
    group.coordinators.add(person)
    NetworkFactory()  # someone else's
    standing = affiliations_of(person, DAY)
    assert standing.coordinated_networks == {coordinated.pk}
    assert standing.coordinated_groups == {group.pk}
    assert standing.coordinated_group_networks == {group.network_id}
    assert standing.groups == set()
    assert standing.networks == {coordinated.pk, group.network_id}


def test_all_kinds_are_read_in_one_statement() -> None:
    network = NetworkFactory()
    MembershipFactory(network=network)
    person = PersonFactory()
    network.coordinators.add(person)
    group = GroupFactory(network=network)
    group.coordinators.add(person)
    GroupMembershipFactory(group=GroupFactory(), person=person)
    with CaptureQueriesContext(connection) as captured:
        standing = affiliations_of(person, DAY)
    assert len(captured) == 1
    assert standing.member_networks == {network.pk}
    assert len(standing.networks) == 2


def test_within_a_request_they_are_read_once_and_outside_every_time() -> None:
    person = PersonFactory(organisation=OrganisationFactory())
    network = NetworkFactory()
    with memo_opened():
        assert affiliations_of(person, DAY).coordinated_networks == set()
        network.coordinators.add(person)
        with CaptureQueriesContext(connection) as captured:
            remembered = affiliations_of(person, DAY)
        assert len(captured) == 0
        assert remembered.coordinated_networks == set()
        # Another day is another answer.
        assert affiliations_of(person, DAY + ONE_DAY).coordinated_networks == {network.pk}
    assert affiliations_of(person, DAY).coordinated_networks == {network.pk}
