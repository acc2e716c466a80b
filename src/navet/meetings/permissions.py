"""Who may see and do what with a network's meetings. Views and templates ask these functions.

* Anyone may see planned and held meetings (the public calendar); cancelled meetings are shown
  to those who may register and to coordinators.
* Coordinators of the network manage every meeting; a group coordinator manages the meetings of
  their groups (and may create meetings for them).
* People of member organisations, and participants or guests of one of the meeting's groups,
  may register.
* The meeting link is shown only to registered people and coordinators.
"""

from typing import Any

from django.db.models import Q
from django.utils import timezone

from navet.meetings.models import CalendarFeed, Meeting, Registration
from navet.networks.models import Group, GroupMembership, Network
from navet.networks.permissions import (
    can_manage_group,
    can_manage_network,
    coordinates_any_group,
    is_member,
    person_of,
)


def can_create_meetings(user: Any, network: Network) -> bool:
    return can_manage_network(user, network) or coordinates_any_group(user, network)


def manageable_groups(user: Any, network: Network) -> list[Group]:
    """The groups whose meetings the user may create or manage."""
    groups = list(network.groups.order_by("name"))
    if can_manage_network(user, network):
        return groups
    return [group for group in groups if can_manage_group(user, group)]


def can_manage_meeting(user: Any, meeting: Meeting) -> bool:
    if can_manage_network(user, meeting.network):
        return True
    person = person_of(user)
    return person is not None and meeting.groups.filter(coordinators=person).exists()


def takes_part_in_groups(user: Any, meeting: Meeting) -> bool:
    """A participant or guest, today, of one of the meeting's groups."""
    person = person_of(user)
    if person is None:
        return False
    today = timezone.localdate()
    return (
        GroupMembership.objects.filter(
            person=person,
            group__in=meeting.groups.all(),
            start_date__lte=today,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .exists()
    )


def can_register(user: Any, meeting: Meeting) -> bool:
    """May this user sign up (rules such as the deadline are checked by the services)."""
    return is_member(user, meeting.network) or takes_part_in_groups(user, meeting)


def can_view_meeting(user: Any, meeting: Meeting) -> bool:
    if meeting.status != Meeting.Status.CANCELLED:
        return True
    return can_manage_meeting(user, meeting) or can_register(user, meeting)


def is_registered(user: Any, meeting: Meeting) -> bool:
    person = person_of(user)
    return (
        person is not None
        and meeting.registrations.filter(
            person=person, status=Registration.Status.REGISTERED
        ).exists()
    )


def can_see_meeting_link(user: Any, meeting: Meeting) -> bool:
    return can_manage_meeting(user, meeting) or is_registered(user, meeting)


def can_manage_feeds(user: Any, network: Network) -> bool:
    return can_manage_network(user, network) or coordinates_any_group(user, network)


def can_manage_feed(user: Any, feed: CalendarFeed) -> bool:
    if feed.person_id is not None:
        person = person_of(user)
        return person is not None and person.pk == feed.person_id
    if feed.group is not None:
        return can_manage_group(user, feed.group)
    return feed.network is not None and can_manage_network(user, feed.network)
