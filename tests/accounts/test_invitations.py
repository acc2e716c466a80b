"""Invitations: a coordinator invites a person, who sets a password through a one-time link."""

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.exceptions import ValidationError
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils.http import urlsafe_base64_decode

from navet.accounts import services
from navet.accounts.models import Invitation, User
from navet.core.models import AuditEntry
from navet.networks.models import Network, Person
from tests.factories import InvitationFactory, NetworkFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Tallbarr-och-granris-42"
LINK = re.compile(r"https?://\S+/accounts/invitation/[^/\s]+/[^/\s]+/")
EMAIL_TEMPLATE = "accounts/email/invitation.txt"
PAGE_TEMPLATES = ("accounts/invitation_accept.html", "accounts/invitation_invalid.html")


def require_templates(*names: str) -> None:
    """Skip while another part of the project has not yet provided a template."""
    for name in names:
        try:
            get_template(name)
        except TemplateDoesNotExist:
            pytest.skip(f"template {name} does not exist yet")


@pytest.fixture
def net(db: None) -> Network:
    return NetworkFactory(name="Hållbart Väst", slug="hallbart-vast")


@pytest.fixture
def coordinator(net: Network) -> User:
    user = UserFactory(email="samordnare@vgregion.se")
    net.coordinators.add(
        PersonFactory(
            user=user, first_name="Sara", last_name="Samordnare", email="sara@vgregion.se"
        )
    )
    return user


@pytest.fixture
def person(net: Network) -> Person:
    return PersonFactory(
        first_name="Anna", last_name="Ek", email="anna.ek@boras.se", registered_by_network=net
    )


Capture = Callable[..., Any]


def send(
    capture: Capture, actor: Any, person: Person, **kwargs: Any
) -> tuple[Invitation, mail.EmailMessage]:
    """Send an invitation, running the on-commit email, and return it with its one email."""
    require_templates(EMAIL_TEMPLATE)
    before = len(mail.outbox)
    with capture(execute=True):
        invitation = services.invitation_send(
            actor=actor, person=person, network=kwargs.pop("network", _network_of(person)), **kwargs
        )
    assert len(mail.outbox) == before + 1
    return invitation, mail.outbox[-1]


def _network_of(person: Person) -> Network | None:
    return person.registered_by_network


def link_in(message: mail.EmailMessage) -> str:
    match = LINK.search(str(message.body))
    assert match is not None, message.body
    return match.group(0)


# sending --------------------------------------------------------------------------------------


def test_invitation_send_creates_an_account_and_emails_a_link(
    coordinator: User, person: Person, django_capture_on_commit_callbacks: Capture
) -> None:
    invitation, message = send(django_capture_on_commit_callbacks, coordinator, person)

    person.refresh_from_db()
    user = person.user
    assert user is not None
    assert user.email == "anna.ek@boras.se"
    assert (user.first_name, user.last_name) == ("Anna", "Ek")
    assert not user.has_usable_password()
    assert user.is_active and not user.is_staff and not user.is_superuser

    assert (invitation.person, invitation.invited_by) == (person, coordinator)
    assert invitation.accepted_at is None

    assert message.to == ["anna.ek@boras.se"]
    assert message.subject
    link = link_in(message)
    # The token carries a timestamp, so compare its parts rather than a freshly made link.
    uid, token = urlsplit(link).path.strip("/").split("/")[-2:]
    assert link.startswith("http://127.0.0.1:8000/accounts/invitation/")
    assert urlsafe_base64_decode(uid).decode() == str(user.pk)
    assert default_token_generator.check_token(user, token)
    assert "Anna" in message.body
    assert "Sara Samordnare" in message.body  # who invited

    entry = AuditEntry.objects.get(action="invitation.sent")
    assert (entry.actor, entry.object_id) == (coordinator, str(invitation.pk))


def test_no_email_is_sent_unless_the_transaction_commits(
    coordinator: User, person: Person, django_capture_on_commit_callbacks: Capture
) -> None:
    require_templates(EMAIL_TEMPLATE)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.invitation_send(actor=coordinator, person=person, network=_network_of(person))
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_link_is_built_from_the_request_when_there_is_one(
    coordinator: User, person: Person, django_capture_on_commit_callbacks: Capture
) -> None:
    request = RequestFactory().get("/", HTTP_HOST="navet.example.se")
    _, message = send(django_capture_on_commit_callbacks, coordinator, person, request=request)
    assert link_in(message).startswith("http://navet.example.se/accounts/invitation/")


