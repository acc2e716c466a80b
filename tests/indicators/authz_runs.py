"""Authorisation expectations for the import run pages and the Kolada sync form.

Imports change figures every network sees, so only those who may import (platform admins and
network coordinators, of any network) see the runs and start a sync; see
navet.indicators.permissions.can_import.
"""

from typing import Any

from navet.indicators.models import ImportRun
from navet.indicators.runs import create_run
from tests.authz import MANAGERS, Expectation, only

IMPORTERS = [*MANAGERS, "other_coordinator"]

EXPECTED: dict[str, tuple[str, Expectation]] = {
    "indicators:run_list": ("get", only(IMPORTERS)),
    "indicators:run_detail": ("get", only(IMPORTERS)),
    "indicators:run_progress": ("get", only(IMPORTERS)),
    "indicators:sync_start": ("get", only(IMPORTERS)),
}


def build_objects(base: dict[str, Any]) -> dict[str, Any]:
    run = create_run(
        kind=ImportRun.Kind.KOLADA,
        parameters={"kpis": ["N00401"], "municipalities": ["1490"], "years": [2023]},
    )
    return {"runs_kolada_run": run}


def url_kwargs(name: str, objects: dict[str, Any]) -> dict[str, Any] | None:
    if name in {"indicators:run_detail", "indicators:run_progress"}:
        return {"pk": objects["runs_kolada_run"].pk}
    if name in {"indicators:run_list", "indicators:sync_start"}:
        return {}
    return None
