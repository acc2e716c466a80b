import pytest
from django.core import mail
from django.urls import reverse

from navet.documents.models import Document
from navet.meetings.models import CalendarFeed, Meeting, Registration
from navet.networks.models import Network, Person
from tests.factories import PersonFactory
from tests.meetings.factories import MeetingFactory, RegistrationFactory, at

pytestmark = pytest.mark.django_db


def url(name: str, meeting: Meeting, **extra) -> str:
    return reverse(
        f"meetings:{name}", kwargs={"slug": meeting.network.slug, "pk": meeting.pk, **extra}
    )


def meeting_post(**overrides) -> dict:
    data = {
        "title": "Klimatträff",
        "format": "physical",
        "starts_at": at(20, 9).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": at(21, 16).strftime("%Y-%m-%dT%H:%M"),
        "location": "Vänersborg",
        "speaker_lines": "Anna Berg, klimatstrateg, Borås Stad\nBo Ek",
    }
    data.update(overrides)
    return data


def test_coordinator_creates_meeting(network: Network, roles, client_for) -> None:
    client = client_for("network_coordinator")
    response = client.post(reverse("meetings:meeting_create", args=[network.slug]), meeting_post())
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == meeting.get_absolute_url()
    assert [(s.name, s.title, s.organisation_name) for s in meeting.speakers.all()] == [
        ("Anna Berg", "klimatstrateg", "Borås Stad"),
        ("Bo Ek", "", ""),
    ]
    assert meeting.days == [at(20).date(), at(21).date()]


