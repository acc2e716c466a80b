"""Fixtures for the reports tests: a small but realistic network-year (2022) of "Hållbart Väst".

``report_year`` builds, in the ``network`` fixture:

* members on 31 December 2022: Alingsås (since 2009), Partille (2022-09-01), Bollebygd
  (2022-10-01) and Bengtsfors via "Dalslands miljö- och energiförbund"; Ale ended 2022-06-30;
* held meetings: "Medborgardialog" (Klimat, 2022-04-07, three named persons, evaluated with
  answers 5, 5, 6, 5, 5 → 5,2), "Sotenäs Symbioscentrum" (Klimat, 18–19 May, counted 24 + 22,
  evaluation entered as aggregates 5,6 / 5,5, n 20), "Fairtradedagarna" (Fairtrade, 5–6 October,
  named: Anna at both days, Lena on the first, Erik of Länsstyrelsen on the second → 3 persons,
  4 participant-days, "2 + 2") and "Årsmöte"
  (no group, 1 December, counted 30); a cancelled Klimat meeting in November and a 2021 meeting;
* the member survey 2021 (5,6, 40 respondents) and 2022 (5,2 and 4,6, 53 respondents), both
  aggregates; one quote in the report and one left out.
"""

import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from navet.evaluations.models import Answer, Question, Questionnaire, Quote, Response
from navet.meetings.models import Attendance, AttendanceCount, Meeting, Speaker
from navet.networks.models import Network, Organisation
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    county_board,
    organisation,
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")
YEAR = 2022


def at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=STOCKHOLM)


def make_meeting(
    network: Network,
    title: str,
    first: datetime.date,
    last: datetime.date | None = None,
    *,
    groups: tuple[Any, ...] = (),
    status: str = Meeting.Status.HELD,
    **fields: Any,
) -> Meeting:
    meeting = Meeting.objects.create(
        network=network,
        title=title,
        starts_at=at(first),
        ends_at=at(last or first, 16),
        status=status,
        **fields,
    )
    meeting.groups.set(groups)
    return meeting


def add_counts(meeting: Meeting, *counts: int) -> None:
    for day, count in zip(meeting.days, counts, strict=True):
        AttendanceCount.objects.create(meeting=meeting, day=day, count=count)


def add_aggregate_evaluation(
    meeting: Meeting, n: int, satisfaction: str, usefulness: str | None = None
) -> None:
    questionnaire = Questionnaire.objects.create(
        network=meeting.network,
        kind=Questionnaire.Kind.EVALUATION,
        title=f"Utvärdering {meeting.title}",
        meeting=meeting,
        aggregates_only=True,
        respondents=n,
    )
    Question.objects.create(
        questionnaire=questionnaire,
        order=1,
        key="satisfaction",
        text="Hur nöjd är du med träffen?",
        aggregate_n=n,
        aggregate_mean=Decimal(satisfaction),
    )
    if usefulness is not None:
        Question.objects.create(
            questionnaire=questionnaire,
            order=2,
            key="usefulness",
            text="Hur användbar var träffen?",
            aggregate_n=n,
            aggregate_mean=Decimal(usefulness),
        )


def add_answered_evaluation(meeting: Meeting, values: list[int]) -> None:
    questionnaire = Questionnaire.objects.create(
        network=meeting.network,
        kind=Questionnaire.Kind.EVALUATION,
        title=f"Utvärdering {meeting.title}",
        meeting=meeting,
    )
    question = Question.objects.create(
        questionnaire=questionnaire, order=1, key="satisfaction", text="Hur nöjd är du?"
    )
    for value in values:
        response = Response.objects.create(
            questionnaire=questionnaire, submitted_on=meeting.days[0]
        )
        Answer.objects.create(response=response, question=question, value=value)


def add_survey(
    network: Network, year: int, respondents: int, means: dict[str, str]
) -> Questionnaire:
    survey = Questionnaire.objects.create(
        network=network,
        kind=Questionnaire.Kind.SURVEY,
        title=f"Medlemsenkät {year}",
        survey_year=year,
        aggregates_only=True,
        respondents=respondents,
    )
    texts = {
        "satisfaction": "Hur nöjd är du med samordningen?",
        "usefulness": "Har nätverket stärkt dig i din roll?",
    }
    for order, (key, mean) in enumerate(means.items()):
        Question.objects.create(
            questionnaire=survey,
            order=order,
            key=key,
            text=texts[key],
            aggregate_n=respondents,
            aggregate_mean=Decimal(mean),
        )
    return survey


