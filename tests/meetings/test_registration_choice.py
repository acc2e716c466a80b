"""Registration that fits the meeting (issue #11, point 3): on site or digital for a hybrid
meeting, which days for a meeting over several days; both stored, shown to coordinators and
counted in the participation statistics. The capacity counts places on site, per day."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from navet.meetings import selectors, services
from navet.meetings.models import Meeting, Registration
from navet.networks.models import Network
from navet.reports.selectors import annual_report
from tests.factories import PersonFactory
from tests.meetings.factories import MeetingFactory, at

pytestmark = pytest.mark.django_db


def register(meeting: Meeting, **kwargs) -> Registration:
    return services.registration_register(
        actor=None, meeting=meeting, person=PersonFactory(), **kwargs
    )


@pytest.fixture
def two_days(network: Network) -> Meeting:
    return MeetingFactory(network=network, starts_at=at(30, 9), ends_at=at(31, 16))


def test_hybrid_stores_the_choice_and_capacity_counts_only_on_site(network: Network) -> None:
    meeting = MeetingFactory(network=network, format=Meeting.Format.HYBRID, capacity=2)
    first = register(meeting, mode="on_site")
    online = [register(meeting, mode="digital") for _ in range(3)]
    second = register(meeting, mode="on_site")  # capacity exactly met
    third = register(meeting, mode="on_site")
    assert first.mode == second.mode == Registration.Mode.ON_SITE
    assert {r.status for r in online} == {Registration.Status.REGISTERED}
    assert second.status == Registration.Status.REGISTERED
    assert third.status == Registration.Status.WAITING
    summary = selectors.registration_summary(
        meeting=meeting, registrations=selectors.registrations_of(meeting=meeting)
    )
    assert summary.by_mode == {"on_site": 2, "digital": 3}
    assert summary.waiting == 1
    assert summary.capacity_left == {meeting.days[0]: 0}


def test_hybrid_refuses_an_unknown_mode_and_dietary_needs_online(network: Network) -> None:
    meeting = MeetingFactory(network=network, format=Meeting.Format.HYBRID)
    with pytest.raises(ValidationError) as error:
        register(meeting, mode="telepathy")
    assert "mode" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        register(meeting, mode="digital", dietary_needs="vegan")
    assert "dietary_needs" in error.value.message_dict


def test_physical_and_digital_meetings_store_their_own_mode(network: Network) -> None:
    physical = MeetingFactory(network=network)
    digital = MeetingFactory(network=network, format=Meeting.Format.DIGITAL)
    assert register(physical, mode="digital").mode == Registration.Mode.ON_SITE
    assert register(digital).mode == Registration.Mode.DIGITAL


def test_days_first_and_last_and_every_day(two_days: Meeting) -> None:
    first_day, last_day = two_days.days
    first = register(two_days, days=[first_day])
    last = register(two_days, days=[last_day])
    both = register(two_days, days=[first_day, last_day])
    default = register(two_days)
    assert first.chosen_days == [first_day.isoformat()]
    assert last.days_for(two_days) == [last_day]
    assert both.chosen_days == [] and both.days_for(two_days) == [first_day, last_day]
    assert default.days_for(two_days) == [first_day, last_day]


def test_days_must_be_days_of_the_meeting(two_days: Meeting) -> None:
    with pytest.raises(ValidationError) as error:
        register(two_days, days=[])
    assert "days" in error.value.message_dict
    with pytest.raises(ValidationError):
        register(two_days, days=[two_days.days[-1] + datetime.timedelta(days=1)])


def test_capacity_per_day_and_the_waiting_list_promotes_when_the_day_frees(
    two_days: Meeting,
) -> None:
    two_days.capacity = 1
    two_days.save()
    first_day, last_day = two_days.days
    day_one = register(two_days, days=[first_day])
    day_two = register(two_days, days=[last_day])  # the other day still has its place
    both = register(two_days, days=[first_day, last_day])
    assert day_one.status == day_two.status == Registration.Status.REGISTERED
    assert both.status == Registration.Status.WAITING
    services.registration_cancel(actor=None, meeting=two_days, person=day_one.person)
    both.refresh_from_db()
    assert both.status == Registration.Status.WAITING  # the last day is still full
    services.registration_cancel(actor=None, meeting=two_days, person=day_two.person)
    both.refresh_from_db()
    assert both.status == Registration.Status.REGISTERED


def test_participation_from_chosen_days_when_attendance_is_not_marked(
    network: Network,
) -> None:
    meeting = MeetingFactory(
        network=network, format=Meeting.Format.HYBRID, starts_at=at(-3, 9), ends_at=at(-2, 16)
    )
    first_day, last_day = meeting.days
    for mode, days in (("on_site", [first_day]), ("digital", [first_day, last_day])):
        Registration.objects.create(
            meeting=meeting,
            person=PersonFactory(),
            mode=mode,
            chosen_days=[d.isoformat() for d in days] if len(days) == 1 else [],
        )
    assert selectors.participation(meeting).participant_days == 0  # not held: no figure
    services.meeting_mark_held(actor=None, meeting=meeting)
    result = selectors.participation(meeting)
    assert result.from_registrations
    assert result.by_day == {first_day: 2, last_day: 1}
    assert result.persons == 2 and result.participant_days == 3
    assert result.by_mode == {"on_site": 1, "digital": 2}
    report = annual_report(network=network, year=first_day.year)
    if last_day.year == first_day.year:
        assert report.figures.participant_days == 3
        assert report.figures.participants == 2


def test_named_attendance_wins_over_registrations(network: Network) -> None:
    meeting = MeetingFactory(
        network=network, status=Meeting.Status.HELD, starts_at=at(-3, 9), ends_at=at(-3, 16)
    )
    people = [PersonFactory() for _ in range(3)]
    for person in people:
        Registration.objects.create(meeting=meeting, person=person)
    services.attendance_save(actor=None, meeting=meeting, present={(people[0].pk, meeting.days[0])})
    result = selectors.participation(meeting)
    assert not result.from_registrations and result.persons == 1


def test_the_form_asks_mode_and_days_and_the_coordinator_sees_them(
    network: Network, roles, client_for
) -> None:
    meeting = MeetingFactory(
        network=network, format=Meeting.Format.HYBRID, starts_at=at(30, 9), ends_at=at(31, 16)
    )
    member: Client = client_for("member")
    url = reverse("meetings:meeting_detail", args=[network.slug, meeting.pk])
    page = member.get(url).content.decode()
    assert 'name="mode"' in page and 'name="days"' in page
    register_url = reverse("meetings:register", args=[network.slug, meeting.pk])
    refused = member.post(register_url, {"days": [meeting.days[0].isoformat()]})
    assert refused.status_code == 400  # no mode chosen
    response = member.post(register_url, {"mode": "digital", "days": [meeting.days[1].isoformat()]})
    assert response.status_code == 302
    registration = Registration.objects.get(meeting=meeting)
    assert registration.mode == "digital"
    assert registration.chosen_days == [meeting.days[1].isoformat()]
    page = client_for("network_coordinator").get(url).content.decode()
    assert "Registered per day" in page
    assert "Digital" in page


def test_partner_registers_for_a_meeting_of_the_whole_network(
    network: Network, group_fairtrade, roles, client_for
) -> None:
    whole = MeetingFactory(network=network)
    other_group = MeetingFactory(network=network, groups=[group_fairtrade])
    partner: Client = client_for("partner")
    for meeting, expected in ((whole, 302), (other_group, 403)):
        response = partner.post(reverse("meetings:register", args=[network.slug, meeting.pk]))
        assert response.status_code == expected, meeting
    assert Registration.objects.filter(meeting=whole).count() == 1
