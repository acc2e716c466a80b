"""Who may read and change indicators, values, targets and imports.

* Indicator values are open statistics (Kolada publishes them): everyone reads the catalogue,
  the comparisons, the rankings and the follow-up tables, signed in or not.
* Imports (Kolada sync, files) change figures every network sees, so only platform admins
  and network coordinators start them and read their run logs.
* An organisation's targets are changed by its own people with an account, by coordinators
  of a network it is a member of today, and by platform admins.
"""

from typing import Any

from django.db.models import Q
from django.utils import timezone

from navet.networks.models import Membership, Organisation
from navet.networks.permissions import is_platform_admin, person_of


def can_view_indicators(user: Any) -> bool:
    return True


def can_import(user: Any) -> bool:
    if is_platform_admin(user):
        return True
    person = person_of(user)
    return person is not None and person.coordinated_networks.exists()


def can_edit_targets(user: Any, organisation: Organisation) -> bool:
    if is_platform_admin(user):
        return True
    person = person_of(user)
    if person is None:
        return False
    if person.organisation_id == organisation.pk:
        return True
    today = timezone.localdate()
    return (
        Membership.objects.filter(
            organisation=organisation,
            network__coordinators=person,
            start_date__lte=today,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .exists()
    )
