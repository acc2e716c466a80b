"""Authorisation expectations for the import run pages and the Kolada sync form.

Only those who may import (platform admins and network coordinators) reach the run pages and
the sync form; a run is seen by the coordinators of the network it was started for (and
admins), so another network's coordinator gets 404 for it: see
navet.indicators.permissions.ImportRunPolicy.
"""

from typing import Any

from navet.indicators.models import ImportRun
from navet.indicators.runs import create_run
from tests.authz import MANAGERS, Expectation, only

IMPORTERS = [*MANAGERS, "other_coordinator"]

RUN_OF_NETWORK: Expectation = {**only(IMPORTERS), "other_coordinator": 404}

EXPECTED: dict[str, tuple[str, Expectation]] = {
    "indicators:run_list": ("get", only(IMPORTERS)),
    "indicators:run_detail": ("get", RUN_OF_NETWORK),
    "indicators:run_progress": ("get", RUN_OF_NETWORK),
    "indicators:sync_start": ("get", only(IMPORTERS)),
}


def build_objects(base: dict[str, Any]) -> dict[str, Any]:
    run = create_run(
        kind=ImportRun.Kind.KOLADA,
        parameters={"kpis": ["N00401"], "municipalities": ["1490"], "years": [2023]},
        network=base["network"],
    )
    return {"runs_kolada_run": run}


def url_kwargs(name: str, objects: dict[str, Any]) -> dict[str, Any] | None:
    if name in {"indicators:run_detail", "indicators:run_progress"}:
        return {"pk": objects["runs_kolada_run"].pk}
    if name in {"indicators:run_list", "indicators:sync_start"}:
        return {}
    return None
