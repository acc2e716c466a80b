"""Reads for budgets and status reports: budget against outcome, and a report's figures.

``budget_overview`` gives every line of a year with planned, outcome and deviation (kr and
%), the fee income from the fee list, and the totals, in a fixed number of queries.
``report_figures`` gathers what a status report is pre-filled with for a period: meetings held
with participants and participant-days (each meeting counted once, from
``participation_by_meeting``), hours logged against allocation (``hours_summary``), spending
against budget, new members and contact-person changes.
"""

import datetime
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum
from django.utils import timezone

from navet.budget.models import BudgetLine, LedgerImport, OutcomeEntry, StatusReport
from navet.budget.periods import Period, period_of, periods_of_year
from navet.core.collation import swedish_key
from navet.fees.selectors import fee_total
from navet.hours.selectors import hours_summary
from navet.meetings.models import Attendance, Meeting
from navet.meetings.selectors import participation_by_meeting
from navet.networks.models import Group, GroupMembership, Membership, Network
from navet.networks.selectors import contact_turnover

ZERO = Decimal(0)
HUNDRED = Decimal(100)


def deviation_percent(planned: Decimal, outcome: Decimal) -> Decimal | None:
    """(outcome − planned) ÷ planned × 100, one decimal; None when nothing was planned."""
    if not planned:
        return None
    return ((outcome - planned) / planned * HUNDRED).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class LineRow:
    line: BudgetLine | None  # None: the fee income without a budget line of its own
    name: str
    planned: Decimal | None
    outcome: Decimal
    from_fee_list: bool = False

    @property
    def deviation(self) -> Decimal | None:
        return None if self.planned is None else self.outcome - self.planned

    @property
    def deviation_percent(self) -> Decimal | None:
        return None if self.planned is None else deviation_percent(self.planned, self.outcome)


@dataclass(frozen=True)
class Totals:
    planned: Decimal
    outcome: Decimal

    @property
    def deviation(self) -> Decimal:
        return self.outcome - self.planned

    @property
    def deviation_percent(self) -> Decimal | None:
        return deviation_percent(self.planned, self.outcome)


def _totals(rows: list[LineRow]) -> Totals:
    return Totals(
        planned=sum((row.planned or ZERO for row in rows), ZERO),
        outcome=sum((row.outcome for row in rows), ZERO),
    )


@dataclass(frozen=True)
class BudgetOverview:
    network: Network
    year: int
    costs: list[LineRow]
    incomes: list[LineRow]
    fee_income: Decimal
    cost_totals: Totals
    income_totals: Totals
    imports: list[LedgerImport]

    @property
    def result_planned(self) -> Decimal:
        return self.income_totals.planned - self.cost_totals.planned

    @property
    def result_outcome(self) -> Decimal:
        return self.income_totals.outcome - self.cost_totals.outcome


def budget_lines(*, network: Network, year: int) -> QuerySet[BudgetLine]:
    return BudgetLine.objects.filter(network=network, year=year).select_related("group")


def budget_years(*, network: Network) -> list[int]:
    return sorted(
        set(BudgetLine.objects.filter(network=network).values_list("year", flat=True)),
        reverse=True,
    )


def outcome_by_line(
    lines: list[BudgetLine], *, start: datetime.date | None = None, end: datetime.date | None = None
) -> dict[int, Decimal]:
    entries = OutcomeEntry.objects.filter(line__in=[line.pk for line in lines])
    if start is not None:
        entries = entries.filter(date__gte=start)
    if end is not None:
        entries = entries.filter(date__lte=end)
    sums = entries.values("line_id").annotate(total=Sum("amount")).values_list("line_id", "total")
    return {line_id: Decimal(total or 0) for line_id, total in sums}


def _sorted(lines: list[BudgetLine]) -> list[BudgetLine]:
    order = list(BudgetLine.Category.values)
    return sorted(lines, key=lambda line: (order.index(line.category), swedish_key(line.name)))


def budget_overview(*, network: Network, year: int) -> BudgetOverview:
    """Planned against outcome per line and in total. The fee income is the fee list's total:
    the outcome of an income line of category "member fees", or a line of its own."""
    lines = _sorted(list(budget_lines(network=network, year=year)))
    outcome = outcome_by_line(lines)
    fees = fee_total(network=network, year=year)
    costs = [
        LineRow(line, line.name, line.planned, outcome.get(line.pk, ZERO))
        for line in lines
        if line.kind == BudgetLine.Kind.COST
    ]
    incomes: list[LineRow] = []
    fee_line_seen = False
    for line in lines:
        if line.kind != BudgetLine.Kind.INCOME:
            continue
        if line.category == BudgetLine.Category.FEES and not fee_line_seen:
            fee_line_seen = True
            amount = fees + outcome.get(line.pk, ZERO)
            incomes.append(LineRow(line, line.name, line.planned, amount, from_fee_list=True))
        else:
            incomes.append(LineRow(line, line.name, line.planned, outcome.get(line.pk, ZERO)))
    if not fee_line_seen and fees:
        incomes.insert(0, LineRow(None, "", None, fees, from_fee_list=True))
    return BudgetOverview(
        network=network,
        year=year,
        costs=costs,
        incomes=incomes,
        fee_income=fees,
        cost_totals=_totals(costs),
        income_totals=_totals(incomes),
        imports=list(
            LedgerImport.objects.filter(network=network, year=year).select_related("imported_by")
        ),
    )


