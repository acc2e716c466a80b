"""Authorisation expectations for the indicators app's followup pages (being written)."""

from typing import Any

from tests.authz import Expectation

EXPECTED: dict[str, tuple[str, Expectation]] = {}


def build_objects(base: dict[str, Any]) -> dict[str, Any]:
    return {}


def url_kwargs(name: str, objects: dict[str, Any]) -> dict[str, Any] | None:
    return None
