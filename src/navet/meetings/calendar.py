"""iCalendar (RFC 5545) files for meetings: one meeting, a feed of many, or an invitation.

Each meeting is one VEVENT whose UID (``<meeting.uid>@navet``) never changes and whose SEQUENCE
is ``meeting.sequence``, so calendar programs update the event they already have instead of
adding a new one. Times are written with ``TZID=Europe/Stockholm`` and a matching VTIMEZONE; a
meeting over several days is a single event from its first start to its last end.

``method`` is ``REQUEST`` for invitations sent by email, ``CANCEL`` for cancellations, and left
out for downloads and subscribed feeds (RFC 5546 reserves METHOD for scheduling messages).
"""

import datetime
from collections.abc import Callable, Iterable
from email.utils import parseaddr
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.utils import timezone

from navet.meetings.models import Meeting
from navet.networks.models import Person

PRODID = "-//Navet//Navet meetings//SV"
TZID = "Europe/Stockholm"
REQUEST = "REQUEST"
CANCEL = "CANCEL"
CONTENT_TYPE = "text/calendar; charset=utf-8"


def event_uid(meeting: Meeting) -> str:
    return f"{meeting.uid}@navet"


def _description(meeting: Meeting, *, include_link: bool) -> str:
    parts = [meeting.theme, meeting.description]
    if meeting.agenda:
        parts.append(meeting.agenda)
    if include_link and meeting.meeting_link:
        parts.append(meeting.meeting_link)
    return "\n\n".join(part.strip() for part in parts if part and part.strip())


def meeting_event(
    meeting: Meeting,
    *,
    base_url: str,
    include_link: bool = False,
    stamp: datetime.datetime | None = None,
    attendee: Person | None = None,
    scheduling: bool = False,
) -> icalendar.Event:
    """The VEVENT of a meeting. ``base_url`` is the site's address, without trailing slash."""
    tz = ZoneInfo(TZID)
    event = icalendar.Event()
    event.add("uid", event_uid(meeting))
    event.add("dtstamp", (stamp or timezone.now()).astimezone(datetime.UTC))
    event.add("dtstart", meeting.starts_at.astimezone(tz))
    event.add("dtend", meeting.ends_at.astimezone(tz))
    event.add("sequence", meeting.sequence)
    cancelled = meeting.status == Meeting.Status.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("summary", meeting.title)
    location = meeting.location
    if include_link and meeting.meeting_link and not location:
        location = meeting.meeting_link
    if location:
        event.add("location", location)
    description = _description(meeting, include_link=include_link)
    if description:
        event.add("description", description)
    event.add("url", base_url.rstrip("/") + meeting.get_absolute_url())
    event.add("last-modified", meeting.updated_at.astimezone(datetime.UTC))
    if scheduling:
        # Invitations and cancellations (RFC 5546) need an organiser; feeds do not.
        organizer = icalendar.vCalAddress(f"mailto:{_from_address()}")
        organizer.params["cn"] = icalendar.vText(meeting.network.name)
        event.add("organizer", organizer)
    if scheduling and attendee is not None and attendee.email:
        address = icalendar.vCalAddress(f"mailto:{attendee.email}")
        address.params["cn"] = icalendar.vText(attendee.full_name)
        address.params["role"] = icalendar.vText("REQ-PARTICIPANT")
        address.params["partstat"] = icalendar.vText("NEEDS-ACTION")
        address.params["rsvp"] = icalendar.vText("FALSE")
        event.add("attendee", address)
    return event


def _from_address() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "noreply@navet.example"


def build_calendar(
    meetings: Iterable[Meeting],
    *,
    base_url: str,
    method: str | None = None,
    name: str = "",
    include_link: Callable[[Meeting], bool] = lambda meeting: False,
    attendee: Person | None = None,
) -> bytes:
    """A VCALENDAR with one VEVENT per meeting and the Europe/Stockholm VTIMEZONE."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("x-wr-timezone", TZID)
    stamp = timezone.now()
    years: list[int] = []
    for meeting in meetings:
        calendar.add_component(
            meeting_event(
                meeting,
                base_url=base_url,
                include_link=include_link(meeting),
                stamp=stamp,
                attendee=attendee,
                scheduling=method is not None,
            )
        )
        years += [meeting.starts_at.year, meeting.ends_at.year]
    # The VTIMEZONE covers the years of the meetings (or this year for an empty feed).
    first = min(years, default=timezone.localdate().year)
    last = max(years, default=timezone.localdate().year)
    first_date, last_date = datetime.date(first, 1, 1), datetime.date(last + 1, 1, 1)
    if years:
        calendar.add_missing_timezones(first_date=first_date, last_date=last_date)
    else:
        calendar.add_component(
            icalendar.Timezone.from_tzid(TZID, first_date=first_date, last_date=last_date)
        )
    return calendar.to_ical()


def meeting_ics(
    meeting: Meeting,
    *,
    base_url: str | None = None,
    method: str | None = None,
    include_link: bool = False,
    attendee: Person | None = None,
) -> bytes:
    return build_calendar(
        [meeting],
        base_url=base_url or settings.NAVET_BASE_URL,
        method=method,
        include_link=lambda m: include_link,
        attendee=attendee,
    )
