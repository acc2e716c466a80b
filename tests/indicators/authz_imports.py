"""Authorisation expectations for the file import page and its template download.

Imports change figures every network sees, so only those who may import (platform admins and
network coordinators, of any network) upload files; see navet.indicators.permissions.can_import.
"""

from typing import Any

from tests.authz import MANAGERS, Expectation, only

IMPORTERS = [*MANAGERS, "other_coordinator"]

EXPECTED: dict[str, tuple[str, Expectation]] = {
    "indicators:file_import": ("get", only(IMPORTERS)),
    "indicators:import_template": ("get", only(IMPORTERS)),
}


def build_objects(base: dict[str, Any]) -> dict[str, Any]:
    return {}


def url_kwargs(name: str, objects: dict[str, Any]) -> dict[str, Any] | None:
    if name in EXPECTED:
        return {}
    return None
