"""Writes for meetings. Each service checks its rules, writes atomically and records an audit
entry in the same transaction. Rule violations raise ValidationError keyed by the form field they
concern, with a message in the user's language. Emails leave only after the commit.

Every change that a calendar program would show (title, times, place, description, status)
raises ``Meeting.sequence`` so subscribed calendars and invitations update the event.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from navet.core import bounds
from navet.core.audit import audit_log
from navet.meetings import emails
from navet.meetings.models import (
    Attendance,
    AttendanceCount,
    CalendarFeed,
    Meeting,
    Registration,
    Speaker,
)
from navet.networks.models import Group, Network, Person

# Fields shown in calendars: changing one of them raises the SEQUENCE.
CALENDAR_FIELDS = (
    "title",
    "theme",
    "description",
    "agenda",
    "format",
    "starts_at",
    "ends_at",
    "location",
    "meeting_link",
)
OTHER_FIELDS = ("kind_label", "capacity", "registration_deadline", "participants_note")
DIETARY_NEEDS_KEPT_FOR = datetime.timedelta(days=30)
# A meeting covers at most this many calendar days (Stockholm time), the first and last included.
MAX_MEETING_DAYS = 14
ON_SITE = (Meeting.Format.PHYSICAL, Meeting.Format.HYBRID)


@dataclass(frozen=True)
class SpeakerInput:
    """A speaker: a known ``person``, or a name with title and organisation as free text."""

    name: str = ""
    title: str = ""
    organisation_name: str = ""
    person: Person | None = None


@dataclass(frozen=True)
class MeetingInput:
    """What a coordinator fills in for a meeting (the form's fields)."""

    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    groups: Sequence[Group] = ()
    speakers: Sequence[SpeakerInput] = ()
    theme: str = ""
    kind_label: str = ""
    description: str = ""
    agenda: str = ""
    format: str = Meeting.Format.PHYSICAL
    location: str = ""
    meeting_link: str = ""
    capacity: int | None = None
    registration_deadline: datetime.datetime | None = None
    participants_note: str = ""

    def meeting_fields(self) -> dict[str, Any]:
        """The values stored on the meeting itself; groups and speakers are relations."""
        return {
            field.name: getattr(self, field.name)
            for field in fields(self)
            if field.name not in {"groups", "speakers"}
        }


def _local_day(moment: datetime.datetime) -> datetime.date:
    try:
        return timezone.localtime(moment).date()
    except (OverflowError, ValueError):
        return moment.date()


def meeting_date_errors(
    starts_at: datetime.datetime | None,
    ends_at: datetime.datetime | None,
    registration_deadline: datetime.datetime | None = None,
) -> dict[str, str]:
    """What is wrong with a meeting's dates, by field: years 2000–2100, ends after it starts,
    at most ``MAX_MEETING_DAYS`` calendar days. The form and the services both ask this."""
    errors: dict[str, str] = {}
    for name, moment in (
        ("starts_at", starts_at),
        ("ends_at", ends_at),
        ("registration_deadline", registration_deadline),
    ):
        if moment is not None:
            try:
                bounds.check_date(_local_day(moment))
            except ValidationError as error:
                errors[name] = " ".join(error.messages)
    if starts_at is None or ends_at is None or "starts_at" in errors or "ends_at" in errors:
        return errors
    if ends_at < starts_at:
        errors["ends_at"] = _("The meeting cannot end before it starts.")
    elif (_local_day(ends_at) - _local_day(starts_at)).days + 1 > MAX_MEETING_DAYS:
        errors["ends_at"] = _("A meeting can last at most %(days)d days.") % {
            "days": MAX_MEETING_DAYS
        }
    return errors


def _check_capacity(capacity: int | None) -> None:
    if capacity is not None and not 1 <= capacity <= bounds.MAX_COUNT:
        raise ValidationError(
            {
                "capacity": _("The capacity must be from 1 to %(max)d, or empty for no limit.")
                % {"max": bounds.MAX_COUNT}
            }
        )


def _check_meeting(*, network: Network, data: MeetingInput) -> None:
    errors = meeting_date_errors(data.starts_at, data.ends_at, data.registration_deadline)
    if errors:
        raise ValidationError(errors)
    _check_capacity(data.capacity)
    if data.registration_deadline is not None and data.registration_deadline > data.ends_at:
        raise ValidationError(
            {
                "registration_deadline": _(
                    "The registration deadline must be before the meeting ends."
                )
            }
        )
    for group in data.groups:
        if group.network_id != network.pk:
            raise ValidationError(
                {"groups": _("%(group)s is not a group of this network.") % {"group": group}}
            )


def _save_speakers(meeting: Meeting, speakers: Sequence[SpeakerInput]) -> None:
    meeting.speakers.all().delete()
    Speaker.objects.bulk_create(
        Speaker(
            meeting=meeting,
            person=speaker.person,
            name=speaker.name,
            title=speaker.title,
            organisation_name=speaker.organisation_name,
            order=order,
        )
        for order, speaker in enumerate(speakers)
    )


@transaction.atomic
def meeting_create(
    *, actor: Any, network: Network, data: MeetingInput, copied_from: Meeting | None = None
) -> Meeting:
    _check_meeting(network=network, data=data)
    meeting = Meeting.objects.create(
        network=network, copied_from=copied_from, **data.meeting_fields()
    )
    meeting.groups.set(data.groups)
    _save_speakers(meeting, data.speakers)
    audit_log(
        actor=actor,
        action="meeting.copied" if copied_from else "meeting.created",
        obj=meeting,
        network=network.slug,
        title=data.title,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        copied_from=copied_from,
    )
    return meeting


@transaction.atomic
def meeting_update(*, actor: Any, meeting: Meeting, data: MeetingInput) -> Meeting:
    _check_meeting(network=meeting.network, data=data)
    values = data.meeting_fields()
    changed = [name for name, value in values.items() if getattr(meeting, name) != value]
    for name, value in values.items():
        setattr(meeting, name, value)
    if any(name in CALENDAR_FIELDS for name in changed):
        meeting.sequence += 1
    meeting.save()
    meeting.groups.set(data.groups)
    _save_speakers(meeting, data.speakers)
    promoted = _promote_waiting(meeting)
    audit_log(
        actor=actor,
        action="meeting.updated",
        obj=meeting,
        changed=changed,
        sequence=meeting.sequence,
        promoted=[str(person) for person in promoted],
    )
    return meeting


@transaction.atomic
def meeting_copy(
    *,
    actor: Any,
    meeting: Meeting,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    registration_deadline: datetime.datetime | None = None,
) -> Meeting:
    """A planned copy with new dates: same texts, groups and speakers; no registrations,
    attendance or documents."""
    speakers = [
        SpeakerInput(
            name=s.name, title=s.title, organisation_name=s.organisation_name, person=s.person
        )
        for s in meeting.speakers.select_related("person")
    ]
    data = MeetingInput(
        title=meeting.title,
        starts_at=starts_at,
        ends_at=ends_at,
        groups=list(meeting.groups.all()),
        speakers=speakers,
        theme=meeting.theme,
        kind_label=meeting.kind_label,
        description=meeting.description,
        agenda=meeting.agenda,
        format=meeting.format,
        location=meeting.location,
        meeting_link=meeting.meeting_link,
        capacity=meeting.capacity,
        registration_deadline=registration_deadline,
    )
    return meeting_create(actor=actor, network=meeting.network, data=data, copied_from=meeting)


@transaction.atomic
def meeting_cancel(*, actor: Any, meeting: Meeting) -> Meeting:
    """Cancel the meeting and send everyone registered a cancellation for their calendar."""
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError({"status": _("The meeting is already cancelled.")})
    if meeting.status == Meeting.Status.HELD:
        raise ValidationError({"status": _("A meeting that has been held cannot be cancelled.")})
    meeting.status = Meeting.Status.CANCELLED
    meeting.sequence += 1
    meeting.save(update_fields=["status", "sequence", "updated_at", "changed_at"])
    people = [
        registration.person
        for registration in meeting.registrations.filter(
            status=Registration.Status.REGISTERED
        ).select_related("person")
    ]
    audit_log(
        actor=actor,
        action="meeting.cancelled",
        obj=meeting,
        sequence=meeting.sequence,
        notified=len(people),
    )
    transaction.on_commit(lambda: emails.send_cancellation(meeting=meeting, people=people))
    return meeting


@transaction.atomic
def meeting_mark_held(*, actor: Any, meeting: Meeting) -> Meeting:
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError({"status": _("A cancelled meeting cannot be marked as held.")})
    if meeting.starts_at > timezone.now():
        raise ValidationError(
            {"status": _("The meeting has not started yet, so it cannot be marked as held.")}
        )
    meeting.status = Meeting.Status.HELD
    meeting.save(update_fields=["status", "updated_at", "changed_at"])
    audit_log(actor=actor, action="meeting.held", obj=meeting)
    return meeting


# Registration ------------------------------------------------------------------------------


def meetings_changed(meeting_ids: Iterable[int]) -> None:
    """Note that what lists show for these meetings changed (their registrations or
    attendance), so that their cached rows are made again. Saving a meeting does this too."""
    Meeting.objects.filter(pk__in=list(meeting_ids)).update(changed_at=timezone.now())


def registration_open_error(meeting: Meeting, now: datetime.datetime | None = None) -> str:
    """Why registration (or unregistration) is closed, or "" when it is open."""
    now = now or timezone.now()
    if meeting.status == Meeting.Status.CANCELLED:
        return _("The meeting has been cancelled.")
    if meeting.status == Meeting.Status.HELD or meeting.ends_at < now:
        return _("The meeting has already taken place.")
    if meeting.registration_deadline is not None and meeting.registration_deadline < now:
        return _("The registration deadline, %(deadline)s, has passed.") % {
            "deadline": date_format(
                timezone.localtime(meeting.registration_deadline), "DATETIME_FORMAT"
            )
        }
    return ""


def takes_a_place(meeting: Meeting, mode: str) -> bool:
    """Whether a registration in ``mode`` uses one of the capacity's places: at a hybrid
    meeting the capacity is the room's, so only those on site take one."""
    return meeting.format != Meeting.Format.HYBRID or mode == Registration.Mode.ON_SITE


def places_taken(meeting: Meeting) -> dict[datetime.date, int]:
    """Registered people who take a place, per day of the meeting."""
    taken = dict.fromkeys(meeting.days, 0)
    for registration in meeting.registrations.filter(status=Registration.Status.REGISTERED):
        if takes_a_place(meeting, registration.mode_for(meeting)):
            for day in registration.days_for(meeting):
                taken[day] += 1
    return taken


def _has_room(
    meeting: Meeting, registration: Registration, taken: dict[datetime.date, int]
) -> bool:
    if meeting.capacity is None or not takes_a_place(meeting, registration.mode_for(meeting)):
        return True
    return all(taken[day] < meeting.capacity for day in registration.days_for(meeting))


def _registration_choice(
    meeting: Meeting, mode: str, days: Sequence[datetime.date] | None
) -> tuple[str, list[str]]:
    """Check the person's choice of mode and days; returns what is stored."""
    if meeting.format == Meeting.Format.HYBRID:
        # The form asks; callers that do not (imports, the demo) register people on site.
        mode = mode or Registration.Mode.ON_SITE
        if mode not in Registration.Mode.values:
            raise ValidationError({"mode": _("Choose whether you take part on site or digitally.")})
    elif meeting.format == Meeting.Format.DIGITAL:
        mode = Registration.Mode.DIGITAL
    else:
        mode = Registration.Mode.ON_SITE
    meeting_days = meeting.days
    if len(meeting_days) == 1:
        return mode, []
    chosen = set(days or [])
    if not chosen:
        raise ValidationError({"days": _("Choose at least one day.")})
    if chosen - set(meeting_days):
        raise ValidationError({"days": _("Choose among the days of the meeting.")})
    if chosen == set(meeting_days):
        return mode, []
    return mode, [day.isoformat() for day in meeting_days if day in chosen]


@transaction.atomic
def registration_register(
    *,
    actor: Any,
    meeting: Meeting,
    person: Person,
    dietary_needs: str = "",
    mode: str = "",
    days: Sequence[datetime.date] | None = None,
) -> Registration:
    """Register the person, or put them on the waiting list when the meeting is full.

    ``mode`` (on site or digital; default on site) is asked for a hybrid meeting, ``days``
    for a meeting over several days (None or every day: all of them). The capacity counts the
    places on site, per day: a person is on the waiting list when one of their days is full.
    """
    # Lock the meeting so two last-minute registrations cannot both take the last place.
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    closed = registration_open_error(meeting)
    if closed:
        raise ValidationError({"__all__": closed})
    if days is None:
        days = meeting.days
    mode, chosen_days = _registration_choice(meeting, mode, days)
    dietary_needs = dietary_needs.strip()
    if dietary_needs and (meeting.format not in ON_SITE or mode != Registration.Mode.ON_SITE):
        raise ValidationError(
            {"dietary_needs": _("Dietary needs are only asked for meetings on site.")}
        )
    registration = Registration.objects.filter(meeting=meeting, person=person).first()
    if registration is not None and registration.status == Registration.Status.REGISTERED:
        raise ValidationError({"__all__": _("You are already registered for this meeting.")})
    if registration is not None and registration.status == Registration.Status.WAITING:
        raise ValidationError({"__all__": _("You are already on the waiting list.")})
    if registration is None:
        registration = Registration(meeting=meeting, person=person)
    registration.mode = mode
    registration.chosen_days = chosen_days
    full = not _has_room(meeting, registration, places_taken(meeting))
    registration.status = Registration.Status.WAITING if full else Registration.Status.REGISTERED
    registration.dietary_needs = dietary_needs
    registration.registered_at = timezone.now()
    registration.cancelled_at = None
    registration.save()
    meetings_changed([meeting.pk])
    audit_log(
        actor=actor,
        action="registration.waiting" if full else "registration.registered",
        obj=registration,
        meeting=meeting,
        person=person,
        mode=mode,
        days=chosen_days,
    )
    return registration


@transaction.atomic
def registration_cancel(*, actor: Any, meeting: Meeting, person: Person) -> Registration:
    """Unregister; a freed place goes to the first person on the waiting list."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    registration = Registration.objects.filter(
        meeting=meeting,
        person=person,
        status__in=[Registration.Status.REGISTERED, Registration.Status.WAITING],
    ).first()
    if registration is None:
        raise ValidationError({"__all__": _("You are not registered for this meeting.")})
    closed = registration_open_error(meeting)
    if closed:
        raise ValidationError(
            {"__all__": closed + " " + _("Contact the coordinator if you cannot come.")}
        )
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.dietary_needs = ""
    registration.save()
    promoted = _promote_waiting(meeting)
    meetings_changed([meeting.pk])
    audit_log(
        actor=actor,
        action="registration.cancelled",
        obj=registration,
        meeting=meeting,
        person=person,
        promoted=[str(p) for p in promoted],
    )
    return registration


def _promote_waiting(meeting: Meeting) -> list[Person]:
    """Move people from the waiting list, first in line first, while their days have free
    places; email each of them."""
    if meeting.status != Meeting.Status.PLANNED:
        return []
    waiting = meeting.registrations.filter(status=Registration.Status.WAITING).select_related(
        "person"
    )
    taken = places_taken(meeting)
    promoted: list[Person] = []
    for registration in list(waiting.order_by("registered_at", "pk")):
        if not _has_room(meeting, registration, taken):
            continue
        registration.status = Registration.Status.REGISTERED
        registration.save(update_fields=["status"])
        if takes_a_place(meeting, registration.mode_for(meeting)):
            for day in registration.days_for(meeting):
                taken[day] += 1
        promoted.append(registration.person)
        transaction.on_commit(
            partial(emails.send_promotion, meeting=meeting, person=registration.person)
        )
    return promoted


@transaction.atomic
def purge_dietary_needs(*, now: datetime.datetime | None = None) -> int:
    """Blank the dietary needs of meetings that ended more than 30 days ago; returns how many
    registrations were blanked (0 when run again)."""
    cutoff = (now or timezone.now()) - DIETARY_NEEDS_KEPT_FOR
    registrations = Registration.objects.filter(meeting__ends_at__lt=cutoff).exclude(
        dietary_needs=""
    )
    meetings = Meeting.objects.filter(pk__in=registrations.values("meeting_id"))
    for meeting in meetings:
        audit_log(
            actor=None,
            action="meeting.dietary_needs_purged",
            obj=meeting,
            count=registrations.filter(meeting=meeting).count(),
        )
    return registrations.update(dietary_needs="")


# Attendance ---------------------------------------------------------------------------------


@transaction.atomic
def attendance_save(
    *, actor: Any, meeting: Meeting, present: Iterable[tuple[int, datetime.date]]
) -> int:
    """Replace the named attendance with ``present``: (person id, day) pairs."""
    days = set(meeting.days)
    rows = set(present)
    for _person_id, day in rows:
        if day not in days:
            raise ValidationError(
                {"__all__": _("%(day)s is not a day of the meeting.") % {"day": day}}
            )
    allowed = set(meeting.registrations.values_list("person_id", flat=True)) | set(
        meeting.attendances.values_list("person_id", flat=True)
    )
    unknown = {person_id for person_id, _day in rows} - allowed
    if unknown:
        raise ValidationError({"__all__": _("Only registered people can be marked present.")})
    meeting.attendances.all().delete()
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, person_id=person_id, day=day) for person_id, day in rows
    )
    meetings_changed([meeting.pk])
    audit_log(actor=actor, action="meeting.attendance_saved", obj=meeting, rows=len(rows))
    return len(rows)


@transaction.atomic
def attendance_counts_save(
    *, actor: Any, meeting: Meeting, counts: dict[tuple[datetime.date, str], int | None]
) -> int:
    """Replace the counts per (day, organisation kind); empty or zero counts are not stored.

    An organisation kind of "" means a total without breakdown: a day has that total alone or
    a breakdown whose sum is the day's figure, never both (both would count twice).
    """
    days = set(meeting.days)
    for (day, _kind), count in counts.items():
        if day not in days:
            raise ValidationError(
                {"__all__": _("%(day)s is not a day of the meeting.") % {"day": day}}
            )
        if count is not None and count < 0:
            raise ValidationError({"__all__": _("A count cannot be negative.")})
        if count is not None and count > bounds.MAX_COUNT:
            raise ValidationError(
                {"__all__": _("A count can be at most %(max)d.") % {"max": bounds.MAX_COUNT}}
            )
    for day in days:
        total = counts.get((day, ""))
        if total and any(count for (d, kind), count in counts.items() if d == day and kind):
            raise ValidationError(
                {
                    "__all__": _(
                        "%(day)s: enter either the total without breakdown or the counts per "
                        "kind of organisation, not both (the total is then their sum)."
                    )
                    % {"day": date_format(day, "SHORT_DATE_FORMAT")}
                }
            )
    meeting.attendance_counts.all().delete()
    rows = [
        AttendanceCount(meeting=meeting, day=day, organisation_kind=kind, count=count)
        for (day, kind), count in sorted(counts.items())
        if count
    ]
    AttendanceCount.objects.bulk_create(rows)
    meetings_changed([meeting.pk])
    audit_log(
        actor=actor,
        action="meeting.attendance_counts_saved",
        obj=meeting,
        total=sum(row.count for row in rows),
    )
    return len(rows)


# Invitations --------------------------------------------------------------------------------


@transaction.atomic
def invitations_send(
    *, actor: Any, meeting: Meeting, people: Sequence[Person], note: str = ""
) -> int:
    """Email an invitation with the .ics to each person with an email address."""
    if meeting.status != Meeting.Status.PLANNED:
        raise ValidationError({"__all__": _("Only planned meetings can be sent as invitations.")})
    recipients = [person for person in people if person.email]
    if not recipients:
        raise ValidationError({"audience": _("Nobody in this selection has an email address.")})
    audit_log(
        actor=actor,
        action="meeting.invitations_sent",
        obj=meeting,
        recipients=len(recipients),
    )
    transaction.on_commit(
        lambda: emails.send_invitations(meeting=meeting, people=recipients, note=note)
    )
    return len(recipients)


# Calendar feeds -----------------------------------------------------------------------------


@transaction.atomic
def feed_create(
    *,
    actor: Any,
    network: Network | None = None,
    group: Group | None = None,
    person: Person | None = None,
) -> CalendarFeed:
    if sum(subject is not None for subject in (network, group, person)) != 1:
        raise ValidationError({"__all__": _("A feed is for one network, group or person.")})
    feed = CalendarFeed.objects.create(
        network=network,
        group=group,
        person=person,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_log(actor=actor, action="calendar_feed.created", obj=feed, subject=str(feed))
    return feed


@transaction.atomic
def feed_revoke(*, actor: Any, feed: CalendarFeed) -> CalendarFeed:
    if feed.revoked_at is None:
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
        audit_log(actor=actor, action="calendar_feed.revoked", obj=feed, subject=str(feed))
    return feed
