"""Who may read and change the annual plan and read the annual report.

* The annual plan is public: anyone may read it. Network coordinators (and platform admins)
  add, change and delete its activities.
* The annual report lists the member organisations and figures drawn from named attendance,
  so only those who may see the network's people read it: coordinators of the network or of
  one of its groups, and people of member organisations.
"""

from typing import Any

from django.db.models import QuerySet

from navet.core.policies import Policy
from navet.meetings.models import Meeting, PlannedActivity
from navet.meetings.permissions import meeting_policy
from navet.networks.models import Group, Network
from navet.networks.permissions import (
    can_manage_network,
    can_view_people,
    is_platform_admin,
    person_of,
)


def can_view_plan(user: Any, network: Network) -> bool:
    return True


def can_edit_plan(user: Any, network: Network) -> bool:
    return can_manage_network(user, network)


def can_view_report(user: Any, network: Network) -> bool:
    return can_view_people(user, network)


class PlannedActivityPolicy(Policy[PlannedActivity]):
    """The one scoping rule for planned activities: anyone may view a network's plan; its
    coordinators (and platform admins) change it."""

    model = PlannedActivity

    def instances_user_has_permission_for(
        self, user: Any, action: str, *, network: Network | None = None
    ) -> QuerySet[PlannedActivity]:
        self._check_action(action)
        activities = PlannedActivity.objects.all()
        if network is not None:
            activities = activities.filter(network=network)
        if action == "view" or is_platform_admin(user):
            return activities
        person = person_of(user)
        if person is None:
            return activities.none()
        return activities.filter(network__coordinators=person)


planned_activity_policy = PlannedActivityPolicy()


def sees_cancelled_titles(user: Any, network: Network) -> bool:
    """A cancelled meeting's title in the plan is for the network's coordinators only; others
    see that the activity was cancelled."""
    return can_manage_network(user, network)


def linkable_meetings(user: Any, network: Network, year: int) -> QuerySet[Meeting]:
    """The meetings an activity of ``year`` may be linked to: the network's meetings of that
    year that the user may change (coordinators: all of them)."""
    return (
        meeting_policy.instances_user_has_permission_for(user, "change", network=network)
        .filter(starts_at__year=year)
        .order_by("starts_at", "pk")
    )


def plan_groups(user: Any, network: Network) -> QuerySet[Group]:
    """Groups an activity may belong to: the network's groups, for those who may change it."""
    if not can_edit_plan(user, network):
        return Group.objects.none()
    return Group.objects.filter(network=network).order_by("name")
