"""``{{ meeting|when }}``: when a meeting takes place, in Stockholm time and the page's language
("3 maj 2022, 09:00–12:00", "May 3, 2022, 09:00–12:00": the language's DATE_FORMAT, or start
and end dates for a meeting over several days).

A filter rather than an included template: lists show it for every meeting, and an include per
row costs more than the rest of the row."""

import datetime
from typing import Any

from django import template
from django.utils import timezone
from django.utils.formats import date_format, time_format

from navet.meetings.models import Meeting, Registration

register = template.Library()


@register.filter
def when(meeting: Meeting) -> str:
    start, end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
    first, last = date_format(start, "DATE_FORMAT"), date_format(end, "DATE_FORMAT")
    # Times as 24-hour digits in both languages ("9 a.m.–noon" reads badly in a timetable).
    begins, ends = time_format(start, "H:i"), time_format(end, "H:i")
    if start.date() == end.date():
        return f"{first}, {begins}–{ends}"
    return f"{first} {begins} – {last} {ends}"


@register.filter
def chosen_days(registration: Registration, meeting: Meeting) -> list[datetime.date]:
    """``{{ registration|chosen_days:meeting }}``: the days the person comes on."""
    return registration.days_for(meeting)


@register.filter
def mode_label(registration: Registration, meeting: Meeting) -> str:
    """``{{ registration|mode_label:meeting }}``: "on site" or "digital"."""
    return str(Registration.Mode(registration.mode_for(meeting)).label)


@register.filter
def dict_get(mapping: dict[Any, Any] | None, key: Any) -> Any:
    return (mapping or {}).get(key, "")
