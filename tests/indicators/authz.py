"""Authorisation expectations for the indicators app (see tests/authz.py).

Each area of the app keeps its expectations in its own module; this one gathers them.
"""

from types import ModuleType
from typing import Any

from tests.authz import Expectation
from tests.indicators import (
    authz_catalogue,
    authz_comparison,
    authz_followup,
    authz_imports,
    authz_runs,
)

AREAS: list[ModuleType] = [
    authz_catalogue,
    authz_comparison,
    authz_followup,
    authz_imports,
    authz_runs,
]

EXPECTED: dict[str, tuple[str, Expectation]] = {}
for _area in AREAS:
    EXPECTED.update(_area.EXPECTED)


def build_objects(base: dict[str, Any]) -> dict[str, Any]:
    objects: dict[str, Any] = {}
    for area in AREAS:
        objects.update(area.build_objects({**base, **objects}))
    return objects


def url_kwargs(name: str, objects: dict[str, Any]) -> dict[str, Any] | None:
    for area in AREAS:
        kwargs = area.url_kwargs(name, objects)
        if kwargs is not None:
            return kwargs
    return None
