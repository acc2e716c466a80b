"""Writes for the network core. Each service checks its rules, writes atomically and records an
audit entry in the same transaction. Rule violations raise ValidationError with a message in the
user's language, keyed by the form field it concerns."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from navet.core.audit import audit_log
from navet.networks import permissions
from navet.networks.models import (
    ContactAssignment,
    Group,
    GroupMembership,
    Membership,
    Network,
    Organisation,
    Person,
)

ONE_DAY = datetime.timedelta(days=1)


def _check_period(start_date: datetime.date, end_date: datetime.date | None) -> None:
    if end_date is not None and end_date < start_date:
        raise ValidationError({"end_date": _("The end date cannot be before the start date.")})


def _overlapping(start_date: datetime.date, end_date: datetime.date | None) -> Q:
    """Periods that share at least one day with [start_date, end_date]."""
    overlap = Q(end_date__isnull=True) | Q(end_date__gte=start_date)
    if end_date is not None:
        overlap &= Q(start_date__lte=end_date)
    return overlap


def _check_membership(
    *,
    network: Network,
    organisation: Organisation,
    start_date: datetime.date,
    end_date: datetime.date | None,
    via: Organisation | None,
    exclude_pk: int | None = None,
) -> None:
    _check_period(start_date, end_date)
    if via is not None and via.pk == organisation.pk:
        raise ValidationError({"via": _("An organisation cannot be a member via itself.")})
    others = Membership.objects.filter(network=network, organisation=organisation)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    clash = others.filter(_overlapping(start_date, end_date)).first()
    if clash is not None:
        raise ValidationError(
            {
                "start_date": _(
                    "%(organisation)s is already a member from %(start)s in this period."
                )
                % {"organisation": organisation.name, "start": date_format(clash.start_date)}
            }
        )


@transaction.atomic
def membership_add(
    *,
    actor: Any,
    network: Network,
    organisation: Organisation,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    via: Organisation | None = None,
    note: str = "",
) -> Membership:
    _check_membership(
        network=network,
        organisation=organisation,
        start_date=start_date,
        end_date=end_date,
        via=via,
    )
    membership = Membership.objects.create(
        network=network,
        organisation=organisation,
        start_date=start_date,
        end_date=end_date,
        via=via,
        note=note,
    )
    audit_log(
        actor=actor,
        action="membership.added",
        obj=membership,
        network=network.slug,
        organisation=organisation,
        start_date=start_date,
        end_date=end_date,
        via=via,
    )
    return membership


@transaction.atomic
def membership_update(
    *,
    actor: Any,
    membership: Membership,
    start_date: datetime.date,
    end_date: datetime.date | None,
    via: Organisation | None,
    note: str = "",
) -> Membership:
    _check_membership(
        network=membership.network,
        organisation=membership.organisation,
        start_date=start_date,
        end_date=end_date,
        via=via,
        exclude_pk=membership.pk,
    )
    membership.start_date, membership.end_date = start_date, end_date
    membership.via, membership.note = via, note
    membership.save()
    audit_log(
        actor=actor,
        action="membership.changed",
        obj=membership,
        start_date=start_date,
        end_date=end_date,
        via=via,
    )
    return membership


@transaction.atomic
def membership_end(*, actor: Any, membership: Membership, end_date: datetime.date) -> Membership:
    """End a membership on ``end_date`` (its last day), and the organisation's open contacts."""
    if membership.end_date is not None:
        raise ValidationError({"end_date": _("This membership has already ended.")})
    _check_period(membership.start_date, end_date)
    membership.end_date = end_date
    membership.save(update_fields=["end_date"])
    ContactAssignment.objects.filter(
        network=membership.network, organisation=membership.organisation, end_date__isnull=True
    ).filter(start_date__lte=end_date).update(end_date=end_date)
    audit_log(actor=actor, action="membership.ended", obj=membership, end_date=end_date)
    return membership


@transaction.atomic
def group_membership_add(
    *,
    actor: Any,
    group: Group,
    person: Person,
    start_date: datetime.date,
    role: str = GroupMembership.Role.PARTICIPANT,
) -> GroupMembership:
    clash = (
        GroupMembership.objects.filter(group=group, person=person)
        .filter(_overlapping(start_date, None))
        .exists()
    )
    if clash:
        raise ValidationError(
            {"person": _("%(person)s already takes part in this group.") % {"person": person}}
        )
    group_membership = GroupMembership.objects.create(
        group=group, person=person, start_date=start_date, role=role
    )
    audit_log(
        actor=actor,
        action="group_membership.added",
        obj=group_membership,
        group=group.slug,
        person=person,
        role=role,
        start_date=start_date,
    )
    return group_membership


