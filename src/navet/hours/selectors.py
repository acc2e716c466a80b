"""Reads for coordinator time: planned hours (from allocations) against logged hours.

All arithmetic is in Decimal; nothing is rounded here (templates round for display, to two
decimals). The formulas, as the hours page shows them:

* months counted in a period = Σ over calendar months of (days covered ÷ days in the month)
  × (months a year ÷ 12);
* planned hours = hours a month × months counted;
* per cluster: hours a month H = planned P ÷ months counted M (the cluster's allocations
  together), hours per municipality and month = H ÷ n, hours per municipality over the
  period = P ÷ n, where n is the number of municipalities taking part in the cluster.
"""

import calendar
import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from navet.hours.models import Allocation, LoggedHours
from navet.networks.models import (
    ContactAssignment,
    Group,
    GroupMembership,
    Membership,
    Network,
    Organisation,
    Person,
)

ZERO = Decimal("0")
TWELVE = Decimal("12")


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def last_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def months_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The first days of the calendar months that [start, end] touches."""
    months: list[datetime.date] = []
    month = first_of_month(start)
    while month <= end:
        months.append(month)
        month = last_of_month(month) + datetime.timedelta(days=1)
    return months


def month_fraction(start: datetime.date, end: datetime.date) -> Decimal:
    """Calendar months covered by [start, end] (both included): whole months count 1, a part
    of a month counts its days ÷ the month's days. Empty if end < start."""
    if end < start:
        return ZERO
    total = ZERO
    for month in months_between(start, end):
        month_end = last_of_month(month)
        covered = (min(end, month_end) - max(start, month)).days + 1
        days = month_end.day
        total += Decimal(1) if covered == days else Decimal(covered) / Decimal(days)
    return total


def _clip(
    allocation: Allocation, start: datetime.date, end: datetime.date
) -> tuple[datetime.date, datetime.date]:
    allocation_end = allocation.end_date or end
    return max(start, allocation.start_date), min(end, allocation_end)


def counted_months(allocation: Allocation, start: datetime.date, end: datetime.date) -> Decimal:
    """The allocation's months within [start, end], scaled by months a year ÷ 12."""
    first, last = _clip(allocation, start, end)
    return month_fraction(first, last) * Decimal(allocation.months_per_year) / TWELVE


def planned_hours(allocation: Allocation, start: datetime.date, end: datetime.date) -> Decimal:
    first, last = _clip(allocation, start, end)
    months = month_fraction(first, last)
    return allocation.hours_per_month * Decimal(allocation.months_per_year) * months / TWELVE


@dataclass(frozen=True)
class PersonHours:
    person: Person
    planned: Decimal
    logged: Decimal

    @property
    def difference(self) -> Decimal:
        return self.logged - self.planned


@dataclass(frozen=True)
class HoursSummary:
    """Planned (allocated, pro rata by month) against logged hours in [start, end]."""

    start: datetime.date
    end: datetime.date
    planned: Decimal
    logged: Decimal
    by_person: list[PersonHours] = field(default_factory=list)

    @property
    def difference(self) -> Decimal:
        return self.logged - self.planned


def allocations_in(
    *, network: Network, start: datetime.date, end: datetime.date, group: Group | None = None
) -> QuerySet[Allocation]:
    """The network's allocations that overlap [start, end] (of ``group`` if given)."""
    allocations = Allocation.objects.filter(network=network, start_date__lte=end).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start)
    )
    if group is not None:
        allocations = allocations.filter(group=group)
    return allocations.select_related("person", "person__organisation", "group")


def logged_in(
    *, network: Network, start: datetime.date, end: datetime.date, group: Group | None = None
) -> QuerySet[LoggedHours]:
    logs = LoggedHours.objects.filter(
        network=network, month__gte=first_of_month(start), month__lte=end
    )
    if group is not None:
        logs = logs.filter(allocation__group=group)
    return logs


def hours_summary(
    *, network: Network, start: datetime.date, end: datetime.date, group: Group | None = None
) -> HoursSummary:
    """Planned against logged hours for the network (or one group) in [start, end].

    A month of logged hours counts if its first day lies in [first of start's month, end].
    Two queries, whatever the number of people.
    """
    planned: dict[int, Decimal] = defaultdict(lambda: ZERO)
    people: dict[int, Person] = {}
    for allocation in allocations_in(network=network, start=start, end=end, group=group):
        planned[allocation.person_id] += planned_hours(allocation, start, end)
        people[allocation.person_id] = allocation.person
    logged: dict[int, Decimal] = {}
    rows = (
        logged_in(network=network, start=start, end=end, group=group)
        .values("allocation__person_id")
        .annotate(total=Sum("hours"))
    )
    for row in rows:
        logged[row["allocation__person_id"]] = row["total"] or ZERO
    missing = set(logged) - set(people)
    if missing:
        people.update(Person.objects.in_bulk(missing))
    by_person = sorted(
        (PersonHours(people[pk], planned.get(pk, ZERO), logged.get(pk, ZERO)) for pk in people),
        key=lambda row: (row.person.last_name, row.person.first_name, row.person.pk),
    )
    return HoursSummary(
        start=start,
        end=end,
        planned=sum((row.planned for row in by_person), ZERO),
        logged=sum((row.logged for row in by_person), ZERO),
        by_person=by_person,
    )


