"""The login backends read the user's person and organisation with the user: one statement
for the user a request is made by, however often the page asks who they are."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, load_backend
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from navet.accounts.models import User
from navet.networks.permissions import person_of
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
BACKENDS = ["navet.accounts.backends.ModelBackend", "navet.accounts.backends.AuthenticationBackend"]


@pytest.mark.parametrize("path", BACKENDS)
def test_the_user_comes_with_person_and_organisation_in_one_statement(
    path: str, roles: dict[str, User | None]
) -> None:
    member = roles["member"]
    assert member is not None
    with CaptureQueriesContext(connection) as captured:
        user = load_backend(path).get_user(member.pk)
        person = person_of(user)
        assert person is not None
        assert person.organisation.name == "Borås"
    assert len(captured) == 1


@pytest.mark.parametrize("path", BACKENDS)
def test_a_user_without_a_person_and_an_inactive_or_unknown_one(path: str) -> None:
    backend = load_backend(path)
    alone = UserFactory()
    with CaptureQueriesContext(connection) as captured:
        assert person_of(backend.get_user(alone.pk)) is None
    assert len(captured) == 1
    alone.is_active = False
    alone.save()
    assert backend.get_user(alone.pk) is None
    assert backend.get_user(alone.pk + 1000) is None


def test_the_login_form_logs_in_with_a_backend_that_reads_the_person(
    roles: dict[str, User | None],
) -> None:
    member = roles["member"]
    assert member is not None
    client = Client()
    response = client.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session[BACKEND_SESSION_KEY] in BACKENDS
    assert "Min profil" in client.get(reverse("networks:home")).content.decode()
