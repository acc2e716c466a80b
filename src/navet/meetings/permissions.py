"""Who may see and do what with a network's meetings. Views and templates ask these functions.

* Anyone may see planned and held meetings (the public calendar); cancelled meetings are shown
  to those who may register and to coordinators.
* Coordinators of the network manage every meeting; a group coordinator manages the meetings of
  their groups (and may create meetings for them).
* People of member organisations, and participants or guests of one of the meeting's groups,
  may register; a meeting without groups is open to the whole network, so participants and
  guests of any of its groups (partners) may register for it too.
* The meeting link is shown only to registered people and coordinators.

The same rules as querysets, one policy per model, are at the end of this module
(``meeting_policy`` and the policies of registrations, attendance and feeds; a meeting's
documents are the archive's, ``navet.documents.permissions``):
views look objects up through them and forms take their choice lists from them.
"""

import datetime
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from navet.core.policies import Policy
from navet.meetings.models import (
    Attendance,
    AttendanceCount,
    CalendarFeed,
    Meeting,
    Registration,
)
from navet.networks.affiliations import affiliations_of
from navet.networks.models import Group, Network, Person
from navet.networks.permissions import (
    can_manage_network,
    coordinates_any_group,
    is_member,
    is_platform_admin,
    person_of,
    person_policy,
)
from navet.networks.selectors import people_directory

M = TypeVar("M", bound=Model)


def can_create_meetings(user: Any, network: Network) -> bool:
    return can_manage_network(user, network) or coordinates_any_group(user, network)


def manageable_groups(user: Any, network: Network) -> list[Group]:
    """The groups whose meetings the user may create or manage (see ``manageable_groups_qs``)."""
    return list(manageable_groups_qs(user, network))


def _group_ids(meeting: Meeting) -> set[int]:
    # Through .all(), so that a prefetch of the meeting's groups is used.
    return {group.pk for group in meeting.groups.all()}


def can_manage_meeting(user: Any, meeting: Meeting) -> bool:
    if can_manage_network(user, meeting.network):
        return True
    person = person_of(user)
    return person is not None and not affiliations_of(person).coordinated_groups.isdisjoint(
        _group_ids(meeting)
    )


def takes_part_in_groups(user: Any, meeting: Meeting) -> bool:
    """A participant or guest, today, of one of the meeting's groups."""
    person = person_of(user)
    return person is not None and not affiliations_of(person).groups.isdisjoint(_group_ids(meeting))


def takes_part_in_network(user: Any, network: Network) -> bool:
    """A participant or guest, today, of any group of the network (a partner, for one)."""
    person = person_of(user)
    return person is not None and network.pk in affiliations_of(person).group_networks


def can_register(user: Any, meeting: Meeting) -> bool:
    """May this user sign up (rules such as the deadline are checked by the services):
    people of member organisations; participants and guests of one of the meeting's groups;
    and for a meeting of the whole network (no groups), those of any of its groups."""
    if is_member(user, meeting.network) or takes_part_in_groups(user, meeting):
        return True
    return not _group_ids(meeting) and takes_part_in_network(user, meeting.network)


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


# Policies: one scoping rule per model ------------------------------------------------------
#
# ``meeting_policy.instances_user_has_permission_for(user, action, network=...)`` is the rule
# the functions above answer one meeting at a time:
#
# * "change": meetings the user manages (the network's coordinators, platform admins, the
#   coordinators of one of the meeting's groups);
# * "register": meetings the user may sign up for (people of member organisations today,
#   participants and guests of one of the meeting's groups today, and of any group of the
#   network for a meeting without groups);
# * "view": every planned or held meeting, and cancelled ones for those who may change or
#   register.
#
# The other models of the app (documents, registrations, attendance, counts, feeds) follow
# their meeting (or subject), so a view never looks one up by primary key alone.


def _managed_q(person: Person) -> Q:
    return affiliations_of(person).coordinates_q("network_id", "groups")


def _register_q(person: Person, day: datetime.date) -> Q:
    standing = affiliations_of(person, day)
    # A meeting of the whole network (no groups) is open to everyone in one of its groups.
    return (
        Q(network_id__in=sorted(standing.member_networks))
        | Q(groups__in=sorted(standing.groups))
        | Q(groups__isnull=True, network_id__in=sorted(standing.group_networks))
    )