def line_entries(*, line: BudgetLine) -> QuerySet[OutcomeEntry]:
    return line.entries.select_related("ledger_import").order_by("date", "pk")


# Status reports -----------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingFigure:
    date: datetime.date
    title: str
    participants: int
    participant_days: int


@dataclass(frozen=True)
class PersonHoursFigure:
    name: str
    planned: Decimal
    logged: Decimal

    @property
    def difference(self) -> Decimal:
        return self.logged - self.planned


@dataclass(frozen=True)
class BudgetFigure:
    name: str
    planned: Decimal  # for the year
    outcome_period: Decimal
    outcome_to_date: Decimal  # from 1 January to the end of the period

    @property
    def remaining(self) -> Decimal:
        return self.planned - self.outcome_to_date


@dataclass(frozen=True)
class MemberFigure:
    name: str
    date: datetime.date


@dataclass(frozen=True)
class ContactFigure:
    organisation: str
    previous: str
    current: str
    date: datetime.date


@dataclass(frozen=True)
class ReportFigures:
    meetings: list[MeetingFigure] = field(default_factory=list)
    participants: int = 0
    participant_days: int = 0
    named_persons: int | None = None
    hours_planned: Decimal = ZERO
    hours_logged: Decimal = ZERO
    hours_by_person: list[PersonHoursFigure] = field(default_factory=list)
    budget: list[BudgetFigure] = field(default_factory=list)
    new_members: list[MemberFigure] = field(default_factory=list)
    contact_changes: list[ContactFigure] = field(default_factory=list)

    @property
    def meetings_held(self) -> int:
        return len(self.meetings)

    @property
    def hours_difference(self) -> Decimal:
        return self.hours_logged - self.hours_planned

    @property
    def budget_planned(self) -> Decimal:
        return sum((row.planned for row in self.budget), ZERO)

    @property
    def budget_outcome_period(self) -> Decimal:
        return sum((row.outcome_period for row in self.budget), ZERO)

    @property
    def budget_outcome_to_date(self) -> Decimal:
        return sum((row.outcome_to_date for row in self.budget), ZERO)

    @property
    def budget_remaining(self) -> Decimal:
        return self.budget_planned - self.budget_outcome_to_date

    def to_json(self) -> dict[str, Any]:
        def plain(value: Any) -> Any:
            if isinstance(value, Decimal):
                return str(value)
            if isinstance(value, datetime.date):
                return value.isoformat()
            if isinstance(value, dict):
                return {key: plain(item) for key, item in value.items()}
            if isinstance(value, list):
                return [plain(item) for item in value]
            return value

        result: dict[str, Any] = plain(asdict(self))
        return result

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "ReportFigures":
        day = datetime.date.fromisoformat
        return cls(
            meetings=[
                MeetingFigure(day(m["date"]), m["title"], m["participants"], m["participant_days"])
                for m in data.get("meetings", [])
            ],
            participants=data.get("participants", 0),
            participant_days=data.get("participant_days", 0),
            named_persons=data.get("named_persons"),
            hours_planned=Decimal(data.get("hours_planned", "0")),
            hours_logged=Decimal(data.get("hours_logged", "0")),
            hours_by_person=[
                PersonHoursFigure(p["name"], Decimal(p["planned"]), Decimal(p["logged"]))
                for p in data.get("hours_by_person", [])
            ],
            budget=[
                BudgetFigure(
                    b["name"],
                    Decimal(b["planned"]),
                    Decimal(b["outcome_period"]),
                    Decimal(b["outcome_to_date"]),
                )
                for b in data.get("budget", [])
            ],
            new_members=[
                MemberFigure(m["name"], day(m["date"])) for m in data.get("new_members", [])
            ],
            contact_changes=[
                ContactFigure(c["organisation"], c["previous"], c["current"], day(c["date"]))
                for c in data.get("contact_changes", [])
            ],
        )


def _meetings_held(network: Network, group: Group | None, period: Period) -> list[Meeting]:
    meetings = Meeting.objects.filter(network=network, status=Meeting.Status.HELD)
    if group is not None:
        meetings = meetings.filter(groups=group)
    # The period is in local days; a meeting belongs to the day it starts (Stockholm time).
    tz = timezone.get_current_timezone()
    after = datetime.datetime.combine(period.start, datetime.time.min, tzinfo=tz)
    before = datetime.datetime.combine(
        period.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
    )
    return list(
        meetings.filter(starts_at__gte=after, starts_at__lt=before)
        .distinct()
        .order_by("starts_at", "pk")
    )


