"""Who may import, and who may change an organisation's targets (indicators/permissions.py)."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from navet.accounts.models import User
from navet.indicators import permissions
from navet.indicators.models import Indicator, Target
from navet.networks.models import Network, Person
from tests.factories import MembershipFactory, PersonFactory, organisation

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
        # Borås is a member of the coordinator's network: joining gives no say over targets.
        ("network_coordinator", False),
        ("other_coordinator", False),
        ("group_coordinator", False),
        ("member", True),  # an environmental strategist of Borås
        ("partner", False),
        ("outsider", False),
        ("anonymous", False),
    ],
)
def test_targets_are_changed_by_the_organisations_own_strategists_and_admins(
    roles: dict[str, User | None], role: str, allowed: bool
) -> None:
    assert permissions.can_edit_targets(_user(roles, role), organisation("1490")) is allowed


@pytest.mark.parametrize(
    ("category", "allowed"),
    [
        (Person.RoleCategory.ENVIRONMENTAL_STRATEGIST, True),
        (Person.RoleCategory.SUSTAINABILITY_STRATEGIST, True),
        (Person.RoleCategory.MANAGER, True),
        (Person.RoleCategory.ECOLOGIST, False),
        (Person.RoleCategory.FAIRTRADE_COORDINATOR, False),
        (Person.RoleCategory.OTHER, False),
    ],
)
def test_of_the_organisations_own_people_only_strategic_roles_change_targets(
    roles: dict[str, User | None], category: str, allowed: bool
) -> None:
    member = _user(roles, "member")
    Person.objects.filter(user=member).update(role_category=category)
    member.refresh_from_db()
    assert permissions.can_edit_targets(member, organisation("1490")) is allowed
    # Never another organisation's, whatever the role.
    assert not permissions.can_edit_targets(member, organisation("1441"))


def test_a_coordinator_changes_their_own_organisations_targets_only(
    roles: dict[str, User | None], network: Network
) -> None:
    coordinator = _user(roles, "network_coordinator")  # a person of the region (14)
    Person.objects.filter(user=coordinator).update(role_category=Person.RoleCategory.OTHER)
    coordinator.refresh_from_db()
    assert permissions.can_edit_targets(coordinator, organisation("14"))
    alingsas = organisation("1489")
    MembershipFactory(network=network, organisation=alingsas, start_date=datetime.date(2020, 1, 1))
    assert not permissions.can_edit_targets(coordinator, alingsas)
    assert not permissions.targets.organisations_user_may_change(coordinator).exclude(
        pk=organisation("14").pk
    )


def test_a_person_without_an_account_has_no_say(roles: dict[str, User | None]) -> None:
    PersonFactory(organisation=organisation("1490"))  # a strategist, but no account
    assert not permissions.can_edit_targets(AnonymousUser(), organisation("1490"))


def test_the_change_queryset_holds_only_editable_targets(roles: dict[str, User | None]) -> None:
    indicator = Indicator.objects.create(code="PERM1", title="Mått", source="own")
    own = Target.objects.create(
        organisation=organisation("1490"), indicator=indicator, target_value=1
    )
    Target.objects.create(organisation=organisation("1441"), indicator=indicator, target_value=1)
    member = _user(roles, "member")
    assert list(permissions.targets.instances_user_has_permission_for(member, "change")) == [own]
    assert permissions.targets.instances_user_has_permission_for(member, "view").count() == 2
    coordinator = _user(roles, "network_coordinator")
    assert not permissions.targets.instances_user_has_permission_for(coordinator, "change")


def test_everyone_reads_the_indicators(roles: dict[str, User | None]) -> None:
    assert all(permissions.can_view_indicators(_user(roles, role)) for role in roles)
