from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """Accounts are created by invitation from a coordinator, never by open sign-up."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False
