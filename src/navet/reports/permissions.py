"""Who may read and change the annual plan and read the annual report.

* The annual plan is public: anyone may read it. Network coordinators (and platform admins)
  add, change and delete its activities.
* The annual report lists the member organisations and figures drawn from named attendance,
  so only those who may see the network's people read it: coordinators of the network or of
  one of its groups, and people of member organisations.
"""

from typing import Any

from navet.networks.models import Network
from navet.networks.permissions import can_manage_network, can_view_people


def can_view_plan(user: Any, network: Network) -> bool:
    return True


def can_edit_plan(user: Any, network: Network) -> bool:
    return can_manage_network(user, network)


def can_view_report(user: Any, network: Network) -> bool:
    return can_view_people(user, network)
