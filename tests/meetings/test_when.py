"""``{{ meeting|when }}``: the meeting's time in Stockholm, in the page's language."""

import datetime

from django.utils import translation

from navet.meetings.models import Meeting
from navet.meetings.templatetags.meeting_tags import when

UTC = datetime.UTC


def meeting(starts_at: datetime.datetime, ends_at: datetime.datetime) -> Meeting:
    return Meeting(title="Träff", starts_at=starts_at, ends_at=ends_at)


def test_one_day_in_stockholm_time_and_swedish() -> None:
    # 07:00–10:00 UTC is 09:00–12:00 in Stockholm in May (summer time).
    one_day = meeting(
        datetime.datetime(2022, 5, 3, 7, 0, tzinfo=UTC),
        datetime.datetime(2022, 5, 3, 10, 0, tzinfo=UTC),
    )
    with translation.override("sv"):
        assert when(one_day) == "3 maj 2022, 09:00–12:00"
    with translation.override("en"):
        assert when(one_day) == "May 3, 2022, 09:00–12:00"


def test_over_two_days_and_across_midnight_utc() -> None:
    # 23:30 UTC on 30 November is already 1 December in Stockholm (winter time, +1).
    two_days = meeting(
        datetime.datetime(2022, 11, 30, 23, 30, tzinfo=UTC),
        datetime.datetime(2022, 12, 2, 14, 0, tzinfo=UTC),
    )
    with translation.override("sv"):
        assert when(two_days) == "1 december 2022 00:30 – 2 december 2022 15:00"
