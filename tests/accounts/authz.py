"""Authorisation expectations for accounts, django-allauth and the language switch."""

from typing import Any

from tests.authz import LOGGED_IN_ONLY, LOGIN, ROLES_LOGGED_IN, Expectation, everyone
from tests.factories import UserFactory

REAUTHENTICATE: Expectation = dict.fromkeys(ROLES_LOGGED_IN, 302)

EXPECTED: dict[str, tuple[str, Expectation]] = {
    # Django's language switch only acts on POST; a GET is sent back without changing anything.
    "set_language": ("get", everyone(302)),
    "invitation_accept": ("get", everyone(200)),
    # django-allauth: pages for logging in are public; a logged-in person is sent on.
    "account_login": ("get", {**everyone(302), "anonymous": 200}),
    "account_logout": ("get", {**everyone(200), "anonymous": 302}),
    "account_signup": ("get", {**everyone(302), "anonymous": 200}),  # shows "sign-up closed"
    "account_inactive": ("get", everyone(200)),
    "account_reauthenticate": ("get", LOGGED_IN_ONLY),
    # Email management is off: the address is the person's (see README's role table).
    "account_email": ("get", everyone(404)),
    "account_email_verification_sent": ("get", everyone(200)),
    "account_change_password": ("get", LOGGED_IN_ONLY),
    # Users with a password are sent to "change password"; every fixture user has one.
    "account_set_password": ("get", {**everyone(302), "anonymous": LOGIN}),
    "account_reset_password": ("get", everyone(200)),
    "account_reset_password_done": ("get", everyone(200)),
    "account_reset_password_from_key": ("get", everyone(200)),  # a bad key: "link invalid"
    "account_reset_password_from_key_done": ("get", everyone(200)),
    "account_confirm_email": ("get", everyone(200)),  # unknown key: "link expired or invalid"
    "account_confirm_login_code": ("get", everyone(302)),  # no login code pending
    # allauth's two-step verification: setting up asks for the password again first.
    **dict.fromkeys(
        [
            "mfa_activate_totp",
            "mfa_add_webauthn",
            "mfa_generate_recovery_codes",
            "mfa_edit_webauthn",
            "mfa_remove_webauthn",
        ],
        ("get", {**REAUTHENTICATE, "anonymous": LOGIN}),
    ),
    **dict.fromkeys(
        ["mfa_authenticate", "mfa_reauthenticate", "mfa_reauthenticate_webauthn"],
        ("get", everyone(302)),  # nothing to verify: sent on
    ),
    **dict.fromkeys(
        ["mfa_deactivate_totp", "mfa_download_recovery_codes", "mfa_view_recovery_codes"],
        ("get", {**everyone(404), "anonymous": LOGIN}),  # nothing set up yet
    ),
    **dict.fromkeys(["mfa_index", "mfa_list_webauthn"], ("get", LOGGED_IN_ONLY)),
}


def build_objects(base: dict[str, Any]) -> dict[str, Any]:
    return {"invited": UserFactory(email=f"ny@{base['network'].slug}.test")}


def url_kwargs(name: str, objects: dict[str, Any]) -> dict[str, Any] | None:
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    invited = objects["invited"]
    by_name: dict[str, dict[str, Any]] = {
        "invitation_accept": {
            "uidb64": urlsafe_base64_encode(force_bytes(invited.pk)),
            "token": default_token_generator.make_token(invited),
        },
        "account_confirm_email": {"key": "unknown-key"},
        "account_reset_password_from_key": {"uidb36": "zz", "key": "bad-key"},
        "mfa_edit_webauthn": {"pk": 999999},
        "mfa_remove_webauthn": {"pk": 999999},
    }
    if name in by_name:
        return by_name[name]
    if name in EXPECTED:
        return {}
    return None
