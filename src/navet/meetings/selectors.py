"""Reads for meetings. Each selector fetches what its page or feed needs in a fixed number of
queries, whatever the number of meetings.

Participation statistics
------------------------
Attendance is kept per person and day (:class:`~navet.meetings.models.Attendance`) when names
are known, and as counts per day and kind of organisation
(:class:`~navet.meetings.models.AttendanceCount`) when they are not. For each day of a meeting
the figure is:

* the sum of that day's counts, if there are any counts for the day (counts win: they are
  entered when names are incomplete, so they are the better figure for the day);
* otherwise the number of distinct people marked present that day.

A person at both days of a two-day meeting is therefore one person and two participant-days.
``persons`` (distinct people) is only known when every figure comes from names; it is None as
soon as any day's figure comes from counts.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from navet.meetings.models import (
    Attendance,
    AttendanceCount,
    CalendarFeed,
    Meeting,
    MeetingDocument,
    Registration,
    Speaker,
)
from navet.networks.models import Group, Network, Person

FEED_HISTORY = datetime.timedelta(days=365)


def _with_details(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    return meetings.select_related("network").prefetch_related(
        Prefetch("groups", queryset=Group.objects.order_by("name")),
        Prefetch("speakers", queryset=Speaker.objects.select_related("person__organisation")),
    )


def meeting_list(
    *,
    network: Network,
    group: Group | None = None,
    year: int | None = None,
    include_cancelled: bool = False,
    within: QuerySet[Meeting] | None = None,
) -> QuerySet[Meeting]:
    """The network's meetings with their groups and the number registered; ``within``: only
    these (the policy's meetings the user may see)."""
    meetings = Meeting.objects.filter(network=network)
    if within is not None:
        meetings = meetings.filter(pk__in=within.values("pk"))
    if not include_cancelled:
        meetings = meetings.exclude(status=Meeting.Status.CANCELLED)
    if group is not None:
        meetings = meetings.filter(groups=group)
    if year is not None:
        meetings = meetings.filter(starts_at__year=year)
    return (
        meetings.select_related("network")
        .prefetch_related(Prefetch("groups", queryset=Group.objects.order_by("name")))
        .annotate(
            registered_count=Count(
                "registrations",
                filter=Q(registrations__status=Registration.Status.REGISTERED),
                distinct=True,
            )
        )
        .order_by("starts_at", "pk")
    )


def meeting_years(*, network: Network) -> list[int]:
    dates = Meeting.objects.filter(network=network).datetimes("starts_at", "year")
    return sorted({day.year for day in dates}, reverse=True)


def meetings_in_year(*, network: Network, year: int) -> QuerySet[Meeting]:
    """Every meeting of the network starting in ``year`` (Stockholm time), all statuses, with
    groups and speakers prefetched, ordered by start. Filter on status as the report needs."""
    return _with_details(Meeting.objects.filter(network=network, starts_at__year=year)).order_by(
        "starts_at", "pk"
    )


def meeting_detail(*, network: Network, pk: int) -> Meeting:
    return (
        _with_details(Meeting.objects.filter(network=network))
        .prefetch_related(
            Prefetch("documents", queryset=MeetingDocument.objects.order_by("kind", "title"))
        )
        .get(pk=pk)
    )


def registrations_of(*, meeting: Meeting) -> QuerySet[Registration]:
    """Registered and waiting people, in the order they signed up."""
    return (
        meeting.registrations.exclude(status=Registration.Status.CANCELLED)
        .select_related("person", "person__organisation")
        .order_by("registered_at", "pk")
    )


def registration_of(*, meeting: Meeting, person: Person | None) -> Registration | None:
    if person is None:
        return None
    return Registration.objects.filter(meeting=meeting, person=person).first()


def attendance_people(*, meeting: Meeting) -> list[Person]:
    """People for the attendance grid: those registered, plus anyone already marked present."""
    person_ids = set(
        meeting.registrations.filter(status=Registration.Status.REGISTERED).values_list(
            "person_id", flat=True
        )
    ) | set(meeting.attendances.values_list("person_id", flat=True))
    return list(
        Person.objects.filter(pk__in=person_ids)
        .select_related("organisation")
        .order_by("last_name", "first_name")
    )


# Participation ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Participation:
    persons: int | None  # distinct named persons; None when any figure comes from counts
    participant_days: int  # person-days: named attendance rows + counted participants
    largest_day: int  # most participants on a single day
    by_day: dict[datetime.date, int] = field(default_factory=dict)
    from_counts: bool = False  # True if any figure came from AttendanceCount


def _participation(
    named: dict[datetime.date, set[int]], counted: dict[datetime.date, int]
) -> Participation:
    by_day: dict[datetime.date, int] = {}
    for day in sorted(set(named) | set(counted)):
        by_day[day] = counted[day] if day in counted else len(named[day])
    from_counts = bool(counted)
    persons = None if from_counts else len(set().union(*named.values())) if named else 0
    return Participation(
        persons=persons,
        participant_days=sum(by_day.values()),
        largest_day=max(by_day.values(), default=0),
        by_day=by_day,
        from_counts=from_counts,
    )


def participation_by_meeting(meetings: Iterable[Meeting]) -> dict[int, Participation]:
    """Participation of each meeting, keyed by meeting pk, in two queries."""
    meeting_ids = [meeting.pk for meeting in meetings]
    named: dict[int, dict[datetime.date, set[int]]] = defaultdict(lambda: defaultdict(set))
    for meeting_id, day, person_id in Attendance.objects.filter(
        meeting_id__in=meeting_ids
    ).values_list("meeting_id", "day", "person_id"):
        named[meeting_id][day].add(person_id)
    counted: dict[int, dict[datetime.date, int]] = defaultdict(lambda: defaultdict(int))
    for meeting_id, day, count in AttendanceCount.objects.filter(
        meeting_id__in=meeting_ids
    ).values_list("meeting_id", "day", "count"):
        counted[meeting_id][day] += count
    return {
        meeting_id: _participation(named.get(meeting_id, {}), counted.get(meeting_id, {}))
        for meeting_id in meeting_ids
    }


def participation(meeting: Meeting) -> Participation:
    return participation_by_meeting([meeting])[meeting.pk]


def attendance_counts_of(*, meeting: Meeting) -> dict[tuple[datetime.date, str], int]:
    return {(row.day, row.organisation_kind): row.count for row in meeting.attendance_counts.all()}


# Calendar feeds -----------------------------------------------------------------------------


def active_feed(*, token: str) -> CalendarFeed | None:
    return (
        CalendarFeed.objects.select_related("network", "group__network", "person__user")
        .filter(token=token, revoked_at__isnull=True)
        .first()
    )


def feed_meetings(
    *, feed: CalendarFeed, within: QuerySet[Meeting] | None = None
) -> QuerySet[Meeting]:
    """The meetings a feed shows: from a year back, cancelled ones included so that calendars
    remove them. A person's feed holds the meetings they are registered for (or waiting).
    ``within``: only these meetings (the policy's rule for the feed's person)."""
    since = timezone.now() - FEED_HISTORY
    meetings = Meeting.objects.filter(ends_at__gte=since)
    if within is not None:
        meetings = meetings.filter(pk__in=within.values("pk"))
    if feed.network_id is not None:
        meetings = meetings.filter(network_id=feed.network_id)
    elif feed.group_id is not None:
        meetings = meetings.filter(groups=feed.group_id)
    else:
        meetings = meetings.filter(
            registrations__person=feed.person,
            registrations__status__in=[
                Registration.Status.REGISTERED,
                Registration.Status.WAITING,
            ],
        )
    return meetings.select_related("network").order_by("starts_at", "pk").distinct()


def registered_meeting_ids(*, person: Person | None, meeting_ids: Iterable[int]) -> set[int]:
    if person is None:
        return set()
    return set(
        Registration.objects.filter(
            person=person,
            meeting_id__in=list(meeting_ids),
            status=Registration.Status.REGISTERED,
        ).values_list("meeting_id", flat=True)
    )


def person_feeds(*, person: Person) -> QuerySet[CalendarFeed]:
    return CalendarFeed.objects.filter(person=person, revoked_at__isnull=True).order_by(
        "-created_at"
    )


def network_feeds(*, network: Network | None, groups: Iterable[Group]) -> QuerySet[CalendarFeed]:
    """Active feeds of ``network`` (None: no network feeds) and of ``groups``."""
    subjects = Q(group_id__in=[group.pk for group in groups])
    if network is not None:
        subjects |= Q(network=network)
    return (
        CalendarFeed.objects.filter(subjects, revoked_at__isnull=True)
        .select_related("network", "group", "created_by")
        .order_by("group__name", "-created_at")
    )


def upcoming_for_person(*, person: Person) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(
            registrations__person=person,
            registrations__status__in=[
                Registration.Status.REGISTERED,
                Registration.Status.WAITING,
            ],
            ends_at__gte=timezone.now(),
        )
        .select_related("network")
        .order_by("starts_at")
    )