class MeetingPolicy(Policy[Meeting]):
    model = Meeting
    actions = ("view", "change", "register")

    def instances_user_has_permission_for(
        self, user: Any, action: str, *, network: Network | None = None
    ) -> QuerySet[Meeting]:
        self._check_action(action)
        meetings = Meeting.objects.all()
        if network is not None:
            meetings = meetings.filter(network=network)
        if is_platform_admin(user) and action != "register":
            return meetings
        person = person_of(user)
        if person is None or not getattr(user, "is_active", False):
            if action == "view":
                return meetings.exclude(status=Meeting.Status.CANCELLED)
            return meetings.none()
        if action == "change":
            rule = _managed_q(person)
        elif action == "register":
            rule = _register_q(person, timezone.localdate())
        else:
            rule = (
                ~Q(status=Meeting.Status.CANCELLED)
                | _managed_q(person)
                | _register_q(person, timezone.localdate())
            )
        # The rule joins groups: select the ids first so each meeting comes once.
        return meetings.filter(pk__in=Meeting.objects.filter(rule).values("pk"))

    def user_has_permission_for_instance(
        self, user: Any, action: str, obj: Meeting, *, network: Network | None = None
    ) -> bool:
        self._check_action(action)
        if action == "change":
            return can_manage_meeting(user, obj)
        if action == "register":
            return can_register(user, obj)
        return can_view_meeting(user, obj)


meeting_policy = MeetingPolicy()


class _FollowsMeeting(Policy[M]):
    """Instances that belong to a meeting: the user may view or change them when they may view
    (``view_action``) or change the meeting."""

    view_action = "view"

    def instances_user_has_permission_for(
        self, user: Any, action: str, *, network: Network | None = None
    ) -> QuerySet[M]:
        self._check_action(action)
        meeting_action = self.view_action if action == "view" else "change"
        meetings = meeting_policy.instances_user_has_permission_for(
            user, meeting_action, network=network
        )
        return self.model._default_manager.filter(meeting__in=meetings.values("pk"))


class RegistrationPolicy(_FollowsMeeting[Registration]):
    """Registrations are personal: those who manage the meeting see them all; a person sees
    their own through ``selectors.registration_of``."""

    model = Registration
    view_action = "change"


class AttendancePolicy(_FollowsMeeting[Attendance]):
    model = Attendance
    view_action = "change"


class AttendanceCountPolicy(_FollowsMeeting[AttendanceCount]):
    model = AttendanceCount
    view_action = "change"


registration_policy = RegistrationPolicy()
attendance_policy = AttendancePolicy()
attendance_count_policy = AttendanceCountPolicy()


class CalendarFeedPolicy(Policy[CalendarFeed]):
    """A person's feed is theirs alone; a group's feed is its coordinators' (and the network's
    coordinators'); a network's feed is the network's coordinators'. Only active feeds."""

    model = CalendarFeed

    def instances_user_has_permission_for(
        self, user: Any, action: str, *, network: Network | None = None
    ) -> QuerySet[CalendarFeed]:
        self._check_action(action)
        feeds = CalendarFeed.objects.filter(revoked_at__isnull=True)
        if network is not None:
            feeds = feeds.filter(Q(network=network) | Q(group__network=network))
        if is_platform_admin(user):
            return feeds.filter(person__isnull=True) | feeds.filter(person__user=user)
        person = person_of(user)
        if person is None:
            return feeds.none()
        return feeds.filter(
            Q(person=person)
            | Q(network__coordinators=person)
            | Q(group__network__coordinators=person)
            | Q(group__coordinators=person)
        ).distinct()


calendar_feed_policy = CalendarFeedPolicy()


def manageable_groups_qs(user: Any, network: Network) -> QuerySet[Group]:
    """The groups of ``network`` whose meetings the user may create or manage, as a queryset
    (for choice lists: a posted id outside it is refused)."""
    groups = Group.objects.filter(network=network).order_by("name")
    if can_manage_network(user, network):
        return groups
    person = person_of(user)
    if person is None:
        return groups.none()
    return groups.filter(coordinators=person)


def people_to_offer(user: Any, network: Network) -> QuerySet[Person]:
    """People a choice list of this network may offer (speakers, invitations): the network's
    people today (``people_directory``) that the network core's rule lets the user see."""
    visible = person_policy.instances_user_has_permission_for(user, "view", network=network)
    return people_directory(network=network, day=timezone.localdate()).filter(
        pk__in=visible.values("pk")
    )
