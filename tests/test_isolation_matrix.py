"""Every network is its own house: another network's objects, reached with one's own slug.

For every URL pattern that takes an object id, the test builds a *victim* network B with the
same objects the authorisation matrix uses (each app's ``tests/<app>/authz.py``), then requests
the URL with the acting user's **own** network slug (A) and B's object id, by GET and by POST,
as A's network coordinator, group coordinator and member. Each must be refused (404 or 403),
the database must not change, and no page may show B's personal data.

The URL patterns are read from the URL configuration: a new pattern with an object id that is
neither covered here nor exempted with a reason fails ``test_every_object_url_is_covered``.
"""

import hashlib
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from navet.accounts.models import User
from navet.networks.models import GroupMembership, Membership, Network, Person
from tests.factories import (
    GroupFactory,
    GroupMembershipFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
    county_board,
    organisation,
)
from tests.test_authorisation_matrix import AUTHZ_MODULES, close_file_response
from tests.test_authorisation_matrix import media_in_tmp as media_in_tmp
from tests.test_authorisation_matrix import objects as objects

ATTACKERS = ("network_coordinator", "group_coordinator", "member")

# URL arguments that name an object (rather than a network, a format or a year).
OBJECT_ARGUMENTS = {"pk", "org_pk", "doc_pk", "meeting_pk", "answer_pk", "group_slug"}

# Patterns with object ids that the matrix does not request, and why.
EXEMPT = {
    # Organisations and people are shared between networks, not part of one: their pages are
    # checked by the content test below and in tests/networks/test_isolation.py.
    "networks:organisation_detail": "shared between networks; content test",
    "networks:person_detail": "shared between networks; content test",
    # An organisation's indicator figures and follow-up are public statistics of a shared
    # organisation, not a network's; who may change its targets: tests/indicators.
    **dict.fromkeys(
        [
            "indicators:followup",
            "indicators:followup_pdf",
            "indicators:followup_xlsx",
            "indicators:organisation_indicator",
            "indicators:organisation_indicators",
            "indicators:organisation_indicators_download",
            "indicators:trend_download",
        ],
        "an organisation's public statistics",
    ),
    # allauth looks a user's own authenticators up through request.user, never by id alone.
    "mfa_edit_webauthn": "allauth: the logged-in user's own authenticators",
    "mfa_remove_webauthn": "allauth: the logged-in user's own authenticators",
}


