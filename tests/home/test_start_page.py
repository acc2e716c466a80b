"""The personal start page: what each role sees, in a fixed number of queries, and nothing of
a network the person has no part in."""

import datetime
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from navet.accounts.models import User
from navet.core.request_memo import memo_opened
from navet.documents.models import Document
from navet.evaluations.models import Invitation, Questionnaire
from navet.home.selectors import start_page
from navet.indicators.models import ImportRun
from navet.meetings.models import Attendance, Meeting, Registration
from navet.networks.models import Group, GroupMembership, Network, Person
from tests.factories import (
    ContactAssignmentFactory,
    GroupFactory,
    GroupMembershipFactory,
    MembershipFactory,
    NetworkFactory,
    PersonFactory,
    organisation,
)

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def make_meeting(
    network: Network,
    title: str,
    days_from_now: float,
    *,
    groups: tuple[Group, ...] = (),
    status: str = Meeting.Status.PLANNED,
    deadline_days: float | None = None,
) -> Meeting:
    start = timezone.now() + days_from_now * DAY
    meeting = Meeting.objects.create(
        network=network,
        title=title,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        status=status,
        registration_deadline=(
            None if deadline_days is None else timezone.now() + deadline_days * DAY
        ),
    )
    meeting.groups.add(*groups)
    return meeting


def person(user: User | None) -> Person:
    assert user is not None
    return Person.objects.get(user=user)


def test_anonymous_visitors_get_the_public_list_of_networks(
    client: Client, network: Network
) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert "networks/home.html" in [t.name for t in response.templates]
    assert network.name in response.content.decode()


def test_the_members_start_page_puts_open_meetings_first_and_asks_for_the_evaluation(
    network: Network, group_klimat: Group, roles: dict[str, User | None]
) -> None:
    member = person(roles["member"])
    GroupMembershipFactory(group=group_klimat, person=member)
    registered = make_meeting(network, "Registered", 5, groups=(group_klimat,))
    Registration.objects.create(meeting=registered, person=member)
    later = make_meeting(
        network, "Later, deadline soon", 40, groups=(group_klimat,), deadline_days=3
    )
    sooner = make_meeting(network, "Sooner, no deadline", 20)  # the whole network's
    closed = make_meeting(network, "Deadline passed", 10, groups=(group_klimat,), deadline_days=-1)
    make_meeting(network, "Cancelled", 8, status=Meeting.Status.CANCELLED)
    held = make_meeting(network, "Held", -7, groups=(group_klimat,), status=Meeting.Status.HELD)
    evaluation = Questionnaire.objects.create(
        network=network, kind="evaluation", title="Held", meeting=held, opened_at=timezone.now()
    )
    Invitation.objects.create(questionnaire=evaluation, person=member)
    used = Questionnaire.objects.create(
        network=network, kind="survey", title="Used", survey_year=2025, opened_at=timezone.now()
    )
    Invitation.objects.create(questionnaire=used, person=member, used_at=timezone.now())

    page = start_page(user=roles["member"])

    titles = [item.meeting.title for item in page.upcoming]
    assert titles == [later.title, sooner.title, registered.title, closed.title]
    assert [item.needs_answer for item in page.upcoming] == [True, True, False, False]
    assert page.upcoming[2].registration_status == "registered"
    assert page.upcoming[3].registration_closed
    assert [i.questionnaire for i in page.evaluations] == [evaluation]
    assert page.todos is None
    (entry,) = page.networks
    assert entry.member and not entry.coordinator
    assert [g.group for g in entry.groups] == [group_klimat]


