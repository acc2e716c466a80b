"""Reads for the annual plan and the annual report.

The figures come from the meetings and evaluations selectors; this module only puts them
together. ``annual_report`` runs a fixed number of queries whatever the size of the year, so
the web page, the PDF and the DOCX can all be built from one call.
"""

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from navet.core.charts import Chart, bar_figure, line_figure
from navet.core.collation import by_name, swedish_key
from navet.evaluations.models import Quote
from navet.evaluations.selectors import (
    QuestionResult,
    evaluation_results_by_meeting,
    format_mean,
    quotes_for_report,
    survey_trend,
)
from navet.meetings.models import Attendance, Meeting, PlannedActivity
from navet.meetings.selectors import Participation, meetings_in_year, participation_by_meeting
from navet.networks.models import Group, Membership, Network, Organisation
from navet.networks.selectors import membership_list

# The evaluation questions the report shows per meeting, by their stable key.
SATISFACTION = "satisfaction"
USEFULNESS = "usefulness"
VIA_MARKERS = ("*", "**", "***", "†", "‡")


def local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


# --- Years with data ---------------------------------------------------------------------------


def plan_years(*, network: Network) -> list[int]:
    """Years with planned activities or meetings, newest first, and the current year."""
    years = set(
        PlannedActivity.objects.filter(network=network).values_list("year", flat=True).distinct()
    )
    years |= {d.year for d in Meeting.objects.filter(network=network).dates("starts_at", "year")}
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


def report_years(*, network: Network) -> list[int]:
    """Years with held meetings, newest first (a report of a year without them is empty)."""
    held = Meeting.objects.filter(network=network, status=Meeting.Status.HELD)
    return sorted({d.year for d in held.dates("starts_at", "year")}, reverse=True)


def latest_year(years: Iterable[int], *, fallback: int | None = None) -> int:
    """The latest of ``years`` that is not in the future; else the earliest future one; else
    ``fallback`` (this year by default)."""
    this_year = timezone.localdate().year
    years = sorted(set(years))
    past = [year for year in years if year <= this_year]
    if past:
        return past[-1]
    if years:
        return years[0]
    return this_year if fallback is None else fallback


def plan_year_with_data(*, network: Network) -> int:
    years = set(plan_years(network=network)) - {timezone.localdate().year}
    this_year = timezone.localdate().year
    has_this_year = (
        PlannedActivity.objects.filter(network=network, year=this_year).exists()
        or Meeting.objects.filter(network=network, starts_at__year=this_year).exists()
    )
    return this_year if has_this_year else latest_year(years)


# --- The annual plan -------------------------------------------------------------------------


class Outcome(models.TextChoices):
    HELD = "held", gettext_lazy("held")
    MOVED = "moved", gettext_lazy("moved")
    CANCELLED = "cancelled", gettext_lazy("cancelled")
    NOT_HELD_YET = "not_held_yet", gettext_lazy("not held yet")
    NOT_HELD = "not_held", gettext_lazy("not held")


@dataclass(frozen=True)
class ActivityOutcome:
    activity: PlannedActivity
    outcome: Outcome
    # A cancelled meeting's title is for the network's coordinators only.
    show_cancelled_title: bool = False

    @property
    def meeting(self) -> Meeting | None:
        """The linked meeting as the reader may see it: None for a cancelled meeting unless
        the reader coordinates the network (others see only that it was cancelled)."""
        if self.outcome == Outcome.CANCELLED and not self.show_cancelled_title:
            return None
        return self.activity.meeting

    @property
    def meeting_hidden(self) -> bool:
        return self.activity.meeting is not None and self.meeting is None

    @property
    def outcome_label(self) -> str:
        return str(self.outcome.label)

    @property
    def planned_when(self) -> str:
        activity = self.activity
        if activity.planned_date is not None:
            return date_format(activity.planned_date, "SHORT_DATE_FORMAT")
        if activity.planned_month:
            return date_format(
                datetime.date(activity.year, activity.planned_month, 1), "YEAR_MONTH_FORMAT"
            )
        return str(activity.year)


@dataclass(frozen=True)
class PlanOutcome:
    year: int
    activities: list[ActivityOutcome]
    unplanned: list[Meeting]

    def count(self, outcome: str) -> int:
        return sum(1 for item in self.activities if item.outcome == outcome)

    @property
    def counts(self) -> list[tuple[str, int]]:
        """(label, number) for every outcome that occurs, in the order of ``Outcome``."""
        return [
            (str(outcome.label), self.count(outcome)) for outcome in Outcome if self.count(outcome)
        ]


def planned_month(activity: PlannedActivity) -> int | None:
    if activity.planned_date is not None:
        return activity.planned_date.month
    return activity.planned_month


