"""Who may see and change coordinator time.

Hours are the network coordinators' (and platform admins'): they see every allocation and
every logged hour of their network, create and change allocations, and log hours for anyone
with an allocation. A person with an allocation (a cluster coordinator, say) sees their own
allocations and logs, and logs, edits and deletes their own hours against their own
allocation; nobody else sees hours at all.
"""

from typing import Any

from django.db.models import Q, QuerySet

from navet.hours.models import Allocation, LoggedHours
from navet.networks.models import Network, Person
from navet.networks.permissions import (
    CoordinatedNetworkPolicy,
    can_manage_network,
    person_of,
)


def can_manage_hours(user: Any, network: Network) -> bool:
    return can_manage_network(user, network)


def can_log_hours(user: Any, network: Network) -> bool:
    """Coordinators, and anyone with an allocation in the network (for their own hours)."""
    if can_manage_hours(user, network):
        return True
    person = person_of(user)
    return person is not None and Allocation.objects.filter(network=network, person=person).exists()


class AllocationPolicy(CoordinatedNetworkPolicy):
    """view: the network's coordinators all, a person their own; change: coordinators."""

    model = Allocation

    def queryset(self) -> QuerySet[Any]:
        return Allocation.objects.select_related("person", "group", "network")

    def others(self, person: Person, action: str) -> Q:
        return Q(person=person) if action == "view" else Q(pk__in=[])


class LoggedHoursPolicy(CoordinatedNetworkPolicy):
    """view and change: the network's coordinators all; a person the hours of their own
    allocations (they log their own time)."""

    model = LoggedHours

    def queryset(self) -> QuerySet[Any]:
        return LoggedHours.objects.select_related(
            "allocation", "allocation__person", "allocation__group", "organisation", "meeting"
        )

    def others(self, person: Person, action: str) -> Q:
        return Q(allocation__person=person)


allocation_policy = AllocationPolicy()
logged_hours_policy = LoggedHoursPolicy()


def allocations_to_log_against(user: Any, network: Network) -> QuerySet[Allocation]:
    """The allocations the user may log hours against: all (coordinators) or their own."""
    if can_manage_hours(user, network):
        return allocation_policy.instances_user_has_permission_for(user, "view", network=network)
    person = person_of(user)
    if person is None:
        return Allocation.objects.none()
    return allocation_policy.instances_user_has_permission_for(
        user, "view", network=network
    ).filter(person=person)
