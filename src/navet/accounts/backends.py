"""The login backends, reading a logged-in user's person and organisation with the user.

Almost every page asks who the user is in the network (``person_of``), so the one statement
that loads the user from the session also loads their person and its organisation, instead of
two more statements a request.
"""

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend


class _ReadsPerson:
    def get_user(self, user_id: Any) -> Any:
        users = get_user_model()._default_manager.select_related("person__organisation")
        try:
            user = users.get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None  # type: ignore[attr-defined]


class ModelBackend(_ReadsPerson, DjangoModelBackend):
    """Django's password backend (the invitation's first login, ``force_login`` in tests)."""


class AuthenticationBackend(_ReadsPerson, AllauthBackend):
    """allauth's backend (the login form: email and password, rate limits)."""
