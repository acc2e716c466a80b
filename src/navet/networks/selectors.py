"""Reads for the network core. Each selector fetches what its page needs in a fixed number of
queries, whatever the size of the network."""

import datetime
import re
from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import F, Prefetch, Q, QuerySet

from navet.core.collation import swedish_key
from navet.networks.models import (
    ContactAssignment,
    Group,
    GroupMembership,
    Membership,
    Network,
    Organisation,
    Person,
)

# Whole-network contacts (no group) first, on every database: NULL sorts differently in each.
GROUP_FIRST = F("group__name").asc(nulls_first=True)


def active_on(day: datetime.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}start_date__lte": day}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": day})
    )


def network_list() -> QuerySet[Network]:
    return Network.objects.select_related("coordinating_organisation").order_by("name")


def membership_list(*, network: Network) -> QuerySet[Membership]:
    """Every membership of the network, past and present, with its organisation and via."""
    return (
        Membership.objects.filter(network=network)
        .select_related("organisation", "via")
        .order_by("organisation__name", "start_date")
    )


def members_on(*, network: Network, day: datetime.date) -> QuerySet[Membership]:
    return membership_list(network=network).filter(active_on(day))


def memberships_of_organisation(*, organisation: Organisation) -> QuerySet[Membership]:
    """The organisation's memberships in every network, and those it carries as 'via'."""
    return (
        Membership.objects.filter(Q(organisation=organisation) | Q(via=organisation))
        .select_related("network", "organisation", "via")
        .order_by("network__name", "start_date")
    )


def in_network(network: Network | int, prefix: str = "") -> Q:
    """People who belong to ``network``: they take or took part in one of its groups, are or
    were a contact person in it, coordinate it or one of its groups, or were registered by it.

    An organisation joining a network does not by itself bring its people along: they join by
    taking part (the network's "joining is consented" rule). ``prefix`` applies the rule
    through a relation, e.g. ``"person__"`` for registrations.
    """
    return in_networks([network if isinstance(network, int) else network.pk], prefix)


def in_networks(network_ids: Collection[int], prefix: str = "") -> Q:
    """People who belong to any of the networks (``in_network``, for several at once)."""
    ids = sorted(network_ids)
    return _person_ids_in(
        prefix,
        GroupMembership.objects.filter(group__network__in=ids).values("person_id"),
        ContactAssignment.objects.filter(network__in=ids).values("person_id"),
        Network.coordinators.through.objects.filter(network__in=ids).values("person_id"),
        Group.coordinators.through.objects.filter(group__network__in=ids).values("person_id"),
        Person.objects.filter(registered_by_network__in=ids).values("pk"),
    )


def _person_ids_in(prefix: str, *id_querysets: QuerySet) -> Q:
    condition = Q()
    for ids in id_querysets:
        condition |= Q(**{f"{prefix}pk__in": ids})
    return condition


def people_in_network(*, network: Network) -> QuerySet[Person]:
    """Everyone who belongs to the network (see ``in_network``), past participants included."""
    return Person.objects.filter(in_network(network)).select_related("organisation")


def networks_of_person(*, person: Person) -> QuerySet[Network]:
    """The networks the person belongs to (see ``in_network``)."""
    return Network.objects.filter(
        Q(groups__group_memberships__person=person)
        | Q(contact_assignments__person=person)
        | Q(coordinators=person)
        | Q(groups__coordinators=person)
        | Q(registered_people=person)
    ).distinct()


def member_organisations(*, network: Network, day: datetime.date) -> QuerySet[Organisation]:
    """Organisations that are members on ``day``, and those they take part through."""
    members = Membership.objects.filter(network=network).filter(active_on(day))
    return Organisation.objects.filter(
        Q(pk__in=members.values("organisation_id")) | Q(pk__in=members.values("via_id"))
    )


def contacts_on(*, network: Network, day: datetime.date) -> QuerySet[ContactAssignment]:
    return (
        ContactAssignment.objects.filter(network=network)
        .filter(active_on(day))
        .select_related("organisation", "person", "person__organisation", "group")
        .order_by("organisation__name", GROUP_FIRST)
    )


def contact_history(
    *, organisation: Organisation, network: Network | None = None
) -> QuerySet[ContactAssignment]:
    assignments = ContactAssignment.objects.filter(organisation=organisation)
    if network is not None:
        assignments = assignments.filter(network=network)
    return assignments.select_related("person", "network", "group").order_by(
        "network__name", GROUP_FIRST, "-start_date"
    )


