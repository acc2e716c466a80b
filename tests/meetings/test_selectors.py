import datetime

import pytest

from navet.meetings import selectors
from navet.meetings.models import Attendance, AttendanceCount, Meeting
from navet.networks.models import Network
from tests.factories import PersonFactory
from tests.meetings.factories import MeetingFactory, at

pytestmark = pytest.mark.django_db


def two_day_meeting(network: Network) -> Meeting:
    return MeetingFactory(network=network, starts_at=at(-10, 9), ends_at=at(-9, 16))


def test_person_at_both_days_is_one_person_and_two_participant_days(network: Network) -> None:
    meeting = two_day_meeting(network)
    day1, day2 = meeting.days
    anna, bo = PersonFactory(), PersonFactory()
    for person, day in [(anna, day1), (anna, day2), (bo, day1)]:
        Attendance.objects.create(meeting=meeting, person=person, day=day)
    result = selectors.participation(meeting)
    assert result.persons == 2
    assert result.participant_days == 3
    assert result.largest_day == 2
    assert result.by_day == {day1: 2, day2: 1}
    assert result.from_counts is False


def test_counts_only_meeting(network: Network) -> None:
    meeting = two_day_meeting(network)
    day1, day2 = meeting.days
    AttendanceCount.objects.create(
        meeting=meeting, day=day1, organisation_kind="municipality", count=20
    )
    AttendanceCount.objects.create(meeting=meeting, day=day1, organisation_kind="region", count=3)
    AttendanceCount.objects.create(meeting=meeting, day=day2, organisation_kind="", count=18)
    result = selectors.participation(meeting)
    assert result.persons is None
    assert result.participant_days == 41
    assert result.largest_day == 23
    assert result.by_day == {day1: 23, day2: 18}
    assert result.from_counts is True


def test_counts_win_over_names_for_the_same_day(network: Network) -> None:
    meeting = two_day_meeting(network)
    day1, day2 = meeting.days
    anna = PersonFactory()
    Attendance.objects.create(meeting=meeting, person=anna, day=day1)
    Attendance.objects.create(meeting=meeting, person=anna, day=day2)
    AttendanceCount.objects.create(meeting=meeting, day=day1, count=30)
    result = selectors.participation(meeting)
    assert result.by_day == {day1: 30, day2: 1}
    assert result.participant_days == 31
    assert result.persons is None
    assert result.from_counts is True


def test_meeting_without_attendance(network: Network) -> None:
    result = selectors.participation(MeetingFactory(network=network))
    assert (result.persons, result.participant_days, result.largest_day) == (0, 0, 0)


def _many_meetings(network: Network, n: int) -> list[Meeting]:
    meetings = []
    for i in range(n):
        meeting = MeetingFactory(network=network, starts_at=at(-20 - i, 9), ends_at=at(-20 - i, 12))
        person = PersonFactory()
        Attendance.objects.create(meeting=meeting, person=person, day=meeting.days[0])
        AttendanceCount.objects.create(meeting=meeting, day=meeting.days[0], count=5)
        meetings.append(meeting)
    return meetings


@pytest.mark.parametrize("n", [2, 12])
def test_participation_by_meeting_fixed_queries(
    network: Network, n: int, django_assert_num_queries
) -> None:
    meetings = _many_meetings(network, n)
    with django_assert_num_queries(3):
        result = selectors.participation_by_meeting(meetings)
    assert len(result) == n
    assert all(p.by_day for p in result.values())


def test_meetings_in_year(network: Network, group_klimat, django_assert_num_queries) -> None:
    this = MeetingFactory(
        network=network,
        groups=[group_klimat],
        starts_at=datetime.datetime(2024, 3, 1, 9, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2024, 3, 1, 12, tzinfo=datetime.UTC),
    )
    this.speakers.create(name="Anna")
    # 31 December 23:30 UTC is already New Year in Stockholm.
    MeetingFactory(
        network=network,
        starts_at=datetime.datetime(2023, 12, 31, 23, 30, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2024, 1, 1, 1, tzinfo=datetime.UTC),
    )
    MeetingFactory(
        network=network,
        starts_at=datetime.datetime(2023, 6, 1, 9, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2023, 6, 1, 12, tzinfo=datetime.UTC),
    )
    with django_assert_num_queries(3):
        meetings = list(selectors.meetings_in_year(network=network, year=2024))
        assert [list(m.groups.all()) for m in meetings][1] == [group_klimat]
        assert [s.name for m in meetings for s in m.speakers.all()] == ["Anna"]
    assert len(meetings) == 2
    assert meetings[0].starts_at < meetings[1].starts_at


def test_listing_years_and_year_filter_follow_stockholm_time(network: Network) -> None:
    """A meeting starting at 00:30 on New Year's Day in Stockholm (23:30 UTC the day before)
    belongs to the new year; the years offered are those of all the meetings listed."""
    new_year = datetime.datetime(2024, 12, 31, 23, 30, tzinfo=datetime.UTC)
    first = MeetingFactory(network=network, starts_at=new_year, ends_at=new_year)
    last_day = datetime.datetime(2024, 12, 31, 22, 59, tzinfo=datetime.UTC)  # 23:59 local
    second = MeetingFactory(network=network, starts_at=last_day, ends_at=last_day)
    meetings = selectors.meeting_list(network=network)
    listing = selectors.meeting_listing(meetings, year=2025)
    assert [pk for pk, _changed in listing.past] == [first.pk]
    assert listing.years == [2025, 2024]
    assert [pk for pk, _changed in selectors.meeting_listing(meetings, year=2024).past] == [
        second.pk
    ]
    assert selectors.meeting_listing(meetings, year=2023).past == []
