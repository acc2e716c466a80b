import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core import mail
from django.urls import reverse

from navet.meetings import calendar, services
from navet.meetings.models import CalendarFeed, Meeting, Registration
from navet.networks.models import Network, Person
from tests.factories import MembershipFactory, PersonFactory, UserFactory
from tests.meetings.factories import MeetingFactory, RegistrationFactory, at

pytestmark = pytest.mark.django_db
STOCKHOLM = ZoneInfo("Europe/Stockholm")


def parse(content: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(content)


def only_event(cal: icalendar.Calendar) -> icalendar.Event:
    (event,) = cal.walk("VEVENT")
    return event


def test_meeting_ics_is_valid_rfc5545(network: Network) -> None:
    meeting = MeetingFactory(
        network=network,
        title="Klimatanpassning i praktiken – erfarenheter från kommunerna " * 2,
        starts_at=at(30, 9),
        ends_at=at(31, 15, 30),
        description="Vi träffas i två dagar.",
        sequence=4,
    )
    content = calendar.meeting_ics(meeting, base_url="https://navet.example")
    assert content.startswith(b"BEGIN:VCALENDAR\r\n")
    # Lines are folded at 75 octets.
    assert all(len(line) <= 75 for line in content.split(b"\r\n"))
    cal = parse(content)
    assert cal["VERSION"] == "2.0"
    assert cal["PRODID"] == calendar.PRODID
    assert "METHOD" not in cal
    (tz,) = cal.walk("VTIMEZONE")
    assert tz["TZID"] == "Europe/Stockholm"
    event = only_event(cal)
    assert event["UID"] == f"{meeting.uid}@navet"
    assert event["SEQUENCE"] == 4
    assert event["STATUS"] == "CONFIRMED"
    assert event["SUMMARY"] == meeting.title
    assert event["LOCATION"] == "Borås stadshus"
    assert "två dagar" in event["DESCRIPTION"]
    assert event["URL"] == f"https://navet.example/networks/{network.slug}/meetings/{meeting.pk}/"
    assert event["DTSTAMP"].dt.utcoffset() == datetime.timedelta(0)
    assert event["DTSTART"].params["TZID"] == "Europe/Stockholm"
    assert event["DTEND"].params["TZID"] == "Europe/Stockholm"
    # Multi-day: one event from the first start to the last end.
    assert event["DTSTART"].dt == at(30, 9)
    assert event["DTEND"].dt == at(31, 15, 30)
    assert event["DTEND"].dt.astimezone(STOCKHOLM).time() == datetime.time(15, 30)
    assert b"DTSTART;TZID=Europe/Stockholm:" in content


def test_link_only_when_asked(network: Network) -> None:
    meeting = MeetingFactory(network=network, meeting_link="https://meet.example/abc")
    assert b"meet.example" not in calendar.meeting_ics(meeting)
    assert b"meet.example" in calendar.meeting_ics(meeting, include_link=True)


def test_cancel_method_and_status(network: Network) -> None:
    meeting = MeetingFactory(network=network)
    services.meeting_cancel(actor=None, meeting=meeting)
    cal = parse(calendar.meeting_ics(meeting, method=calendar.CANCEL, attendee=PersonFactory()))
    assert cal["METHOD"] == "CANCEL"
    event = only_event(cal)
    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 1
    assert "ORGANIZER" in event and "ATTENDEE" in event


def test_meeting_ics_view(client, network: Network) -> None:
    meeting = MeetingFactory(network=network, meeting_link="https://meet.example/abc")
    response = client.get(reverse("meetings:meeting_ics", args=[network.slug, meeting.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    assert only_event(parse(response.content))["UID"] == f"{meeting.uid}@navet"
    assert b"meet.example" not in response.content


# Feeds ------------------------------------------------------------------------------------


def feed_get(client, feed: CalendarFeed):
    return client.get(reverse("meetings:calendar_feed", args=[feed.token]))


def test_person_feed_holds_registered_meetings_with_link(client, network: Network) -> None:
    # A person of a member organisation (Borås), with an account.
    MembershipFactory(network=network)
    person = PersonFactory(user=UserFactory())
    mine = MeetingFactory(network=network, meeting_link="https://meet.example/mine")
    waiting = MeetingFactory(network=network)
    not_mine = MeetingFactory(network=network)
    gone = MeetingFactory(network=network)
    RegistrationFactory(meeting=mine, person=person)
    RegistrationFactory(meeting=waiting, person=person, status=Registration.Status.WAITING)
    RegistrationFactory(meeting=gone, person=person, status=Registration.Status.CANCELLED)
    RegistrationFactory(meeting=not_mine)
    feed = CalendarFeed.objects.create(person=person)
    response = feed_get(client, feed)
    assert response.status_code == 200
    uids = {str(e["UID"]) for e in parse(response.content).walk("VEVENT")}
    assert uids == {f"{mine.uid}@navet", f"{waiting.uid}@navet"}
    assert b"meet.example/mine" in response.content


def test_network_and_group_feeds(client, network: Network, group_klimat) -> None:
    in_group = MeetingFactory(
        network=network, groups=[group_klimat], meeting_link="https://x.test/l"
    )
    whole = MeetingFactory(network=network)
    cancelled = MeetingFactory(network=network, status=Meeting.Status.CANCELLED)
    MeetingFactory()  # another network
    network_feed = CalendarFeed.objects.create(network=network)
    group_feed = CalendarFeed.objects.create(group=group_klimat)
    network_events = parse(feed_get(client, network_feed).content).walk("VEVENT")
    assert {str(e["UID"]) for e in network_events} == {
        f"{m.uid}@navet" for m in (in_group, whole, cancelled)
    }
    assert {str(e["STATUS"]) for e in network_events} == {"CONFIRMED", "CANCELLED"}
    group_content = feed_get(client, group_feed).content
    assert [str(e["UID"]) for e in parse(group_content).walk("VEVENT")] == [f"{in_group.uid}@navet"]
    assert b"x.test" not in group_content


def test_revoked_or_unknown_token_gives_404(client, network: Network) -> None:
    feed = CalendarFeed.objects.create(network=network)
    assert feed_get(client, feed).status_code == 200
    services.feed_revoke(actor=None, feed=feed)
    assert feed_get(client, feed).status_code == 404
    assert client.get(reverse("meetings:calendar_feed", args=["nope"])).status_code == 404


def test_empty_feed_is_valid(client, network: Network) -> None:
    cal = parse(feed_get(client, CalendarFeed.objects.create(network=network)).content)
    assert cal["VERSION"] == "2.0"
    assert cal.walk("VTIMEZONE")


@pytest.mark.parametrize("n", [1, 20])
def test_feed_query_count(
    client, network: Network, group_klimat, n, django_assert_max_num_queries
) -> None:
    MembershipFactory(network=network)
    person = PersonFactory(user=UserFactory())
    for _ in range(n):
        meeting = MeetingFactory(network=network, groups=[group_klimat])
        meeting.speakers.create(name="Anna")
        RegistrationFactory(meeting=meeting, person=person)
    for feed in (
        CalendarFeed.objects.create(network=network),
        CalendarFeed.objects.create(group=group_klimat),
        CalendarFeed.objects.create(person=person),
    ):
        # The feed, its meetings and (a person's feed) the person's affiliations and which
        # meetings they are registered for.
        with django_assert_max_num_queries(4):
            response = feed_get(client, feed)
        assert len(parse(response.content).walk("VEVENT")) == n


# Email ------------------------------------------------------------------------------------


def _calendar_part(message) -> tuple[str, bytes]:
    parts = [p for p in message.message().walk() if p.get_content_type() == "text/calendar"]
    (part,) = parts
    return part["Content-Type"], part.get_payload(decode=True)


def test_invitations_carry_request_ics(
    network: Network, django_capture_on_commit_callbacks
) -> None:
    meeting = MeetingFactory(network=network, meeting_link="https://meet.example/x")
    people = [PersonFactory(), PersonFactory(), PersonFactory(email="")]
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.invitations_send(
            actor=None, meeting=meeting, people=people, note="Välkomna!"
        )
    assert sent == 2
    assert len(mail.outbox) == 2
    message = mail.outbox[0]
    assert message.to == [people[0].email]
    assert meeting.title in message.subject
    assert "Välkomna!" in message.body
    content_type, payload = _calendar_part(message)
    assert "method=REQUEST" in content_type.replace('"', "")
    cal = parse(payload)
    assert cal["METHOD"] == "REQUEST"
    event = only_event(cal)
    assert event["UID"] == f"{meeting.uid}@navet"
    assert str(event["ATTENDEE"]) == f"mailto:{people[0].email}"
    assert b"meet.example" not in payload


def test_invitations_wait_for_commit(network: Network, django_capture_on_commit_callbacks) -> None:
    meeting = MeetingFactory(network=network)
    person = PersonFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.invitations_send(actor=None, meeting=meeting, people=[person])
    assert mail.outbox == []
    # (Other apps, such as the search index, may queue work on the commit too.)
    for callback in callbacks:
        callback()
    assert [message.to for message in mail.outbox] == [[person.email]]


def test_cancellation_email_has_cancel_ics(
    network: Network, django_capture_on_commit_callbacks
) -> None:
    meeting = MeetingFactory(network=network)
    person: Person = RegistrationFactory(meeting=meeting).person
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(actor=None, meeting=meeting)
    (message,) = mail.outbox
    assert message.to == [person.email]
    content_type, payload = _calendar_part(message)
    assert "method=CANCEL" in content_type.replace('"', "")
    event = only_event(parse(payload))
    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 1
