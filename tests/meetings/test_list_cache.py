"""The meeting list's tables are cached by what their rows show (selectors.MeetingTable):
a fixed number of queries whatever the number of meetings, fewer when the tables are cached,
and a new table as soon as a registration, attendance, the meeting or a group changes."""

import pytest
from django.test import Client
from django.urls import reverse

from navet.meetings import selectors, services
from navet.meetings.models import Meeting
from navet.networks.models import Group, Network
from tests.factories import PersonFactory
from tests.meetings.factories import MeetingFactory, RegistrationFactory, at

pytestmark = pytest.mark.django_db
# The pages are in English here (tests/meetings/conftest.py).


def list_page(client: Client, network: Network) -> str:
    response = client.get(reverse("meetings:meeting_list", args=[network.slug]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("n", [2, 16])
def test_query_count_does_not_grow_with_meetings_and_drops_when_cached(
    network: Network, group_klimat, client_for, n: int, django_assert_max_num_queries
) -> None:
    # Half of them held, half upcoming.
    for i in range(n):
        days = i - n // 2
        meeting = MeetingFactory(
            network=network,
            groups=[group_klimat],
            starts_at=at(days, 9),
            ends_at=at(days, 12),
            status=Meeting.Status.HELD if days < 0 else Meeting.Status.PLANNED,
        )
        meeting.speakers.create(name="Anna")
        RegistrationFactory(meeting=meeting)
    client: Client = client_for("network_coordinator")
    # Cold: both tables are read (with who took part in the held meetings) and stored; the
    # database cache takes 5 statements to store one.
    with django_assert_max_num_queries(26):
        page = list_page(client, network)
    assert page.count("Nätverksträff") == n
    # Warm: the ids and change times of the meetings, then one cache read per table.
    with django_assert_max_num_queries(8):
        page = list_page(client, network)
    assert page.count("Nätverksträff") == n


def test_new_registration_shows_at_once(network: Network, client_for) -> None:
    meeting = MeetingFactory(network=network, title="Klimatträff")
    RegistrationFactory(meeting=meeting)
    client = client_for("member")
    assert "1 registered" in list_page(client, network)
    services.registration_register(actor=None, meeting=meeting, person=PersonFactory())
    page = list_page(client, network)
    assert "2 registered" in page
    assert "1 registered<" not in page


def test_cancelled_registration_shows_at_once(network: Network, client_for) -> None:
    meeting = MeetingFactory(network=network)
    RegistrationFactory(meeting=meeting)
    leaving = RegistrationFactory(meeting=meeting)
    client = client_for("member")
    assert "2 registered" in list_page(client, network)
    services.registration_cancel(actor=None, meeting=meeting, person=leaving.person)
    page = list_page(client, network)
    assert "1 registered" in page and "2 registered" not in page


def test_attendance_and_counts_show_at_once(network: Network, client_for) -> None:
    meeting = MeetingFactory(
        network=network, starts_at=at(-3, 9), ends_at=at(-3, 12), status=Meeting.Status.HELD
    )
    registrations = [RegistrationFactory(meeting=meeting) for _ in range(3)]
    day = meeting.days[0]
    client = client_for("network_coordinator")
    # Nobody marked present: the three registered count.
    assert "3 participants" in list_page(client, network)
    services.attendance_save(
        actor=None, meeting=meeting, present=[(registrations[0].person_id, day)]
    )
    assert "1 participant<" in list_page(client, network)
    services.attendance_counts_save(actor=None, meeting=meeting, counts={(day, ""): 40})
    assert "40 participants" in list_page(client, network)


def test_edited_meeting_and_renamed_group_show_at_once(
    network: Network, group_klimat: Group, client_for
) -> None:
    meeting = MeetingFactory(network=network, title="Klimatträff", groups=[group_klimat])
    client = client_for("member")
    page = list_page(client, network)
    assert "Klimatträff" in page and "<td>Klimat</td>" in page
    services.meeting_update(
        actor=None,
        meeting=meeting,
        data=services.MeetingInput(
            title="Energiträff",
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
            groups=[group_klimat],
        ),
    )
    page = list_page(client, network)
    assert "Energiträff" in page and "Klimatträff" not in page
    # A group renamed (in the admin) changes its meetings' rows without touching them.
    group_klimat.name = "Klimat och energi"
    group_klimat.save()
    assert "<td>Klimat och energi</td>" in list_page(client, network)


def test_registration_changed_in_the_admin_shows_at_once(network: Network, client_for) -> None:
    meeting = MeetingFactory(network=network)
    registration = RegistrationFactory(meeting=meeting)
    assert "1 registered" in list_page(client_for("member"), network)
    admin = client_for("admin")
    url = reverse("admin:meetings_registration_delete", args=[registration.pk])
    assert admin.post(url, {"post": "yes"}).status_code == 302
    assert "0 registered" in list_page(client_for("member"), network)


def test_cached_table_never_shows_what_another_user_may_not_see(
    network: Network, client_for
) -> None:
    MeetingFactory(network=network, title="Vårträff")
    MeetingFactory(network=network, title="Inställd höstträff", status=Meeting.Status.CANCELLED)
    # The coordinator, who sees cancelled meetings, fills the cache first.
    assert "Inställd höstträff" in list_page(client_for("network_coordinator"), network)
    page = list_page(client_for("member"), network)
    assert "Vårträff" in page
    assert "Inställd höstträff" not in page


def test_table_follows_the_language(network: Network, client_for) -> None:
    MeetingFactory(network=network, starts_at=at(10, 9), ends_at=at(10, 12))
    client = client_for("member")
    assert "0 registered" in list_page(client, network)
    client.cookies["django_language"] = "sv"
    page = list_page(client, network)
    assert "0 anmälda" in page and "registered" not in page


def test_a_table_reads_only_its_own_networks_meetings(
    network: Network, other_network: Network
) -> None:
    own = MeetingFactory(network=network, title="Egen träff")
    foreign = MeetingFactory(network=other_network, title="Främmande träff")
    table = selectors.MeetingTable(
        [(own.pk, own.changed_at), (foreign.pk, foreign.changed_at)],
        network=network,
        groups=[],
        past=False,
    )
    assert [meeting.title for meeting in table.rows] == ["Egen träff"]
