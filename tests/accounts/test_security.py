"""Logins: rate limits in the shared cache, session lifetimes, two-step verification for
platform admins, and no email management through allauth."""

import datetime
import time
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.core.internal import ratelimit
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from navet.accounts.models import User
from navet.networks.models import Network
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ATTACKER_IP = "203.0.113.66"  # documentation addresses (RFC 5737): no traffic leaves the process
OWNER_IP = "198.51.100.7"


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    """The database cache rolls back with each test; Redis (NAVET_REDIS_URL) does not."""
    cache.clear()
    yield
    cache.clear()


def make_user(email: str) -> User:
    user = UserFactory(email=email)
    assert isinstance(user, User)
    return user


def login(
    client: Client, email: str, password: str = PASSWORD, ip: str = OWNER_IP, remember: bool = False
) -> Any:
    data = {"login": email, "password": password}
    if remember:
        data["remember"] = "on"
    return client.post(reverse("account_login"), data, REMOTE_ADDR=ip)


def error_codes(response: Any) -> set[str | None]:
    form = response.context["form"]
    return {error.code for errors in form.errors.as_data().values() for error in errors}


def logged_in(client: Client) -> bool:
    return SESSION_KEY in client.session


# Rate limits -----------------------------------------------------------------------------


def test_the_rate_limits_use_the_shared_cache_not_process_memory() -> None:
    backend = settings.CACHES["default"]["BACKEND"]
    assert backend in {
        "django.core.cache.backends.db.DatabaseCache",
        "django.core.cache.backends.redis.RedisCache",
    }


def test_failed_logins_from_one_address_are_stopped_but_the_owner_gets_in_elsewhere() -> None:
    owner = make_user("agare@boras.test")
    attacker = Client()
    for _attempt in range(5):
        response = login(attacker, owner.email, "wrong-guess", ip=ATTACKER_IP)
        assert response.status_code == 200  # the form again, with "wrong password"
    # The sixth try from that address is refused even with the right password.
    response = login(attacker, owner.email, PASSWORD, ip=ATTACKER_IP)
    assert not logged_in(attacker)
    assert "too_many_login_attempts" in error_codes(response)

    # The owner, from their own address, is not locked out.
    owner_client = Client()
    response = login(owner_client, owner.email, PASSWORD, ip=OWNER_IP)
    assert response.status_code == 302
    assert logged_in(owner_client)


def test_an_address_hammering_the_login_page_gets_429() -> None:
    client = Client()
    statuses = [
        login(client, f"nobody{i}@navet.test", "x", ip=ATTACKER_IP).status_code for i in range(31)
    ]
    assert statuses[:30] == [200] * 30
    assert statuses[30] == 429


class FakeClock:
    def __init__(self) -> None:
        self.offset = 0.0

    def time(self) -> float:
        return time.time() + self.offset


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(
        ratelimit,
        "time",
        SimpleNamespace(time=fake.time, monotonic=time.monotonic, sleep=time.sleep),
    )
    return fake


def test_a_spread_out_attack_on_one_account_locks_it_for_five_minutes_only(
    clock: FakeClock,
) -> None:
    owner = make_user("agare@boras.test")
    for i in range(10):
        login(Client(), owner.email, "wrong-guess", ip=f"203.0.113.{i + 1}")
    owner_client = Client()
    login(owner_client, owner.email, PASSWORD, ip=OWNER_IP)
    assert not logged_in(owner_client)  # the account's own limit: 10 failures in 5 minutes

    clock.offset = 5 * 60 + 1
    response = login(owner_client, owner.email, PASSWORD, ip=OWNER_IP)
    assert response.status_code == 302
    assert logged_in(owner_client)


def test_the_attackers_address_may_try_again_after_a_minute(clock: FakeClock) -> None:
    owner = make_user("agare@boras.test")
    attacker = Client()
    for _attempt in range(5):
        login(attacker, owner.email, "wrong-guess", ip=ATTACKER_IP)
    login(attacker, owner.email, PASSWORD, ip=ATTACKER_IP)
    assert not logged_in(attacker)
    clock.offset = 61
    login(attacker, owner.email, PASSWORD, ip=ATTACKER_IP)
    assert logged_in(attacker)


