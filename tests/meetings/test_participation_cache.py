"""A held meeting's participation figures are cached by the meeting's change time
(selectors.cached_participation): the meeting page and the start page's "recently held" show
a change of registrations or attendance at once, and a second reading of the page needs no
query for them."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from navet.meetings import selectors, services
from navet.meetings.models import Attendance, AttendanceCount, Meeting, Registration
from navet.networks.models import Network
from tests.meetings.factories import MeetingFactory, RegistrationFactory, at

pytestmark = pytest.mark.django_db
# The pages are in English here (tests/meetings/conftest.py).


def held_meeting(network: Network, registered: int) -> Meeting:
    meeting = MeetingFactory(
        network=network,
        title="Klimatträff",
        starts_at=at(-3, 9),
        ends_at=at(-3, 12),
        status=Meeting.Status.HELD,
    )
    for _ in range(registered):
        RegistrationFactory(meeting=meeting)
    return meeting


def meeting_page(client: Client, meeting: Meeting) -> str:
    response = client.get(meeting.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def start_page(client: Client) -> str:
    response = client.get(reverse("networks:home"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_meeting_page_shows_each_change_of_attendance_at_once(
    network: Network, client_for
) -> None:
    meeting = held_meeting(network, registered=3)
    member = client_for("member")
    # Nobody marked present: the registered people count.
    assert "3 took part." in meeting_page(member, meeting)
    assert "3 took part." in meeting_page(member, meeting)  # from the cache

    day = meeting.days[0]
    first = Registration.objects.filter(meeting=meeting).first()
    assert first is not None
    services.attendance_save(actor=None, meeting=meeting, present=[(first.person_id, day)])
    page = meeting_page(member, meeting)
    assert "1 took part." in page and "3 took part." not in page

    services.attendance_counts_save(actor=None, meeting=meeting, counts={(day, ""): 40})
    assert "40 took part." in meeting_page(member, meeting)

    services.attendance_counts_save(actor=None, meeting=meeting, counts={(day, ""): 0})
    assert "1 took part." in meeting_page(member, meeting)


def test_a_registration_removed_in_the_admin_shows_at_once(network: Network, client_for) -> None:
    meeting = held_meeting(network, registered=2)
    member = client_for("member")
    assert "2 took part." in meeting_page(member, meeting)
    registration = Registration.objects.filter(meeting=meeting).first()
    assert registration is not None
    url = reverse("admin:meetings_registration_delete", args=[registration.pk])
    assert client_for("admin").post(url, {"post": "yes"}).status_code == 302
    page = meeting_page(member, meeting)
    assert "1 took part." in page and "2 took part." not in page


def test_the_start_page_news_follow_the_attendance(network: Network, client_for) -> None:
    meeting = held_meeting(network, registered=4)
    member = client_for("member")
    assert "4 took part in" in start_page(member)
    services.attendance_counts_save(actor=None, meeting=meeting, counts={(meeting.days[0], ""): 25})
    page = start_page(member)
    assert "25 took part in" in page and "4 took part" not in page


def test_figures_are_read_once_and_made_again_after_a_change(network: Network) -> None:
    meeting = held_meeting(network, registered=2)
    first = selectors.participation(meeting)
    with CaptureQueriesContext(connection) as reading:
        again = selectors.participation(meeting)
    assert again == first and again.participants == 2
    tables = " ".join(query["sql"] for query in reading.captured_queries)
    for table in (Attendance, AttendanceCount, Registration):
        assert table._meta.db_table not in tables

    services.attendance_counts_save(actor=None, meeting=meeting, counts={(meeting.days[0], ""): 9})
    meeting.refresh_from_db()
    assert selectors.participation(meeting).participants == 9
