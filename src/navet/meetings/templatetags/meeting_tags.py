"""``{{ meeting|when }}``: when a meeting takes place, in Stockholm time and the page's language
("3 maj 2022, 09:00–12:00", or start and end dates for a meeting over several days).

A filter rather than an included template: lists show it for every meeting, and an include per
row costs more than the rest of the row."""

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format

from navet.meetings.models import Meeting

register = template.Library()


@register.filter
def when(meeting: Meeting) -> str:
    start, end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
    if start.date() == end.date():
        return f"{date_format(start, 'j F Y')}, {start:%H:%M}–{end:%H:%M}"
    return f"{date_format(start, 'j F Y')} {start:%H:%M} – {date_format(end, 'j F Y')} {end:%H:%M}"
