"""Authorisation expectations for the follow-up table and its targets (see tests/authz.py).

The table, its PDF and its XLSX are public like all indicator values. An organisation's
targets are changed by its own people, by coordinators of a network it is a member of and by
platform admins: the organisation used here is the member's, Borås, a member of ``network``,
so the network coordinator may edit too while the other roles may not.
"""

from typing import Any

from navet.indicators.models import Indicator, Target
from tests.authz import Expectation, everyone, only

TARGET_EDITORS = ["admin", "network_coordinator", "member"]

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
    indicator = Indicator.objects.create(
        code="AUTHZ-FOLLOWUP", title="Måltidssvinn", unit="g/ätande", source="own"
    )
    target = Target.objects.create(
        organisation=organisation,
        indicator=indicator,
        target_value=40,
        desired_state="Mindre matsvinn i skolan.",
    )
    return {"followup_organisation": organisation, "followup_target": target}


def url_kwargs(name: str, objects: dict[str, Any]) -> dict[str, Any] | None:
    if name not in EXPECTED:
        return None
    kwargs: dict[str, Any] = {"pk": objects["followup_organisation"].pk}
    if name in {"indicators:target_edit", "indicators:target_delete"}:
        kwargs["target_pk"] = objects["followup_target"].pk
    return kwargs
