"""Each permission function for each role of the ``roles`` fixture (see tests/conftest.py)."""

import datetime
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from navet.accounts.models import User
from navet.networks import permissions
from navet.networks.models import Group, GroupMembership, Network
from tests.conftest import ROLES
from tests.factories import (
    GroupMembershipFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    organisation,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def as_user(roles: dict[str, User | None], role: str) -> Any:
    """The user as a view sees it: AnonymousUser for the anonymous visitor."""
    user = roles[role]
    return AnonymousUser() if user is None else user


def allowed(*names: str) -> dict[str, bool]:
    assert set(names) <= set(ROLES)
    return {role: role in names for role in ROLES}


@pytest.mark.parametrize("role", ROLES)
def test_is_platform_admin(roles: dict[str, User | None], role: str) -> None:
    assert permissions.is_platform_admin(as_user(roles, role)) is (role == "admin")


@pytest.mark.parametrize("role", ROLES)
def test_person_of(roles: dict[str, User | None], role: str) -> None:
    person = permissions.person_of(as_user(roles, role))
    if role in {"admin", "outsider", "anonymous"}:
        assert person is None
    else:
        user = roles[role]
        assert person is not None and person.user == user


def test_none_is_treated_as_anonymous(network: Network, group_klimat: Group) -> None:
    assert permissions.person_of(None) is None
    assert not permissions.is_platform_admin(None)
    assert not permissions.can_manage_network(None, network)
    assert not permissions.can_view_group_people(None, group_klimat)


CAN_MANAGE_NETWORK = allowed("admin", "network_coordinator")
CAN_MANAGE_OTHER_NETWORK = allowed("admin", "other_coordinator")
CAN_MANAGE_KLIMAT = allowed("admin", "network_coordinator", "group_coordinator")
CAN_MANAGE_FAIRTRADE = allowed("admin", "network_coordinator")
COORDINATES_ANY_GROUP = allowed("group_coordinator")
IS_MEMBER = allowed("member")
IS_PARTNER = allowed("partner")
CAN_VIEW_PEOPLE = allowed("admin", "network_coordinator", "group_coordinator", "member")
CAN_VIEW_KLIMAT_PEOPLE = allowed(
    "admin", "network_coordinator", "group_coordinator", "member", "partner"
)
CAN_VIEW_FAIRTRADE_PEOPLE = CAN_VIEW_PEOPLE


@pytest.mark.parametrize("role", ROLES)
def test_can_manage_network(
    roles: dict[str, User | None], role: str, network: Network, other_network: Network
) -> None:
    user = as_user(roles, role)
    assert permissions.can_manage_network(user, network) is CAN_MANAGE_NETWORK[role]
    assert permissions.can_manage_network(user, other_network) is CAN_MANAGE_OTHER_NETWORK[role]


@pytest.mark.parametrize("role", ROLES)
def test_can_manage_group(
    roles: dict[str, User | None], role: str, group_klimat: Group, group_fairtrade: Group
) -> None:
    user = as_user(roles, role)
    assert permissions.can_manage_group(user, group_klimat) is CAN_MANAGE_KLIMAT[role]
    assert permissions.can_manage_group(user, group_fairtrade) is CAN_MANAGE_FAIRTRADE[role]


@pytest.mark.parametrize("role", ROLES)
def test_coordinates_any_group(
    roles: dict[str, User | None], role: str, network: Network, other_network: Network
) -> None:
    user = as_user(roles, role)
    assert permissions.coordinates_any_group(user, network) is COORDINATES_ANY_GROUP[role]
    assert permissions.coordinates_any_group(user, other_network) is False


@pytest.mark.parametrize("role", ROLES)
def test_is_member(
    roles: dict[str, User | None], role: str, network: Network, other_network: Network
) -> None:
    user = as_user(roles, role)
    assert permissions.is_member(user, network) is IS_MEMBER[role]
    assert permissions.is_member(user, other_network) is False


@pytest.mark.parametrize("role", ROLES)
def test_is_partner(
    roles: dict[str, User | None],
    role: str,
    network: Network,
    group_klimat: Group,
    group_fairtrade: Group,
) -> None:
    user = as_user(roles, role)
    assert permissions.is_partner(user, network) is IS_PARTNER[role]
    assert permissions.is_partner(user, network, group_klimat) is IS_PARTNER[role]
    assert permissions.is_partner(user, network, group_fairtrade) is False


@pytest.mark.parametrize("role", ROLES)
def test_can_view_people(
    roles: dict[str, User | None], role: str, network: Network, other_network: Network
) -> None:
    user = as_user(roles, role)
    assert permissions.can_view_people(user, network) is CAN_VIEW_PEOPLE[role]
    assert permissions.can_view_people(user, other_network) is (
        role in {"admin", "other_coordinator"}
    )


@pytest.mark.parametrize("role", ROLES)
def test_can_view_group_people(
    roles: dict[str, User | None], role: str, group_klimat: Group, group_fairtrade: Group
) -> None:
    user = as_user(roles, role)
    assert permissions.can_view_group_people(user, group_klimat) is CAN_VIEW_KLIMAT_PEOPLE[role]
    assert (
        permissions.can_view_group_people(user, group_fairtrade) is CAN_VIEW_FAIRTRADE_PEOPLE[role]
    )


@pytest.mark.parametrize("role", ROLES)
def test_can_view_person(roles: dict[str, User | None], role: str) -> None:
    user = as_user(roles, role)
    member_user, partner_user = roles["member"], roles["partner"]
    assert member_user is not None and partner_user is not None
    member_person, partner_person = member_user.person, partner_user.person  # type: ignore[attr-defined]
    unrelated = PersonFactory(organisation=organisation("0180"))

    # a member's person is seen by whoever may view the network's people, and by themself
    assert permissions.can_view_person(user, member_person) is CAN_VIEW_PEOPLE[role]
    # the partner's person, through the group: the same viewers, and the partner themself
    assert permissions.can_view_person(user, partner_person) is (
        CAN_VIEW_PEOPLE[role] or role == "partner"
    )
    # a person in no network: the platform admin only
    assert permissions.can_view_person(user, unrelated) is (role == "admin")


def test_other_coordinator_sees_people_of_its_own_network_only(
    roles: dict[str, User | None], other_network: Network, network: Network
) -> None:
    user = roles["other_coordinator"]
    lerum = organisation("1441")
    MembershipFactory(network=other_network, organisation=lerum)
    lerum_person = PersonFactory(organisation=lerum, registered_by_network=other_network)
    member_user = roles["member"]
    assert member_user is not None
    assert permissions.can_view_person(user, lerum_person)
    assert not permissions.can_view_person(user, member_user.person)  # type: ignore[attr-defined]
    # Joining is consented: Lerum's other people are not the network's until they take part.
    assert not permissions.can_view_person(user, PersonFactory(organisation=lerum))


def test_coordinator_person_is_visible_to_members(
    roles: dict[str, User | None], network: Network
) -> None:
    coordinator_user = roles["network_coordinator"]
    assert coordinator_user is not None
    coordinator = coordinator_user.person  # type: ignore[attr-defined]
    assert permissions.can_view_person(roles["member"], coordinator)
    assert not permissions.can_view_person(roles["outsider"], coordinator)


# membership on a day, via and ended periods ---------------------------------------------------


def test_is_member_follows_the_membership_period(network: Network) -> None:
    lerum = organisation("1441")
    MembershipFactory(
        network=network, organisation=lerum, start_date=D(2021, 1, 1), end_date=D(2022, 12, 31)
    )
    user = UserFactory()
    PersonFactory(organisation=lerum, user=user)
    assert not permissions.is_member(user, network, D(2020, 12, 31))
    assert permissions.is_member(user, network, D(2021, 1, 1))
    assert permissions.is_member(user, network, D(2022, 12, 31))
    assert not permissions.is_member(user, network, D(2023, 1, 1))
    assert not permissions.is_member(user, network)  # today
    assert not permissions.can_view_people(user, network)


def test_person_of_the_via_organisation_is_a_member(network: Network) -> None:
    association = OrganisationFactory(name="Dalslands kommunalförbund")
    MembershipFactory(network=network, organisation=organisation("1438"), via=association)
    user = UserFactory()
    PersonFactory(organisation=association, user=user)
    assert permissions.is_member(user, network)
    assert permissions.can_view_people(user, network)


def test_a_future_membership_does_not_count_yet(network: Network) -> None:
    today = datetime.date.today()  # noqa: DTZ011 - as permissions.is_member does
    lerum = organisation("1441")
    MembershipFactory(
        network=network, organisation=lerum, start_date=today + datetime.timedelta(days=1)
    )
    user = UserFactory()
    PersonFactory(organisation=lerum, user=user)
    assert not permissions.is_member(user, network)


def test_ended_guest_is_no_longer_a_partner(network: Network, group_klimat: Group) -> None:
    user = UserFactory()
    yesterday = datetime.date.today() - datetime.timedelta(days=1)  # noqa: DTZ011
    GroupMembershipFactory(
        group=group_klimat,
        person=PersonFactory(organisation=organisation("1480"), user=user),
        role=GroupMembership.Role.GUEST,
        end_date=yesterday,
    )
    assert not permissions.is_partner(user, network)
    assert not permissions.can_view_group_people(user, group_klimat)


def test_participant_is_not_a_partner(network: Network, group_klimat: Group) -> None:
    user = UserFactory()
    GroupMembershipFactory(
        group=group_klimat,
        person=PersonFactory(organisation=organisation("1480"), user=user),
        role=GroupMembership.Role.PARTICIPANT,
    )
    assert not permissions.is_partner(user, network)


def test_staff_without_superuser_is_not_platform_admin(network: Network) -> None:
    user = UserFactory(is_staff=True)  # staff but not superuser: no platform admin rights
    assert not permissions.is_platform_admin(user)
    assert not permissions.can_manage_network(user, network)
