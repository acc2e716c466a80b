"""Issue 10 for meetings: scoped look-ups and choice lists, bounds on dates, counts and query
strings, and calendar feeds that stop. (A meeting's documents are the archive's: its uploads
and links are tested in tests/documents.)"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from navet.core.bounds import MAX_COUNT
from navet.meetings.models import (
    AttendanceCount,
    CalendarFeed,
    Meeting,
    Registration,
)
from navet.meetings.permissions import (
    calendar_feed_policy,
    meeting_policy,
    people_to_offer,
)
from navet.networks.models import GroupMembership, Membership, Network, Person
from tests.factories import (
    GroupFactory,
    MembershipFactory,
    NetworkFactory,
    PersonFactory,
    UserFactory,
)
from tests.meetings.factories import MeetingFactory, RegistrationFactory, at
from tests.meetings.test_views import meeting_post, url

pytestmark = pytest.mark.django_db

LOCAL = "%Y-%m-%dT%H:%M"


def create_url(network: Network) -> str:
    return reverse("meetings:meeting_create", args=[network.slug])


# Dates and capacity --------------------------------------------------------------------------


def test_a_meeting_ending_in_9999_is_refused_and_the_form_keeps_what_was_typed(
    network: Network, roles, client_for
) -> None:
    data = meeting_post(title="Evighetsmöte", ends_at="9999-12-31T23:59")
    response = client_for("network_coordinator").post(create_url(network), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose a year from 2000 to 2100." in html
    assert 'value="Evighetsmöte"' in html
    assert 'value="9999-12-31T23:59"' in html
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    ("starts", "ends", "ok"),
    [
        ("2000-01-01T00:00", "2000-01-01T03:00", True),  # the first allowed day
        ("2100-12-31T09:00", "2100-12-31T23:59", True),  # the last allowed day
        ("1999-12-31T09:00", "2000-01-01T12:00", False),
        ("2100-12-31T09:00", "2101-01-01T10:00", False),
        ("0001-01-01T00:00", "0001-01-01T01:00", False),
    ],
)
def test_meeting_years_from_2000_to_2100(
    network: Network, roles, client_for, starts: str, ends: str, ok: bool
) -> None:
    response = client_for("network_coordinator").post(
        create_url(network), meeting_post(starts_at=starts, ends_at=ends)
    )
    assert response.status_code == (302 if ok else 200)
    assert Meeting.objects.exists() == ok
    if not ok:
        assert "Choose a year from 2000 to 2100." in response.content.decode()


@pytest.mark.parametrize(("days", "ok"), [(1, True), (14, True), (15, False)])
def test_a_meeting_lasts_at_most_14_days(
    network: Network, roles, client_for, days: int, ok: bool
) -> None:
    starts = at(10, 9)
    ends = at(10 + days - 1, 16)
    response = client_for("network_coordinator").post(
        create_url(network),
        meeting_post(starts_at=starts.strftime(LOCAL), ends_at=ends.strftime(LOCAL)),
    )
    assert Meeting.objects.exists() == ok
    if ok:
        assert len(Meeting.objects.get().days) == days
    else:
        assert response.status_code == 200
        assert "A meeting can last at most 14 days." in response.content.decode()


def test_a_copy_is_bounded_too(network: Network, roles, client_for) -> None:
    meeting = MeetingFactory(network=network)
    response = client_for("network_coordinator").post(
        url("meeting_copy", meeting),
        {"starts_at": "2026-05-01T09:00", "ends_at": "9999-12-31T23:59"},
    )
    assert response.status_code == 200
    assert "Choose a year from 2000 to 2100." in response.content.decode()
    assert Meeting.objects.count() == 1


@pytest.mark.parametrize(
    ("capacity", "ok"),
    [("-1", False), ("0", False), ("1", True), (str(MAX_COUNT), True), (str(MAX_COUNT + 1), False)],
)
def test_capacity_bounds(network: Network, roles, client_for, capacity: str, ok: bool) -> None:
    response = client_for("network_coordinator").post(
        create_url(network), meeting_post(capacity=capacity)
    )
    assert Meeting.objects.exists() == ok
    if ok:
        assert Meeting.objects.get().capacity == int(capacity)
    else:
        html = response.content.decode()
        assert f'value="{capacity}"' in html
        assert 'class="error"' in html


@pytest.mark.parametrize(("count", "ok"), [(0, True), (MAX_COUNT, True), (MAX_COUNT + 1, False)])
def test_attendance_counts_within_bounds(
    network: Network, roles, client_for, count: int, ok: bool
) -> None:
    meeting = MeetingFactory(network=network, starts_at=at(-3, 9), ends_at=at(-3, 16))
    day = meeting.days[0]
    response = client_for("network_coordinator").post(
        url("attendance_counts", meeting), {f"count_{day:%Y%m%d}_total": str(count)}
    )
    stored = list(AttendanceCount.objects.values_list("count", flat=True))
    if ok:
        assert response.status_code == 302
        assert stored == ([count] if count else [])
    else:
        assert response.status_code == 200
        assert stored == []
        assert 'class="error"' in response.content.decode()


def test_negative_attendance_count_is_refused(network: Network, roles, client_for) -> None:
    meeting = MeetingFactory(network=network, starts_at=at(-3, 9), ends_at=at(-3, 16))
    day = meeting.days[0]
    response = client_for("network_coordinator").post(
        url("attendance_counts", meeting), {f"count_{day:%Y%m%d}_total": "-5"}
    )
    assert response.status_code == 200
    assert not AttendanceCount.objects.exists()


# Query strings --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "shown"),
    [
        ({"year": "²"}, "“²” is not a valid choice for this filter and was ignored."),
        ({"year": "99999"}, "“99999” is not a valid choice for this filter and was ignored."),
        ({"year": "1999"}, "“1999” is not a valid choice for this filter and was ignored."),
        ({"group": "abc"}, "“abc” is not a valid choice for this filter and was ignored."),
    ],
)
def test_impossible_filters_give_the_list_with_a_message(
    network: Network, roles, client_for, params: dict, shown: str
) -> None:
    MeetingFactory(network=network, title="Klimatträff i Borås")
    response = client_for("anonymous").get(
        reverse("meetings:meeting_list", args=[network.slug]), params
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert shown in html
    assert "Klimatträff i Borås" in html  # the filter was ignored, the list is shown


@pytest.mark.parametrize("year", ["2000", "2100"])
def test_first_and_last_year_are_valid_filters(
    network: Network, roles, client_for, year: str
) -> None:
    response = client_for("anonymous").get(
        reverse("meetings:meeting_list", args=[network.slug]), {"year": year}
    )
    assert response.status_code == 200
    assert "is not a valid choice" not in response.content.decode()


# Scoped look-ups and choice lists ---------------------------------------------------------


def test_a_meeting_of_another_network_is_not_found(
    network: Network, other_network: Network, roles, client_for
) -> None:
    theirs = MeetingFactory(network=other_network)
    client = client_for("network_coordinator")
    # The other network's meeting through this network's slug.
    other = reverse("meetings:meeting_edit", args=[network.slug, theirs.pk])
    assert client.get(other).status_code == 404
    assert client.post(other, meeting_post(title="Kapad")).status_code == 404
    assert Meeting.objects.get(pk=theirs.pk).title != "Kapad"


def test_a_foreign_group_or_speaker_is_refused(
    network: Network, other_network: Network, roles, client_for
) -> None:
    foreign_group = GroupFactory(network=other_network, name="Främmande", slug="frammande")
    outsider = PersonFactory(first_name="Utomstående")
    client = client_for("network_coordinator")
    form = client.get(create_url(network)).content.decode()
    assert "Främmande" not in form and "Utomstående" not in form
    response = client.post(create_url(network), meeting_post(groups=[foreign_group.pk]))
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    response = client.post(create_url(network), meeting_post(speaker_people=[outsider.pk]))
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_group_coordinator_cannot_add_a_group_they_do_not_coordinate(
    network: Network, group_klimat, group_fairtrade, roles, client_for
) -> None:
    meeting = MeetingFactory(network=network, groups=[group_klimat], title="Klimatträff")
    response = client_for("group_coordinator").post(
        url("meeting_edit", meeting),
        meeting_post(title="Klimatträff", groups=[group_klimat.pk, group_fairtrade.pk]),
    )
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert list(Meeting.objects.get(pk=meeting.pk).groups.all()) == [group_klimat]


def test_people_offered_are_the_networks_people(
    network: Network, other_network: Network, roles
) -> None:
    outsider = PersonFactory()
    offered = set(people_to_offer(roles["network_coordinator"], network))
    assert outsider not in offered
    assert Person.objects.get(user=roles["member"]) in offered
    # A platform admin is offered the network's people, not everyone on the platform.
    assert outsider not in set(people_to_offer(roles["admin"], network))


def test_meeting_policy(network: Network, group_klimat, group_fairtrade, roles) -> None:
    klimat = MeetingFactory(network=network, groups=[group_klimat])
    fairtrade = MeetingFactory(network=network, groups=[group_fairtrade])
    cancelled = MeetingFactory(network=network, status=Meeting.Status.CANCELLED)
    elsewhere = MeetingFactory(status=Meeting.Status.CANCELLED)

    def ids(role: str, action: str) -> set[int]:
        return set(
            meeting_policy.instances_user_has_permission_for(
                roles[role], action, network=network
            ).values_list("pk", flat=True)
        )

    everything = {klimat.pk, fairtrade.pk, cancelled.pk}
    assert ids("network_coordinator", "change") == everything
    assert ids("group_coordinator", "change") == {klimat.pk}
    assert ids("member", "change") == set()
    assert ids("anonymous", "view") == {klimat.pk, fairtrade.pk}
    assert ids("member", "view") == everything  # a member may register, so sees cancellations
    assert ids("member", "register") == everything
    # A meeting without groups is the whole network's: a partner (guest in a group) may come.
    assert ids("partner", "register") == {klimat.pk, cancelled.pk}
    assert elsewhere.pk not in ids("admin", "view")
    for meeting in (klimat, fairtrade, cancelled):
        for role in ("anonymous", "member", "partner", "group_coordinator"):
            for action in ("view", "change", "register"):
                assert meeting_policy.user_has_permission_for_instance(
                    roles[role], action, meeting
                ) == (meeting.pk in ids(role, action)), (role, action)


def test_feed_policies(network: Network, other_network: Network, roles) -> None:
    feed = CalendarFeed.objects.create(network=network)
    other_feed = CalendarFeed.objects.create(network=other_network)
    coordinator = roles["network_coordinator"]
    assert set(calendar_feed_policy.instances_user_has_permission_for(coordinator, "change")) == {
        feed
    }
    assert set(
        calendar_feed_policy.instances_user_has_permission_for(roles["other_coordinator"], "view")
    ) == {other_feed}
    assert not calendar_feed_policy.instances_user_has_permission_for(
        roles["member"], "change"
    ).exists()


# Calendar feeds -------------------------------------------------------------------------------


def _feed_get(client, feed: CalendarFeed):
    return client.get(reverse("meetings:calendar_feed", args=[feed.token]))


def test_the_feed_of_a_deactivated_account_stops(client, network: Network) -> None:
    MembershipFactory(network=network)
    user = UserFactory()
    person = PersonFactory(user=user)
    RegistrationFactory(meeting=MeetingFactory(network=network), person=person)
    feed = CalendarFeed.objects.create(person=person)
    assert _feed_get(client, feed).status_code == 200
    user.is_active = False
    user.save()
    response = _feed_get(client, feed)
    assert response.status_code == 410
    assert b"BEGIN:VCALENDAR" not in response.content


def test_a_persons_feed_drops_meetings_they_may_no_longer_take_part_in(
    client, network: Network, group_klimat
) -> None:
    membership = MembershipFactory(network=network)
    person = PersonFactory(user=UserFactory())
    meeting = MeetingFactory(
        network=network, title="Medlemsträff", meeting_link="https://meet.example/hemlig"
    )
    RegistrationFactory(meeting=meeting, person=person)
    feed = CalendarFeed.objects.create(person=person)
    content = _feed_get(client, feed).content
    assert f"{meeting.uid}@navet".encode() in content
    assert b"meet.example/hemlig" in content
    # Borås leaves the network: the registration stays, the feed no longer serves the meeting.
    Membership.objects.filter(pk=membership.pk).update(
        end_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    content = _feed_get(client, feed).content
    assert _feed_get(client, feed).status_code == 200
    assert f"{meeting.uid}@navet".encode() not in content
    assert b"meet.example/hemlig" not in content
    # Taking part in one of the meeting's groups brings it back.
    meeting.groups.add(group_klimat)
    GroupMembership.objects.create(
        group=group_klimat, person=person, start_date=datetime.date(2020, 1, 1)
    )
    assert f"{meeting.uid}@navet".encode() in _feed_get(client, feed).content


def test_a_feed_of_another_network_cannot_be_revoked(network: Network, roles, client_for) -> None:
    other = NetworkFactory()
    feed = CalendarFeed.objects.create(network=other)
    response = client_for("network_coordinator").post(
        reverse("meetings:feed_revoke", args=[feed.pk])
    )
    assert response.status_code == 404
    assert CalendarFeed.objects.get(pk=feed.pk).revoked_at is None


def test_registrations_are_unchanged_by_a_foreign_unregister(
    network: Network, other_network: Network, roles, client_for
) -> None:
    theirs = MeetingFactory(network=other_network)
    person = Person.objects.get(user=roles["member"])
    registration = RegistrationFactory(meeting=theirs, person=person)
    response = client_for("member").post(
        reverse("meetings:unregister", args=[network.slug, theirs.pk])
    )
    assert response.status_code == 404
    assert Registration.objects.get(pk=registration.pk).status == Registration.Status.REGISTERED
