"""Who may see and change fees.

Schemes, the index, the fee list and the population imports are the network coordinators'
(and platform admins'). A member organisation's people see their own organisation's
published fee lines, and, for an association, the lines of the members billed to it; nothing
of any other member's.
"""

from typing import Any

from django.db.models import Q, QuerySet

from navet.core.policies import Policy
from navet.fees.models import FeeIndex, FeeLine, FeeScheme, Population
from navet.networks.models import Network, Person
from navet.networks.permissions import (
    CoordinatedNetworkPolicy,
    can_manage_network,
    is_platform_admin,
    person_of,
)


def can_manage_fees(user: Any, network: Network) -> bool:
    return can_manage_network(user, network)


class FeeSchemePolicy(CoordinatedNetworkPolicy):
    """Seen and changed by the network's coordinators and platform admins only."""

    model = FeeScheme


class FeeIndexPolicy(CoordinatedNetworkPolicy):
    model = FeeIndex


class FeeLinePolicy(CoordinatedNetworkPolicy):
    """Coordinators see every stored line of their network; a member organisation's people
    see the lines of their own organisation and of the members billed to it."""

    model = FeeLine
    actions = ("view",)
    network_path = "scheme__network"

    def queryset(self) -> QuerySet[Any]:
        return FeeLine.objects.select_related("scheme", "organisation", "billed_to")

    def others(self, person: Person, action: str) -> Q:
        if person.organisation_id is None:
            return Q(pk__in=[])
        return Q(organisation_id=person.organisation_id) | Q(billed_to_id=person.organisation_id)


class PopulationPolicy(Policy[Population]):
    """Population is public statistics; changed (imported) by coordinators for their
    network's member municipalities and by platform admins."""

    model = Population

    def instances_user_has_permission_for(
        self, user: Any, action: str, *, network: Network | None = None
    ) -> QuerySet[Population]:
        self._check_action(action)
        objects = Population.objects.select_related("organisation")
        if network is not None:
            objects = objects.filter(organisation__memberships__network=network).distinct()
        if action == "view" or is_platform_admin(user):
            return objects
        if network is None or not can_manage_network(user, network):
            return objects.none()
        return objects


fee_scheme_policy = FeeSchemePolicy()
fee_index_policy = FeeIndexPolicy()
fee_line_policy = FeeLinePolicy()
population_policy = PopulationPolicy()


def can_view_own_fees(user: Any, network: Network) -> bool:
    """Anyone logged in with an organisation that was ever a member (directly or as 'via')."""
    person = person_of(user)
    if person is None or person.organisation_id is None:
        return False
    return network.memberships.filter(
        Q(organisation_id=person.organisation_id) | Q(via_id=person.organisation_id)
    ).exists()
