"""Invitations: a coordinator invites a person, who sets a password through a one-time link."""

from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from navet.accounts.models import Invitation, User
from navet.core.audit import audit_log
from navet.networks.models import Network, Person
from navet.networks.permissions import person_policy


def invitation_link(*, user: User, request: HttpRequest | None = None) -> str:
    path = reverse(
        "invitation_accept",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return request.build_absolute_uri(path) if request else settings.NAVET_BASE_URL + path


@transaction.atomic
def invitation_send(
    *,
    actor: Any,
    person: Person,
    network: Network | None = None,
    request: HttpRequest | None = None,
) -> Invitation:
    """Create (or reuse) the person's account and email a link to set a password.

    A coordinator invites only people of their ``network``, never a person who coordinates a
    network (only a platform admin does); a deactivated account is not re-opened by an
    invitation. The link stops working once a password is set, because the token depends on
    the password.
    """
    if not person.email:
        raise ValidationError(_("%(person)s has no email address.") % {"person": person})
    # ``actor`` None is the platform itself (a command), which needs no permission.
    if actor is not None and not person_policy.user_has_permission_for_instance(
        actor, "invite", person, network=network
    ):
        if person.coordinated_networks.exists():
            raise ValidationError(
                _("Only a platform admin can invite %(person)s, who coordinates a network.")
                % {"person": person}
            )
        raise ValidationError(_("You may invite only people who take part in your network."))
    user = person.user
    if user is not None and not user.is_active:
        raise ValidationError(
            _("The account of %(person)s is deactivated; a platform admin can re-activate it.")
            % {"person": person}
        )
    if user is None:
        if User.objects.filter(email__iexact=person.email).exists():
            raise ValidationError(
                _("Another account already uses %(email)s.") % {"email": person.email}
            )
        user = User.objects.create_user(
            email=person.email, first_name=person.first_name, last_name=person.last_name
        )
        user.set_unusable_password()
        user.save()
        person.user = user
        person.save(update_fields=["user"])
    elif user.has_usable_password():
        raise ValidationError(_("%(person)s already has an account.") % {"person": person})
    invitation = Invitation.objects.create(
        person=person, invited_by=actor if actor is not None and actor.is_authenticated else None
    )
    context = {
        "person": person,
        "inviter": getattr(actor, "person", None) or actor,
        "link": invitation_link(user=user, request=request),
    }
    subject = _("Invitation to Navet")
    body = render_to_string("accounts/email/invitation.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, None, [person.email]))
    audit_log(actor=actor, action="invitation.sent", obj=invitation, person=person)
    return invitation


@transaction.atomic
def invitation_accept(*, user: User, password: str) -> User:
    if not user.is_active:
        # A deactivated account stays closed, whatever old invitation link is used.
        raise ValidationError(_("This account is deactivated."))
    user.set_password(password)
    user.save()
    Invitation.objects.filter(person__user=user, accepted_at__isnull=True).update(
        accepted_at=timezone.now()
    )
    audit_log(actor=user, action="invitation.accepted", obj=user)
    return user