def test_a_successful_login_does_not_count_as_a_failure() -> None:
    owner = make_user("agare@boras.test")
    for _attempt in range(8):
        client = Client()
        login(client, owner.email, PASSWORD, ip=OWNER_IP)
        assert logged_in(client)


# Session lifetime ------------------------------------------------------------------------


def _expiry_hours(client: Client) -> float:
    return client.session.get_expiry_age() / 3600


def _cookie_max_age(client: Client) -> str:
    return str(client.cookies[settings.SESSION_COOKIE_NAME]["max-age"])


@pytest.mark.parametrize(
    ("role", "hours"),
    [
        ("network_coordinator", 8),
        ("group_coordinator", 8),
        ("admin", 8),
        ("member", 14 * 24),
        ("partner", 14 * 24),
    ],
)
def test_coordinators_and_admins_get_a_working_day_others_two_weeks(
    role: str, hours: float, roles: dict[str, User | None]
) -> None:
    """With "remember me" ticked; the cap holds against allauth's own expiry."""
    user = roles[role]
    assert user is not None
    client = Client()
    assert login(client, user.email, remember=True).status_code == 302
    assert logged_in(client)
    assert _expiry_hours(client) == pytest.approx(hours, abs=0.05)
    assert int(_cookie_max_age(client)) == pytest.approx(hours * 3600, abs=180)
    client.get(reverse("networks:home"))
    assert _expiry_hours(client) == pytest.approx(hours, abs=0.05)


def test_without_remember_me_the_cookie_ends_with_the_browser_and_the_cap_still_holds(
    roles: dict[str, User | None],
) -> None:
    coordinator, member = roles["network_coordinator"], roles["member"]
    assert coordinator is not None and member is not None
    client = Client()
    login(client, coordinator.email)
    assert _cookie_max_age(client) == ""  # a browser-session cookie
    assert client.session.get_expire_at_browser_close()
    assert client.get(reverse("networks:home")).status_code == 200
    assert logged_in(client)

    with override_settings(NAVET_COORDINATOR_SESSION_HOURS=0):
        other = Client()
        login(other, coordinator.email)
        other.get(reverse("networks:home"))
        assert not logged_in(other)

    member_client = Client()
    login(member_client, member.email)
    member_client.get(reverse("networks:home"))
    assert logged_in(member_client)


def test_the_coordinators_cap_is_absolute_and_configurable(
    roles: dict[str, User | None],
) -> None:
    user = roles["network_coordinator"]
    assert user is not None
    client = Client()
    with override_settings(NAVET_COORDINATOR_SESSION_HOURS=2):
        login(client, user.email, remember=True)
    expiry = client.session.get_expiry_date()
    assert timezone.now() + datetime.timedelta(hours=1.9) < expiry
    assert expiry < timezone.now() + datetime.timedelta(hours=2.1)
    # Using the site does not push the end further away.
    client.get(reverse("networks:home"))
    assert client.session.get_expiry_date() == expiry


