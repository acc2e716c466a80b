"""The personal start page: one selector reads everything it shows, in a fixed number of
queries whatever the number of networks, meetings, people or members.

Every block is scoped by the policies the rest of Navet uses: meetings through
``meeting_policy``, import runs through ``indicators.permissions.import_runs``, people's
organisations' figures through the networks whose people the user sees. A coordinator's to-do
list holds only the networks (and groups) they coordinate.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from navet.documents.models import Document
from navet.documents.permissions import visible_documents_q
from navet.evaluations.models import Invitation, Questionnaire
from navet.indicators.followup import FOLLOWUP_KINDS, FollowUpRow, followup_rows
from navet.indicators.models import ImportRun
from navet.indicators.permissions import import_runs
from navet.meetings.models import Attendance, Meeting, Registration
from navet.meetings.permissions import meeting_policy
from navet.meetings.selectors import Participation, cached_participation
from navet.meetings.services import registration_open_error
from navet.networks.affiliations import affiliations_of
from navet.networks.models import (
    ContactAssignment,
    Group,
    GroupMembership,
    Membership,
    Network,
    Organisation,
    Person,
)
from navet.networks.permissions import is_platform_admin, person_of
from navet.networks.selectors import active_on

UPCOMING_LIMIT = 8
NEWS_LIMIT = 4
TODO_LIMIT = 8
# Held meetings still waiting for minutes or an evaluation: those of the last half year.
TODO_WINDOW = datetime.timedelta(days=183)
NEWS_WINDOW = datetime.timedelta(days=30)
FAILED_RUN_WINDOW = datetime.timedelta(days=90)


@dataclass(frozen=True)
class MyGroup:
    group: Group
    role: str  # "participant", "guest" or "coordinator"


@dataclass(frozen=True)
class MyNetwork:
    network: Network
    coordinator: bool = False  # coordinates the network (a platform admin: every network)
    admin: bool = False  # a platform admin who does not coordinate the network themself
    member: bool = False  # the person's organisation (or its via organisation) is a member
    groups: list[MyGroup] = field(default_factory=list)

    @property
    def partner(self) -> bool:
        return not (self.coordinator or self.member) and any(
            g.role == GroupMembership.Role.GUEST for g in self.groups
        )


@dataclass(frozen=True)
class UpcomingMeeting:
    meeting: Meeting
    registration_status: str  # "", "registered" or "waiting"
    may_register: bool
    registration_closed: str  # why registration is closed, "" when open

    @property
    def not_registered(self) -> bool:
        return self.registration_status == ""

    @property
    def needs_answer(self) -> bool:
        """Open for registration and the person has not signed up: shown first."""
        return self.not_registered and self.may_register and not self.registration_closed


@dataclass(frozen=True)
class YearFigures:
    year: int
    people: int
    meetings: int
    participant_days: int


@dataclass(frozen=True)
class OrganisationParticipation:
    organisation: Organisation
    this_year: YearFigures
    last_year: YearFigures


@dataclass(frozen=True)
class News:
    meeting: Meeting
    participation: Participation
    organisations: int  # organisations of the named participants

    @property
    def participants(self) -> int:
        p = self.participation
        return p.persons if p.persons is not None else p.largest_day


@dataclass(frozen=True)
class Todo:
    """One kind of thing to do: the first items and how many there are in all."""

    items: list[Any]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.items)


@dataclass(frozen=True)
class Todos:
    without_minutes: Todo
    without_evaluation: Todo
    waiting: Todo  # meetings with people on the waiting list (annotated ``waiting``)
    without_contact: Todo  # memberships whose organisation has no contact person today
    failed_runs: Todo

    @property
    def total(self) -> int:
        return sum(
            todo.total
            for todo in (
                self.without_minutes,
                self.without_evaluation,
                self.waiting,
                self.without_contact,
                self.failed_runs,
            )
        )


@dataclass(frozen=True)
class StartPage:
    today: datetime.date
    person: Person | None
    is_admin: bool
    networks: list[MyNetwork]
    upcoming: list[UpcomingMeeting]
    evaluations: list[Invitation]
    participation: OrganisationParticipation | None
    targets: list[FollowUpRow]
    news: list[News]
    todos: Todos | None  # None for people who coordinate nothing

    @property
    def unregistered_count(self) -> int:
        return sum(1 for item in self.upcoming if item.needs_answer)


def start_page(*, user: Any, now: datetime.datetime | None = None) -> StartPage:
    """Everything the logged-in user's start page shows."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    person = person_of(user)
    admin = is_platform_admin(user)
    networks = _my_networks(person=person, admin=admin, today=today)
    network_ids = [entry.network.pk for entry in networks]
    managed_ids = [entry.network.pk for entry in networks if entry.coordinator]
    coordinated_group_ids = [
        g.group.pk for entry in networks for g in entry.groups if g.role == "coordinator"
    ]
    group_ids = [g.group.pk for entry in networks for g in entry.groups]
    organisation = person.organisation if person is not None else None
    return StartPage(
        today=today,
        person=person,
        is_admin=admin,
        networks=networks,
        upcoming=_upcoming(
            user=user,
            person=person,
            admin=admin,
            now=now,
            network_ids=network_ids,
            managed_ids=managed_ids,
            group_ids=group_ids,
        ),
        evaluations=_evaluations(person),
        participation=_participation(
            organisation=organisation, network_ids=network_ids, today=today
        ),
        targets=(
            followup_rows(organisation=organisation)
            if organisation is not None and organisation.kind in FOLLOWUP_KINDS
            else []
        ),
        news=_news(user=user, now=now, network_ids=network_ids),
        todos=(
            _todos(
                user=user,
                now=now,
                today=today,
                managed_ids=managed_ids,
                coordinated_group_ids=coordinated_group_ids,
            )
            if managed_ids or coordinated_group_ids
            else None
        ),
    )


