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
    coordinates_group = not can_manage and permissions.coordinates_any_group(user, network)
    is_member = not can_manage and permissions.is_member(user, network)
    return {
        "network": network,
        "active": active,
        "year": timezone.localdate().year,
        "can_manage": can_manage,
        # can_view_people, asking each question once (the group answer also shows the link to
        # status reports, which group coordinators write for their groups).
        "can_view_people": can_manage or coordinates_group or is_member,
        "coordinates_group": coordinates_group,
        # A member organisation's people see its own fee (fees.permissions).
        "is_member": is_member,
    }