def test_invitation_send_refuses_a_person_without_email(
    coordinator: User, django_capture_on_commit_callbacks: Capture
) -> None:
    person = PersonFactory(email="")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.invitation_send(actor=coordinator, person=person, network=_network_of(person))
    person.refresh_from_db()
    assert person.user is None
    assert not Invitation.objects.exists()
    assert User.objects.count() == 1  # the coordinator only
    assert mail.outbox == []


def test_invitation_send_refuses_a_person_who_has_an_account(
    coordinator: User, django_capture_on_commit_callbacks: Capture
) -> None:
    person = PersonFactory(user=UserFactory(email="anna@boras.se"), email="anna@boras.se")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.invitation_send(actor=coordinator, person=person, network=_network_of(person))
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_invitation_send_refuses_an_email_used_by_another_account(
    coordinator: User, django_capture_on_commit_callbacks: Capture
) -> None:
    UserFactory(email="anna@boras.se")
    person = PersonFactory(email="Anna@Boras.se")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.invitation_send(actor=coordinator, person=person, network=_network_of(person))
    person.refresh_from_db()
    assert person.user is None
    assert mail.outbox == []


def test_resending_reuses_the_account(
    coordinator: User, person: Person, django_capture_on_commit_callbacks: Capture
) -> None:
    first, _ = send(django_capture_on_commit_callbacks, coordinator, person)
    second, _ = send(django_capture_on_commit_callbacks, None, person)
    person.refresh_from_db()
    assert first.invited_by == coordinator
    assert User.objects.filter(email="anna.ek@boras.se").count() == 1
    assert Invitation.objects.filter(person=person).count() == 2
    assert second.invited_by is None  # sent by the platform itself (a command)

    assert person.user is not None
    services.invitation_accept(user=person.user, password=NEW_PASSWORD)
    assert Invitation.objects.filter(person=person, accepted_at__isnull=True).count() == 0


# accepting ------------------------------------------------------------------------------------


def test_invitation_accept_sets_the_password_and_ends_the_link() -> None:
    """The service on its own, without the email or the pages."""
    user = UserFactory(email="anna@boras.se")
    user.set_unusable_password()
    user.save()
    invitation = InvitationFactory(person=PersonFactory(user=user, email="anna@boras.se"))
    token = default_token_generator.make_token(user)

    services.invitation_accept(user=user, password=NEW_PASSWORD)

    user.refresh_from_db()
    invitation.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert invitation.accepted_at is not None
    assert not default_token_generator.check_token(user, token)
    assert AuditEntry.objects.filter(action="invitation.accepted", actor=user).exists()


def test_following_the_link_sets_the_password_and_logs_in(
    coordinator: User, person: Person, django_capture_on_commit_callbacks: Capture
) -> None:
    require_templates(*PAGE_TEMPLATES)
    invitation, message = send(django_capture_on_commit_callbacks, coordinator, person)
    path = urlsplit(link_in(message)).path
    client = Client()

    page = client.get(path)
    assert page.status_code == 200
    assert 'name="new_password1"' in page.content.decode()

    response = client.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("networks:home")

    person.refresh_from_db()
    user = person.user
    assert user is not None
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.session["_auth_user_id"] == str(user.pk)
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None

    # the link works once
    assert client.get(path).status_code == 400
    again = Client().post(
        path, {"new_password1": "Annat-losen-99", "new_password2": "Annat-losen-99"}
    )
    assert again.status_code == 400
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_mismatched_passwords_keep_the_invitation_open(
    coordinator: User, person: Person, django_capture_on_commit_callbacks: Capture
) -> None:
    require_templates(*PAGE_TEMPLATES)
    invitation, message = send(django_capture_on_commit_callbacks, coordinator, person)
    path = urlsplit(link_in(message)).path
    client = Client()

    response = client.post(path, {"new_password1": NEW_PASSWORD, "new_password2": "något annat"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    person.refresh_from_db()
    assert person.user is not None and not person.user.has_usable_password()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert client.get(path).status_code == 200  # the link still works


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/invitation/{uid}/fel-token/",
        "/accounts/invitation/bm9wZQ/{token}/",  # a uid that is not a number
        "/accounts/invitation/OTk5OTk/{token}/",  # a user that does not exist
    ],
)
def test_a_bad_link_is_refused(path: str) -> None:
    require_templates(*PAGE_TEMPLATES)
    user = UserFactory()
    link = services.invitation_link(user=user)
    uid, token = urlsplit(link).path.strip("/").split("/")[-2:]
    response = Client().get(path.format(uid=uid, token=token))
    assert response.status_code == 400