# My networks and groups -------------------------------------------------------------------


def _my_networks(*, person: Person | None, admin: bool, today: datetime.date) -> list[MyNetwork]:
    """The networks the person takes part in, with their role and groups (three queries and
    the person's affiliations); a platform admin without a person coordinates them all."""
    if person is None:
        if not admin:
            return []
        return [
            MyNetwork(network=network, coordinator=True, admin=True)
            for network in Network.objects.select_related("coordinating_organisation")
        ]
    standing = affiliations_of(person, today)
    own = standing.coordinated_networks
    coordinated = own | (set(Network.objects.values_list("pk", flat=True)) if admin else set())
    member_of = standing.member_networks
    groups: dict[int, list[MyGroup]] = defaultdict(list)
    for group in Group.objects.filter(coordinators=person).select_related("network"):
        groups[group.network_id].append(MyGroup(group, "coordinator"))
    coordinated_group_ids = {g.group.pk for entries in groups.values() for g in entries}
    participations = (
        GroupMembership.objects.filter(active_on(today), person=person)
        .exclude(group_id__in=coordinated_group_ids)
        .select_related("group__network")
        .order_by("group__name")
    )
    for participation in participations:
        groups[participation.group.network_id].append(
            MyGroup(participation.group, participation.role)
        )
    ids = coordinated | member_of | set(groups)
    networks = Network.objects.filter(pk__in=ids).select_related("coordinating_organisation")
    return [
        MyNetwork(
            network=network,
            coordinator=network.pk in coordinated,
            admin=network.pk not in own and network.pk in coordinated,
            member=network.pk in member_of,
            groups=sorted(groups.get(network.pk, []), key=lambda g: g.group.name),
        )
        for network in networks.order_by("name")
    ]


# Upcoming meetings ------------------------------------------------------------------------