def _budget_figures(network: Network, group: Group | None, period: Period) -> list[BudgetFigure]:
    lines = budget_lines(network=network, year=period.start.year).filter(kind=BudgetLine.Kind.COST)
    if group is not None:
        lines = lines.filter(group=group)
    ordered = _sorted(list(lines))
    in_period = outcome_by_line(ordered, start=period.start, end=period.end)
    to_date = outcome_by_line(ordered, start=period.start.replace(month=1, day=1), end=period.end)
    return [
        BudgetFigure(
            line.name, line.planned, in_period.get(line.pk, ZERO), to_date.get(line.pk, ZERO)
        )
        for line in ordered
    ]


def _new_members(network: Network, group: Group | None, period: Period) -> list[MemberFigure]:
    if group is None:
        members = Membership.objects.filter(
            network=network, start_date__gte=period.start, start_date__lte=period.end
        ).select_related("organisation")
        found = [MemberFigure(m.organisation.name, m.start_date) for m in members]
    else:
        # A cluster's new members: organisations whose people first joined it in the period.
        first: dict[int, tuple[datetime.date, str]] = {}
        for start, org_id, name in (
            GroupMembership.objects.filter(group=group, role=GroupMembership.Role.PARTICIPANT)
            .order_by("start_date")
            .values_list("start_date", "person__organisation_id", "person__organisation__name")
        ):
            first.setdefault(org_id, (start, name))
        found = [
            MemberFigure(name, start) for start, name in first.values() if period.contains(start)
        ]
    return sorted(found, key=lambda m: (m.date, swedish_key(m.name)))


def report_figures(*, network: Network, group: Group | None, period: Period) -> ReportFigures:
    meetings = _meetings_held(network, group, period)
    participation = participation_by_meeting(meetings)
    rows = [
        MeetingFigure(
            timezone.localtime(meeting.starts_at).date(),
            meeting.title,
            participation[meeting.pk].participants,
            participation[meeting.pk].participant_days,
        )
        for meeting in meetings
    ]
    named = set(
        Attendance.objects.filter(meeting__in=[m.pk for m in meetings]).values_list(
            "person_id", flat=True
        )
    )
    any_counts = any(participation[m.pk].from_counts for m in meetings)
    hours = hours_summary(network=network, start=period.start, end=period.end, group=group)
    changes = contact_turnover(network=network, start=period.start, end=period.end)
    if group is not None:
        changes = [c for c in changes if c.group is not None and c.group.pk == group.pk]
    return ReportFigures(
        meetings=rows,
        participants=sum(row.participants for row in rows),
        participant_days=sum(row.participant_days for row in rows),
        named_persons=None if any_counts or not named else len(named),
        hours_planned=hours.planned.quantize(Decimal("0.01")),
        hours_logged=hours.logged.quantize(Decimal("0.01")),
        hours_by_person=[
            PersonHoursFigure(
                str(row.person),
                row.planned.quantize(Decimal("0.01")),
                row.logged.quantize(Decimal("0.01")),
            )
            for row in hours.by_person
        ],
        budget=_budget_figures(network, group, period),
        new_members=_new_members(network, group, period),
        contact_changes=[
            ContactFigure(
                change.organisation.name,
                str(change.previous.person) if change.previous else "",
                str(change.current.person),
                change.current.start_date,
            )
            for change in changes
        ],
    )


def figures_of(report: StatusReport) -> ReportFigures:
    """A sent report's frozen figures; a draft's as they are today."""
    if report.is_sent and report.figures:
        return ReportFigures.from_json(report.figures)
    return report_figures(
        network=report.network,
        group=report.group,
        period=period_of(report.kind, report.period_start),
    )


@dataclass(frozen=True)
class PeriodRow:
    period: Period
    report: StatusReport | None
    state: str  # "sent", "draft", "missing", "current", "future"


def report_periods(
    *,
    network: Network,
    group: Group | None,
    kind: str,
    year: int,
    today: datetime.date | None = None,
) -> list[PeriodRow]:
    """Each period of the year with its report, and whether a sent report is missing: a
    period that has ended without a sent report is "missing"."""
    today = today or timezone.localdate()
    reports = StatusReport.objects.filter(
        network=network, kind=kind, period_start__year=year, group=group
    )
    by_start = {report.period_start: report for report in reports}
    rows = []
    for period in periods_of_year(kind, year):
        report = by_start.get(period.start)
        if report is not None and report.is_sent:
            state = "sent"
        elif period.end < today:
            state = "missing"
        elif period.start <= today:
            state = "current"
        else:
            state = "future"
        if report is not None and not report.is_sent and state != "missing":
            state = "draft"
        rows.append(PeriodRow(period, report, state))
    return rows


def report_years(*, network: Network) -> list[int]:
    return sorted(
        {
            d.year
            for d in StatusReport.objects.filter(network=network).values_list(
                "period_start", flat=True
            )
        }
        | {timezone.localdate().year},
        reverse=True,
    )


def count_by_state(rows: list[PeriodRow]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[row.state] += 1
    return dict(counts)
