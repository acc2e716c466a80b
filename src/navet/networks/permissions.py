"""The one place that decides who may see and do what in a network.

Roles, from most to least: platform admin, network coordinator (own network only), group
coordinator (own group), member (a person of a member organisation, with an account), partner
(a guest in one of the network's groups) and the anonymous public. Views, services, the API and
templates all ask these functions; none of them decides on its own.
"""

import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from navet.core.policies import Policy
from navet.core.request_memo import remembered
from navet.networks.affiliations import affiliations_of
from navet.networks.models import (
    ContactAssignment,
    Group,
    GroupMembership,
    Membership,
    Network,
    Organisation,
    Person,
)
from navet.networks.selectors import in_network, in_networks, member_organisations


def person_of(user: Any) -> Person | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.person
    except Person.DoesNotExist:
        return None


def is_platform_admin(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_superuser)


# The role checks below are asked many times a page (the view, its tags, the navigation): they
# read the person's affiliations, which are read once a request (navet.networks.affiliations).


def can_manage_network(user: Any, network: Network) -> bool:
    if is_platform_admin(user):
        return True
    person = person_of(user)
    return person is not None and network.pk in affiliations_of(person).coordinated_networks


def can_manage_group(user: Any, group: Group) -> bool:
    if can_manage_network(user, group.network):
        return True
    person = person_of(user)
    return person is not None and group.pk in affiliations_of(person).coordinated_groups


def coordinates_any_group(user: Any, network: Network) -> bool:
    person = person_of(user)
    return person is not None and network.pk in affiliations_of(person).coordinated_group_networks


def is_member(user: Any, network: Network, day: datetime.date | None = None) -> bool:
    """A person whose organisation is a member today, directly or as the 'via' organisation."""
    person = person_of(user)
    return person is not None and network.pk in affiliations_of(person, day).member_networks


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
    return remembered(
        ("partner", person.pk, network.pk, group.pk if group else None), guests.exists
    )


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


def networks_whose_people_user_sees(user: Any) -> QuerySet[Network]:
    """Networks the user coordinates (or coordinates a group of), or is a member of today."""
    if is_platform_admin(user):
        return Network.objects.all()
    person = person_of(user)
    if person is None:
        return Network.objects.none()
    return Network.objects.filter(pk__in=sorted(_networks_whose_people_person_sees(person)))


def _networks_whose_people_person_sees(person: Person) -> frozenset[int]:
    standing = affiliations_of(person)
    return (
        standing.coordinated_networks
        | standing.coordinated_group_networks
        | standing.member_networks
    )


def _coordinates_network(user: Any, network: Network | None) -> bool:
    return network is not None and can_manage_network(user, network)


class PersonPolicy(Policy[Person]):
    """Who may see and change which people.

    People are shared between networks, so a network's coordinators see and change only the
    people who belong to their network (``selectors.in_network``), and a person's identity
    (email, organisation, account) is guarded further: see ``IDENTITY_FIELDS``.
    """

    model = Person
    actions = ("view", "change", "change_identity", "invite", "assign")

    def instances_user_has_permission_for(
        self, user: Any, action: str, *, network: Network | None = None
    ) -> QuerySet[Person]:
        self._check_action(action)
        people = Person.objects.select_related("organisation")
        if is_platform_admin(user):
            return people.exclude(email="") if action == "invite" else people
        person = person_of(user)
        if person is None:
            return people.none()
        if action == "view":
            network_ids = _networks_whose_people_person_sees(person)
            if network is not None:
                network_ids &= {network.pk}
            visible = Q(pk=person.pk)
            if network_ids:
                visible |= in_networks(network_ids)
            return people.filter(visible)
        if action == "assign":
            if network is not None and (
                can_manage_network(user, network) or coordinates_any_group(user, network)
            ):
                return people.filter(in_network(network))
            return people.none()
        if not _coordinates_network(user, network):
            return people.none()
        assert network is not None
        ours = people.filter(in_network(network))
        if action == "change":
            return ours
        if action == "invite":
            # A coordinator's account opens doors in their network: only admins invite them.
            return ours.exclude(email="").exclude(pk__in=_coordinators_of_any_network())
        # change_identity: no account yet, and the person belongs to no other network.
        return ours.filter(user__isnull=True).exclude(pk__in=_people_in_other_networks(network))


def _coordinators_of_any_network() -> QuerySet[Any]:
    return Network.coordinators.through.objects.values("person_id")


