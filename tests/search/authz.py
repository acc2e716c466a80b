"""Authorisation expectations for the search (see tests/authz.py): the page is open to
everyone, signed in or not; what each finds is the providers' visibility rules
(tests/search/test_permissions.py)."""

from typing import Any

from tests.authz import Expectation, everyone

EXPECTED: dict[str, tuple[str, Expectation]] = {
    "search:search": ("get", everyone(200)),
}


def build_objects(base: dict[str, Any]) -> dict[str, Any]:
    return {}


def url_kwargs(name: str, objects: dict[str, Any]) -> dict[str, Any] | None:
    return {} if name in EXPECTED else None