@transaction.atomic
def group_membership_end(
    *, actor: Any, group_membership: GroupMembership, end_date: datetime.date
) -> GroupMembership:
    if group_membership.end_date is not None:
        raise ValidationError({"end_date": _("This group membership has already ended.")})
    _check_period(group_membership.start_date, end_date)
    group_membership.end_date = end_date
    group_membership.save(update_fields=["end_date"])
    audit_log(actor=actor, action="group_membership.ended", obj=group_membership, end_date=end_date)
    return group_membership


@transaction.atomic
def contact_assign(
    *,
    actor: Any,
    network: Network,
    organisation: Organisation,
    person: Person,
    start_date: datetime.date,
    group: Group | None = None,
) -> ContactAssignment:
    """Make ``person`` the contact from ``start_date``; the previous contact ends the day before.

    The contact must work for the organisation, or for the organisation it takes part through
    (the Dalsland municipalities' contact may sit at their association).
    """
    if group is not None and group.network_id != network.pk:
        raise ValidationError({"group": _("The group does not belong to this network.")})
    allowed_orgs = {organisation.pk} | set(
        Membership.objects.filter(
            network=network, organisation=organisation, via__isnull=False
        ).values_list("via_id", flat=True)
    )
    if person.organisation_id not in allowed_orgs:
        raise ValidationError(
            {
                "person": _("%(person)s does not work for %(organisation)s.")
                % {"person": person, "organisation": organisation}
            }
        )
    latest = (
        ContactAssignment.objects.select_for_update()
        .filter(network=network, organisation=organisation, group=group)
        .order_by("-start_date", "-pk")
        .first()
    )
    if latest is not None and latest.end_date is not None and start_date <= latest.end_date:
        raise ValidationError(
            {
                "start_date": _(
                    "The new contact must start after the previous one's last day (%(end)s)."
                )
                % {"end": date_format(latest.end_date)}
            }
        )
    current = latest if latest is not None and latest.end_date is None else None
    if current is not None:
        if current.person_id == person.pk:
            raise ValidationError(
                {"person": _("%(person)s is already the contact person.") % {"person": person}}
            )
        if start_date <= current.start_date:
            raise ValidationError(
                {
                    "start_date": _(
                        "The new contact must start after the current one (from %(start)s)."
                    )
                    % {"start": date_format(current.start_date)}
                }
            )
        current.end_date = start_date - ONE_DAY
        current.save(update_fields=["end_date"])
    assignment = ContactAssignment.objects.create(
        network=network,
        organisation=organisation,
        group=group,
        person=person,
        start_date=start_date,
    )
    audit_log(
        actor=actor,
        action="contact.assigned",
        obj=assignment,
        network=network.slug,
        organisation=organisation,
        person=person,
        start_date=start_date,
        previous=current.person if current else None,
    )
    return assignment


@transaction.atomic
def person_create(
    *, actor: Any, registered_by_network: Network | None = None, **fields: Any
) -> Person:
    """Register a person; a coordinator registers them for their network (``registered_by``),
    and only in an organisation that is a member of it."""
    if registered_by_network is not None and actor is not None:
        allowed = permissions.organisations_for_new_people(actor, registered_by_network)
        if not allowed.filter(pk=fields["organisation"].pk).exists():
            raise ValidationError(
                {
                    "organisation": _(
                        "People can be added only in the network's member organisations."
                    )
                }
            )
    _check_email_free(fields.get("email", ""), exclude_pk=None)
    person = Person.objects.create(registered_by_network=registered_by_network, **fields)
    audit_log(
        actor=actor,
        action="person.created",
        obj=person,
        organisation=person.organisation,
        network=registered_by_network.slug if registered_by_network else None,
    )
    return person


@transaction.atomic
def person_update(
    *, actor: Any, person: Person, network: Network | None = None, **fields: Any
) -> Person:
    """Change a person's fields; which fields the actor may change is decided by
    ``permissions.editable_person_fields`` (the email and organisation are guarded)."""
    if actor is not None and network is not None:
        refused = set(fields) - permissions.editable_person_fields(actor, person, network)
        if refused:
            raise ValidationError(
                _("You may not change these fields of %(person)s: %(fields)s.")
                % {"person": person, "fields": ", ".join(sorted(refused))}
            )
    _check_email_free(fields.get("email", person.email), exclude_pk=person.pk)
    before = {name: getattr(person, name) for name in fields}
    for name, value in fields.items():
        setattr(person, name, value)
    person.save()
    changed = sorted(name for name in fields if before[name] != getattr(person, name))
    audit_log(actor=actor, action="person.changed", obj=person, fields=changed)
    return person


def _check_email_free(email: str, exclude_pk: int | None) -> None:
    others = Person.objects.filter(email__iexact=email)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if email and others.exists():
        raise ValidationError({"email": _("Another person already has this email address.")})
