"""Who may do what with evaluations and surveys.

Evaluations and the member survey are the network coordinators' tools (and the platform
admin's): they open, close, read results and pick quotes. Answering needs no login, only the
personal link, so it has no permission function: the token is the permission.
"""

from typing import Any

from navet.networks.models import Network
from navet.networks.permissions import can_manage_network


def can_manage_evaluations(user: Any, network: Network) -> bool:
    return can_manage_network(user, network)
