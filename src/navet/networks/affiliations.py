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
import functools

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from navet.core.request_memo import remembered
from navet.networks.models import Group, GroupMembership, Membership, Network, Person

# The kinds of row the one statement returns: (kind, network id, group id or NULL).
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


@functools.cache
def _statement() -> str:
    """The one statement, with the models' table names: a row (kind, network id, group id) per
    membership of the person's organisation active on the day (directly or as "via"), group
    they take part in on the day, network and group they coordinate.

    Written as SQL, not as a union of four querysets: building and compiling those took
    about 3.5 ms, seven times what the database takes to answer, on every page a logged-in
    person opens. The "active on the day" test is ``networks.selectors.active_on``'s
    (tests/networks/test_affiliations.py checks both ends of the period).
    """
    membership = Membership._meta.db_table
    group_membership = GroupMembership._meta.db_table
    group = Group._meta.db_table
    network_coordinator = Network.coordinators.through._meta.db_table
    group_coordinator = Group.coordinators.through._meta.db_table
    return f"""
        SELECT %(member)s, m.network_id, NULL FROM {membership} m
        WHERE (m.organisation_id = %(organisation)s OR m.via_id = %(organisation)s)
          AND m.start_date <= %(day)s AND (m.end_date IS NULL OR m.end_date >= %(day)s)
        UNION ALL
        SELECT %(takes_part)s, g.network_id, g.id FROM {group_membership} gm
        JOIN {group} g ON g.id = gm.group_id
        WHERE gm.person_id = %(person)s
          AND gm.start_date <= %(day)s AND (gm.end_date IS NULL OR gm.end_date >= %(day)s)
        UNION ALL
        SELECT %(coordinates)s, nc.network_id, NULL FROM {network_coordinator} nc
        WHERE nc.person_id = %(person)s
        UNION ALL
        SELECT %(coordinates_group)s, g.network_id, g.id FROM {group_coordinator} gc
        JOIN {group} g ON g.id = gc.group_id
        WHERE gc.person_id = %(person)s
    """  # noqa: S608 - table names from the models, values as parameters


def _read_affiliations(person: Person, day: datetime.date) -> Affiliations:
    with connection.cursor() as cursor:
        cursor.execute(
            _statement(),
            {
                "member": _MEMBER,
                "takes_part": _TAKES_PART,
                "coordinates": _COORDINATES,
                "coordinates_group": _COORDINATES_GROUP,
                "organisation": person.organisation_id,
                "person": person.pk,
                "day": day,
            },
        )
        rows = cursor.fetchall()

    def ids(kind: str, column: int) -> frozenset[int]:
        return frozenset(row[column] for row in rows if row[0] == kind)

    return Affiliations(
        member_networks=ids(_MEMBER, 1),
        groups=ids(_TAKES_PART, 2),
        group_networks=ids(_TAKES_PART, 1),
        coordinated_networks=ids(_COORDINATES, 1),
        coordinated_groups=ids(_COORDINATES_GROUP, 2),
        coordinated_group_networks=ids(_COORDINATES_GROUP, 1),
    )