# -- The cluster table (seeds/003, table 2) -------------------------------------------------


@dataclass(frozen=True)
class ClusterHours:
    group: Group
    municipalities: int
    allocations: list[Allocation]
    planned: Decimal  # P: planned hours in the period
    months: Decimal  # M: months counted in the period
    logged: Decimal

    @property
    def has_allocation(self) -> bool:
        return bool(self.allocations) and self.months > 0

    @property
    def hours_per_month(self) -> Decimal | None:
        """H = P ÷ M."""
        return self.planned / self.months if self.has_allocation else None

    @property
    def per_municipality_month(self) -> Decimal | None:
        """H ÷ n."""
        hours = self.hours_per_month
        return hours / self.municipalities if hours is not None and self.municipalities else None

    @property
    def per_municipality_period(self) -> Decimal | None:
        """P ÷ n (= H × M ÷ n)."""
        if not self.has_allocation or not self.municipalities:
            return None
        return self.planned / self.municipalities

    @property
    def logged_per_municipality(self) -> Decimal | None:
        return self.logged / self.municipalities if self.municipalities else None


def _union_months(
    allocations: Iterable[Allocation], start: datetime.date, end: datetime.date
) -> Decimal:
    """Months counted for allocations served together: the days any of them covers (so two
    coordinators sharing a cluster count once), scaled by the largest months a year ÷ 12."""
    spans = sorted(
        (span for span in (_clip(a, start, end) for a in allocations) if span[0] <= span[1]),
        key=lambda span: span[0],
    )
    merged: list[list[datetime.date]] = []
    for first, last in spans:
        if merged and first <= merged[-1][1] + datetime.timedelta(days=1):
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    months = sum((month_fraction(first, last) for first, last in merged), ZERO)
    share = max((a.months_per_year for a in allocations), default=12)
    return months * Decimal(share) / TWELVE


def municipalities_by_group(
    *, network: Network, groups: Iterable[Group], start: datetime.date, end: datetime.date
) -> dict[int, int]:
    """For each group: the municipalities taking part in it during [start, end].

    A municipality takes part if it is a member of the network in the period (directly or as
    the organisation members take part through) and one of its people takes part in the group,
    or is its contact person in the group, in the period. Three queries.
    """
    group_ids = [group.pk for group in groups]
    overlaps = Q(start_date__lte=end) & (Q(end_date__isnull=True) | Q(end_date__gte=start))
    members = Membership.objects.filter(network=network).filter(overlaps)
    member_ids = set(members.values_list("organisation_id", flat=True)) | {
        pk for pk in members.values_list("via_id", flat=True) if pk
    }
    municipalities = set(
        Organisation.objects.filter(
            pk__in=member_ids, kind=Organisation.Kind.MUNICIPALITY
        ).values_list("pk", flat=True)
    )
    taking_part: dict[int, set[int]] = defaultdict(set)
    participations = (
        GroupMembership.objects.filter(
            group_id__in=group_ids, role=GroupMembership.Role.PARTICIPANT
        )
        .filter(overlaps)
        .values_list("group_id", "person__organisation_id")
    )
    contacts = (
        ContactAssignment.objects.filter(network=network, group_id__in=group_ids)
        .filter(overlaps)
        .values_list("group_id", "organisation_id")
    )
    for group_id, organisation_id in [*participations, *contacts]:
        if organisation_id in municipalities:
            taking_part[group_id].add(organisation_id)
    return {pk: len(taking_part[pk]) for pk in group_ids}


def cluster_table(
    *, network: Network, start: datetime.date, end: datetime.date
) -> list[ClusterHours]:
    """Seeds/003's table 2 for the network's clusters (and other groups with allocations)."""
    allocations = list(allocations_in(network=network, start=start, end=end))
    by_group: dict[int, list[Allocation]] = defaultdict(list)
    for allocation in allocations:
        if allocation.group_id:
            by_group[allocation.group_id].append(allocation)
    groups = [
        group
        for group in network.groups.order_by("name")
        if group.kind == Group.Kind.CLUSTER or group.pk in by_group
    ]
    counts = municipalities_by_group(network=network, groups=groups, start=start, end=end)
    logged = dict(
        logged_in(network=network, start=start, end=end)
        .filter(allocation__group__isnull=False)
        .values_list("allocation__group_id")
        .annotate(total=Sum("hours"))
        .values_list("allocation__group_id", "total")
    )
    rows = []
    for group in groups:
        served = by_group.get(group.pk, [])
        rows.append(
            ClusterHours(
                group=group,
                municipalities=counts.get(group.pk, 0),
                allocations=served,
                planned=sum((planned_hours(a, start, end) for a in served), ZERO),
                months=_union_months(served, start, end),
                logged=logged.get(group.pk) or ZERO,
            )
        )
    return rows


def allocation_span(*, network: Network) -> tuple[datetime.date, datetime.date] | None:
    """The first and last day of the network's allocations (open ends: the latest start)."""
    dates = list(Allocation.objects.filter(network=network).values_list("start_date", "end_date"))
    if not dates:
        return None
    first = min(start for start, _end in dates)
    last = max(end or start for start, end in dates)
    return first, max(last, first)
