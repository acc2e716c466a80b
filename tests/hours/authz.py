"""Authorisation expectations for the hours app's URLs (see tests/authz.py).

Hours are the network coordinators' (and the platform admin's). The group coordinator has an
allocation for the Klimat group, so they may log (and change) their own hours, nothing else;
the logged entry under test is theirs.
"""

import datetime
from decimal import Decimal
from typing import Any

from navet.hours.models import Allocation, LoggedHours
from navet.networks.models import Person
from tests.authz import MANAGERS, Expectation, only

LOGGERS = [*MANAGERS, "group_coordinator"]


EXPECTED: dict[str, tuple[str, Expectation]] = {
    "hours:overview": ("get", only(MANAGERS)),
    "hours:allocation_create": ("get", only(MANAGERS)),
    "hours:allocation_edit": ("get", only(MANAGERS)),
    "hours:allocation_delete": ("post", only(MANAGERS, status=302)),
    "hours:log": ("get", only(LOGGERS)),
    "hours:log_edit": ("get", only(LOGGERS)),
    "hours:log_delete": ("post", only(LOGGERS, status=302)),
}


def build_objects(base: dict[str, Any]) -> dict[str, Any]:
    network, group = base["network"], base["group"]
    coordinator = Person.objects.get(user=base["roles"]["group_coordinator"])
    allocation = Allocation.objects.create(
        network=network,
        person=coordinator,
        group=group,
        role=Allocation.Role.CLUSTER_COORDINATOR,
        hours_per_month=Decimal("50"),
        start_date=datetime.date(2020, 1, 1),
    )
    entry = LoggedHours.objects.create(
        network=network,
        allocation=allocation,
        month=datetime.date(2020, 3, 1),
        hours=Decimal("12.5"),
        activity="Klusterträff",
    )
    return {"hours_allocation": allocation, "hours_entry": entry}


def url_kwargs(name: str, objects: dict[str, Any]) -> dict[str, Any] | None:
    if not name.startswith("hours:"):
        return None
    slug = objects["network"].slug
    if name.startswith("hours:allocation_") and name != "hours:allocation_create":
        return {"slug": slug, "pk": objects["hours_allocation"].pk}
    if name in {"hours:log_edit", "hours:log_delete"}:
        return {"slug": slug, "pk": objects["hours_entry"].pk}
    return {"slug": slug}
