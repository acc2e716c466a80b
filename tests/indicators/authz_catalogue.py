"""Authorisation expectations for the indicator catalogue pages: all public, anonymous included."""

from typing import Any

from navet.indicators.models import IndicatorSet
from tests.authz import Expectation, everyone

EXPECTED: dict[str, tuple[str, Expectation]] = {
    "indicators:catalogue": ("get", everyone(200)),
    "indicators:agenda2030": ("get", everyone(200)),
    "indicators:set_detail": ("get", everyone(200)),
}


def build_objects(base: dict[str, Any]) -> dict[str, Any]:
    # One set per network, so that a second world (tests/test_isolation_matrix.py) has its own.
    indicator_set, _created = IndicatorSet.objects.get_or_create(
        slug=f"authz-set-{base['network'].slug}"[:50],
        defaults={
            "name": "Authz set",
            "kind": IndicatorSet.Kind.NETWORK,
            "network": base["network"],
        },
    )
    return {"catalogue_set": indicator_set}


def url_kwargs(name: str, objects: dict[str, Any]) -> dict[str, Any] | None:
    if name == "indicators:set_detail":
        return {"slug": objects["catalogue_set"].slug}
    if name in {"indicators:catalogue", "indicators:agenda2030"}:
        return {}
    return None