def test_a_session_that_outlives_its_cap_is_logged_out(
    roles: dict[str, User | None], network: Network
) -> None:
    user = roles["network_coordinator"]
    assert user is not None
    client = Client()
    login(client, user.email)
    session = client.session
    session.set_expiry(timezone.now() - datetime.timedelta(seconds=1))
    session.save()
    response = client.get(reverse("networks:people_directory", kwargs={"slug": network.slug}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# Two-step verification for platform admins ----------------------------------------------


@pytest.fixture
def admin_user(roles: dict[str, User | None]) -> User:
    user = roles["admin"]
    assert user is not None
    return user


def _code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@override_settings(NAVET_REQUIRE_MFA_FOR_ADMINS=True)
def test_an_admin_without_a_second_factor_must_set_one_up_first(admin_user: User) -> None:
    client = Client()
    response = login(client, admin_user.email)
    assert response.status_code == 302
    for url in (reverse("networks:home"), reverse("admin:index"), reverse("indicators:catalogue")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("mfa_activate_totp"), url

    # The set-up pages and logging out stay open.
    assert client.get(reverse("mfa_index")).status_code == 200
    # Turning on a second factor asks for the password again (allauth's reauthentication).
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    assert "data:image/svg+xml" in page.content.decode()  # the QR code (img-src data:)
    secret = client.session["mfa.totp.secret"]
    response = client.post(reverse("mfa_activate_totp"), {"code": _code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=admin_user, type=Authenticator.Type.TOTP).exists()

    assert client.get(reverse("networks:home")).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 200


@override_settings(NAVET_REQUIRE_MFA_FOR_ADMINS=True)
def test_the_requirement_is_for_admins_only(roles: dict[str, User | None]) -> None:
    for role in ("network_coordinator", "member"):
        user = roles[role]
        assert user is not None
        client = Client()
        login(client, user.email)
        assert client.get(reverse("networks:home")).status_code == 200


def test_without_the_requirement_admins_get_in_without_a_second_factor(
    admin_user: User,
) -> None:
    client = Client()
    login(client, admin_user.email)
    assert client.get(reverse("networks:home")).status_code == 200


@override_settings(NAVET_REQUIRE_MFA_FOR_ADMINS=True)
def test_an_admin_with_totp_must_give_the_code_to_log_in(admin_user: User) -> None:
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    TOTP.activate(admin_user, secret)
    client = Client()
    response = login(client, admin_user.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert not logged_in(client)
    assert client.post(reverse("mfa_authenticate"), {"code": "000000"}).status_code == 200
    assert not logged_in(client)
    response = client.post(reverse("mfa_authenticate"), {"code": _code(secret)})
    assert response.status_code == 302
    assert logged_in(client)
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_admin_login_goes_through_the_one_login_page(admin_user: User) -> None:
    """Django admin's own password form would skip the rate limits and the second factor."""
    response = Client().get(reverse("admin:login") + "?next=/admin/networks/")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=%2Fadmin%2Fnetworks%2F"
    response = Client().post(
        reverse("admin:login"), {"username": admin_user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_menu_links_to_two_step_verification(client_for: Callable[[str], Client]) -> None:
    page = client_for("member").get(reverse("networks:home")).content.decode()
    assert f'href="{reverse("mfa_index")}"' in page
    assert (
        f'href="{reverse("mfa_index")}"'
        not in Client().get(reverse("networks:home")).content.decode()
    )


# Email addresses belong to the Person, not to allauth's email page ---------------------


def test_the_email_management_page_is_switched_off(roles: dict[str, User | None]) -> None:
    member = roles["member"]
    other = roles["network_coordinator"]
    assert member is not None and other is not None
    EmailAddress.objects.create(user=member, email=member.email, primary=True, verified=True)
    EmailAddress.objects.create(user=other, email=other.email, primary=True, verified=True)
    before = sorted(EmailAddress.objects.values_list("user_id", "email", "primary", "verified"))
    client = Client()
    login(client, member.email)
    url = reverse("account_email")
    assert client.get(url).status_code == 404
    for data in (
        {"action_add": "", "email": other.email},
        {"action_add": "", "email": "nytt@boras.test"},
        {"action_primary": "", "email": "nytt@boras.test"},
        {"action_primary": "", "email": other.email},
        {"action_remove": "", "email": member.email},
        {"action_send": "", "email": member.email},
    ):
        assert client.post(url, data).status_code == 404
    assert Client().post(url, {"action_add": "", "email": "x@navet.test"}).status_code == 404
    after = sorted(EmailAddress.objects.values_list("user_id", "email", "primary", "verified"))
    assert after == before
    member.refresh_from_db()
    assert member.email == "medlem@boras.test"


def test_no_page_links_to_the_email_management_page(
    client_for: Callable[[str], Client], network: Network
) -> None:
    client = client_for("member")
    for url in (
        reverse("networks:home"),
        reverse("mfa_index"),
        reverse("account_change_password"),
    ):
        assert reverse("account_email") not in client.get(url).content.decode(), url
