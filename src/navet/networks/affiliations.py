"""What a person is part of on a day, as ids, read in one statement and once a request.

The permission rules (the archive's, the meetings', the people directory's) used to nest a
sub-select per role into every query they filtered: "networks whose memberships include the
person's organisation", "groups the person takes part in", and so on. Building, compiling and
planning those sub-selects cost more than running the query itself on the hot pages and in
the search. ``affiliations_of(person)`` reads the answers once instead, as small sets of ids,
so a rule becomes ``network_id IN (3, 7)``.

Within a request the answer is remembered (``navet.core.request_memo``); a write that changes
it is followed by a redirect. Outside a request it is read again each time.
"""

import dataclasses
import datetime
from typing import Any

from django.db.models import F, IntegerField, Q, QuerySet, Value
from django.utils import timezone

from navet.core.request_memo import remembered
from navet.networks.models import Group, GroupMembership, Membership, Network, Person
from navet.networks.selectors import active_on

# The kinds of row the one statement returns: (kind, network id, group id).
_MEMBER = "member"
_TAKES_PART = "takes part"
_COORDINATES = "coordinates"
_COORDINATES_GROUP = "coordinates group"


@dataclasses.dataclass(frozen=True)
class Affiliations:
    """Ids of what a person is part of on one day.

    * ``member_networks``: networks their organisation is a member of, directly or as the
      "via" organisation;
    * ``groups`` and ``group_networks``: groups they take part in (as participant or guest)
      and those groups' networks;
    * ``coordinated_networks``: networks they coordinate;
    * ``coordinated_groups`` and ``coordinated_group_networks``: groups they coordinate and
      those groups' networks.
    """

    member_networks: frozenset[int] = frozenset()
    groups: frozenset[int] = frozenset()
    group_networks: frozenset[int] = frozenset()
    coordinated_networks: frozenset[int] = frozenset()
    coordinated_groups: frozenset[int] = frozenset()
    coordinated_group_networks: frozenset[int] = frozenset()

    @property
    def networks(self) -> frozenset[int]:
        """Networks they belong to today in any role: the network's members' documents and
        meetings are theirs to see."""
        return (
            self.member_networks
            | self.group_networks
            | self.coordinated_networks
            | self.coordinated_group_networks
        )

    def coordinates_q(self, network: str = "network_id", group: str = "group_id") -> Q:
        """Rows of a network they coordinate, or of a group they coordinate (``network`` and
        ``group`` name the row's fields)."""
        return Q(**{f"{network}__in": sorted(self.coordinated_networks)}) | Q(
            **{f"{group}__in": sorted(self.coordinated_groups)}
        )


def affiliations_of(person: Person, day: datetime.date | None = None) -> Affiliations:
    day = day or timezone.localdate()
    return remembered(
        ("affiliations", person.pk, person.organisation_id, day),
        lambda: _read_affiliations(person, day),
    )


def _read_affiliations(person: Person, day: datetime.date) -> Affiliations:
    no_group = Value(None, output_field=IntegerField())

    def rows(queryset: QuerySet[Any], kind: str, network: Any, group: Any) -> QuerySet[Any]:
        # No ORDER BY (the models' default ordering): a UNION's parts may not have one.
        return (
            queryset.order_by()
            .annotate(affiliation=Value(kind), of_network=network, of_group=group)
            .values_list("affiliation", "of_network", "of_group")
        )

    memberships = Membership.objects.filter(active_on(day)).filter(
        Q(organisation_id=person.organisation_id) | Q(via_id=person.organisation_id)
    )
    statement = rows(memberships, _MEMBER, F("network_id"), no_group).union(
        rows(
            GroupMembership.objects.filter(active_on(day), person=person),
            _TAKES_PART,
            F("group__network_id"),
            F("group_id"),
        ),
        rows(
            Network.coordinators.through.objects.filter(person=person),
            _COORDINATES,
            F("network_id"),
            no_group,
        ),
        rows(
            Group.coordinators.through.objects.filter(person=person),
            _COORDINATES_GROUP,
            F("group__network_id"),
            F("group_id"),
        ),
        all=True,
    )
    found: dict[str, set[int]] = {
        "member_networks": set(),
        "groups": set(),
        "group_networks": set(),
        "coordinated_networks": set(),
        "coordinated_groups": set(),
        "coordinated_group_networks": set(),
    }
    for kind, network_id, group_id in statement:
        if kind == _MEMBER:
            found["member_networks"].add(network_id)
        elif kind == _TAKES_PART:
            found["groups"].add(group_id)
            found["group_networks"].add(network_id)
        elif kind == _COORDINATES:
            found["coordinated_networks"].add(network_id)
        else:
            found["coordinated_groups"].add(group_id)
            found["coordinated_group_networks"].add(network_id)
    return Affiliations(**{name: frozenset(ids) for name, ids in found.items()})
