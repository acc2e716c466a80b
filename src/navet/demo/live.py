"""The demo network's coming months, relative to the day the demo is loaded.

The 2022 history (``year2022.py``) is what happened; this module makes the demo alive on the
day it is loaded, so that every demo login's start page shows something real:

* a meeting of Miljöstrategigruppen held last week, with named attendance (medlem@ among
  them) and an evaluation opened: everyone who came has a personal answer link, a few have
  answered, medlem@ has not; no minutes yet (a coordinator's to-do);
* a digital meeting of Naturvårdsgruppen held three weeks ago, partner@ among those who came,
  with neither minutes nor an evaluation (to-dos for the network's and the group's
  coordinators);
* one meeting held in the autumn of last year, with minutes and an evaluation, so that an
  organisation's participation has a year to compare with;
* in the coming three months a meeting of each group and one for the whole network, with
  registration open until a deadline; the Fairtrade meeting is full and has a waiting list.

Everything here is invented, as the demo's people are. Dates move off weekends; times are
Stockholm time. Like the 2022 records, the rows are written directly (no emails are sent) and
only when the demo is first loaded. Uthållig kommun ended in 2011 and gets no meetings.
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone

from navet.documents.models import Document
from navet.evaluations.models import Answer, Invitation, Question, Questionnaire, Response
from navet.evaluations.services import template_get_or_create
from navet.meetings.models import Attendance, Meeting, Registration
from navet.networks.models import Group, GroupMembership, Network, Person
from navet.networks.selectors import active_on

STOCKHOLM = ZoneInfo("Europe/Stockholm")
DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Plan:
    group: str  # a group's slug, or "" for the whole network
    title: str
    kind_label: str
    format: str
    location: str
    days_from_today: int
    deadline_days_before: int = 7
    capacity: int | None = None
    description: str = ""


UPCOMING = (
    Plan(
        "miljostrategi",
        "Energiplanering och effektbrist i kommunen",
        "Digitalt nätverksmöte",
        Meeting.Format.DIGITAL,
        "",
        16,
        deadline_days_before=3,
        description="Hur kommunerna planerar för effekt och energi, och vad Länsstyrelsen ser.",
    ),
    Plan(
        "naturvard",
        "Våtmarker och grön infrastruktur",
        "Nätverksträff",
        Meeting.Format.PHYSICAL,
        "Lerum",
        31,
        deadline_days_before=10,
        description="Exkursion till en återskapad våtmark och erfarenheter av LONA-projekt.",
    ),
    Plan(
        "rattvis-handel",
        "Etiska krav i upphandlingen",
        "Nätverksträff",
        Meeting.Format.PHYSICAL,
        "Trollhättan",
        45,
        capacity=10,
        description="Uppföljning av sociala och etiska krav i avtal.",
    ),
    Plan(
        "",
        "Nätverksträff för hela nätverket: Agenda 2030 i styrningen",
        "Nätverksträff",
        Meeting.Format.HYBRID,
        "Göteborg",
        68,
        deadline_days_before=14,
        description="Alla grupper samlas: hur kommunerna styr med Agenda 2030 och Klimat 2030.",
    ),
    Plan(
        "miljostrategi",
        "Cirkulär ekonomi i kommunens verksamheter",
        "Nätverksträff",
        Meeting.Format.PHYSICAL,
        "Skövde",
        85,
        deadline_days_before=14,
    ),
)
TIMES: dict[str, tuple[datetime.time, datetime.time]] = {
    Meeting.Format.PHYSICAL: (datetime.time(9, 30), datetime.time(15, 30)),
    Meeting.Format.HYBRID: (datetime.time(9, 30), datetime.time(15, 30)),
    Meeting.Format.DIGITAL: (datetime.time(9, 0), datetime.time(11, 30)),
}


def _weekday(day: datetime.date, step: int = 1) -> datetime.date:
    """The day itself, or the nearest Tuesday–Thursday in ``step``'s direction."""
    while day.weekday() not in (1, 2, 3):
        day += step * DAY
    return day


def _moment(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(day, time, tzinfo=STOCKHOLM)


def _meeting(network: Network, plan: Plan, day: datetime.date, status: str) -> Meeting:
    start, end = TIMES[plan.format]
    meeting = Meeting.objects.create(
        network=network,
        title=plan.title,
        kind_label=plan.kind_label,
        description=plan.description,
        format=plan.format,
        location=plan.location,
        meeting_link="https://meet.example/navet-demo" if plan.format != "physical" else "",
        starts_at=_moment(day, start),
        ends_at=_moment(day, end),
        status=status,
        capacity=plan.capacity,
        registration_deadline=_moment(day - plan.deadline_days_before * DAY, datetime.time(23, 59)),
    )
    if plan.group:
        meeting.groups.add(Group.objects.get(network=network, slug=plan.group))
    return meeting


def _participants(network: Network, slug: str, today: datetime.date) -> list[Person]:
    """The group's participants and guests today, by name, those with an account first."""
    people = Person.objects.filter(
        pk__in=GroupMembership.objects.filter(
            active_on(today), group__network=network, group__slug=slug
        ).values("person_id")
    ).select_related("organisation")
    return sorted(people, key=lambda p: (p.user_id is None, p.last_name, p.first_name))


def _register(meeting: Meeting, people: list[Person], status: str, when: datetime.datetime) -> None:
    Registration.objects.bulk_create(
        Registration(
            meeting=meeting,
            person=person,
            status=status,
            registered_at=when + n * datetime.timedelta(minutes=7),
        )
        for n, person in enumerate(people)
    )


def _attend(meeting: Meeting, people: list[Person]) -> None:
    _register(meeting, people, Registration.Status.REGISTERED, meeting.starts_at - 20 * DAY)
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, person=person, day=day)
        for person in people
        for day in meeting.days
    )


