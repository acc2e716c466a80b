"""The demo network's year 2022: meetings, participants, evaluations, survey, quotes and plan.

Sources
-------
Everything comes from ``data/kommunnatverket-2022.json`` (see ``data/README.md``). That file
holds structured facts from the 2022 annual report of Kommunnätverket för hållbar utveckling
(Energikontor Väst). Nothing here is invented, with these exceptions, which are stated openly:

* **Times of day.** The report gives dates only. Physical meetings are stored as 09:30–15:30
  and digital ones as 09:00–11:30, Stockholm time. A two-day meeting runs from 09:30 on the
  first day to 15:30 on the last day.
* **Speakers.** The report names speakers only inside the meeting descriptions, so no Speaker
  rows are created. The descriptions keep the report's text as it stands.
* **Survey wording by year.** The report quotes the first survey question as it was worded in
  2022 ("… under 2022?"). For 2019–2021 the year in that question is replaced with the survey's
  own year. The questions are tied across years by their keys, not by their text.
* **Annual plan.** The report has no plan. The plan has one activity for each held meeting
  (month and theme), so plan against outcome shows every activity held. Nothing else is
  planned.

Meeting evaluations exist only as means. The report gives no numbers of respondents, so
``aggregate_n`` is null. Naturvårdsgruppen's evaluations report satisfaction only ("hur nöjd är
du med mötet"), and for those meetings the usefulness question is left out. A question with a
null mean would claim that the question was asked and got no answers, which the source does
not say. The report gives the means to two decimals (e.g. 5.75). Each mean is stored rounded
half up to the decimal places of ``Question.aggregate_mean``, which is one decimal place today
(5.75 becomes 5.8).

Computed figures versus the report's own totals
-----------------------------------------------
The report states "22 nätverksträffar" and "över 730 deltagare". The meetings it lists add up
to different figures. The annual report in Navet shows the computed ones:

========================================  ============  =========  ==============  =====
                                          Miljöstrategi  Naturvård  Rättvis handel  Total
========================================  ============  =========  ==============  =====
Meetings listed                                      8          9               4     21
Meeting-days (two 2-day meetings)                    9         10               4     23
Participant-days (each day counted)                281        363              35    679
Participants, each meeting once (larger day)       259        339              35    633
========================================  ============  =========  ==============  =====

Neither 21 meetings nor 23 meeting-days matches 22. The highest possible participant sum,
679, is 51 or more below "över 730". The two-day meetings are Kungshamn, 18–19 May (24 and 22
participants), and Falköping, 1–2 June (24 and 27). Every participant count is stored as one
total per meeting-day (an ``AttendanceCount`` with an empty ``organisation_kind``), so the sum
of all counts is 679.

Every write is a plain ORM ``get_or_create``, so loading again creates nothing new. The caller
(``load_demo``) runs it inside its transaction.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from navet.evaluations.models import Question, Questionnaire, Quote
from navet.meetings.models import AttendanceCount, Meeting, PlannedActivity
from navet.networks.models import Group, Network

YEAR = 2022
STOCKHOLM = ZoneInfo("Europe/Stockholm")
# (start, end) of a meeting day when the source gives no times.
TIMES = {
    Meeting.Format.PHYSICAL: (datetime.time(9, 30), datetime.time(15, 30)),
    Meeting.Format.DIGITAL: (datetime.time(9, 0), datetime.time(11, 30)),
}

SATISFACTION = ("satisfaction", "Hur nöjd är du med träffen?")
USEFULNESS = ("usefulness", "Kommer träffen att vara till nytta för dig i ditt arbete?")

SURVEY_TITLE = "Årlig uppföljningsenkät {year}"
# The annual survey's questions in the report's order: a stable key, and a word in the text
# that identifies the question (a check that the JSON still has them in this order).
SURVEY_KEYS = (
    ("coordination", "samordningen"),
    ("role", "tjänsteroll"),
    ("exchange", "utbyte"),
    ("collaboration", "samverkan"),
)


class Year2022DataError(Exception):
    """The 2022 data do not fit the demo network, e.g. an unknown group key."""


def load_year_2022(network: Network, data: dict[str, Any]) -> None:
    """Load the 2022 facts of ``data`` (the parsed JSON) into ``network``. Safe to run again."""
    groups = {group.slug: group for group in Group.objects.filter(network=network)}
    for row in data["meetings"]:
        group = _group(groups, row["group"])
        meeting = _meeting(network, group, row)
        _attendance(meeting, row)
        _evaluation(network, meeting, row)
        PlannedActivity.objects.get_or_create(
            meeting=meeting,
            defaults={
                "network": network,
                "group": group,
                "year": YEAR,
                "planned_month": meeting.starts_at.astimezone(STOCKHOLM).month,
                "theme": meeting.title,
            },
        )
    _survey(network, data["annual_survey"])
    for row in data["quotes"]:
        Quote.objects.get_or_create(
            network=network,
            year=YEAR,
            text=row["text"],
            defaults={
                "group": None if row["group"] is None else _group(groups, row["group"]),
                "source": row["source"],
                "in_report": True,
            },
        )


def _group(groups: dict[str, Group], key: str) -> Group:
    try:
        return groups[key]
    except KeyError:
        raise Year2022DataError(f"The demo network has no group {key!r}.") from None


def _days(row: dict[str, Any]) -> list[datetime.date]:
    first = datetime.date.fromisoformat(row["date"])
    last = datetime.date.fromisoformat(row["end_date"]) if row["end_date"] else first
    if last < first or first.year != YEAR:
        raise Year2022DataError(f"Bad dates for {row['title']!r}.")
    return [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]


def _meeting(network: Network, group: Group, row: dict[str, Any]) -> Meeting:
    days = _days(row)
    meeting_format = Meeting.Format(row["format"])
    start_time, end_time = TIMES[meeting_format]
    # A few topics in the source are written in lower case; as titles they start with a capital.
    title = row["title"][:1].upper() + row["title"][1:]
    meeting, _created = Meeting.objects.get_or_create(
        network=network,
        title__iexact=title,  # a data folder loaded before the capitals still matches
        starts_at=datetime.datetime.combine(days[0], start_time, tzinfo=STOCKHOLM),
        defaults={
            "title": title,
            "ends_at": datetime.datetime.combine(days[-1], end_time, tzinfo=STOCKHOLM),
            "kind_label": row["kind_label"],
            "description": row["description"],
            "format": meeting_format,
            "location": row["location"] or "",
            "status": Meeting.Status.HELD,
            "participants_note": row["participants_from"] or "",
        },
    )
    meeting.groups.add(group)
    return meeting


def _attendance(meeting: Meeting, row: dict[str, Any]) -> None:
    """One total per meeting-day: a list gives a count for each day, a number the only day."""
    days = _days(row)
    counts = row["participants"] if isinstance(row["participants"], list) else [row["participants"]]
    if len(counts) != len(days):
        raise Year2022DataError(f"{row['title']!r}: {len(counts)} counts for {len(days)} days.")
    for day, count in zip(days, counts, strict=True):
        AttendanceCount.objects.get_or_create(
            meeting=meeting, day=day, organisation_kind="", defaults={"count": count}
        )


def _mean(value: float) -> Decimal:
    """The report's mean, rounded half up to what ``Question.aggregate_mean`` can hold."""
    places = Question._meta.get_field("aggregate_mean").decimal_places
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _evaluation(network: Network, meeting: Meeting, row: dict[str, Any]) -> None:
    results = [
        (key, text, row[key])
        for key, text in (SATISFACTION, USEFULNESS)
        if row.get(key) is not None
    ]
    if not results:
        return
    questionnaire, _created = Questionnaire.objects.get_or_create(
        meeting=meeting,
        defaults={
            "network": network,
            "kind": Questionnaire.Kind.EVALUATION,
            "title": f"Utvärdering: {meeting.title}",
            "aggregates_only": True,
        },
    )
    for order, (key, text, mean) in enumerate(results):
        Question.objects.get_or_create(
            questionnaire=questionnaire,
            key=key,
            defaults={"order": order, "text": text, "aggregate_mean": _mean(mean)},
        )


def _survey(network: Network, survey: dict[str, Any]) -> None:
    questions = survey["questions"]
    if len(questions) != len(SURVEY_KEYS) or any(
        word not in question["text"]
        for (_key, word), question in zip(SURVEY_KEYS, questions, strict=True)
    ):
        raise Year2022DataError("The annual survey's questions are not the four expected.")
    for year_text, respondents in sorted(survey["respondents"].items()):
        year = int(year_text)
        questionnaire, _created = Questionnaire.objects.get_or_create(
            network=network,
            kind=Questionnaire.Kind.SURVEY,
            survey_year=year,
            defaults={
                "title": SURVEY_TITLE.format(year=year),
                "aggregates_only": True,
                "respondents": respondents,
            },
        )
        for order, ((key, _word), question) in enumerate(zip(SURVEY_KEYS, questions, strict=True)):
            mean = question["results"].get(year_text)
            if mean is None:
                continue
            Question.objects.get_or_create(
                questionnaire=questionnaire,
                key=key,
                defaults={
                    "order": order,
                    # The report quotes the 2022 wording; each year asked about its own year.
                    "text": question["text"].replace(str(YEAR), str(year)),
                    "aggregate_mean": _mean(mean),
                },
            )