def test_form_keeps_typed_values_on_error(network: Network, roles, client_for) -> None:
    client = client_for("network_coordinator")
    data = meeting_post(title="Min träff", ends_at=at(19, 9).strftime("%Y-%m-%dT%H:%M"))
    response = client.post(reverse("meetings:meeting_create", args=[network.slug]), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert 'value="Min träff"' in content
    assert "Anna Berg, klimatstrateg" in content
    assert 'class="error"' in content
    assert not Meeting.objects.exists()


def test_group_coordinator_must_choose_own_group(
    network: Network, group_klimat, group_fairtrade, roles, client_for
) -> None:
    client = client_for("group_coordinator")
    create = reverse("meetings:meeting_create", args=[network.slug])
    assert client.post(create, meeting_post()).status_code == 200
    assert client.post(create, meeting_post(groups=[group_fairtrade.pk])).status_code == 200
    assert client.post(create, meeting_post(groups=[group_klimat.pk])).status_code == 302
    assert list(Meeting.objects.get().groups.all()) == [group_klimat]


def test_link_shown_only_to_registered_and_coordinators(
    network: Network, roles, client_for
) -> None:
    meeting = MeetingFactory(network=network, meeting_link="https://meet.example/hemlig")
    detail = meeting.get_absolute_url()
    assert "meet.example/hemlig" not in client_for("anonymous").get(detail).content.decode()
    member = client_for("member")
    assert "meet.example/hemlig" not in member.get(detail).content.decode()
    RegistrationFactory(meeting=meeting, person=Person.objects.get(user=roles["member"]))
    assert "meet.example/hemlig" in member.get(detail).content.decode()
    assert "meet.example/hemlig" in client_for("network_coordinator").get(detail).content.decode()


def test_public_list_hides_cancelled_meetings(network: Network, roles, client_for) -> None:
    MeetingFactory(network=network, title="Planerad")
    MeetingFactory(network=network, title="Inställd", status=Meeting.Status.CANCELLED)
    public = client_for("anonymous").get(reverse("meetings:meeting_list", args=[network.slug]))
    assert "Planerad" in public.content.decode()
    assert "Inställd" not in public.content.decode()
    coordinator = client_for("network_coordinator").get(
        reverse("meetings:meeting_list", args=[network.slug])
    )
    assert "Inställd" in coordinator.content.decode()


def test_list_filters_by_group_and_year(network: Network, group_klimat, roles, client_for) -> None:
    MeetingFactory(network=network, title="Klimatmöte", groups=[group_klimat])
    MeetingFactory(network=network, title="Allmänt möte")
    list_url = reverse("meetings:meeting_list", args=[network.slug])
    content = client_for("anonymous").get(list_url, {"group": "klimat"}).content.decode()
    assert "Klimatmöte" in content and "Allmänt möte" not in content
    content = client_for("anonymous").get(list_url, {"year": "2001"}).content.decode()
    assert "Klimatmöte" not in content


def test_past_meetings_newest_first_a_page_at_a_time(
    network: Network, roles, client_for, django_assert_max_num_queries
) -> None:
    """Years of meetings: every upcoming one, and the past ones 50 to a page, newest first,
    with the filters kept when paging."""
    MeetingFactory(network=network, title="Kommande")
    for day in range(1, 56):
        MeetingFactory(network=network, title=f"Möte {day:02} dagar sedan", starts_at=at(-day))
    list_url = reverse("meetings:meeting_list", args=[network.slug])
    anonymous = client_for("anonymous")
    # A fixed number, whatever the meetings; 19 with both tables read and stored in the
    # database cache, 5 once they are cached (tests/meetings/test_list_cache.py).
    with django_assert_max_num_queries(19):
        first = anonymous.get(list_url).content.decode()
    with django_assert_max_num_queries(5):
        cached = anonymous.get(list_url).content.decode()
    assert cached.count("dagar sedan") == first.count("dagar sedan") == 50
    assert "Kommande" in first
    assert first.index("Möte 01 dagar sedan") < first.index("Möte 50 dagar sedan")
    assert "Möte 51 dagar sedan" not in first
    assert "Page 1 of 2" in first and 'rel="next"' in first and "(55)" in first
    second = anonymous.get(list_url, {"page": 2, "group": ""}).content.decode()
    assert "Möte 51 dagar sedan" in second and "Möte 55 dagar sedan" in second
    assert "Möte 50 dagar sedan" not in second
    assert "Kommande" in second  # upcoming meetings stay on every page
    assert "?page=1&amp;group=" in second  # the previous page keeps the filter


def test_member_registers_with_dietary_needs(network: Network, roles, client_for) -> None:
    meeting = MeetingFactory(network=network)
    response = client_for("member").post(url("register", meeting), {"dietary_needs": "Vegan"})
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.dietary_needs == "Vegan"
    assert registration.person.user == roles["member"]
    response = client_for("member").post(
        url("register", meeting), {"dietary_needs": "Vegan"}, follow=False
    )
    assert response.status_code == 400
    assert "already registered" in response.content.decode()


def test_register_after_deadline_shows_message(network: Network, roles, client_for) -> None:
    meeting = MeetingFactory(network=network, registration_deadline=at(-1))
    response = client_for("member").post(url("register", meeting), {"dietary_needs": "Vegan"})
    assert response.status_code == 400
    assert "deadline" in response.content.decode()
    assert not Registration.objects.exists()


def test_registration_form_keeps_typed_value(network: Network, roles, client_for) -> None:
    meeting = MeetingFactory(network=network)
    typed = "Vegan " * 60  # longer than 300 characters
    response = client_for("member").post(url("register", meeting), {"dietary_needs": typed})
    assert response.status_code == 400
    assert f'value="{typed}"' in response.content.decode()
    assert not Registration.objects.exists()


def test_full_meeting_message_mentions_waiting_list(network: Network, roles, client_for) -> None:
    meeting = MeetingFactory(network=network, capacity=1)
    RegistrationFactory(meeting=meeting)
    response = client_for("member").post(url("register", meeting), follow=True)
    assert "waiting list" in response.content.decode()
    assert Registration.objects.filter(status=Registration.Status.WAITING).count() == 1


def test_unregister(network: Network, roles, client_for) -> None:
    meeting = MeetingFactory(network=network)
    RegistrationFactory(meeting=meeting, person=Person.objects.get(user=roles["member"]))
    client_for("member").post(url("unregister", meeting))
    assert Registration.objects.get().status == Registration.Status.CANCELLED


def test_cancel_view_emails_registered(
    network: Network, roles, client_for, django_capture_on_commit_callbacks
) -> None:
    meeting = MeetingFactory(network=network)
    RegistrationFactory(meeting=meeting)
    with django_capture_on_commit_callbacks(execute=True):
        client_for("network_coordinator").post(url("meeting_cancel", meeting))
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    assert len(mail.outbox) == 1


def test_copy_view(network: Network, roles, client_for) -> None:
    meeting = MeetingFactory(network=network)
    response = client_for("network_coordinator").post(
        url("meeting_copy", meeting),
        {"starts_at": "2031-05-01T09:00", "ends_at": "2031-05-01T12:00"},
    )
    copy = Meeting.objects.exclude(pk=meeting.pk).get()
    assert response["Location"] == url("meeting_edit", copy)
    assert copy.copied_from == meeting


def test_attendance_grid_and_counts(network: Network, roles, client_for) -> None:
    meeting = MeetingFactory(network=network, starts_at=at(-3, 9), ends_at=at(-2, 16))
    person = RegistrationFactory(meeting=meeting).person
    day1, day2 = meeting.days
    client = client_for("network_coordinator")
    page = client.get(url("attendance", meeting)).content.decode()
    assert f'name="present_{person.pk}_{day1:%Y%m%d}"' in page
    client.post(url("attendance", meeting), {f"present_{person.pk}_{day2:%Y%m%d}": "1"})
    assert list(meeting.attendances.values_list("day", flat=True)) == [day2]
    response = client.post(
        url("attendance_counts", meeting), {f"count_{day1:%Y%m%d}_municipality": "-4"}
    )
    assert response.status_code == 200
    assert not meeting.attendance_counts.exists()
    client.post(url("attendance_counts", meeting), {f"count_{day1:%Y%m%d}_municipality": "17"})
    assert meeting.attendance_counts.get().count == 17


def test_invite_view_sends_to_group(
    network: Network, group_klimat, roles, client_for, django_capture_on_commit_callbacks
) -> None:
    meeting = MeetingFactory(network=network, groups=[group_klimat])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("group_coordinator").post(
            url("invite", meeting), {"audience": "groups", "note": ""}
        )
    assert response.status_code == 302
    # The partner is the only participant (guest) of Klimat.
    assert [m.to for m in mail.outbox] == [[Person.objects.get(user=roles["partner"]).email]]


def test_person_manages_own_feed(roles, client_for) -> None:
    client = client_for("member")
    client.post(reverse("meetings:my_calendar"))
    feed = CalendarFeed.objects.get()
    assert feed.person.user == roles["member"]
    page = client.get(reverse("meetings:my_calendar")).content.decode()
    assert feed.token in page
    # Someone else cannot revoke it: for them it does not exist.
    assert (
        client_for("partner").post(reverse("meetings:feed_revoke", args=[feed.pk])).status_code
        == 404
    )
    client.post(reverse("meetings:feed_revoke", args=[feed.pk]))
    feed.refresh_from_db()
    assert feed.revoked_at is not None
    assert client.get(reverse("meetings:calendar_feed", args=[feed.token])).status_code == 404


def test_group_coordinator_creates_group_feed_only(
    network: Network, group_klimat, roles, client_for
) -> None:
    client = client_for("group_coordinator")
    feeds_url = reverse("meetings:network_feeds", args=[network.slug])
    client.post(feeds_url, {"subject": "network"})
    assert not CalendarFeed.objects.exists()
    client.post(feeds_url, {"subject": f"group-{group_klimat.pk}"})
    assert CalendarFeed.objects.get().group == group_klimat


def test_feed_page_without_person(roles, client_for) -> None:
    response = client_for("outsider").get(reverse("meetings:my_calendar"))
    assert response.status_code == 200
    assert client_for("outsider").post(reverse("meetings:my_calendar")).status_code == 403
    assert PersonFactory  # the outsider has no Person, so no feed can be made


def test_coordinator_detail_shows_registrations_and_participation(
    network: Network, roles, client_for
) -> None:
    from navet.meetings.models import AttendanceCount

    meeting = MeetingFactory(network=network, starts_at=at(-3, 9), ends_at=at(-2, 16), capacity=1)
    RegistrationFactory(meeting=meeting, dietary_needs="Glutenfri")
    RegistrationFactory(meeting=meeting, status=Registration.Status.WAITING)
    AttendanceCount.objects.create(meeting=meeting, day=meeting.days[0], count=23)
    content = client_for("network_coordinator").get(meeting.get_absolute_url()).content.decode()
    assert "Glutenfri" in content
    assert "Waiting list" in content
    assert "23 participant-days (from counts)" in content
    assert "2 days" in content
    # The public sees neither registrations nor dietary needs.
    public = client_for("anonymous").get(meeting.get_absolute_url()).content.decode()
    assert "Glutenfri" not in public


@pytest.mark.parametrize("size", [2, 20])
@pytest.mark.parametrize("role", ["member", "network_coordinator"])
def test_meeting_page_queries_do_not_grow_with_the_meeting(
    network: Network,
    group_klimat,
    group_fairtrade,
    client_for,
    role: str,
    size: int,
    django_assert_max_num_queries,
) -> None:
    """Groups, speakers, registrations, attendance and documents: a fixed number of queries."""
    meeting = MeetingFactory(
        network=network,
        groups=[group_klimat] if size == 2 else [group_klimat, group_fairtrade],
        starts_at=at(-2, 9),
        ends_at=at(-2, 12),
        status=Meeting.Status.HELD,
    )
    for i in range(size):
        meeting.speakers.create(name=f"Talare {i}")
        registration = RegistrationFactory(meeting=meeting)
        meeting.attendances.create(person=registration.person, day=meeting.days[0])
        Document.objects.create(
            network=network,
            meeting=meeting,
            title=f"Protokoll {i}",
            url="https://example.org/protokoll",
            visibility=Document.Visibility.MEMBERS,
        )
    client = client_for(role)
    # Cold: the participation figures are read (three queries) and stored in the cache (the
    # database cache takes up to five statements to store one); warm: one cache read.
    coordinator = role != "member"
    for cap in (18 + coordinator, 10 + coordinator):
        with django_assert_max_num_queries(cap):
            response = client.get(url("meeting_detail", meeting))
        page = response.content.decode()
        assert response.status_code == 200
        assert page.count("Talare ") == size
        assert page.count("Protokoll ") == size
        assert f"{size} took part" in page or f"{size} people, {size} participant-days" in page
