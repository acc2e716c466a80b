"""Regression tests for the defects of issue #11 in meetings: attendance counts added the total
to its breakdown (42 became 84), past meetings showed "Anmälda 0", "Mark as held" was offered
before the meeting started, and dates mixed languages."""

import datetime
import re

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from navet.meetings import selectors, services
from navet.meetings.forms import AttendanceCountsForm
from navet.meetings.models import AttendanceCount, Meeting, Registration
from navet.networks.models import Network
from tests.factories import PersonFactory
from tests.meetings.factories import MeetingFactory, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(network: Network) -> Meeting:
    return MeetingFactory(
        network=network, status=Meeting.Status.HELD, starts_at=at(-7, 9), ends_at=at(-7, 12)
    )


def test_a_total_beside_its_breakdown_is_not_added(held: Meeting) -> None:
    day = held.days[0]
    AttendanceCount.objects.create(meeting=held, day=day, organisation_kind="", count=42)
    AttendanceCount.objects.create(
        meeting=held, day=day, organisation_kind="municipality", count=40
    )
    AttendanceCount.objects.create(meeting=held, day=day, organisation_kind="region", count=2)
    result = selectors.participation(held)
    assert result.by_day == {day: 42}  # not 84
    assert result.by_kind == {"municipality": 40, "region": 2}


def test_the_service_refuses_a_total_and_a_breakdown(held: Meeting) -> None:
    day = held.days[0]
    with pytest.raises(ValidationError):
        services.attendance_counts_save(
            actor=None, meeting=held, counts={(day, ""): 42, (day, "municipality"): 42}
        )
    services.attendance_counts_save(
        actor=None, meeting=held, counts={(day, ""): None, (day, "municipality"): 42}
    )
    assert selectors.participation(held).participant_days == 42


def test_the_form_refuses_both(held: Meeting) -> None:
    day = held.days[0]
    name = AttendanceCountsForm.field_name
    form = AttendanceCountsForm(
        {name(day, ""): "42", name(day, "municipality"): "42"}, days=held.days
    )
    assert not form.is_valid()
    assert "not both" in form.errors[name(day, "")][0]
    alone = AttendanceCountsForm({name(day, ""): "42"}, days=held.days)
    assert alone.is_valid()


def test_the_meeting_page_shows_the_breakdown(held: Meeting, client_for) -> None:
    day = held.days[0]
    AttendanceCount.objects.create(
        meeting=held, day=day, organisation_kind="municipality", count=40
    )
    AttendanceCount.objects.create(meeting=held, day=day, organisation_kind="region", count=2)
    url = reverse("meetings:meeting_detail", args=[held.network.slug, held.pk])
    page = client_for("anonymous").get(url).content.decode()
    assert "42 took part" in page
    assert "Participant-days by kind of organisation" in page
    assert "<td>40</td>" in page


def test_past_held_meetings_show_participants_not_registrations(held: Meeting, client_for) -> None:
    AttendanceCount.objects.create(meeting=held, day=held.days[0], count=42)
    url = reverse("meetings:meeting_list", args=[held.network.slug])
    page = client_for("member").get(url).content.decode()
    assert "42 participants" in page
    assert "0 registered" not in page


def test_mark_as_held_is_offered_only_once_started(network: Network, client_for) -> None:
    future = MeetingFactory(network=network, starts_at=at(3, 9), ends_at=at(3, 12))
    started = MeetingFactory(network=network, starts_at=at(-1, 9), ends_at=at(-1, 12))
    client = client_for("network_coordinator")
    for meeting, offered in ((future, False), (started, True)):
        url = reverse("meetings:meeting_detail", args=[network.slug, meeting.pk])
        page = client.get(url).content.decode()
        assert ("Mark as held" in page) is offered
    with pytest.raises(ValidationError):
        services.meeting_mark_held(actor=None, meeting=future)


@pytest.mark.parametrize(
    ("language", "expected", "foreign"),
    [("sv", "mars", ["Mar ", "March", "Thu"]), ("en", "March", ["mars", "tors"])],
)
def test_dates_in_one_language(
    network: Network, client_for, settings, language: str, expected: str, foreign: list[str]
) -> None:
    settings.LANGUAGE_CODE = language
    start = datetime.datetime(2022, 3, 10, 9, tzinfo=datetime.UTC)
    meeting = MeetingFactory(
        network=network,
        starts_at=start,
        ends_at=start + datetime.timedelta(days=1),
        status=Meeting.Status.HELD,
    )
    Registration.objects.create(meeting=meeting, person=PersonFactory())
    client = client_for("network_coordinator")
    with translation.override(language):
        urls = [
            reverse("meetings:meeting_detail", args=[network.slug, meeting.pk]),
            reverse("meetings:attendance", args=[network.slug, meeting.pk]),
            reverse("meetings:meeting_list", args=[network.slug]) + "?year=2022",
        ]
    for url in urls:
        client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
        page = client.get(url, headers={"accept-language": language}).content.decode()
        assert f'lang="{language}"' in page
        assert expected in page, url
        for word in foreign:
            assert not re.search(rf"\b{word.strip()}\b", page), (url, word)