def _planned_last_day(activity: PlannedActivity) -> datetime.date:
    """The last day on which the activity could still be held as planned."""
    if activity.planned_date is not None:
        return activity.planned_date
    if activity.planned_month:
        last = calendar.monthrange(activity.year, activity.planned_month)[1]
        return datetime.date(activity.year, activity.planned_month, last)
    return datetime.date(activity.year, 12, 31)


def activity_outcome(activity: PlannedActivity, today: datetime.date) -> Outcome:
    """The rule of plan versus outcome.

    * cancelled: the linked meeting was cancelled;
    * held: the linked meeting was held in the planned month (a planned date counts by its
      month), or in the planned year when neither date nor month was planned;
    * moved: the linked meeting was held, but in another month;
    * not held yet: no held meeting yet, and the planned date or month has not passed (or the
      linked meeting is still only planned);
    * not held: no meeting, and the planned date or month has passed.
    """
    meeting = activity.meeting
    if meeting is not None:
        if meeting.status == Meeting.Status.CANCELLED:
            return Outcome.CANCELLED
        if meeting.status == Meeting.Status.HELD:
            day = local_day(meeting.starts_at)
            month = planned_month(activity)
            same_year = day.year == activity.year
            if same_year and (month is None or day.month == month):
                return Outcome.HELD
            return Outcome.MOVED
        return Outcome.NOT_HELD_YET
    if _planned_last_day(activity) < today:
        return Outcome.NOT_HELD
    return Outcome.NOT_HELD_YET


def planned_activities(*, network: Network, year: int) -> list[PlannedActivity]:
    """The plan in calendar order: by month, dated items before month-only items, then theme."""
    activities = PlannedActivity.objects.filter(network=network, year=year).select_related(
        "group", "meeting"
    )
    return sorted(
        activities,
        key=lambda a: (
            planned_month(a) or 13,
            a.planned_date or datetime.date(year, 12, 31),
            a.planned_date is None,
            a.pk,
        ),
    )


def plan_outcome(
    *, network: Network, year: int, show_cancelled_titles: bool = False
) -> PlanOutcome:
    """Each planned activity with its outcome, and the held meetings nobody planned.
    ``show_cancelled_titles``: the reader coordinates the network (see ``ActivityOutcome``)."""
    today = timezone.localdate()
    activities = planned_activities(network=network, year=year)
    unplanned = list(
        meetings_in_year(network=network, year=year)
        .filter(status=Meeting.Status.HELD, planned_activity__isnull=True)
        .prefetch_related(None)  # the list needs groups, not speakers
        .prefetch_related("groups")
        .order_by("starts_at")
    )
    return PlanOutcome(
        year=year,
        activities=[
            ActivityOutcome(a, activity_outcome(a, today), show_cancelled_titles)
            for a in activities
        ],
        unplanned=unplanned,
    )


# --- The annual report -----------------------------------------------------------------------


@dataclass(frozen=True)
class KeyFigures:
    meetings: int
    meeting_days: int
    participants: int
    participant_days: int
    named_persons: int | None
    members_at_year_end: int
    participating_municipalities: int | None
    new_members: list[Membership]
    # Participant-days on site and digital, where it is known (registrations of hybrid and
    # digital meetings, named attendance); empty when every figure is a count.
    by_mode: dict[str, int] = field(default_factory=dict)
    # Participant-days from registrations' chosen days (held meetings without attendance).
    from_registrations: int = 0