def build_year(network: Network, *, extra_meetings: int = 0) -> dict[str, Any]:
    klimat = network.groups.get(slug="klimat")
    fairtrade = network.groups.get(slug="fairtrade")
    dalsland = OrganisationFactory(name="Dalslands miljö- och energiförbund")
    since_2009 = datetime.date(2009, 1, 1)
    for code, start, end, via in (
        ("1489", since_2009, None, None),  # Alingsås
        ("1402", datetime.date(2022, 9, 1), None, None),  # Partille
        ("1443", datetime.date(2022, 10, 1), None, None),  # Bollebygd
        ("1460", since_2009, None, dalsland),  # Bengtsfors
        ("1440", since_2009, datetime.date(2022, 6, 30), None),  # Ale, ended
    ):
        MembershipFactory(
            network=network,
            organisation=organisation(code),
            start_date=start,
            end_date=end,
            via=via,
        )

    anna = PersonFactory(first_name="Anna", last_name="Wallin", organisation=organisation("1490"))
    lena = PersonFactory(first_name="Lena", last_name="Holm", organisation=organisation("1489"))
    sara = PersonFactory(first_name="Sara", last_name="Nyberg", organisation=organisation("1402"))
    erik = PersonFactory(first_name="Erik", last_name="Björk", organisation=county_board("14"))

    dialog = make_meeting(
        network,
        "Medborgardialog",
        datetime.date(2022, 4, 7),
        groups=(klimat,),
        kind_label="Nätverksträff",
        location="Mölnlycke",
        description="Hur skapar och förvaltar vi dialogen med kommuninvånarna?",
    )
    Speaker.objects.create(meeting=dialog, name="Lisa Bomble", organisation_name="Högskolan Väst")
    for person in (anna, lena, sara):
        Attendance.objects.create(meeting=dialog, person=person, day=dialog.days[0])
    add_answered_evaluation(dialog, [5, 5, 6, 5, 5])

    sotenas = make_meeting(
        network,
        "Sotenäs Symbioscentrum",
        datetime.date(2022, 5, 18),
        datetime.date(2022, 5, 19),
        groups=(klimat,),
        kind_label="Tvådagarsträff",
        location="Kungshamn",
    )
    add_counts(sotenas, 24, 22)
    add_aggregate_evaluation(sotenas, 20, "5.6", "5.5")

    fairtrade_days = make_meeting(
        network,
        "Fairtradedagarna",
        datetime.date(2022, 10, 5),
        datetime.date(2022, 10, 6),
        groups=(fairtrade,),
        kind_label="Nätverksträff",
    )
    Attendance.objects.create(meeting=fairtrade_days, person=anna, day=fairtrade_days.days[0])
    Attendance.objects.create(meeting=fairtrade_days, person=anna, day=fairtrade_days.days[1])
    Attendance.objects.create(meeting=fairtrade_days, person=lena, day=fairtrade_days.days[0])
    Attendance.objects.create(meeting=fairtrade_days, person=erik, day=fairtrade_days.days[1])

    annual_meeting = make_meeting(network, "Årsmöte", datetime.date(2022, 12, 1))
    add_counts(annual_meeting, 30)

    cancelled = make_meeting(
        network,
        "Inställd träff",
        datetime.date(2022, 11, 10),
        groups=(klimat,),
        status=Meeting.Status.CANCELLED,
    )
    last_year = make_meeting(network, "Fjolårets träff", datetime.date(2021, 11, 10))
    add_counts(last_year, 99)

    for number in range(extra_meetings):
        extra = make_meeting(
            network,
            f"Extra möte {number}",
            datetime.date(2022, 1 + number % 12, 1 + number % 27),
            groups=(klimat, fairtrade),
        )
        Speaker.objects.create(meeting=extra, person=anna)
        Speaker.objects.create(meeting=extra, name=f"Talare {number}")
        Attendance.objects.create(meeting=extra, person=sara, day=extra.days[0])
        add_counts(extra, 10) if number % 2 else add_aggregate_evaluation(extra, 5, "4.0")

    add_survey(network, 2021, 40, {"satisfaction": "5.6", "usefulness": "4.8"})
    add_survey(network, 2022, 53, {"satisfaction": "5.2", "usefulness": "4.6"})
    Quote.objects.create(
        network=network,
        year=YEAR,
        text="Största nyttan är att träffas och diskutera med kollegor.",
        source="Ur utvärderingen för 2022",
    )
    Quote.objects.create(network=network, year=YEAR, text="Inte med", in_report=False)
    return {
        "dialog": dialog,
        "sotenas": sotenas,
        "fairtrade_days": fairtrade_days,
        "annual_meeting": annual_meeting,
        "cancelled": cancelled,
        "last_year": last_year,
        "dalsland": dalsland,
        "county_board": Organisation.objects.get(pk=erik.organisation_id),
    }


@pytest.fixture
def report_year(network: Network) -> dict[str, Any]:
    return build_year(network)
