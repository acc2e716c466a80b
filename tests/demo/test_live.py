"""The demo is alive on the day it is loaded: meetings to come, one held last week with an
evaluation medlem@ is asked to answer, and something on every demo login's start page."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from navet.accounts.models import User
from navet.demo.loader import (
    ADMIN_EMAIL,
    COORDINATOR_EMAIL,
    GROUP_COORDINATOR_EMAIL,
    MEMBER_EMAIL,
    PARTNER_EMAIL,
    load_demo,
)
from navet.documents.models import Document
from navet.documents.permissions import can_view_document
from navet.evaluations.models import Invitation
from navet.home.selectors import start_page
from navet.meetings.models import Meeting, Registration
from navet.meetings.services import registration_open_error
from navet.networks.models import Network


@pytest.fixture
def network(db: None) -> Network:
    assert load_demo() is True
    return Network.objects.get(slug="kommunnatverket")


def test_every_group_and_the_whole_network_meet_in_the_coming_three_months(
    network: Network,
) -> None:
    now = timezone.now()
    upcoming = Meeting.objects.filter(
        network=network, starts_at__gt=now, starts_at__lte=now + datetime.timedelta(days=92)
    )
    for group in network.groups.all():
        assert upcoming.filter(groups=group).exists(), group
    assert upcoming.filter(groups__isnull=True).exists()
    for meeting in upcoming:
        assert meeting.registration_deadline is not None
        assert meeting.registration_deadline < meeting.starts_at
        assert registration_open_error(meeting) == "", meeting
    assert all(m.starts_at.astimezone(datetime.UTC).weekday() < 5 for m in upcoming)


def test_a_meeting_held_last_week_has_an_evaluation_medlem_is_asked_to_answer(
    network: Network,
) -> None:
    today = timezone.localdate()
    held = Meeting.objects.get(network=network, title="Klimatanpassning i den fysiska planeringen")
    assert held.status == Meeting.Status.HELD
    assert today - datetime.timedelta(days=11) <= timezone.localdate(held.starts_at) < today
    assert held.attendances.filter(person__user__email=MEMBER_EMAIL).exists()
    invitation = Invitation.objects.get(
        questionnaire=held.evaluation, person__user__email=MEMBER_EMAIL
    )
    assert invitation.used_at is None and held.evaluation.opened_at is not None
    assert held.evaluation.responses.count() > 0


def test_the_fairtrade_meeting_is_full_and_has_a_waiting_list(network: Network) -> None:
    meeting = Meeting.objects.get(network=network, title="Etiska krav i upphandlingen")
    registered = meeting.registrations.filter(status=Registration.Status.REGISTERED).count()
    assert registered == meeting.capacity
    assert meeting.registrations.filter(status=Registration.Status.WAITING).exists()


@pytest.mark.parametrize(
    "email", [ADMIN_EMAIL, COORDINATOR_EMAIL, GROUP_COORDINATOR_EMAIL, MEMBER_EMAIL, PARTNER_EMAIL]
)
def test_every_demo_login_has_something_on_the_start_page(network: Network, email: str) -> None:
    page = start_page(user=User.objects.get(email=email))
    assert page.networks and page.upcoming
    if email == MEMBER_EMAIL:
        assert page.upcoming[0].needs_answer  # her group's next meeting, not registered
        assert any(item.registration_status == "registered" for item in page.upcoming)
        assert [i.questionnaire.meeting.title for i in page.evaluations] == [
            "Klimatanpassning i den fysiska planeringen"
        ]
        assert page.participation is not None
        assert page.participation.this_year.people >= 1
        assert page.participation.last_year.meetings >= 1
        assert page.targets
    if email in (ADMIN_EMAIL, COORDINATOR_EMAIL, GROUP_COORDINATOR_EMAIL):
        assert page.todos is not None and page.todos.without_minutes.total
    if email in (ADMIN_EMAIL, COORDINATOR_EMAIL):
        assert page.todos is not None
        assert page.todos.without_evaluation.total and page.todos.waiting.total
    if email == PARTNER_EMAIL:
        assert any(
            group.slug == "naturvard"
            for item in page.upcoming
            for group in item.meeting.groups.all()
        )
        assert page.news


def test_last_autumns_minutes_are_an_archive_document_for_the_members_only(
    network: Network,
) -> None:
    autumn = Meeting.objects.get(network=network, title="Klimatlöften och uppföljning")
    minutes = Document.objects.get(meeting=autumn)
    assert minutes.category == Document.Category.MINUTES
    assert minutes.visibility == Document.Visibility.MEMBERS
    assert (minutes.network, minutes.group) == (network, autumn.groups.get())
    assert minutes.year == timezone.localdate(autumn.starts_at).year
    assert minutes.is_link
    assert can_view_document(User.objects.get(email=MEMBER_EMAIL), minutes)
    assert not can_view_document(AnonymousUser(), minutes)
