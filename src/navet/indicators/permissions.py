"""Who may read and change indicators, values, targets and imports: one policy per model.

* Indicator values are open statistics (Kolada publishes them): everyone reads the catalogue,
  the indicator sets, the comparisons, the rankings and the follow-up tables, signed in or not.
* Imports (Kolada syncs, files) are started by platform admins and network coordinators. A
  coordinator imports *for one of their networks*: a sync fetches its members' figures, a file
  may hold values of its member organisations only (for Kolada's indicators and the network's
  own). Each run records the network it was started for and is seen only by that network's
  coordinators; a platform-wide run (no network) by platform admins only.
* An organisation's targets are its own decision ("joining is consented": being a member of a
  network does not let the network's coordinators change them). They are changed by platform
  admins and by the organisation's own people with an account who either have a strategic role
  (environmental or sustainability strategist, manager) or coordinate a network.

Views look objects up through these policies (``get_or_404``), forms take their choices from
them, and the import filters its look-ups through them.
"""

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from navet.core.policies import Policy
from navet.indicators.models import ImportRun, Indicator, IndicatorSet, Target
from navet.networks.models import Network, Organisation, Person
from navet.networks.permissions import is_platform_admin, person_of
from navet.networks.selectors import member_organisations

# The role categories whose people set their organisation's targets.
STRATEGIC_ROLES = frozenset(
    {
        Person.RoleCategory.ENVIRONMENTAL_STRATEGIST,
        Person.RoleCategory.SUSTAINABILITY_STRATEGIST,
        Person.RoleCategory.MANAGER,
    }
)
# Targets are set for municipalities and regions (services.TARGET_ORGANISATION_KINDS).
TARGET_ORGANISATION_KINDS = (Organisation.Kind.MUNICIPALITY, Organisation.Kind.REGION)


def can_view_indicators(user: Any) -> bool:
    return True


def importer_networks(user: Any) -> QuerySet[Network]:
    """The networks the user may import for: all for platform admins, else those they
    coordinate."""
    if is_platform_admin(user):
        return Network.objects.order_by("name")
    person = person_of(user)
    if person is None:
        return Network.objects.none()
    return Network.objects.filter(coordinators=person).order_by("name")


def can_import(user: Any) -> bool:
    return is_platform_admin(user) or importer_networks(user).exists()


def can_import_platform_wide(user: Any) -> bool:
    """Imports without a network (all municipalities, any organisation): admins only."""
    return is_platform_admin(user)


class ImportRunPolicy(Policy[ImportRun]):
    """A run is seen (and, once there are such actions, retried or cancelled) by those who may
    import for the network it was started for; a run without a network by admins only."""

    model = ImportRun

    def instances_user_has_permission_for(
        self, user: Any, action: str, *, network: Network | None = None
    ) -> QuerySet[ImportRun]:
        self._check_action(action)
        runs = ImportRun.objects.select_related("started_by", "network")
        if not is_platform_admin(user):
            runs = runs.filter(network__in=importer_networks(user))
        if network is not None:
            runs = runs.filter(network=network)
        return runs


class TargetPolicy(Policy[Target]):
    """Targets are read by everyone (the follow-up table is public); changed as the module
    docstring says. ``network`` narrows to the targets of the network's member organisations
    today."""

    model = Target

    def organisations_user_may_change(self, user: Any) -> QuerySet[Organisation]:
        """The organisations whose targets the user may add, change and delete."""
        organisations = Organisation.objects.filter(kind__in=TARGET_ORGANISATION_KINDS)
        if is_platform_admin(user):
            return organisations
        person = person_of(user)
        if person is None or not (
            person.role_category in STRATEGIC_ROLES or person.coordinated_networks.exists()
        ):
            return organisations.none()
        return organisations.filter(pk=person.organisation_id)

    def may_change_targets_of(self, user: Any, organisation: Organisation) -> bool:
        return self.organisations_user_may_change(user).filter(pk=organisation.pk).exists()

    def instances_user_has_permission_for(
        self, user: Any, action: str, *, network: Network | None = None
    ) -> QuerySet[Target]:
        self._check_action(action)
        targets = Target.objects.select_related("organisation", "indicator")
        if action == "change":
            targets = targets.filter(organisation__in=self.organisations_user_may_change(user))
        if network is not None:
            targets = targets.filter(
                organisation__in=member_organisations(network=network, day=timezone.localdate())
            )
        return targets


class IndicatorSetPolicy(Policy[IndicatorSet]):
    """Sets are public; a network's own set is changed by its coordinators (and admins)."""

    model = IndicatorSet

    def instances_user_has_permission_for(
        self, user: Any, action: str, *, network: Network | None = None
    ) -> QuerySet[IndicatorSet]:
        self._check_action(action)
        sets = IndicatorSet.objects.select_related("network")
        if action == "change" and not is_platform_admin(user):
            person = person_of(user)
            sets = (
                sets.filter(network__coordinators=person) if person else IndicatorSet.objects.none()
            )
        if network is not None:
            sets = sets.filter(network=network)
        return sets


class IndicatorPolicy(Policy[Indicator]):
    """Indicators are public. Values may be imported for Kolada's indicators and, by a
    network's coordinators, for that network's own indicators (admins: any)."""

    model = Indicator
    actions = ("view", "import")

    def instances_user_has_permission_for(
        self, user: Any, action: str, *, network: Network | None = None
    ) -> QuerySet[Indicator]:
        self._check_action(action)
        indicators = Indicator.objects.all()
        if action == "import" and not is_platform_admin(user):
            indicators = indicators.filter(
                Q(network__isnull=True) | Q(network__in=importer_networks(user))
            )
        if action == "import" and network is not None:
            indicators = indicators.filter(Q(network__isnull=True) | Q(network=network))
        return indicators


def importable_organisations(user: Any, network: Network | None) -> QuerySet[Organisation]:
    """The organisations a file import may hold values for: any for a platform-wide import (by
    an admin), else the network's member organisations today."""
    if network is None:
        return (
            Organisation.objects.all()
            if can_import_platform_wide(user)
            else (Organisation.objects.none())
        )
    if not importer_networks(user).filter(pk=network.pk).exists():
        return Organisation.objects.none()
    return member_organisations(network=network, day=timezone.localdate())


import_runs = ImportRunPolicy()
targets = TargetPolicy()
indicator_sets = IndicatorSetPolicy()
indicators = IndicatorPolicy()


def can_edit_targets(user: Any, organisation: Organisation) -> bool:
    return targets.may_change_targets_of(user, organisation)
