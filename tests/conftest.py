"""Shared fixtures: a network with two groups, one user per role, and clients logged in as them.

The authorisation matrix
------------------------
``roles`` maps each role name to a user (``None`` for the anonymous visitor). All of them
relate to the ``network`` fixture as follows:

* ``admin``: a superuser (platform admin) without a Person.
* ``network_coordinator``: a person of Västra Götalandsregionen in ``network.coordinators``;
  the region is *not* a member.
* ``other_coordinator``: a person of Göteborg coordinating ``other_network`` only.
* ``group_coordinator``: a person of Lerum (not a member) coordinating only ``group_klimat``.
* ``member``: a person of Borås, which is a member since 2020-01-01 (open-ended), registered
  by the network (``Person.registered_by_network``).
* ``partner``: a person of "Länsstyrelsen i Västra Götalands län", a guest in ``group_klimat``
  since 2020-01-01.
* ``outsider``: a logged-in user without a Person.
* ``anonymous``: ``None``, not logged in (pass ``AnonymousUser()`` to permission functions
  the way views do).

Every user's password is ``tests.factories.PASSWORD``. Use ``client_for("member")`` for a
Django test client logged in as a role, and ``group_klimat`` / ``group_fairtrade`` for the two
groups.

Background tasks
----------------
Tests use the real database task backend (config/settings_test.py). A task queued with
``navet.core.tasks.enqueue_on_commit`` waits for the test's transaction, which never commits;
``run_tasks()`` carries out the after-commit callbacks and then every ready task, the way
``manage.py db_worker`` would, and fails the test with the traceback of a task that raised
(``run_tasks(check=False)`` returns the results instead, for tests of failures).

Browser
-------
``browser`` is the run's one headless Chromium (Playwright's sync API allows one at a time in
a thread, so every browser test shares it, in whatever order the tests run).
"""

import datetime
import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django_tasks import TaskResult, TaskResultStatus

from navet.accounts.models import User
from navet.core.tasks import run_queued_tasks
from navet.networks.models import Group, GroupMembership, Network
from tests.browser import CHROMIUM, CHROMIUM_ARGS, chromium_missing
from tests.factories import (
    GroupFactory,
    GroupMembershipFactory,
    MembershipFactory,
    NetworkFactory,
    PersonFactory,
    UserFactory,
    county_board,
    organisation,
)

ROLES = (
    "admin",
    "network_coordinator",
    "other_coordinator",
    "group_coordinator",
    "member",
    "partner",
    "outsider",
    "anonymous",
)
MEMBER_SINCE = datetime.date(2020, 1, 1)


@pytest.fixture
def network(db: None) -> Network:
    """The network "Hållbart Väst" (slug ``hallbart-vast``), coordinated by Västra
    Götalandsregionen, with two groups: "Klimat" (slug ``klimat``) and "Fairtrade" (slug
    ``fairtrade``). It has no members of its own; ``roles`` adds Borås."""
    network = NetworkFactory(
        name="Hållbart Väst",
        slug="hallbart-vast",
        coordinating_organisation=organisation("14"),
    )
    GroupFactory(network=network, name="Klimat", slug="klimat")
    GroupFactory(network=network, name="Fairtrade", slug="fairtrade", kind=Group.Kind.THEME)
    return network


@pytest.fixture
def group_klimat(network: Network) -> Group:
    return network.groups.get(slug="klimat")


@pytest.fixture
def group_fairtrade(network: Network) -> Group:
    return network.groups.get(slug="fairtrade")


@pytest.fixture
def other_network(db: None) -> Network:
    return NetworkFactory(name="Fairtrade Sverige", slug="fairtrade-sverige")


@pytest.fixture
def roles(network: Network, group_klimat: Group, other_network: Network) -> dict[str, User | None]:
    """One user per role (see the module docstring); ``roles["anonymous"]`` is ``None``."""
    admin = UserFactory(email="admin@navet.test", is_superuser=True, is_staff=True)

    network_coordinator = UserFactory(email="samordnare@vgregion.test")
    network.coordinators.add(
        PersonFactory(organisation=organisation("14"), user=network_coordinator)
    )

    other_coordinator = UserFactory(email="samordnare@goteborg.test")
    other_network.coordinators.add(
        PersonFactory(organisation=organisation("1480"), user=other_coordinator)
    )

    group_coordinator = UserFactory(email="grupp@lerum.test")
    group_klimat.coordinators.add(
        PersonFactory(organisation=organisation("1441"), user=group_coordinator)
    )

    member = UserFactory(email="medlem@boras.test")
    # Registered by the network's coordinator, who invited them (joining is consented).
    PersonFactory(organisation=organisation("1490"), user=member, registered_by_network=network)
    MembershipFactory(network=network, organisation=organisation("1490"), start_date=MEMBER_SINCE)

    partner = UserFactory(email="partner@lansstyrelsen.test")
    GroupMembershipFactory(
        group=group_klimat,
        person=PersonFactory(organisation=county_board("14"), user=partner),
        role=GroupMembership.Role.GUEST,
        start_date=MEMBER_SINCE,
    )

    outsider = UserFactory(email="utomstaende@navet.test")

    users: dict[str, User | None] = {
        "admin": admin,
        "network_coordinator": network_coordinator,
        "other_coordinator": other_coordinator,
        "group_coordinator": group_coordinator,
        "member": member,
        "partner": partner,
        "outsider": outsider,
        "anonymous": None,
    }
    assert tuple(users) == ROLES
    return users


@pytest.fixture
def client_for(roles: dict[str, User | None]) -> Callable[[str], Client]:
    """``client_for(role)``: a fresh test Client logged in as that role (anonymous for
    ``"anonymous"``)."""

    def make(role: str) -> Client:
        client = Client()
        user = roles[role]
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def run_tasks(db: None) -> Callable[..., list[TaskResult[Any]]]:
    """``run_tasks(check=True)``: run the test's pending after-commit callbacks (which is
    where tasks are queued), then every ready task, again until nothing is left; returns the
    task results in the order they ran. With ``check`` a failed task fails the test. A task
    is queued once even if ``django_capture_on_commit_callbacks(execute=True)`` ran the
    callbacks already; other after-commit work such a block ran runs again here."""

    def run(*, check: bool = True) -> list[TaskResult[Any]]:
        results: list[TaskResult[Any]] = []
        while True:
            # The callbacks the test's never-committed transaction holds (Django's own
            # captureOnCommitCallbacks reads the same list), taken so none runs twice.
            pending = list(connection.run_on_commit)
            del connection.run_on_commit[:]
            for _savepoints, callback, _robust in pending:
                callback()
            done = run_queued_tasks()
            results.extend(done)
            if not done and not connection.run_on_commit:
                break
        failed = [r for r in results if r.status == TaskResultStatus.FAILED]
        if check and failed:
            pytest.fail(
                "\n".join(f"Task {r.task.name} failed:\n{r.errors[-1].traceback}" for r in failed)
            )
        return results

    return run


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's headless Chromium through Playwright, started by the first test that needs it
    and closed at the end of the run. Missing, it fails the run under CI=true."""
    reason = chromium_missing()
    if reason:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but the browser tests cannot run: {reason}")
        pytest.skip(reason)
    # Playwright's sync API runs an event loop in this thread from now on; the tests' own
    # database work stays synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()