@dataclass(frozen=True)
class MeetingRow:
    meeting: Meeting
    speakers: list[str]
    participants: int | None
    per_day: str
    from_counts: bool
    satisfaction: QuestionResult | None
    usefulness: QuestionResult | None
    by_kind: dict[str, int] = field(default_factory=dict)
    by_mode: dict[str, int] = field(default_factory=dict)

    @property
    def evaluated(self) -> bool:
        return self.satisfaction is not None or self.usefulness is not None

    @property
    def breakdown_text(self) -> str:
        """Participant-days per kind of organisation, e.g. "kommun 40, region 2"."""
        labels = dict(Organisation.Kind.choices)
        parts = [f"{labels.get(kind, kind)} {count}" for kind, count in self.by_kind.items()]
        if self.by_mode.get("digital"):
            parts.append(
                _("on site %(on_site)d, digital %(digital)d")
                % {"on_site": self.by_mode.get("on_site", 0), "digital": self.by_mode["digital"]}
            )
        return ", ".join(parts)

    @property
    def day(self) -> datetime.date:
        return local_day(self.meeting.starts_at)

    @property
    def last_day(self) -> datetime.date:
        return local_day(self.meeting.ends_at)

    @property
    def dates(self) -> str:
        first, last = self.day, self.last_day
        if first == last:
            return date_format(first, "SHORT_DATE_FORMAT")
        return (
            f"{date_format(first, 'SHORT_DATE_FORMAT')} – {date_format(last, 'SHORT_DATE_FORMAT')}"
        )

    @property
    def kind(self) -> str:
        return self.meeting.kind_label or str(self.meeting.get_format_display()).capitalize()

    @property
    def participants_text(self) -> str:
        if self.participants is None:
            return "–"
        if self.per_day:
            return f"{self.participants} ({self.per_day})"
        return str(self.participants)

    @property
    def satisfaction_text(self) -> str:
        return format_mean(self.satisfaction.mean) if self.satisfaction else "–"

    @property
    def usefulness_text(self) -> str:
        return format_mean(self.usefulness.mean) if self.usefulness else "–"

    @property
    def evaluation_n(self) -> int | None:
        results = [r for r in (self.satisfaction, self.usefulness) if r is not None]
        return max((r.n for r in results), default=0) or None

    @property
    def aggregates_only(self) -> bool:
        return any(r.aggregates_only for r in (self.satisfaction, self.usefulness) if r)


@dataclass(frozen=True)
class GroupSection:
    group: Group | None
    rows: list[MeetingRow]

    @property
    def name(self) -> str:
        return self.group.name if self.group else _("The whole network")

    @property
    def any_evaluated(self) -> bool:
        return any(row.evaluated for row in self.rows)

    @property
    def not_evaluated(self) -> int:
        return sum(1 for row in self.rows if not row.evaluated)


@dataclass(frozen=True)
class MemberRow:
    membership: Membership
    marker: str


@dataclass(frozen=True)
class SurveyRow:
    year: int
    respondents: int | None
    means: list[str]


@dataclass(frozen=True)
class AnnualReport:
    network: Network
    year: int
    figures: KeyFigures
    groups: list[GroupSection]
    quotes: list[Quote]
    survey_questions: dict[str, str]
    survey_rows: list[SurveyRow]
    members: list[MemberRow]
    via_notes: list[tuple[str, Organisation]]
    plan: PlanOutcome
    participants_chart: str
    survey_chart: str
    chart_rows: list[MeetingRow] = field(default_factory=list)
    # The same charts as figures, for the DOCX's PNGs.
    participants_figure: Chart | None = None
    survey_figure: Chart | None = None

    @property
    def members_date(self) -> datetime.date:
        """The day the member list is taken on: 31 December of the year."""
        return datetime.date(self.year, 12, 31)

    @property
    def any_evaluated(self) -> bool:
        return any(row.evaluated for section in self.groups for row in section.rows)

    @property
    def any_aggregates(self) -> bool:
        return any(row.aggregates_only for section in self.groups for row in section.rows)

    @property
    def survey_by_question(self) -> list[tuple[str, list[str]]]:
        """The survey table turned around: one row per question, one column per year."""
        return [
            (text, [row.means[index] for row in self.survey_rows])
            for index, text in enumerate(self.survey_questions.values())
        ]

    @property
    def any_per_day(self) -> bool:
        return any(row.per_day for section in self.groups for row in section.rows)


def _meeting_row(
    meeting: Meeting, participation: Participation | None, results: list[QuestionResult]
) -> MeetingRow:
    speakers = []
    for speaker in meeting.speakers.all():
        organisation = speaker.organisation_name or (
            speaker.person.organisation.name if speaker.person else ""
        )
        speakers.append(", ".join(part for part in (speaker.display_name, organisation) if part))
    participants: int | None = None
    per_day = ""
    from_counts = False
    if participation is not None and participation.participant_days:
        from_counts = participation.from_counts
        participants = (
            participation.persons
            if participation.persons is not None
            else participation.largest_day
        )
        if len(meeting.days) > 1:
            per_day = " + ".join(str(participation.by_day.get(d, 0)) for d in meeting.days)
    by_key = {result.key: result for result in results}
    return MeetingRow(
        meeting=meeting,
        speakers=speakers,
        participants=participants,
        per_day=per_day,
        from_counts=from_counts,
        satisfaction=by_key.get(SATISFACTION),
        usefulness=by_key.get(USEFULNESS),
        by_kind=participation.by_kind if participation else {},
        by_mode=participation.by_mode if participation else {},
    )


def _group_sections(groups: Iterable[Group], rows: list[MeetingRow]) -> list[GroupSection]:
    by_group: dict[int | None, list[MeetingRow]] = {}
    for row in rows:
        meeting_groups: list[Group | None] = list(row.meeting.groups.all())
        for group in meeting_groups or [None]:
            by_group.setdefault(group.pk if group else None, []).append(row)
    sections = [GroupSection(group, by_group.get(group.pk, [])) for group in groups]
    if None in by_group:
        sections.append(GroupSection(None, by_group[None]))
    return sections