def _upcoming(
    *,
    user: Any,
    person: Person | None,
    admin: bool,
    now: datetime.datetime,
    network_ids: list[int],
    managed_ids: list[int],
    group_ids: list[int],
) -> list[UpcomingMeeting]:
    """Meetings to come in the person's groups, network-wide meetings of their networks, every
    meeting of the networks they coordinate and any they signed up for; those still open and
    not signed up for first, by deadline."""
    if person is None and not admin:
        return []
    mine = Q(network_id__in=managed_ids) | Q(groups__in=group_ids)
    mine |= Q(network_id__in=network_ids, groups__isnull=True)
    if person is not None:
        mine |= Q(
            registrations__person=person,
            registrations__status__in=[Registration.Status.REGISTERED, Registration.Status.WAITING],
        )
    visible = meeting_policy.instances_user_has_permission_for(user, "view")
    meetings = list(
        Meeting.objects.filter(pk__in=Meeting.objects.filter(mine).values("pk"))
        .filter(pk__in=visible.values("pk"), ends_at__gte=now)
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("network")
        .prefetch_related(Prefetch("groups", queryset=Group.objects.order_by("name")))
        .order_by("starts_at", "pk")[: UPCOMING_LIMIT * 3]
    )
    ids = [meeting.pk for meeting in meetings]
    statuses: dict[int, str] = {}
    if person is not None and ids:
        statuses = dict(
            Registration.objects.filter(person=person, meeting_id__in=ids)
            .exclude(status=Registration.Status.CANCELLED)
            .values_list("meeting_id", "status")
        )
    items = [
        UpcomingMeeting(
            meeting=meeting,
            registration_status=statuses.get(meeting.pk, ""),
            # The policy's answer for one meeting: from the person's affiliations and the
            # meeting's (prefetched) groups, without a query.
            may_register=person is not None
            and meeting_policy.user_has_permission_for_instance(user, "register", meeting),
            registration_closed=registration_open_error(meeting, now),
        )
        for meeting in meetings
    ]
    first = sorted(
        (item for item in items if item.needs_answer),
        key=lambda item: (item.meeting.registration_deadline or item.meeting.starts_at,),
    )
    rest = [item for item in items if not item.needs_answer]
    return (first + rest)[:UPCOMING_LIMIT]


# Evaluations to answer --------------------------------------------------------------------


def _evaluations(person: Person | None) -> list[Invitation]:
    """Open evaluations and surveys with the person's own answer link, not used yet."""
    if person is None:
        return []
    return list(
        Invitation.objects.filter(
            person=person,
            used_at__isnull=True,
            questionnaire__opened_at__isnull=False,
            questionnaire__closed_at__isnull=True,
        )
        .exclude(questionnaire__kind=Questionnaire.Kind.TEMPLATE)
        .select_related("questionnaire__network", "questionnaire__meeting")
        .order_by("questionnaire__opened_at", "pk")
    )


# My organisation's participation ----------------------------------------------------------


def _participation(
    *, organisation: Organisation | None, network_ids: list[int], today: datetime.date
) -> OrganisationParticipation | None:
    """People, meetings and participant-days of the organisation's people this year and last
    year, at meetings of the networks the person takes part in (one query): figures, never
    names. Named attendance only:
    counts per kind of organisation do not say which organisation came. A person at both days
    of a two-day meeting is one person, one meeting and two participant-days."""
    if organisation is None:
        return None
    rows = (
        Attendance.objects.filter(
            person__organisation=organisation,
            meeting__network_id__in=network_ids,
            meeting__starts_at__year__in=[today.year - 1, today.year],
        )
        .exclude(meeting__status=Meeting.Status.CANCELLED)
        .values("meeting__starts_at__year")
        .annotate(
            people=Count("person", distinct=True),
            meetings=Count("meeting", distinct=True),
            days=Count("pk"),
        )
    )
    figures = {
        row["meeting__starts_at__year"]: YearFigures(
            row["meeting__starts_at__year"], row["people"], row["meetings"], row["days"]
        )
        for row in rows
    }

    def year(number: int) -> YearFigures:
        return figures.get(number, YearFigures(number, 0, 0, 0))

    return OrganisationParticipation(
        organisation=organisation, this_year=year(today.year), last_year=year(today.year - 1)
    )


# News of attendance -----------------------------------------------------------------------


def _news(*, user: Any, now: datetime.datetime, network_ids: list[int]) -> list[News]:
    """Meetings of the user's networks held in the last month, with how many took part and
    from how many organisations (two queries and a cache read; three more for figures not
    in the cache)."""
    if not network_ids:
        return []
    visible = meeting_policy.instances_user_has_permission_for(user, "view")
    meetings = list(
        Meeting.objects.filter(
            network_id__in=network_ids,
            status=Meeting.Status.HELD,
            ends_at__lte=now,
            ends_at__gte=now - NEWS_WINDOW,
            pk__in=visible.values("pk"),
        )
        .select_related("network")
        .order_by("-starts_at", "-pk")[:NEWS_LIMIT]
    )
    if not meetings:
        return []
    participation = cached_participation(meetings)
    organisations: dict[int, set[int]] = defaultdict(set)
    for meeting_id, organisation_id in Attendance.objects.filter(meeting__in=meetings).values_list(
        "meeting_id", "person__organisation_id"
    ):
        organisations[meeting_id].add(organisation_id)
    return [
        News(meeting, participation[meeting.pk], len(organisations.get(meeting.pk, ())))
        for meeting in meetings
        if participation[meeting.pk].participant_days
    ]


