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
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.core.cache import cache
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.db.models.functions import ExtractYear
from django.utils import timezone

from navet.documents.models import Document
from navet.documents.permissions import document_policy
from navet.documents.selectors import with_newest_version
from navet.meetings.models import (
    Attendance,
    AttendanceCount,
    CalendarFeed,
    Meeting,
    Registration,
    Speaker,
)
from navet.networks.models import Group, Network, Person

FEED_HISTORY = datetime.timedelta(days=365)


def _with_details(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    return meetings.select_related("network").prefetch_related(
        # The network too, for the groups' links.
        Prefetch("groups", queryset=Group.objects.select_related("network").order_by("name")),
        Prefetch("speakers", queryset=Speaker.objects.select_related("person__organisation")),
    )


def meeting_list(
    *,
    network: Network,
    group: Group | None = None,
    include_cancelled: bool = False,
    within: QuerySet[Meeting] | None = None,
) -> QuerySet[Meeting]:
    """The network's meetings in order; ``within``: only these (the policy's meetings the user
    may see). The list reads them with ``meeting_listing``, then a ``MeetingTable`` each."""
    meetings = Meeting.objects.filter(network=network)
    if within is not None:
        meetings = meetings.filter(pk__in=within.values("pk"))
    if not include_cancelled:
        meetings = meetings.exclude(status=Meeting.Status.CANCELLED)
    if group is not None:
        meetings = meetings.filter(groups=group)
    return meetings.order_by("starts_at", "pk")


def _for_table(network: Network, meeting_ids: list[int]) -> Mapping[Any, Meeting]:
    """These meetings of the network with their groups and the number registered."""
    return (
        Meeting.objects.filter(network=network, pk__in=meeting_ids)
        .select_related("network")
        .prefetch_related(Prefetch("groups", queryset=Group.objects.order_by("name")))
        .annotate(
            registered_count=Count(
                "registrations",
                filter=Q(registrations__status=Registration.Status.REGISTERED),
                distinct=True,
            )
        )
        .in_bulk()
    )


class MeetingTable:
    """A table of meetings as the meeting list shows it, which the template caches by
    ``version``.

    The version names everything the rows show: each meeting's id and change time, in order
    (``Meeting.changed_at`` moves with registrations and attendance), and the network's slug
    and group names (a renamed group changes its rows without touching its meetings). The
    meetings themselves, with groups, the number registered and, for past meetings, who took
    part, are only read when the table is not in the cache: ``rows`` is read by the template
    inside its cache block.
    """

    def __init__(
        self,
        meetings: Iterable[tuple[int, datetime.datetime]],
        *,
        network: Network,
        groups: Iterable[Group],
        past: bool,
    ) -> None:
        self.meeting_ids = []
        digest = hashlib.sha256(f"{network.slug}|{int(past)}".encode())
        for meeting_id, changed_at in meetings:
            self.meeting_ids.append(meeting_id)
            digest.update(f"|{meeting_id}:{changed_at.timestamp()}".encode())
        for group in groups:
            digest.update(f"|g{group.pk}:{group.name}".encode())
        self.version = digest.hexdigest()
        self.network = network
        self.past = past

    @cached_property
    def rows(self) -> list[Meeting]:
        if not self.meeting_ids:
            return []
        by_pk = _for_table(self.network, self.meeting_ids)
        meetings = [by_pk[pk] for pk in self.meeting_ids if pk in by_pk]
        if self.past:
            # A held meeting shows who took part, not who registered (often nobody, for old
            # years).
            attended = participation_by_meeting(
                [meeting for meeting in meetings if meeting.status == Meeting.Status.HELD]
            )
            for meeting in meetings:
                meeting.participation = attended.get(meeting.pk)  # type: ignore[attr-defined]
        return meetings


@dataclass
class MeetingListing:
    """What the meeting list shows: the ids and change times of the upcoming meetings (first
    first) and of the past ones (newest first), and the years with meetings to filter by."""

    upcoming: list[tuple[int, datetime.datetime]]
    past: list[tuple[int, datetime.datetime]]
    years: list[int]


def meeting_listing(meetings: QuerySet[Meeting], *, year: int | None) -> MeetingListing:
    """``meetings`` (from ``meeting_list`` without a year) split for the list in one query: a
    network holds some twenty meetings a year, so the ids and times of all of them are a small
    read, and the rows themselves come from the cached tables. The years are those of these
    meetings (in the chosen group, among those the user may see), whatever ``year`` is."""
    listing = MeetingListing([], [], [])
    years = set()
    # The database tells the year (in Stockholm time) and whether the meeting is still to end.
    rows = meetings.values_list(
        "pk",
        "changed_at",
        ExtractYear("starts_at"),
        ExpressionWrapper(Q(ends_at__gte=timezone.now()), output_field=BooleanField()),
    )
    for pk, changed_at, starts_in, to_come in rows:
        years.add(starts_in)
        if year is None or starts_in == year:
            (listing.upcoming if to_come else listing.past).append((pk, changed_at))
    listing.past.reverse()
    listing.years = sorted(years, reverse=True)
    return listing


def meetings_in_year(*, network: Network, year: int) -> QuerySet[Meeting]:
    """Every meeting of the network starting in ``year`` (Stockholm time), all statuses, with
    groups and speakers prefetched, ordered by start. Filter on status as the report needs."""
    return _with_details(Meeting.objects.filter(network=network, starts_at__year=year)).order_by(
        "starts_at", "pk"
    )


def _filed_documents(meeting: Any) -> QuerySet[Document]:
    return Document.objects.filter(meeting=meeting, deleted_at__isnull=True)


def meeting_detail(*, network: Network, pk: int) -> Meeting:
    """The meeting with its groups and speakers, and ``has_documents``: whether anything is
    filed under it (for ``meeting_documents``)."""
    return (
        _with_details(Meeting.objects.filter(network=network))
        .annotate(has_documents=Exists(_filed_documents(OuterRef("pk"))))
        .get(pk=pk)
    )


def meeting_documents(*, user: Any, meeting: Meeting) -> list[Document]:
    """The archive's documents filed under the meeting that ``user`` may see (the archive's
    one rule, ``document_policy`` "view"), by kind and title, each with its newest version."""
    # Most meetings have nothing filed under them: asking first (in the meeting's own query
    # when it comes from meeting_detail) spares building and running the visibility rule.
    filed = getattr(meeting, "has_documents", None)
    if not (_filed_documents(meeting).exists() if filed is None else filed):
        return []
    documents = document_policy.instances_user_has_permission_for(
        user, "view", network=meeting.network
    ).filter(meeting=meeting)
    return list(with_newest_version(documents).order_by("category", "title", "pk"))


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
    # Participant-days per kind of organisation, where counts were entered with a breakdown.
    by_kind: dict[str, int] = field(default_factory=dict)
    # Participant-days on site and digital ("on_site", "digital"), from the registrations of
    # the people counted (named attendance or registrations); empty for counts.
    by_mode: dict[str, int] = field(default_factory=dict)
    # True when nobody marked attendance and the figures are the registrations' chosen days
    # (a held meeting only).
    from_registrations: bool = False

    @property
    def participants(self) -> int:
        """People at the meeting: distinct named people, or the largest day's count (as the
        annual report counts each meeting once)."""
        return self.persons if self.persons is not None else self.largest_day


@dataclass(frozen=True)
class _Registered:
    person_id: int
    mode: str
    days: list[datetime.date]


def _day_counts(rows: list[tuple[datetime.date, str, int]]) -> tuple[dict, dict]:
    """A day's figure is the sum of its breakdown when it has one, else its total."""
    totals: dict[datetime.date, int] = defaultdict(int)
    breakdown: dict[datetime.date, int] = defaultdict(int)
    by_kind: dict[str, int] = defaultdict(int)
    for day, kind, count in rows:
        if kind:
            breakdown[day] += count
            by_kind[kind] += count
        else:
            totals[day] += count
    counted = {day: breakdown.get(day, totals.get(day, 0)) for day in set(totals) | set(breakdown)}
    return counted, dict(by_kind)


def _participation(
    named: dict[datetime.date, set[int]],
    counted: dict[datetime.date, int],
    *,
    by_kind: dict[str, int] | None = None,
    registered: list[_Registered] | None = None,
    held: bool = False,
) -> Participation:
    registered = registered or []
    from_registrations = held and not named and not counted and bool(registered)
    if from_registrations:
        named = defaultdict(set)
        for registration in registered:
            for day in registration.days:
                named[day].add(registration.person_id)
    by_day: dict[datetime.date, int] = {}
    for day in sorted(set(named) | set(counted)):
        by_day[day] = counted[day] if day in counted else len(named[day])
    from_counts = bool(counted)
    persons = None if from_counts else len(set().union(*named.values())) if named else 0
    mode_of = {registration.person_id: registration.mode for registration in registered}
    by_mode: dict[str, int] = defaultdict(int)
    for day, people in named.items():
        if day in counted:
            continue
        for person_id in people:
            by_mode[mode_of.get(person_id, Registration.Mode.ON_SITE)] += 1
    return Participation(
        persons=persons,
        participant_days=sum(by_day.values()),
        largest_day=max(by_day.values(), default=0),
        by_day=by_day,
        from_counts=from_counts,
        by_kind=by_kind or {},
        by_mode=dict(by_mode) if not from_counts else {},
        from_registrations=from_registrations,
    )


def participation_by_meeting(meetings: Iterable[Meeting]) -> dict[int, Participation]:
    """Participation of each meeting, keyed by meeting pk, in three queries.

    Counts per kind of organisation are a breakdown of the day: their sum is the day's figure
    and a total stored beside them is not added. A held meeting where nobody marked
    attendance counts its registrations on the days each person chose.
    """
    meetings = list(meetings)
    meeting_ids = [meeting.pk for meeting in meetings]
    named: dict[int, dict[datetime.date, set[int]]] = defaultdict(lambda: defaultdict(set))
    for meeting_id, day, person_id in Attendance.objects.filter(
        meeting_id__in=meeting_ids
    ).values_list("meeting_id", "day", "person_id"):
        named[meeting_id][day].add(person_id)
    count_rows: dict[int, list[tuple[datetime.date, str, int]]] = defaultdict(list)
    for meeting_id, day, kind, count in AttendanceCount.objects.filter(
        meeting_id__in=meeting_ids
    ).values_list("meeting_id", "day", "organisation_kind", "count"):
        count_rows[meeting_id].append((day, kind, count))
    by_pk = {meeting.pk: meeting for meeting in meetings}
    registered: dict[int, list[_Registered]] = defaultdict(list)
    for registration in Registration.objects.filter(
        meeting_id__in=meeting_ids, status=Registration.Status.REGISTERED
    ).only("meeting_id", "person_id", "mode", "chosen_days"):
        meeting = by_pk[registration.meeting_id]
        registered[meeting.pk].append(
            _Registered(
                registration.person_id,
                registration.mode_for(meeting),
                registration.days_for(meeting),
            )
        )
    result = {}
    for meeting in meetings:
        counted, by_kind = _day_counts(count_rows.get(meeting.pk, []))
        result[meeting.pk] = _participation(
            named.get(meeting.pk, {}),
            counted,
            by_kind=by_kind,
            registered=registered.get(meeting.pk, []),
            held=meeting.status == Meeting.Status.HELD,
        )
    return result


@dataclass(frozen=True)
class RegistrationSummary:
    """What coordinators see of the registrations: how many on site and digital, per day."""

    registered: int
    waiting: int
    by_mode: dict[str, int]
    by_day: list[tuple[datetime.date, int, int]]  # (day, on site, digital)
    capacity_left: dict[datetime.date, int] | None  # on-site places left per day


def registration_summary(
    *, meeting: Meeting, registrations: Iterable[Registration]
) -> RegistrationSummary:
    """Counts per mode and per day of ``registrations`` (registered and waiting ones)."""
    registered = [r for r in registrations if r.status == Registration.Status.REGISTERED]
    waiting = [r for r in registrations if r.status == Registration.Status.WAITING]
    by_mode: dict[str, int] = defaultdict(int)
    on_site: dict[datetime.date, int] = dict.fromkeys(meeting.days, 0)
    digital: dict[datetime.date, int] = dict.fromkeys(meeting.days, 0)
    for registration in registered:
        mode = registration.mode_for(meeting)
        by_mode[mode] += 1
        for day in registration.days_for(meeting):
            (digital if mode == Registration.Mode.DIGITAL else on_site)[day] += 1
    capacity_left = None
    if meeting.capacity is not None:
        # The places of a hybrid (or physical) meeting are the room's; a digital meeting's
        # capacity is for everyone.
        places = digital if meeting.format == Meeting.Format.DIGITAL else on_site
        capacity_left = {day: max(meeting.capacity - places[day], 0) for day in meeting.days}
    return RegistrationSummary(
        registered=len(registered),
        waiting=len(waiting),
        by_mode=dict(by_mode),
        by_day=[(day, on_site[day], digital[day]) for day in meeting.days],
        capacity_left=capacity_left,
    )


# How long a meeting's participation figures stay in the cache; the key holds the meeting's
# change time, so new figures never wait for it.
PARTICIPATION_CACHE_SECONDS = 24 * 60 * 60


def _participation_key(meeting: Meeting) -> str:
    return f"meetings:participation:{meeting.pk}:{meeting.changed_at.timestamp()}"


def cached_participation(meetings: Iterable[Meeting]) -> dict[int, Participation]:
    """``participation_by_meeting`` for pages read far more often than attendance is
    entered: each meeting's figures come from the cache while its registrations and attendance
    are unchanged. The key holds ``Meeting.changed_at``, which the services that write them
    move (``services.meetings_changed``), so a change is seen at once."""
    by_key = {_participation_key(meeting): meeting for meeting in meetings}
    found = cache.get_many(list(by_key))
    missing = [meeting for key, meeting in by_key.items() if key not in found]
    if missing:
        fresh = participation_by_meeting(missing)
        made = {_participation_key(meeting): fresh[meeting.pk] for meeting in missing}
        cache.set_many(made, PARTICIPATION_CACHE_SECONDS)
        found |= made
    return {meeting.pk: found[key] for key, meeting in by_key.items()}


def participation(meeting: Meeting) -> Participation:
    return cached_participation([meeting])[meeting.pk]


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