def contact_assignment_list(*, network: Network) -> QuerySet[ContactAssignment]:
    return (
        ContactAssignment.objects.filter(network=network)
        .select_related("organisation", "person", "group")
        .order_by("organisation__name", GROUP_FIRST, "-start_date")
    )


@dataclass(frozen=True)
class ContactChange:
    organisation: Organisation
    group: Group | None
    previous: ContactAssignment | None
    current: ContactAssignment


def contact_turnover(
    *, network: Network, start: datetime.date, end: datetime.date
) -> list[ContactChange]:
    """Organisations whose contact person changed within [start, end].

    A change is an assignment starting in the period that follows an earlier assignment for the
    same organisation, network and group. First-ever assignments are not turnover.
    """
    assignments = list(contact_assignment_list(network=network).order_by("start_date", "pk"))
    previous_by_key: dict[tuple[int, int | None], ContactAssignment] = {}
    changes: list[ContactChange] = []
    for assignment in assignments:
        key = (assignment.organisation_id, assignment.group_id)
        previous = previous_by_key.get(key)
        if previous is not None and start <= assignment.start_date <= end:
            changes.append(
                ContactChange(assignment.organisation, assignment.group, previous, assignment)
            )
        previous_by_key[key] = assignment
    changes.sort(
        key=lambda change: (change.current.start_date, swedish_key(change.organisation.name))
    )
    return changes


def group_list(*, network: Network) -> QuerySet[Group]:
    return network.groups.prefetch_related("coordinators").order_by("name")


def group_participants(*, group: Group, day: datetime.date) -> QuerySet[GroupMembership]:
    return (
        group.group_memberships.filter(active_on(day))
        .select_related("person", "person__organisation")
        .order_by("person__organisation__name", "person__last_name")
    )


def group_membership_history(*, group: Group) -> QuerySet[GroupMembership]:
    return group.group_memberships.select_related("person", "person__organisation").order_by(
        "-start_date"
    )


def people_directory(*, network: Network, day: datetime.date, search: str = "") -> QuerySet[Person]:
    """The network's people on ``day``: participants and guests of its groups, its contact
    persons, its and its groups' coordinators, and those it registered."""
    in_groups = GroupMembership.objects.filter(group__network=network).filter(active_on(day))
    people = Person.objects.filter(
        _person_ids_in(
            "",
            in_groups.values("person_id"),
            ContactAssignment.objects.filter(network=network)
            .filter(active_on(day))
            .values("person_id"),
            Network.coordinators.through.objects.filter(network=network).values("person_id"),
            Group.coordinators.through.objects.filter(group__network=network).values("person_id"),
            Person.objects.filter(registered_by_network=network).values("pk"),
        )
    )
    if search:
        for word in search.split():
            people = people.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(organisation__name__icontains=word)
                | Q(title__icontains=word)
            )
    return (
        people.select_related("organisation")
        .prefetch_related(
            Prefetch(
                "group_memberships",
                queryset=in_groups.select_related("group"),
                to_attr="current_group_memberships",
            )
        )
        .order_by("last_name", "first_name")
    )


# Official names whose stem differs from the municipality's short name.
NAME_ALIASES = {"falu": "falun"}


def _normalise_name(text: str) -> str:
    text = re.sub(r"[\s\-]+", " ", text.strip().casefold())
    return re.sub(r" (kommun|stad|municipality)$", "", text)


class OrganisationIndex:
    """Finds organisations by SCB code or by name as people write it.

    "1490", "Borås", "Borås Stad", "Lerums kommun" and "Dals Eds kommun" all find their
    municipality: the suffix is dropped and, failing an exact match, the genitive s. The index
    is built once (a few hundred rows), so an import of many rows costs one query.
    """

    def __init__(self) -> None:
        self.by_code: dict[str, Organisation] = {}
        self.by_name: dict[str, Organisation] = {}
        for organisation in Organisation.objects.all():
            if organisation.scb_code:
                self.by_code[organisation.scb_code] = organisation
            self.by_name.setdefault(_normalise_name(organisation.name), organisation)

    def find(self, text: str) -> Organisation | None:
        text = text.strip()
        if not text:
            return None
        if text.isdigit():
            return self.by_code.get(text.zfill(4) if len(text) > 2 else text.zfill(2))
        wanted = _normalise_name(text)
        wanted = NAME_ALIASES.get(wanted, wanted)
        found = self.by_name.get(wanted)
        if found is None and wanted.endswith("s"):
            found = self.by_name.get(wanted[:-1])
        return found


def organisation_find(text: str) -> Organisation | None:
    return OrganisationIndex().find(text)