def test_organisation_participation_counts_people_meetings_and_days_once(
    network: Network, group_klimat: Group, roles: dict[str, User | None]
) -> None:
    member = person(roles["member"])
    colleague = PersonFactory(organisation=member.organisation)
    other_org = PersonFactory(organisation=organisation("1441"))
    this_year = timezone.localdate()
    two_day = make_meeting(network, "Two days", -30, status=Meeting.Status.HELD)
    two_day.ends_at = two_day.starts_at + 1 * DAY
    two_day.save()
    for someone in (member, colleague, other_org):
        for day in two_day.days:
            Attendance.objects.create(meeting=two_day, person=someone, day=day)
    last_year_start = datetime.datetime(this_year.year - 1, 5, 10, 10, tzinfo=datetime.UTC)
    old = Meeting.objects.create(
        network=network, title="Last year", starts_at=last_year_start,
        ends_at=last_year_start + datetime.timedelta(hours=2), status=Meeting.Status.HELD,
    )  # fmt: skip
    Attendance.objects.create(meeting=old, person=member, day=old.days[0])
    # A meeting of a network the member has no part in is not counted.
    elsewhere = make_meeting(NetworkFactory(), "Elsewhere", -20, status=Meeting.Status.HELD)
    Attendance.objects.create(meeting=elsewhere, person=member, day=elsewhere.days[0])

    participation = start_page(user=roles["member"]).participation
    assert participation is not None
    if two_day.days[0].year == this_year.year:  # not in the first days of January
        figures = participation.this_year
        assert (figures.people, figures.meetings, figures.participant_days) == (2, 1, 4)
    last = participation.last_year
    assert (last.people, last.meetings, last.participant_days) == (1, 1, 1)


def archive(meeting: Meeting, category: str, **fields: object) -> Document:
    """A link document of the meeting in the archive, for the network's members."""
    return Document.objects.create(
        network=meeting.network,
        meeting=meeting,
        category=category,
        title=f"{category} {meeting.title}",
        url="https://example.org/minnesanteckningar",
        visibility=Document.Visibility.MEMBERS,
        **fields,
    )


def test_the_coordinators_to_do_list(
    network: Network,
    group_klimat: Group,
    roles: dict[str, User | None],
    client_for: Callable[[str], Client],
) -> None:
    no_minutes = make_meeting(network, "No minutes", -10, status=Meeting.Status.HELD)
    done = make_meeting(network, "Done", -12, status=Meeting.Status.HELD)
    archive(done, Document.Category.MINUTES)
    # Slides are not minutes, and deleted minutes are no minutes.
    archive(no_minutes, Document.Category.PRESENTATION)
    archive(no_minutes, Document.Category.MINUTES, deleted_at=timezone.now())
    Questionnaire.objects.create(network=network, kind="evaluation", title="Done", meeting=done)
    make_meeting(network, "Long ago", -400, status=Meeting.Status.HELD)
    full = make_meeting(network, "Full", 20)
    Registration.objects.create(meeting=full, person=PersonFactory(), status="waiting")
    ImportRun.objects.create(kind="file", status="failed", network=network)
    ImportRun.objects.create(kind="file", status="succeeded", network=network)
    ImportRun.objects.create(kind="kolada", status="failed", network=None)  # platform-wide
    # Borås (the member) has no contact person; Lerum has one.
    lerum = organisation("1441")
    MembershipFactory(network=network, organisation=lerum)
    ContactAssignmentFactory(network=network, person=PersonFactory(organisation=lerum))

    todos = start_page(user=roles["network_coordinator"]).todos
    assert todos is not None
    assert todos.without_minutes.items == [no_minutes]
    assert todos.without_evaluation.items == [no_minutes]
    assert todos.waiting.items == [full] and todos.waiting.items[0].waiting == 1
    assert [m.organisation.name for m in todos.without_contact.items] == ["Borås"]
    assert [run.network for run in todos.failed_runs.items] == [network]

    # The to-do opens the archive's upload form with the meeting chosen.
    upload = reverse("documents:upload", args=[network.slug])
    html = client_for("network_coordinator").get(reverse("networks:home")).content.decode()
    assert f'href="{upload}?meeting={no_minutes.pk}"' in html
    assert f"?meeting={done.pk}" not in html

    admin_todos = start_page(user=roles["admin"]).todos
    assert admin_todos is not None and admin_todos.failed_runs.total == 2

    # The group coordinator sees the minutes of their group's meetings, nothing else.
    no_minutes.groups.add(group_klimat)
    group_todos = start_page(user=roles["group_coordinator"]).todos
    assert group_todos is not None
    assert group_todos.without_minutes.items == [no_minutes]
    assert not group_todos.without_evaluation.total and not group_todos.without_contact.total
    assert not group_todos.failed_runs.total

    assert start_page(user=roles["member"]).todos is None
    assert start_page(user=roles["partner"]).todos is None