def _legend(text: str, length: int = 80) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _chart_label(row: MeetingRow) -> str:
    # Digits only (no month names), short enough to leave room for the title.
    return f"{row.day.day}/{row.day.month} {row.meeting.title}"


def annual_report(
    *, network: Network, year: int, show_cancelled_titles: bool = False
) -> AnnualReport:
    """Everything the annual report shows for the network and year, in a fixed number of
    queries. ``show_cancelled_titles``: the reader coordinates the network."""
    year_end = datetime.date(year, 12, 31)
    meetings = list(
        meetings_in_year(network=network, year=year)
        .filter(status=Meeting.Status.HELD)
        .order_by("starts_at", "pk")
    )
    participation = participation_by_meeting(meetings)
    results = evaluation_results_by_meeting(meetings)
    rows = [
        _meeting_row(meeting, participation.get(meeting.pk), results.get(meeting.pk, []))
        for meeting in meetings
    ]

    attendees = set(
        Attendance.objects.filter(meeting__in=[m.pk for m in meetings]).values_list(
            "person_id", "person__organisation_id", "person__organisation__kind"
        )
    )
    municipalities = {
        org_id for _person, org_id, kind in attendees if kind == Organisation.Kind.MUNICIPALITY
    }

    memberships = list(membership_list(network=network))
    at_year_end = [m for m in memberships if m.is_active_on(year_end)]
    vias = sorted({m.via for m in at_year_end if m.via is not None}, key=by_name)
    markers = {
        via.pk: VIA_MARKERS[i] if i < len(VIA_MARKERS) else f"({i + 1})"
        for i, via in enumerate(vias)
    }
    members = [MemberRow(m, markers[m.via_id] if m.via_id else "") for m in at_year_end]
    new_members = sorted(
        (m for m in memberships if m.start_date.year == year),
        key=lambda m: (m.start_date, swedish_key(m.organisation.name)),
    )

    figures = KeyFigures(
        meetings=len(meetings),
        meeting_days=sum(len(m.days) for m in meetings),
        participants=sum(row.participants or 0 for row in rows),
        participant_days=sum(p.participant_days for p in participation.values()),
        named_persons=len({person for person, _org, _kind in attendees}) if attendees else None,
        members_at_year_end=len(at_year_end),
        participating_municipalities=len(municipalities) if attendees else None,
        new_members=new_members,
        by_mode={
            mode: sum(p.by_mode.get(mode, 0) for p in participation.values())
            for mode in ("on_site", "digital")
            if any(p.by_mode.get("digital") for p in participation.values())
        },
        from_registrations=sum(
            p.participant_days for p in participation.values() if p.from_registrations
        ),
    )

    survey_years, survey_questions = survey_trend(network=network, until_year=year)
    keys = list(survey_questions)
    survey_rows = [
        SurveyRow(
            year=item.year,
            respondents=item.respondents,
            means=[format_mean(item.means.get(key)) for key in keys],
        )
        for item in survey_years
    ]
    survey_figure = participants_figure = None
    if survey_years:
        survey_figure = line_figure(
            [str(item.year) for item in survey_years],
            {survey_questions[key]: [item.means.get(key) for item in survey_years] for key in keys},
            title=_("Annual member survey over the years"),
            description=_("Mean answer on a scale from 1 to 6, per question and year."),
            minimum=1,
            maximum=6,
            x_title=_("Survey year"),
            y_title=_("Mean (1–6)"),
        )
    if rows:
        participants_figure = bar_figure(
            [_chart_label(row) for row in rows],
            [row.participants for row in rows],
            title=_("Participants per meeting %(year)s") % {"year": year},
            description=_("Participants per meeting held, in date order."),
            y_title=_("Participants"),
        )

    return AnnualReport(
        network=network,
        year=year,
        figures=figures,
        groups=_group_sections(network.groups.order_by("name"), rows),
        quotes=list(quotes_for_report(network=network, year=year)),
        survey_questions=survey_questions,
        survey_rows=survey_rows,
        members=members,
        via_notes=[(markers[via.pk], via) for via in vias],
        plan=plan_outcome(network=network, year=year, show_cancelled_titles=show_cancelled_titles),
        participants_chart=participants_figure.svg() if participants_figure else "",
        survey_chart=survey_figure.svg() if survey_figure else "",
        chart_rows=rows,
        participants_figure=participants_figure,
        survey_figure=survey_figure,
    )
