"""Writes for coordinator time. Each service checks everything first, then writes in one
transaction with its audit entry, so bad input changes nothing."""

import calendar
import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from navet.core.audit import audit_log
from navet.core.bounds import check_date
from navet.hours.models import MAX_HOURS_PER_MONTH, Allocation, LoggedHours
from navet.hours.selectors import first_of_month, last_of_month
from navet.meetings.models import Meeting
from navet.networks.models import Group, Network, Organisation, Person
from navet.networks.permissions import person_of
from navet.networks.selectors import in_network

ZERO = Decimal("0")


def _hours(value: Decimal) -> str:
    return number_format(value, decimal_pos=2)


def _month_name(month: datetime.date) -> str:
    return date_format(month, "F Y")


def _check_allocation(
    *,
    network: Network,
    person: Person,
    group: Group | None,
    hours_per_month: Decimal,
    months_per_year: int,
    start_date: datetime.date,
    end_date: datetime.date | None,
    allocation: Allocation | None = None,
) -> None:
    errors: dict[str, list[str]] = {}

    def error(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if hours_per_month < 0:
        error("hours_per_month", _("Hours a month cannot be negative."))
    elif hours_per_month > MAX_HOURS_PER_MONTH:
        error(
            "hours_per_month",
            _("%(hours)s hours a month is more than a month has (at most 744 hours).")
            % {"hours": _hours(hours_per_month)},
        )
    if not 1 <= months_per_year <= 12:
        error("months_per_year", _("Months a year must be from 1 to 12."))
    for field, day in (("start_date", start_date), ("end_date", end_date)):
        if day is not None:
            try:
                check_date(day, field=field)
            except ValidationError as bad:
                for message in bad.message_dict[field]:
                    error(field, message)
    if end_date is not None and end_date < start_date:
        error("end_date", _("The end date is before the start date."))
    if group is not None and group.network_id != network.pk:
        error("group", _("The group is not one of this network's groups."))
    if not Person.objects.filter(pk=person.pk).filter(in_network(network)).exists():
        error("person", _("The person does not take part in this network."))
    if not errors:
        overlapping = Allocation.objects.filter(
            network=network,
            person=person,
            group=group,
            start_date__lte=end_date or datetime.date.max,
        ).filter(Q(end_date__isnull=True) | Q(end_date__gte=start_date))
        if allocation is not None:
            overlapping = overlapping.exclude(pk=allocation.pk)
        other = overlapping.order_by("start_date").first()
        if other is not None:
            error(
                "start_date",
                _(
                    "%(person)s already has an allocation for %(serves)s from %(start)s"
                    " to %(end)s; allocations of one person for the same group may not overlap."
                )
                % {
                    "person": person,
                    "serves": group.name if group else network.name,
                    "start": date_format(other.start_date, "j F Y"),
                    "end": date_format(other.end_date, "j F Y")
                    if other.end_date
                    else _("until further notice"),
                },
            )
    if allocation is not None and not errors:
        outside = (
            allocation.logged_hours.filter(
                Q(month__lt=first_of_month(start_date)) | Q(month__gt=end_date or datetime.date.max)
            )
            .order_by("month")
            .first()
        )
        if outside is not None:
            error(
                "end_date" if end_date and outside.month > end_date else "start_date",
                _(
                    "Hours are logged for %(month)s, outside the new period; move or delete"
                    " them first."
                )
                % {"month": _month_name(outside.month)},
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def allocation_save(
    *,
    actor: Any,
    network: Network,
    person: Person,
    role: str,
    hours_per_month: Decimal,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    months_per_year: int = 12,
    group: Group | None = None,
    note: str = "",
    allocation: Allocation | None = None,
) -> Allocation:
    """Create an allocation, or change ``allocation``."""
    _check_allocation(
        network=network,
        person=person,
        group=group,
        hours_per_month=hours_per_month,
        months_per_year=months_per_year,
        start_date=start_date,
        end_date=end_date,
        allocation=allocation,
    )
    before = None
    if allocation is None:
        allocation = Allocation(network=network)
    else:
        before = _allocation_data(allocation)
        if person.pk != allocation.person_id and allocation.logged_hours.exists():
            raise ValidationError(
                {"person": _("Hours are logged against this allocation; its person stays.")}
            )
    allocation.person = person
    allocation.role = role
    allocation.group = group
    allocation.hours_per_month = hours_per_month
    allocation.months_per_year = months_per_year
    allocation.start_date = start_date
    allocation.end_date = end_date
    allocation.note = note
    allocation.save()
    audit_log(
        actor=actor,
        action="allocation.added" if before is None else "allocation.changed",
        obj=allocation,
        network=network.slug,
        before=before,
        after=_allocation_data(allocation),
    )
    return allocation


def _allocation_data(allocation: Allocation) -> dict[str, Any]:
    return {
        "person": allocation.person_id,
        "role": allocation.role,
        "group": allocation.group_id,
        "hours_per_month": str(allocation.hours_per_month),
        "months_per_year": allocation.months_per_year,
        "start_date": allocation.start_date.isoformat(),
        "end_date": allocation.end_date.isoformat() if allocation.end_date else None,
    }


@transaction.atomic
def allocation_delete(*, actor: Any, allocation: Allocation) -> None:
    if allocation.logged_hours.exists():
        raise ValidationError(
            _("Hours are logged against this allocation; delete them first or end it instead.")
        )
    audit_log(
        actor=actor,
        action="allocation.deleted",
        obj=allocation,
        network=allocation.network.slug,
        before=_allocation_data(allocation),
    )
    allocation.delete()


def check_logged_hours(
    *,
    network: Network,
    allocation: Allocation,
    month: datetime.date,
    hours: Decimal,
    organisation: Organisation | None = None,
    meeting: Meeting | None = None,
    activity: str = "",
    entry: LoggedHours | None = None,
    pending: Decimal = ZERO,
) -> None:
    """Everything that makes a log of hours wrong, as field errors. ``pending`` is hours of
    the same person and month not yet saved (earlier rows of an import)."""
    errors: dict[str, list[str]] = {}

    def error(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    month = first_of_month(month)
    if allocation.network_id != network.pk:
        error("allocation", _("The allocation is not one of this network's."))
    if hours <= 0:
        error(
            "hours",
            _("Hours must be more than zero (you entered %(hours)s).") % {"hours": _hours(hours)},
        )
    try:
        check_date(month, field="month")
    except ValidationError as bad:
        errors.setdefault("month", []).extend(bad.message_dict["month"])
    outside = allocation.start_date > last_of_month(month) or (
        allocation.end_date is not None and allocation.end_date < month
    )
    if "month" not in errors and not errors.get("allocation") and outside:
        error(
            "month",
            _(
                "%(month)s is outside %(person)s's allocation (%(start)s – %(end)s):"
                " hours can only be logged within an allocation."
            )
            % {
                "month": _month_name(month),
                "person": allocation.person,
                "start": date_format(allocation.start_date, "j F Y"),
                "end": (date_format(allocation.end_date, "j F Y") if allocation.end_date else "…"),
            },
        )
    if "hours" not in errors and "month" not in errors:
        others = LoggedHours.objects.filter(
            network=network, allocation__person_id=allocation.person_id, month=month
        )
        if entry is not None:
            others = others.exclude(pk=entry.pk)
        already = (others.aggregate(total=Sum("hours"))["total"] or ZERO) + pending
        most = Decimal(calendar.monthrange(month.year, month.month)[1] * 24)
        if already + hours > most:
            error(
                "hours",
                _(
                    "%(month)s has only %(most)s hours, and %(person)s would have %(total)s"
                    " hours logged in it (%(already)s already)."
                )
                % {
                    "month": _month_name(month),
                    "most": _hours(most),
                    "person": allocation.person,
                    "total": _hours(already + hours),
                    "already": _hours(already),
                },
            )
    targets = [organisation is not None, meeting is not None, bool(activity.strip())]
    if not any(targets):
        error(
            "activity",
            _("Say what the time was spent on: a member organisation, a meeting or an activity."),
        )
    if meeting is not None and meeting.network_id != network.pk:
        error("meeting", _("The meeting is not one of this network's."))
    if (
        organisation is not None
        and not network.memberships.filter(
            Q(organisation=organisation) | Q(via=organisation)
        ).exists()
    ):
        error("organisation", _("The organisation is not a member of this network."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def hours_log(
    *,
    actor: Any,
    network: Network,
    allocation: Allocation,
    month: datetime.date,
    hours: Decimal,
    organisation: Organisation | None = None,
    meeting: Meeting | None = None,
    activity: str = "",
    entry: LoggedHours | None = None,
) -> LoggedHours:
    """Log hours against an allocation, or change ``entry``."""
    # Lock the person's allocations so two logs at once cannot pass the month's limit.
    list(Allocation.objects.select_for_update().filter(pk=allocation.pk))
    check_logged_hours(
        network=network,
        allocation=allocation,
        month=month,
        hours=hours,
        organisation=organisation,
        meeting=meeting,
        activity=activity,
        entry=entry,
    )
    before = _log_data(entry) if entry is not None else None
    if entry is None:
        entry = LoggedHours(network=network, logged_by=person_of(actor))
    entry.allocation = allocation
    entry.month = first_of_month(month)
    entry.hours = hours
    entry.organisation = organisation
    entry.meeting = meeting
    entry.activity = activity.strip()
    entry.save()
    audit_log(
        actor=actor,
        action="hours.logged" if before is None else "hours.changed",
        obj=entry,
        network=network.slug,
        before=before,
        after=_log_data(entry),
    )
    return entry


def _log_data(entry: LoggedHours) -> dict[str, Any]:
    return {
        "allocation": entry.allocation_id,
        "month": entry.month.isoformat(),
        "hours": str(entry.hours),
        "organisation": entry.organisation_id,
        "meeting": entry.meeting_id,
        "activity": entry.activity,
    }


@transaction.atomic
def hours_delete(*, actor: Any, entry: LoggedHours) -> None:
    audit_log(
        actor=actor,
        action="hours.deleted",
        obj=entry,
        network=entry.network.slug,
        before=_log_data(entry),
    )
    entry.delete()
