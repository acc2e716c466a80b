"""Every URL pattern × every role, with the status each role must get.

The parameters are generated from the URL configuration itself, so a new view without an
entry in EXPECTED (or a namespace rule) fails here instead of being forgotten.
"""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from navet.accounts.models import User
from navet.accounts.services import invitation_link
from navet.networks.models import Group, GroupMembership, Membership, Network, Person
from tests.conftest import ROLES
from tests.factories import UserFactory

LOGIN = "login"  # a redirect to the login page
ROLES_LOGGED_IN = [r for r in ROLES if r != "anonymous"]


def everyone(status: int | str) -> dict[str, int | str]:
    return dict.fromkeys(ROLES, status)


def only(allowed: list[str], status: int | str = 200) -> dict[str, int | str]:
    """``allowed`` roles get ``status``; other logged-in roles 403; anonymous is sent to log in."""
    expected: dict[str, int | str] = dict.fromkeys(ROLES_LOGGED_IN, 403)
    expected.update(dict.fromkeys(allowed, status))
    expected["anonymous"] = LOGIN
    return expected


MANAGERS = ["admin", "network_coordinator"]
PEOPLE_VIEWERS = [*MANAGERS, "group_coordinator", "member"]
GROUP_MANAGERS = [*MANAGERS, "group_coordinator"]
LOGGED_IN_ONLY = {**everyone(200), "anonymous": LOGIN}

# (method, expected status per role). Object-level rules: "other_coordinator" coordinates a
# different network, so it must be refused wherever a coordinator is needed.
EXPECTED: dict[str, tuple[str, dict[str, int | str]]] = {
    "networks:home": ("get", everyone(200)),
    "networks:network_detail": ("get", everyone(200)),
    "networks:member_list": ("get", everyone(200)),
    "networks:organisation_detail": ("get", everyone(200)),
    "networks:group_detail": ("get", everyone(200)),
    "networks:person_detail": ("get", only(PEOPLE_VIEWERS)),
    "networks:people_directory": ("get", only(PEOPLE_VIEWERS)),
    "networks:member_export": ("get", only(MANAGERS)),
    "networks:contact_list": ("get", only(MANAGERS)),
    "networks:contact_export": ("get", only(MANAGERS)),
    "networks:turnover": ("get", only(MANAGERS)),
    "networks:import_upload": ("get", only(MANAGERS)),
    "networks:membership_add": ("get", only(MANAGERS)),
    "networks:membership_edit": ("get", only(MANAGERS)),
    "networks:membership_end": ("get", only(MANAGERS)),
    "networks:person_add": ("get", only(MANAGERS)),
    "networks:person_edit": ("get", only(MANAGERS)),
    "networks:person_invite": ("post", only(MANAGERS, status=302)),
    "networks:contact_assign": ("get", only(GROUP_MANAGERS)),
    "networks:group_member_add": ("get", only(GROUP_MANAGERS)),
    "networks:group_member_end": ("get", only(GROUP_MANAGERS)),
    # Django's language switch only acts on POST; a GET is sent back without changing anything.
    "set_language": ("get", everyone(302)),
    "invitation_accept": ("get", everyone(200)),
    # django-allauth: pages for logging in are public; a logged-in person is sent on.
    "account_login": ("get", {**everyone(302), "anonymous": 200}),
    "account_logout": ("get", {**everyone(200), "anonymous": 302}),
    "account_signup": ("get", {**everyone(302), "anonymous": 200}),  # shows "sign-up closed"
    "account_inactive": ("get", everyone(200)),
    "account_reauthenticate": ("get", LOGGED_IN_ONLY),
    "account_email": ("get", LOGGED_IN_ONLY),
    "account_email_verification_sent": ("get", everyone(200)),
    "account_change_password": ("get", LOGGED_IN_ONLY),
    # Users with a password are sent to "change password"; the admin in the fixture has one.
    "account_set_password": ("get", {**everyone(302), "anonymous": LOGIN}),
    "account_reset_password": ("get", everyone(200)),
    "account_reset_password_done": ("get", everyone(200)),
    "account_reset_password_from_key": ("get", everyone(200)),  # a bad key: "link invalid"
    "account_reset_password_from_key_done": ("get", everyone(200)),
    "account_confirm_email": ("get", everyone(200)),  # unknown key: "link expired or invalid"
    "account_confirm_login_code": ("get", everyone(302)),  # no login code pending
}


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


@pytest.fixture
def objects(network: Network, group_klimat: Group, roles: dict[str, User | None]) -> dict[str, Any]:
    member_person = Person.objects.get(user=roles["member"])
    return {
        "network": network,
        "group": group_klimat,
        "membership": Membership.objects.get(network=network),
        "member_person": member_person,
        "guest": GroupMembership.objects.get(group=group_klimat),
        "invited": UserFactory(email="ny@boras.test"),
    }


def _kwargs(name: str, objects: dict[str, Any]) -> dict[str, Any]:
    network, group, person = objects["network"], objects["group"], objects["member_person"]
    by_name: dict[str, dict[str, Any]] = {
        "networks:organisation_detail": {"pk": person.organisation_id},
        "networks:person_detail": {"pk": person.pk},
        "networks:member_export": {"slug": network.slug, "fmt": "xlsx"},
        "networks:contact_export": {"slug": network.slug, "fmt": "csv"},
        "networks:membership_edit": {"slug": network.slug, "pk": objects["membership"].pk},
        "networks:membership_end": {"slug": network.slug, "pk": objects["membership"].pk},
        "networks:person_edit": {"slug": network.slug, "pk": person.pk},
        "networks:person_invite": {"slug": network.slug, "pk": person.pk},
        "networks:contact_assign": {"slug": network.slug, "org_pk": person.organisation_id},
        "networks:group_detail": {"slug": network.slug, "group_slug": group.slug},
        "networks:group_member_add": {"slug": network.slug, "group_slug": group.slug},
        "networks:group_member_end": {
            "slug": network.slug,
            "group_slug": group.slug,
            "pk": objects["guest"].pk,
        },
        "account_confirm_email": {"key": "unknown-key"},
        "account_reset_password_from_key": {"uidb36": "zz", "key": "bad-key"},
    }
    if name in by_name:
        return by_name[name]
    if name.startswith("networks:") and name != "networks:home":
        return {"slug": network.slug}
    return {}


def _url(name: str, objects: dict[str, Any]) -> str:
    if name == "invitation_accept":
        return invitation_link(user=objects["invited"]).split("8000", 1)[-1]
    return reverse(name, kwargs=_kwargs(name, objects))


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
            # The audit trail is written by services only; nobody adds entries by hand.
            allowed = 403 if name == "admin:core_auditentry_add" else 200
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