def test_a_coordinator_of_network_b_sees_nothing_of_network_a(
    network: Network,
    group_klimat: Group,
    other_network: Network,
    roles: dict[str, User | None],
    client_for: Callable[[str], Client],
) -> None:
    """``other_coordinator`` coordinates network B (other_network); ``network`` is A."""
    held = make_meeting(network, "A: held, nothing done", -5, groups=(group_klimat,), status="held")
    full = make_meeting(network, "A: full meeting", 10, groups=(group_klimat,))
    Registration.objects.create(meeting=full, person=PersonFactory(), status="waiting")
    ImportRun.objects.create(kind="file", status="failed", network=network)
    make_meeting(network, "A: the whole network", 15)
    Attendance.objects.create(meeting=held, person=person(roles["member"]), day=held.days[0])
    own = make_meeting(other_network, "B: own meeting", 12)

    page = start_page(user=roles["other_coordinator"])
    assert [entry.network for entry in page.networks] == [other_network]
    assert [item.meeting for item in page.upcoming] == [own]
    assert page.todos is not None and page.todos.total == 0
    assert page.news == []

    html = client_for("other_coordinator").get("/").content.decode()
    for text in ("A: held", "A: full", "A: the whole", network.name, "Borås", "Klimat"):
        assert text not in html
    assert "B: own meeting" in html


def _grow(network: Network, group: Group, member: Person, start: int, n: int) -> None:
    """n more of everything the start page shows."""
    for i in range(start, start + n):
        extra_group = GroupFactory(network=network, name=f"Grupp {i}", slug=f"grupp-{i}")
        GroupMembershipFactory(group=extra_group, person=member)
        extra_group.coordinators.add(member)
        meeting = make_meeting(
            network, f"Möte {i}", 10 + i, groups=(group, extra_group), deadline_days=5
        )
        Registration.objects.create(meeting=meeting, person=PersonFactory(), status="waiting")
        held = make_meeting(network, f"Hölls {i}", -3 - i, groups=(group,), status="held")
        Attendance.objects.create(meeting=held, person=member, day=held.days[0])
        evaluation = Questionnaire.objects.create(
            network=network,
            kind="evaluation",
            title=held.title,
            meeting=held,
            opened_at=timezone.now(),
        )
        Invitation.objects.create(questionnaire=evaluation, person=member)
        MembershipFactory(
            network=network, organisation=organisation(["1441", "1480", "1401", "1402", "1440"][i])
        )
        ImportRun.objects.create(kind="file", status="failed", network=network)
        other = NetworkFactory()
        other.coordinators.add(member)


def test_the_start_page_takes_the_same_number_of_queries_whatever_the_data(
    network: Network, group_klimat: Group, roles: dict[str, User | None]
) -> None:
    user = roles["member"]
    member = person(user)
    network.coordinators.add(member)
    GroupMembershipFactory(group=group_klimat, person=member)

    def count() -> int:
        # Counted as in a request, where the person's affiliations are read once.
        with memo_opened(), CaptureQueriesContext(connection) as captured:
            page = start_page(user=user)
        assert page.networks
        return len(captured)

    # Counted with the held meetings' participation figures in the cache, as on a page read
    # all day (the first count fills it).
    _grow(network, group_klimat, member, 0, 1)
    count()
    small = count()
    _grow(network, group_klimat, member, 1, 4)
    count()
    assert count() == small
    assert small <= 18, small


def test_the_page_renders_for_every_role(
    network: Network, group_klimat: Group, client_for: Callable[[str], Client]
) -> None:
    make_meeting(network, "Klimatträff", 9, groups=(group_klimat,), deadline_days=4)
    for role in (
        "admin",
        "network_coordinator",
        "group_coordinator",
        "member",
        "partner",
        "outsider",
    ):
        response = client_for(role).get(reverse("networks:home"))
        assert response.status_code == 200
        assert "home/start_page.html" in [t.name for t in response.templates]
    html = client_for("partner").get("/").content.decode()
    assert "Klimatträff" in html  # the guest group's meeting
    assert GroupMembership.objects.filter(role="guest").exists()