# What needs doing -------------------------------------------------------------------------


def _todo(queryset: QuerySet[Any]) -> Todo:
    items = list(queryset[:TODO_LIMIT])
    total = len(items) if len(items) < TODO_LIMIT else queryset.count()
    return Todo(items=items, total=total)


def _todos(
    *,
    user: Any,
    now: datetime.datetime,
    today: datetime.date,
    managed_ids: list[int],
    coordinated_group_ids: list[int],
) -> Todos:
    """What the coordinator should see to: only their networks' (and groups') meetings,
    members and import runs."""
    held = Meeting.objects.filter(
        status=Meeting.Status.HELD, ends_at__lte=now, ends_at__gte=now - TODO_WINDOW
    )
    managed_meetings = held.filter(
        pk__in=Meeting.objects.filter(
            Q(network_id__in=managed_ids) | Q(groups__in=coordinated_group_ids)
        ).values("pk")
    )
    # Minutes are archive documents of the meeting; only those the coordinator sees count.
    minutes = Document.objects.filter(
        visible_documents_q(user), meeting=OuterRef("pk"), category=Document.Category.MINUTES
    )
    without_minutes = (
        managed_meetings.filter(~Exists(minutes)).select_related("network").order_by("-ends_at")
    )
    without_evaluation = (
        held.filter(network_id__in=managed_ids)
        .filter(~Exists(Questionnaire.objects.filter(meeting=OuterRef("pk"))))
        .select_related("network")
        .order_by("-ends_at")
    )
    waiting = (
        Meeting.objects.filter(
            pk__in=Meeting.objects.filter(
                Q(network_id__in=managed_ids) | Q(groups__in=coordinated_group_ids)
            ).values("pk"),
            ends_at__gte=now,
        )
        .exclude(status=Meeting.Status.CANCELLED)
        .annotate(
            waiting=Count(
                "registrations", filter=Q(registrations__status=Registration.Status.WAITING)
            )
        )
        .filter(waiting__gt=0)
        .select_related("network")
        .order_by("starts_at")
    )
    contact = ContactAssignment.objects.filter(
        active_on(today),
        network_id=OuterRef("network_id"),
        organisation_id=OuterRef("organisation_id"),
        group__isnull=True,
    )
    without_contact = (
        Membership.objects.filter(active_on(today), network_id__in=managed_ids)
        .filter(~Exists(contact))
        .select_related("organisation", "network")
        .order_by("network__name", "organisation__name")
    )
    failed_runs = (
        import_runs.instances_user_has_permission_for(user, "view")
        .filter(status=ImportRun.Status.FAILED, created_at__gte=now - FAILED_RUN_WINDOW)
        .order_by("-created_at")
    )
    return Todos(
        without_minutes=_todo(without_minutes),
        without_evaluation=_todo(without_evaluation),
        waiting=_todo(waiting),
        without_contact=_todo(without_contact),
        failed_runs=_todo(failed_runs),
    )


# The profile ------------------------------------------------------------------------------


def profile(*, person: Person) -> dict[str, Any]:
    """The person's own groups and contact-person assignments, current ones first (two
    queries). Their own data, so nothing is hidden from them."""
    today = timezone.localdate()
    memberships = sorted(
        GroupMembership.objects.filter(person=person).select_related("group__network"),
        key=lambda m: (not m.is_active_on(today), m.group.network.name, m.group.name),
    )
    contacts = sorted(
        ContactAssignment.objects.filter(person=person).select_related(
            "network", "organisation", "group"
        ),
        key=lambda c: (not c.is_active_on(today), c.network.name, -c.start_date.toordinal()),
    )
    return {"group_memberships": memberships, "contacts": contacts, "today": today}
