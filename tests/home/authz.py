"""Authorisation expectations for the start page and the profile (see tests/authz.py).

``networks:home`` (``/``) is expected in tests/networks/authz.py: everyone gets 200, the
public list of networks or the personal start page. The profile is every logged-in person's
own; an account without a person gets a page saying so.
"""

from typing import Any

from tests.authz import LOGGED_IN_ONLY, Expectation, everyone

EXPECTED: dict[str, tuple[str, Expectation]] = {
    "home:profile": ("get", LOGGED_IN_ONLY),
    "home:network_list": ("get", everyone(200)),
}


def build_objects(base: dict[str, Any]) -> dict[str, Any]:
    return {}


def url_kwargs(name: str, objects: dict[str, Any]) -> dict[str, Any] | None:
    return {} if name in EXPECTED else None
