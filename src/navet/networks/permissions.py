"""The one place that decides who may see and do what in a network.

Roles, from most to least: platform admin, network coordinator (own network only), group
coordinator (own group), member (a person of a member organisation, with an account), partner
(a guest in one of the network's groups) and the anonymous public. Views, services, the API and
templates all ask these functions; none of them decides on its own.
"""

import datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone

from navet.networks.models import Group, GroupMembership, Membership, Network, Person
from navet.networks.selectors import networks_of_person


def person_of(user: Any) -> Person | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.person
    except Person.DoesNotExist:
        return None


def is_platform_admin(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_superuser)


def can_manage_network(user: Any, network: Network) -> bool:
    if is_platform_admin(user):
        return True
    person = person_of(user)
    return person is not None and network.coordinators.filter(pk=person.pk).exists()


def can_manage_group(user: Any, group: Group) -> bool:
    if can_manage_network(user, group.network):
        return True
    person = person_of(user)
    return person is not None and group.coordinators.filter(pk=person.pk).exists()


def coordinates_any_group(user: Any, network: Network) -> bool:
    person = person_of(user)
    return person is not None and network.groups.filter(coordinators=person).exists()


def is_member(user: Any, network: Network, day: datetime.date | None = None) -> bool:
    """A person whose organisation is a member today, directly or as the 'via' organisation."""
    person = person_of(user)
    if person is None:
        return False
    day = day or timezone.localdate()
    active = Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gte=day))
    return (
        Membership.objects.filter(network=network)
        .filter(active)
        .filter(Q(organisation_id=person.organisation_id) | Q(via_id=person.organisation_id))
        .exists()
    )


def is_partner(user: Any, network: Network, group: Group | None = None) -> bool:
    """A guest in one of the network's groups (or in ``group``), e.g. Länsstyrelsen."""
    person = person_of(user)
    if person is None:
        return False
    today = timezone.localdate()
    guests = GroupMembership.objects.filter(
        person=person,
        group__network=network,
        role=GroupMembership.Role.GUEST,
        start_date__lte=today,
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
    if group is not None:
        guests = guests.filter(group=group)
    return guests.exists()


def can_view_people(user: Any, network: Network) -> bool:
    """The people directory holds personal data: members and coordinators only."""
    return (
        can_manage_network(user, network)
        or coordinates_any_group(user, network)
        or is_member(user, network)
    )


def can_view_group_people(user: Any, group: Group) -> bool:
    return (
        can_view_people(user, group.network)
        or can_manage_group(user, group)
        or is_partner(user, group.network, group)
    )


def can_view_person(user: Any, person: Person) -> bool:
    if is_platform_admin(user) or person_of(user) == person:
        return True
    return any(can_view_people(user, network) for network in networks_of_person(person=person))