def _people_in_other_networks(network: Network) -> QuerySet[Any]:
    others = Network.objects.exclude(pk=network.pk)
    return Person.objects.filter(
        Q(group_memberships__group__network__in=others)
        | Q(contact_assignments__network__in=others)
        | Q(coordinated_networks__in=others)
        | Q(coordinated_groups__network__in=others)
        | Q(registered_by_network__in=others)
    ).values("pk")


person_policy = PersonPolicy()

IDENTITY_FIELDS = frozenset({"email", "organisation"})


def editable_person_fields(user: Any, person: Person, network: Network) -> set[str]:
    """The fields of ``person`` the user may change in ``network`` (README's role table)."""
    everything = {"first_name", "last_name", "phone", "title", "role_category"} | IDENTITY_FIELDS
    if is_platform_admin(user):
        return everything
    if not person_policy.user_has_permission_for_instance(user, "change", person, network=network):
        return set()
    if person_policy.user_has_permission_for_instance(
        user, "change_identity", person, network=network
    ):
        return everything
    return everything - IDENTITY_FIELDS


def organisations_for_new_people(user: Any, network: Network) -> QuerySet[Organisation]:
    """Coordinators create people only in organisations that are members of their network."""
    if is_platform_admin(user):
        return Organisation.objects.exclude(kind=Organisation.Kind.NATION)
    if not can_manage_network(user, network):
        return Organisation.objects.none()
    return member_organisations(network=network, day=timezone.localdate())


class NetworkScopedPolicy(Policy[Any]):
    """Objects that hang on a network: everyone may view those that are public; a network's
    coordinators change them. ``network_field`` is the path from the object to its network."""

    network_field = "network"

    def instances_user_has_permission_for(
        self, user: Any, action: str, *, network: Network | None = None
    ) -> QuerySet[Any]:
        self._check_action(action)
        objects = self.model.objects.all()
        if network is not None:
            objects = objects.filter(**{self.network_field: network})
        if action == "view" or is_platform_admin(user):
            return objects
        return objects if _coordinates_network(user, network) else objects.none()


class CoordinatedNetworkPolicy(Policy[Any]):
    """Objects that are a network's own business (contacts, hours, budgets, reports): platform
    admins reach all; a network's coordinators those of their networks; anyone else only what
    ``others`` grants them (nothing unless a subclass says so). ``network_path`` leads from an
    object to its network."""

    network_path = "network"

    def queryset(self) -> QuerySet[Any]:
        return self.model._default_manager.all()

    def others(self, person: Person, action: str) -> Q:
        """What a person who does not coordinate the network may reach (a Q on the model)."""
        return Q(pk__in=[])

    def instances_user_has_permission_for(
        self, user: Any, action: str, *, network: Network | None = None
    ) -> QuerySet[Any]:
        self._check_action(action)
        objects = self.queryset()
        if network is not None:
            objects = objects.filter(**{self.network_path: network})
        if is_platform_admin(user):
            return objects
        person = person_of(user)
        if person is None:
            return objects.none()
        # A sub-query rather than a join, so an object is never listed twice.
        coordinated = Network.objects.filter(coordinators=person).values("pk")
        return objects.filter(
            Q(**{f"{self.network_path}__in": coordinated}) | self.others(person, action)
        )


class MembershipPolicy(NetworkScopedPolicy):
    """Member lists are public; a network's coordinators change its memberships."""

    model = Membership


class GroupMembershipPolicy(NetworkScopedPolicy):
    """Participants are seen by those who may see the group's people; a group is changed by
    its network's coordinators and its own coordinators."""

    model = GroupMembership
    network_field = "group__network"

    def instances_user_has_permission_for(
        self, user: Any, action: str, *, network: Network | None = None
    ) -> QuerySet[Any]:
        self._check_action(action)
        objects = GroupMembership.objects.select_related("group", "person")
        if network is not None:
            objects = objects.filter(group__network=network)
        groups = Group.objects.select_related("network")
        if network is not None:
            groups = groups.filter(network=network)
        check = can_view_group_people if action == "view" else can_manage_group
        return objects.filter(group__in=[g for g in groups if check(user, g)])


class ContactAssignmentPolicy(CoordinatedNetworkPolicy):
    """Contact persons are personal data: seen and changed by the network's coordinators (and
    a group's coordinators for that group's contacts)."""

    model = ContactAssignment

    def others(self, person: Person, action: str) -> Q:
        return Q(group__coordinators=person)


membership_policy = MembershipPolicy()
group_membership_policy = GroupMembershipPolicy()
contact_assignment_policy = ContactAssignmentPolicy()


def can_view_person(user: Any, person: Person) -> bool:
    return person_policy.user_has_permission_for_instance(user, "view", person)
