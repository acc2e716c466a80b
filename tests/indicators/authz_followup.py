"""Authorisation expectations for the follow-up table and its targets (see tests/authz.py).

The table, its PDF and its XLSX are public like all indicator values. An organisation's
targets are changed by platform admins and by its own people with a strategic role (or who
coordinate a network): see navet.indicators.permissions.TargetPolicy. The organisation used
here is the member's (Borås, a member of ``network``; the member is an environmental
strategist): the member may edit, while the network's coordinator may not, since joining a
network gives its coordinators no say over the organisation's targets.
"""

from typing import Any

from navet.indicators.models import Indicator, Target
from tests.authz import Expectation, everyone, only

TARGET_EDITORS = ["admin", "member"]

EXPECTED: dict[str, tuple[str, Expectation]] = {
    "indicators:followup": ("get", everyone(200)),
    "indicators:followup_pdf": ("get", everyone(200)),
    "indicators:followup_xlsx": ("get", everyone(200)),
    "indicators:target_add": ("get", only(TARGET_EDITORS)),
    "indicators:target_edit": ("get", only(TARGET_EDITORS)),
    "indicators:target_delete": ("get", only(TARGET_EDITORS)),
}


def build_objects(base: dict[str, Any]) -> dict[str, Any]:
    organisation = base["member_person"].organisation
    # get_or_create: a second world (tests/test_isolation_matrix.py) may share the indicator.
    indicator, _created = Indicator.objects.get_or_create(
        code="AUTHZ-FOLLOWUP",
        defaults={"title": "Måltidssvinn", "unit": "g/ätande", "source": "own"},
    )
    target, _created = Target.objects.get_or_create(
        organisation=organisation,
        indicator=indicator,
        defaults={"target_value": 40, "desired_state": "Mindre matsvinn i skolan."},
    )
    return {"followup_organisation": organisation, "followup_target": target}


def url_kwargs(name: str, objects: dict[str, Any]) -> dict[str, Any] | None:
    if name not in EXPECTED:
        return None
    kwargs: dict[str, Any] = {"pk": objects["followup_organisation"].pk}
    if name in {"indicators:target_edit", "indicators:target_delete"}:
        kwargs["target_pk"] = objects["followup_target"].pk
    return kwargs
