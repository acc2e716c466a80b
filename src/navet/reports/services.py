"""Writes for the annual plan: add, change and delete planned activities. Each service checks
its rules, writes atomically and records an audit entry in the same transaction."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from navet.core.audit import audit_log
from navet.meetings.models import Meeting, PlannedActivity
from navet.networks.models import Group, Network

FIRST_YEAR, LAST_YEAR = 2000, 2100


def _check_activity(
    *,
    network: Network,
    year: int,
    group: Group | None,
    planned_date: datetime.date | None,
    planned_month: int | None,
    theme: str,
    meeting: Meeting | None,
    activity: PlannedActivity | None = None,
) -> None:
    errors: dict[str, str] = {}
    if not FIRST_YEAR <= year <= LAST_YEAR:
        errors["year"] = _("The year must be between %(first)s and %(last)s.") % {
            "first": FIRST_YEAR,
            "last": LAST_YEAR,
        }
    if not theme.strip():
        errors["theme"] = _("Give the theme of the activity.")
    if group is not None and group.network_id != network.pk:
        errors["group"] = _("The group does not belong to this network.")
    if planned_date is None and planned_month is None:
        errors["planned_date"] = _("Give a planned date or a planned month.")
    if planned_date is not None and planned_date.year != year:
        errors["planned_date"] = _("The planned date must be in %(year)s.") % {"year": year}
    if planned_month is not None and not 1 <= planned_month <= 12:
        errors["planned_month"] = _("The month must be between 1 and 12.")
    elif (
        planned_date is not None
        and planned_month is not None
        and planned_date.month != planned_month
    ):
        errors["planned_month"] = _("The month does not agree with the planned date.")
    if meeting is not None:
        meeting_year = timezone.localtime(meeting.starts_at).year
        if meeting.network_id != network.pk or meeting_year != year:
            errors["meeting"] = _("Choose one of the network's meetings in %(year)s.") % {
                "year": year
            }
        else:
            others = PlannedActivity.objects.filter(meeting=meeting)
            if activity is not None:
                others = others.exclude(pk=activity.pk)
            taken = others.first()
            if taken is not None:
                errors["meeting"] = _(
                    "This meeting is already linked to the activity “%(theme)s”."
                ) % {"theme": taken.theme}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def activity_add(
    *,
    actor: Any,
    network: Network,
    year: int,
    theme: str,
    group: Group | None = None,
    planned_date: datetime.date | None = None,
    planned_month: int | None = None,
    meeting: Meeting | None = None,
) -> PlannedActivity:
    _check_activity(
        network=network,
        year=year,
        group=group,
        planned_date=planned_date,
        planned_month=planned_month,
        theme=theme,
        meeting=meeting,
    )
    activity = PlannedActivity.objects.create(
        network=network,
        year=year,
        group=group,
        planned_date=planned_date,
        planned_month=planned_date.month if planned_date else planned_month,
        theme=theme.strip(),
        meeting=meeting,
    )
    audit_log(
        actor=actor,
        action="planned_activity.added",
        obj=activity,
        network=network.slug,
        year=year,
        theme=activity.theme,
        group=group,
        planned_date=planned_date,
        planned_month=activity.planned_month,
        meeting=meeting,
    )
    return activity


@transaction.atomic
def activity_update(
    *,
    actor: Any,
    activity: PlannedActivity,
    theme: str,
    group: Group | None,
    planned_date: datetime.date | None,
    planned_month: int | None,
    meeting: Meeting | None,
) -> PlannedActivity:
    _check_activity(
        network=activity.network,
        year=activity.year,
        group=group,
        planned_date=planned_date,
        planned_month=planned_month,
        theme=theme,
        meeting=meeting,
        activity=activity,
    )
    activity.theme = theme.strip()
    activity.group = group
    activity.planned_date = planned_date
    activity.planned_month = planned_date.month if planned_date else planned_month
    activity.meeting = meeting
    activity.save()
    audit_log(
        actor=actor,
        action="planned_activity.changed",
        obj=activity,
        theme=activity.theme,
        group=group,
        planned_date=planned_date,
        planned_month=activity.planned_month,
        meeting=meeting,
    )
    return activity


@transaction.atomic
def activity_delete(*, actor: Any, activity: PlannedActivity) -> None:
    audit_log(
        actor=actor,
        action="planned_activity.deleted",
        obj=activity,
        network=activity.network.slug,
        year=activity.year,
        theme=activity.theme,
    )
    activity.delete()