def _patterns(patterns: list[Any], namespace: str = "", route: str = "") -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found += _patterns(pattern.url_patterns, inner, route + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and pattern.name:
            found.append((f"{namespace}{pattern.name}", route + str(pattern.pattern)))
    return found


OBJECT_URLS = sorted(
    name
    for name, route in _patterns(get_resolver().url_patterns)
    if not name.startswith("admin:")
    and set(re.findall(r"<(?:\w+:)?(\w+)>", route)) & OBJECT_ARGUMENTS
)
MATRIX_URLS = [name for name in OBJECT_URLS if name not in EXEMPT]


def test_every_object_url_is_covered(victim: dict[str, Any]) -> None:
    uncovered = [name for name in MATRIX_URLS if _victim_kwargs(name, victim) is None]
    assert not uncovered, (
        f"URL patterns with object ids missing from the isolation matrix: {uncovered}"
    )
    assert len(MATRIX_URLS) > 30
    assert set(EXEMPT) <= set(OBJECT_URLS)


@pytest.fixture
def victim(other_network: Network, roles: dict[str, User | None]) -> dict[str, Any]:
    """Network B ("Fairtrade Sverige"), with its own group, member, guest and coordinators and
    every object the apps' authorisation tests build, none of which network A may reach."""
    group = GroupFactory(network=other_network, name="Vatten", slug="vatten")
    molndal = organisation("1481")
    membership = MembershipFactory(network=other_network, organisation=molndal)
    member = UserFactory(email="medlem@molndal.test")
    member_person = PersonFactory(
        organisation=molndal,
        user=member,
        first_name="Hemliga",
        last_name="Mölndalsson",
        email="hemlig@molndal.test",
        phone="031-999 99 99",
        registered_by_network=other_network,
    )
    group_coordinator = UserFactory(email="grupp@kungsbacka.test")
    group.coordinators.add(PersonFactory(organisation=organisation("1384"), user=group_coordinator))
    partner = UserFactory(email="gast@lansstyrelsen-halland.test")
    guest = GroupMembershipFactory(
        group=group,
        person=PersonFactory(organisation=county_board("13"), user=partner),
        role=GroupMembership.Role.GUEST,
    )
    GroupMembershipFactory(group=group, person=member_person)
    victim_roles = {
        **roles,
        "network_coordinator": roles["other_coordinator"],
        "group_coordinator": group_coordinator,
        "member": member,
        "partner": partner,
        "other_coordinator": roles["network_coordinator"],
    }
    base: dict[str, Any] = {
        "network": other_network,
        "group": group,
        "roles": victim_roles,
        "membership": membership,
        "member_person": member_person,
        "guest": guest,
    }
    for module in AUTHZ_MODULES:
        base.update(module.build_objects(base))
    return base


def _victim_kwargs(name: str, objects: dict[str, Any]) -> dict[str, Any] | None:
    for module in AUTHZ_MODULES:
        kwargs = module.url_kwargs(name, objects)
        if kwargs is not None:
            return dict(kwargs)
    return None


def _fingerprint() -> str:
    """A hash of every row of Navet's own tables (and accounts and email addresses)."""
    digest = hashlib.sha256()
    for model in apps.get_models():
        label = model._meta.app_label
        if not (model.__module__.startswith("navet.") or label == "account"):
            continue
        rows = model._default_manager.order_by("pk").values_list()
        digest.update(f"{model._meta.label}:{list(rows)!r}".encode())
    return digest.hexdigest()


def victim_secrets(network: Network) -> list[str]:
    """Personal data of network B that network A's people must never see: the names, emails
    and phones of B's people, meeting links and dietary needs. The names of B's coordinators
    and group coordinators and its coordinators' emails are public (its contact points)."""
    secrets: list[str] = []
    coordinators = set(network.coordinators.values_list("pk", flat=True)) | set(
        Person.objects.filter(coordinated_groups__network=network).values_list("pk", flat=True)
    )
    public_emails = set(network.coordinators.values_list("email", flat=True))
    for person in Person.objects.filter(pk__in=_people_of(network)):
        secrets.append(person.phone)
        if person.email not in public_emails:
            secrets.append(person.email)
        if person.pk not in coordinators:
            secrets.append(f"{person.first_name} {person.last_name}")
    for model_label, field in (("meetings.Meeting", "meeting_link"),):
        model = apps.get_model(model_label)
        secrets += model.objects.filter(network=network).values_list(field, flat=True)
    registration = apps.get_model("meetings.Registration")
    if any(f.name == "dietary_needs" for f in registration._meta.get_fields()):
        secrets += registration.objects.filter(meeting__network=network).values_list(
            "dietary_needs", flat=True
        )
    return [s for s in secrets if s and len(s) > 3]


def _people_of(network: Network) -> list[int]:
    from navet.networks.selectors import people_in_network

    return list(people_in_network(network=network).values_list("pk", flat=True))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ATTACKERS)
@pytest.mark.parametrize("name", MATRIX_URLS)
def test_own_slug_with_another_networks_object_is_refused(
    name: str,
    role: str,
    victim: dict[str, Any],
    network: Network,
    client_for: Callable[[str], Client],
) -> None:
    kwargs = _victim_kwargs(name, victim)
    assert kwargs is not None, f"{name} is not covered"
    if "slug" in kwargs:
        kwargs["slug"] = network.slug  # the attacker's own network
    url = reverse(name, kwargs=kwargs)
    client = client_for(role)
    secrets = victim_secrets(victim["network"])
    before = _fingerprint()
    for method in ("get", "post"):
        response = getattr(client, method)(url, {"confirm": "1"} if method == "post" else None)
        close_file_response(response)
        assert response.status_code in {403, 404, 405}, (name, role, method, response.status_code)
        body = response.content.decode(errors="replace")
        leaked = [secret for secret in secrets if secret in body]
        assert not leaked, (name, role, method, leaked)
    assert _fingerprint() == before, f"{name} changed the database for {role}"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ATTACKERS)
