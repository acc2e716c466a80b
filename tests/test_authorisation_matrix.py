"""Every URL pattern × every role, with the status each role must get.

The parameters are generated from the URL configuration itself, so a new view without an
entry in EXPECTED (or a namespace rule) fails here instead of being forgotten.
"""

import importlib
import importlib.util
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from navet.accounts.models import User
from navet.networks.models import Group, GroupMembership, Membership, Network, Person
from tests.authz import LOGIN, Expectation
from tests.conftest import ROLES

# Each app's tests package declares its own expectations (see tests/authz.py).
AUTHZ_MODULES = [
    importlib.import_module(f"tests.{app}.authz")
    for app in (
        "accounts",
        "networks",
        "meetings",
        "evaluations",
        "reports",
        "indicators",
        "home",
        "fees",
        "hours",
        "budget",
        "documents",
        "search",
    )
    if importlib.util.find_spec(f"tests.{app}.authz") is not None
]
EXPECTED: dict[str, tuple[str, Expectation]] = {}
for _module in AUTHZ_MODULES:
    EXPECTED.update(_module.EXPECTED)


def _walk(patterns: list[Any], namespace: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}" if pattern.name else f"{namespace}<unnamed>"


ALL_URL_NAMES = sorted(set(_walk(get_resolver().url_patterns)))
OWN_URL_NAMES = [name for name in ALL_URL_NAMES if not name.startswith("admin:")]
ADMIN_URL_NAMES = [name for name in ALL_URL_NAMES if name.startswith("admin:")]


def test_every_url_pattern_has_an_expectation() -> None:
    missing = [name for name in OWN_URL_NAMES if name not in EXPECTED]
    stale = [name for name in EXPECTED if name not in ALL_URL_NAMES]
    assert not missing, f"URL patterns without an authorisation expectation: {missing}"
    assert not stale, f"Expectations for URL patterns that no longer exist: {stale}"
    assert len(ADMIN_URL_NAMES) > 20  # the admin is covered by the namespace rule below


@pytest.fixture(autouse=True)
def media_in_tmp(settings: Any, tmp_path: Any) -> None:
    """Files the apps' objects upload (the archive's documents) go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


def close_file_response(response: Any) -> None:
    """A served file is streamed from an open file: read it to the end, which closes it (the
    test client's wrapper does, without closing the test's database connection as
    ``response.close()`` would)."""
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)


@pytest.fixture
def objects(network: Network, group_klimat: Group, roles: dict[str, User | None]) -> dict[str, Any]:
    base: dict[str, Any] = {
        "network": network,
        "group": group_klimat,
        "roles": roles,
        "membership": Membership.objects.get(network=network),
        "member_person": Person.objects.get(user=roles["member"]),
        "guest": GroupMembership.objects.get(group=group_klimat),
    }
    for module in AUTHZ_MODULES:
        base.update(module.build_objects(base))
    return base


def _url(name: str, objects: dict[str, Any]) -> str:
    for module in AUTHZ_MODULES:
        kwargs = module.url_kwargs(name, objects)
        if kwargs is not None:
            return reverse(name, kwargs=kwargs)
    raise AssertionError(f"No module gives URL arguments for {name}")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", OWN_URL_NAMES)
def test_url_for_role(
    name: str, role: str, objects: dict[str, Any], client_for: Callable[[str], Client]
) -> None:
    if name not in EXPECTED:
        pytest.fail(f"{name} has no authorisation expectation")
    method, expected_by_role = EXPECTED[name]
    expected = expected_by_role[role]
    response = getattr(client_for(role), method)(_url(name, objects))
    close_file_response(response)
    if expected == LOGIN:
        assert response.status_code == 302, response
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == expected, (name, role, response.status_code)
        if expected == 302 and role != "anonymous" and name.startswith("networks:"):
            assert not response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_admin_site_is_for_platform_admins_only(
    role: str, objects: dict[str, Any], client_for: Callable[[str], Client]
) -> None:
    """Every admin page without object arguments: admins get in, everyone else is sent to the
    admin login (Django's admin has its own)."""
    client = client_for(role)
    resolver = get_resolver()
    checked = 0
    for name in ADMIN_URL_NAMES:
        pattern_kwargs = _admin_kwargs(name, resolver)
        if pattern_kwargs is None:
            continue
        url = reverse(name, kwargs=pattern_kwargs)
        response = client.get(url)
        checked += 1
        if role == "admin":
            # The audit trail, the archive and the task queue are written by services only;
            # nobody adds entries, documents or task results by hand (documents: through
            # the archive's upload page; task results: django-tasks-db's read-only admin).
            by_services = {
                "admin:core_auditentry_add",
                "admin:documents_document_add",
                "admin:django_tasks_database_dbtaskresult_add",
            }
            allowed = 403 if name in by_services else 200
            assert response.status_code == allowed, (url, response.status_code)
        else:
            assert response.status_code == 302, (url, response.status_code)
            assert response["Location"].startswith(reverse("admin:login")), url
    assert checked >= 10


def _admin_kwargs(name: str, resolver: Any) -> dict[str, str] | None:
    """Arguments for admin pages that need none, or only the app label; None for object
    pages (their rule is the same and the admin decides it before looking at the object)."""
    if name in {"admin:login", "admin:logout", "admin:view_on_site", "admin:<unnamed>"}:
        return None
    if name.endswith(("_change", "_delete", "_history", "_password_change", "autocomplete")):
        return None
    if name == "admin:app_list":
        return {"app_label": "networks"}
    return {}
