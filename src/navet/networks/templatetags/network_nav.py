"""``{% network_nav network "members" %}``: the network menu, with the links one may use."""

from typing import Any

from django import template
from django.utils import timezone

from navet.networks import permissions
from navet.networks.models import Network

register = template.Library()


@register.inclusion_tag("networks/_network_nav.html", takes_context=True)
def network_nav(context: dict[str, Any], network: Network, active: str = "") -> dict[str, Any]:
    user = context["request"].user
    can_manage = permissions.can_manage_network(user, network)
    return {
        "network": network,
        "active": active,
        "year": timezone.localdate().year,
        "can_manage": can_manage,
        "can_view_people": permissions.can_view_people(user, network),
        "coordinates_group": not can_manage and permissions.coordinates_any_group(user, network),
    }