def _evaluation(
    network: Network, meeting: Meeting, people: list[Person], answered: list[Person]
) -> Questionnaire:
    """Open the meeting's evaluation from the network's template, a link for each attendee;
    ``answered`` have used theirs (their answers, anonymous, are 5s and 6s)."""
    template = template_get_or_create(actor=None, network=network)
    opened = meeting.ends_at + datetime.timedelta(hours=2)
    evaluation = Questionnaire.objects.create(
        network=network,
        kind=Questionnaire.Kind.EVALUATION,
        title=meeting.title,
        meeting=meeting,
        opened_at=opened,
    )
    questions = Question.objects.bulk_create(
        Question(questionnaire=evaluation, order=q.order, text=q.text, kind=q.kind, key=q.key)
        for q in template.questions.all()
    )
    Invitation.objects.bulk_create(
        Invitation(
            questionnaire=evaluation,
            person=person,
            sent_at=opened,
            used_at=opened + DAY if person in answered else None,
        )
        for person in people
        if person.email
    )
    for n, _person in enumerate(answered):
        response = Response.objects.create(
            questionnaire=evaluation, submitted_on=timezone.localtime(meeting.ends_at).date() + DAY
        )
        Answer.objects.bulk_create(
            Answer(
                response=response,
                question=question,
                value=(6 if (n + question.order) % 3 else 5) if question.kind == "scale" else None,
                text="" if question.kind == "scale" else TAKEAWAYS[n % len(TAKEAWAYS)],
            )
            for question in questions
        )
    return evaluation


TAKEAWAYS = (
    "Bra att höra hur andra kommuner organiserar arbetet.",
    "Konkreta exempel som jag kan ta med till vår förvaltning.",
    "",
)


def load_live(network: Network, *, today: datetime.date | None = None) -> None:
    """The network's last weeks and coming three months, relative to ``today``."""
    today = today or timezone.localdate()
    now = timezone.now()
    strategists = _participants(network, "miljostrategi", today)
    ecologists = _participants(network, "naturvard", today)
    fair_trade = _participants(network, "rattvis-handel", today)
    coordinator = network.coordinators.order_by("pk").first()
    member = Person.objects.filter(user__email="medlem@navet.example").first()

    # Held last week: attendance, an open evaluation, no minutes yet.
    last_week = _meeting(
        network,
        Plan(
            "miljostrategi",
            "Klimatanpassning i den fysiska planeringen",
            "Nätverksträff",
            Meeting.Format.PHYSICAL,
            "Borås",
            0,
            description="Skyfallskartering, översiktsplanen och samarbetet med räddningstjänsten.",
        ),
        _weekday(today - 7 * DAY, -1),
        Meeting.Status.HELD,
    )
    came = strategists[:16] + ([coordinator] if coordinator else [])
    _attend(last_week, came)
    answered = [p for p in came if p.user_id is None][:6]
    _evaluation(network, last_week, came, answered)

    # Held three weeks ago, digital: neither minutes nor an evaluation.
    three_weeks = _meeting(
        network,
        Plan(
            "naturvard",
            "Åtgärdsprogram för hotade arter",
            "Digitalt nätverksmöte",
            Meeting.Format.DIGITAL,
            "",
            0,
            description="Länsstyrelsen berättar om arbetet med åtgärdsprogrammen.",
        ),
        _weekday(today - 20 * DAY, -1),
        Meeting.Status.HELD,
    )
    _attend(three_weeks, ecologists[:14])

    # Last autumn, for a year to compare with: minutes and an evaluation, nothing to do.
    autumn = _meeting(
        network,
        Plan(
            "miljostrategi",
            "Klimatlöften och uppföljning",
            "Nätverksträff",
            Meeting.Format.PHYSICAL,
            "Vänersborg",
            0,
        ),
        _weekday(datetime.date(today.year - 1, 10, 14)),
        Meeting.Status.HELD,
    )
    _attend(autumn, strategists[:12])
    # The minutes are an archive document of the meeting: for the network's members only.
    Document.objects.create(
        network=network,
        group=autumn.groups.get(),
        meeting=autumn,
        title="Minnesanteckningar",
        category=Document.Category.MINUTES,
        visibility=Document.Visibility.MEMBERS,
        year=autumn.starts_at.year,
        url="https://example.org/navet-demo/minnesanteckningar",
        created_at=autumn.ends_at + DAY,
    )
    evaluation = _evaluation(network, autumn, strategists[:12], strategists[:12])
    evaluation.closed_at = autumn.ends_at + 14 * DAY
    evaluation.save(update_fields=["closed_at"])

    # The coming three months: registration open until the deadline.
    for plan in UPCOMING:
        meeting = _meeting(
            network, plan, _weekday(today + plan.days_from_today * DAY), Meeting.Status.PLANNED
        )
        signed_up = {
            "miljostrategi": [p for p in strategists if p != member][2:9],
            "naturvard": [p for p in ecologists if p.user_id is None][:6],
            "rattvis-handel": fair_trade,
            "": strategists[:4] + ecologists[:3],
        }[plan.group]
        if plan.capacity is not None:
            _register(meeting, signed_up[: plan.capacity], Registration.Status.REGISTERED, now)
            _register(meeting, signed_up[plan.capacity :], Registration.Status.WAITING, now + DAY)
            continue
        _register(meeting, [p for p in signed_up if p != member], "registered", now - 2 * DAY)
        if plan.group == "" and member is not None:
            # medlem@ has signed up for the network meeting, not yet for her group's next one.
            Registration.objects.get_or_create(
                meeting=meeting, person=member, defaults={"registered_at": now - DAY}
            )
