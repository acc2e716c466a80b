"""Writes of the home app: a person changing their own profile."""

from typing import Any

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from navet.accounts.models import User
from navet.core.audit import audit_log
from navet.networks.models import Person, role_category_choices

# What a person may change of their own (README: "Who may edit which fields of a person").
PROFILE_FIELDS = ("first_name", "last_name", "title", "phone", "role_category", "email")


@transaction.atomic
def profile_update(*, actor: Any, person: Person, **fields: Any) -> Person:
    """Change the person's own fields. The email address is also the login: the account's
    address changes with it, and no other person or account may already have it."""
    refused = set(fields) - set(PROFILE_FIELDS)
    if refused:
        raise ValidationError(
            _("These fields cannot be changed here: %(fields)s.")
            % {"fields": ", ".join(sorted(refused))}
        )
    person = Person.objects.select_for_update(of=("self",)).select_related("user").get(pk=person.pk)
    if person.user_id is None or person.user_id != getattr(actor, "pk", None):
        raise ValidationError(_("You can only change your own profile."))
    if "role_category" in fields and fields["role_category"] not in dict(role_category_choices()):
        raise ValidationError({"role_category": _("Choose one of the role categories.")})
    email = fields.get("email", person.email).strip().lower()
    if "email" in fields:
        if not email:
            raise ValidationError(
                {"email": _("You log in with your email address: it cannot be empty.")}
            )
        fields["email"] = email
        _check_email_free(email, person)
    before = {name: getattr(person, name) for name in fields}
    for name, value in fields.items():
        setattr(person, name, value)
    person.save()
    user = person.user
    assert user is not None
    if before.get("email", email) != email and user.email != email:
        old_email = user.email
        user.email = email
        user.save(update_fields=["email"])
        # allauth would still let the old address log in: the account has one address only.
        EmailAddress.objects.filter(user=user).delete()
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
        audit_log(actor=actor, action="user.email_changed", obj=user, old=old_email, new=email)
    changed = sorted(name for name in fields if before[name] != getattr(person, name))
    audit_log(actor=actor, action="person.profile_changed", obj=person, fields=changed)
    return person


def _check_email_free(email: str, person: Person) -> None:
    taken = (
        Person.objects.filter(email__iexact=email).exclude(pk=person.pk).exists()
        or User.objects.filter(email__iexact=email).exclude(pk=person.user_id or 0).exists()
        or EmailAddress.objects.filter(email__iexact=email).exclude(user_id=person.user_id).exists()
    )
    if taken:
        raise ValidationError(
            {"email": _("Someone else already uses this email address. Choose another one.")}
        )