def test_another_networks_pages_show_none_of_its_personal_data(
    role: str,
    victim: dict[str, Any],
    client_for: Callable[[str], Client],
    roles: dict[str, User | None],
) -> None:
    """Every GET page of network B, with B's own slug and ids, as network A's people: whatever
    B shows the public, none of its people's names, emails, phones, dietary needs or meeting
    links may appear."""
    client = client_for(role)
    secrets = victim_secrets(victim["network"])
    assert len(secrets) >= 5
    checked = 0
    for name, _route in _patterns(get_resolver().url_patterns):
        if name.startswith("admin:") or name == "networks:home":
            continue
        kwargs = _victim_kwargs(name, victim)
        if kwargs is None:
            continue
        response = client.get(reverse(name, kwargs=kwargs))
        close_file_response(response)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/"):
            continue
        body = response.content.decode(errors="replace")
        leaked = [secret for secret in secrets if secret in body]
        assert not leaked, (name, role, leaked)
        checked += 1
    assert checked >= 10  # the public pages of B at least


@pytest.mark.django_db
def test_the_victim_world_is_really_network_bs(victim: dict[str, Any], network: Network) -> None:
    """The matrix would prove nothing if B's objects were A's."""
    assert victim["network"] != network
    assert Membership.objects.get(pk=victim["membership"].pk).network == victim["network"]
    assert "hemlig@molndal.test" in victim_secrets(victim["network"])
    assert "https://meet.example/hemlig" in victim_secrets(victim["network"])


def _foreign_choices(victim: dict[str, Any], network: Network) -> dict[type, set[int]]:
    """Objects that belong to network B alone, by model: none may be offered in network A."""
    from navet.networks.selectors import people_in_network

    meeting = apps.get_model("meetings.Meeting")
    theirs = set(people_in_network(network=victim["network"]).values_list("pk", flat=True))
    ours = set(people_in_network(network=network).values_list("pk", flat=True))
    return {
        Person: theirs - ours,
        victim["group"].__class__: set(victim["network"].groups.values_list("pk", flat=True)),
        meeting: set(
            meeting.objects.filter(network=victim["network"]).values_list("pk", flat=True)
        ),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", ATTACKERS)
def test_choice_lists_offer_only_the_networks_own_objects(
    role: str,
    objects: dict[str, Any],
    victim: dict[str, Any],
    network: Network,
    client_for: Callable[[str], Client],
) -> None:
    """Every form on every page of network A: its choice lists hold none of B's people,
    groups or meetings. (Platform admins choose among everyone: they register partners from
    outside organisations.)"""
    from django import forms

    from tests.test_authorisation_matrix import OWN_URL_NAMES, _url

    foreign = _foreign_choices(victim, network)
    assert all(foreign.values())
    client = client_for(role)
    fields_checked = 0
    for name in OWN_URL_NAMES:
        try:
            url = _url(name, objects)
        except AssertionError:
            continue
        if "slug" in url and network.slug not in url:
            continue
        response = client.get(url)
        close_file_response(response)
        if response.status_code != 200 or response.context is None:
            continue
        for form in _forms_in(response.context):
            for field_name, field in form.fields.items():
                if not isinstance(field, forms.ModelChoiceField):
                    continue
                model = field.queryset.model
                offered = set(field.queryset.values_list("pk", flat=True))
                wrong = offered & foreign.get(model, set())
                assert not wrong, (name, role, field_name, model.__name__, wrong)
                fields_checked += 1
    if role == "network_coordinator":
        assert fields_checked >= 5, fields_checked


def _forms_in(context: Any) -> list[Any]:
    """Every form in a response's template contexts (one per rendered template)."""
    from django import forms
    from django.test.utils import ContextList

    contexts = list(context) if isinstance(context, ContextList) else [context]
    found: list[Any] = []
    for layer in contexts:
        for value in layer.flatten().values():
            if isinstance(value, forms.BaseForm) and all(value is not f for f in found):
                found.append(value)
    return found
