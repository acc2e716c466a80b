"""Shared helpers for the evaluation tests: meetings are created directly (the meetings app's
services are another helper's), and answers go through the evaluation services."""

import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from navet.evaluations import services
from navet.evaluations.models import Invitation, Questionnaire
from navet.meetings.models import Attendance, Meeting, Registration
from navet.networks.models import Network, Person
from tests.factories import PersonFactory

STOCKHOLM = ZoneInfo("Europe/Stockholm")
MEETING_START = datetime.datetime(2024, 5, 14, 9, 0, tzinfo=STOCKHOLM)


def make_meeting(
    network: Network,
    *,
    title: str = "Nätverksträff om klimatanpassning",
    status: str = Meeting.Status.HELD,
    start: datetime.datetime = MEETING_START,
) -> Meeting:
    starts_at = start
    return Meeting.objects.create(
        network=network,
        title=title,
        status=status,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=3),
    )


def attend(meeting: Meeting, count: int, **person_kwargs: Any) -> list[Person]:
    people = [PersonFactory(**person_kwargs) for _ in range(count)]
    day = timezone.localtime(meeting.starts_at).date()
    Attendance.objects.bulk_create(Attendance(meeting=meeting, person=p, day=day) for p in people)
    return people


def register(meeting: Meeting, count: int, **kwargs: Any) -> list[Person]:
    people = [PersonFactory() for _ in range(count)]
    for person in people:
        Registration.objects.create(meeting=meeting, person=person, **kwargs)
    return people


def opened_evaluation(network: Network, actor: Any, attendees: int = 3) -> Questionnaire:
    meeting = make_meeting(network)
    attend(meeting, attendees)
    return services.evaluation_open(actor=actor, meeting=meeting)


def answer_all(questionnaire: Questionnaire, values: list[int], text: str = "") -> None:
    """Answer through the first unused links: every scale question gets the same value."""
    invitations = list(questionnaire.invitations.filter(used_at__isnull=True)[: len(values)])
    assert len(invitations) == len(values)
    questions = list(questionnaire.questions.all())
    for invitation, value in zip(invitations, values, strict=True):
        services.answer_submit(
            token=invitation.token,
            answers={q.pk: value if q.kind == "scale" else text for q in questions},
        )


def token_of(questionnaire: Questionnaire) -> str:
    invitation = Invitation.objects.filter(
        questionnaire=questionnaire, used_at__isnull=True
    ).first()
    assert invitation is not None
    return invitation.token
