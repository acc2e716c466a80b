"""Who may import, and who may change an organisation's targets (indicators/permissions.py)."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from navet.accounts.models import User
from navet.indicators import permissions
from navet.networks.models import Network
from tests.factories import MembershipFactory, organisation

pytestmark = pytest.mark.django_db


def _user(roles: dict[str, User | None], role: str) -> User | AnonymousUser:
    return roles[role] or AnonymousUser()


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("admin", True),
        ("network_coordinator", True),
        ("other_coordinator", True),
        ("group_coordinator", False),
        ("member", False),
        ("partner", False),
        ("outsider", False),
        ("anonymous", False),
    ],
)
def test_only_admins_and_network_coordinators_import(
    roles: dict[str, User | None], role: str, allowed: bool
) -> None:
    assert permissions.can_import(_user(roles, role)) is allowed


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("admin", True),
        ("network_coordinator", True),  # Borås is a member of the coordinator's network
        ("other_coordinator", False),
        ("group_coordinator", False),
        ("member", True),  # a person of Borås
        ("partner", False),
        ("outsider", False),
        ("anonymous", False),
    ],
)
def test_targets_are_changed_by_the_organisation_and_its_network_coordinators(
    roles: dict[str, User | None], role: str, allowed: bool
) -> None:
    assert permissions.can_edit_targets(_user(roles, role), organisation("1490")) is allowed


def test_a_network_coordinator_loses_the_right_when_the_membership_has_ended(
    roles: dict[str, User | None], network: Network
) -> None:
    coordinator = _user(roles, "network_coordinator")
    alingsas = organisation("1489")
    membership = MembershipFactory(
        network=network, organisation=alingsas, start_date=datetime.date(2020, 1, 1)
    )
    assert permissions.can_edit_targets(coordinator, alingsas)

    membership.end_date = datetime.date(2021, 12, 31)
    membership.save()
    assert not permissions.can_edit_targets(coordinator, alingsas)


def test_everyone_reads_the_indicators(roles: dict[str, User | None]) -> None:
    assert all(permissions.can_view_indicators(_user(roles, role)) for role in roles)
