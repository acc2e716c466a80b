"""Status reports: periods and their edges, the pre-filled figures, locking once sent, the
list of sent and missing periods, and the PDF and DOCX."""

import datetime
import io
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import docx
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from navet.budget import docx_export, selectors, services
from navet.budget.models import BudgetLine, OutcomeEntry, StatusReport
from navet.budget.periods import MONTH, QUARTER, YEAR, period_of, periods_of_year
from navet.hours.models import Allocation, LoggedHours
from navet.meetings.models import Attendance, AttendanceCount, Meeting
from navet.networks.models import ContactAssignment, Group, Network, Person
from tests.factories import ContactAssignmentFactory, MembershipFactory, PersonFactory, organisation
from tests.pdf import pdf_text

TZ = ZoneInfo("Europe/Stockholm")


def _at(year: int, month: int, day: int, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=TZ)


def _meeting(network: Network, title: str, start: datetime.datetime, group: Group | None = None,
             status: str = Meeting.Status.HELD) -> Meeting:  # fmt: skip
    meeting = Meeting.objects.create(
        network=network, title=title, starts_at=start, ends_at=start + datetime.timedelta(hours=3),
        status=status,
    )  # fmt: skip
    if group is not None:
        meeting.groups.add(group)
    return meeting


def test_period_edges() -> None:
    assert period_of(MONTH, datetime.date(2026, 2, 14)).end == datetime.date(2026, 2, 28)
    assert period_of(MONTH, datetime.date(2024, 2, 29)).end == datetime.date(2024, 2, 29)
    december = period_of(MONTH, datetime.date(2025, 12, 31))
    assert (december.start, december.end) == (
        datetime.date(2025, 12, 1),
        datetime.date(2025, 12, 31),
    )
    january = period_of(MONTH, datetime.date(2026, 1, 1))
    assert (january.start, january.end) == (datetime.date(2026, 1, 1), datetime.date(2026, 1, 31))
    q4 = period_of(QUARTER, datetime.date(2025, 12, 31))
    assert (q4.start, q4.end) == (datetime.date(2025, 10, 1), datetime.date(2025, 12, 31))
    q1 = period_of(QUARTER, datetime.date(2026, 3, 31))
    assert (q1.start, q1.end) == (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    assert period_of(QUARTER, datetime.date(2026, 4, 1)).start == datetime.date(2026, 4, 1)
    assert [p.start.month for p in periods_of_year(QUARTER, 2026)] == [1, 4, 7, 10]
    assert len(periods_of_year(MONTH, 2026)) == 12
    assert periods_of_year(YEAR, 2026)[0].end == datetime.date(2026, 12, 31)


@pytest.fixture
def edges(network: Network, group_klimat: Group, roles: Any) -> dict[str, Any]:
    """Meetings, outcome and hours on the first and last days of months and quarters, and
    across the turn of the year 2025/2026."""
    borås = Person.objects.get(user=roles["member"])
    meetings = {
        "dec31": _meeting(network, "Nyårsafton", _at(2025, 12, 31, 9)),
        "jan1": _meeting(network, "Nyårsdagen", _at(2026, 1, 1, 10), group_klimat),
        "mar31": _meeting(
            network, "Sista mars", _at(2026, 3, 31, 22)
        ),  # 22:00 Stockholm, 20:00 UTC
        "apr1": _meeting(network, "Första april", _at(2026, 4, 1, 0)),  # 31 March 22:00 UTC
        "cancelled": _meeting(
            network, "Inställt", _at(2026, 1, 15), status=Meeting.Status.CANCELLED
        ),
    }
    # Named attendance: Borås at both January 1 and 31 March; counts at 1 April.
    Attendance.objects.create(meeting=meetings["jan1"], person=borås, day=datetime.date(2026, 1, 1))
    Attendance.objects.create(
        meeting=meetings["mar31"], person=borås, day=datetime.date(2026, 3, 31)
    )
    AttendanceCount.objects.create(
        meeting=meetings["apr1"], day=datetime.date(2026, 4, 1), count=12
    )
    travel = BudgetLine.objects.create(
        network=network, year=2026, name="Resor", category="travel", planned=Decimal(12000)
    )
    cluster_travel = BudgetLine.objects.create(
        network=network, year=2026, name="Klimat resor", category="travel", planned=Decimal(3000),
        group=group_klimat,
    )  # fmt: skip
    for day, amount, line in (
        (datetime.date(2026, 1, 1), 100, travel),
        (datetime.date(2026, 1, 31), 200, travel),
        (datetime.date(2026, 2, 1), 400, travel),
        (datetime.date(2026, 3, 31), 800, cluster_travel),
        (datetime.date(2026, 4, 1), 1600, travel),
    ):
        OutcomeEntry.objects.create(line=line, date=day, amount=Decimal(amount))
    coordinator = Person.objects.get(user=roles["group_coordinator"])
    allocation = Allocation.objects.create(
        network=network, person=coordinator, group=group_klimat, hours_per_month=Decimal(50),
        months_per_year=12, start_date=datetime.date(2025, 1, 1),
    )  # fmt: skip
    for month, hours in ((datetime.date(2025, 12, 1), 40), (datetime.date(2026, 1, 1), 55)):
        LoggedHours.objects.create(
            network=network, allocation=allocation, month=month, hours=Decimal(hours)
        )
    MembershipFactory(
        network=network, organisation=organisation("1480"), start_date=datetime.date(2026, 1, 1)
    )
    MembershipFactory(
        network=network, organisation=organisation("1401"), start_date=datetime.date(2025, 12, 31)
    )
    mölndal = organisation("1481")
    ada = PersonFactory(organisation=mölndal, first_name="Ada", last_name="Först")
    bo = PersonFactory(organisation=mölndal, first_name="Bo", last_name="Sedan")
    first = ContactAssignmentFactory(
        network=network, organisation=mölndal, person=ada,
        start_date=datetime.date(2024, 1, 1), end_date=datetime.date(2026, 3, 30),
    )  # fmt: skip
    ContactAssignmentFactory(
        network=network, organisation=mölndal, person=bo, start_date=datetime.date(2026, 3, 31)
    )
    assert isinstance(first, ContactAssignment)
    return {"meetings": meetings, "travel": travel, "cluster_travel": cluster_travel}


def _figures(
    network: Network, kind: str, day: datetime.date, group: Group | None = None
) -> selectors.ReportFigures:
    return selectors.report_figures(network=network, group=group, period=period_of(kind, day))


def test_months_and_quarters_take_their_first_and_last_days(network: Network, edges: Any) -> None:
    december = _figures(network, MONTH, datetime.date(2025, 12, 1))
    assert [m.title for m in december.meetings] == ["Nyårsafton"]
    assert [m.name for m in december.new_members] == ["Kungsbacka"] or len(
        december.new_members
    ) == 1
    january = _figures(network, MONTH, datetime.date(2026, 1, 1))
    assert [m.title for m in january.meetings] == ["Nyårsdagen"]  # not the cancelled one
    assert (january.participants, january.participant_days) == (1, 1)
    assert [row.outcome_period for row in january.budget] == [Decimal(0), Decimal(300)]
    assert len(january.new_members) == 1 and january.new_members[0].date == datetime.date(
        2026, 1, 1
    )
    march = _figures(network, MONTH, datetime.date(2026, 3, 15))
    assert [m.title for m in march.meetings] == ["Sista mars"]
    assert [c.current for c in march.contact_changes] == ["Bo Sedan"]
    april = _figures(network, MONTH, datetime.date(2026, 4, 1))
    assert [m.title for m in april.meetings] == ["Första april"]
    assert (april.participants, april.participant_days) == (12, 12)
    q1 = _figures(network, QUARTER, datetime.date(2026, 2, 1))
    assert [m.title for m in q1.meetings] == ["Nyårsdagen", "Sista mars"]
    # One person at two meetings: two participants (one per meeting), one person overall.
    assert (q1.participants, q1.participant_days, q1.named_persons) == (2, 2, 1)
    budget = {row.name: row for row in q1.budget}
    assert budget["Resor"].outcome_period == Decimal(700)
    assert budget["Klimat resor"].outcome_period == Decimal(800)
    assert q1.budget_outcome_period == Decimal(1500)
    q2 = _figures(network, QUARTER, datetime.date(2026, 6, 30))
    assert {row.name: row.outcome_to_date for row in q2.budget}["Resor"] == Decimal(2300)
    q4 = _figures(network, QUARTER, datetime.date(2025, 11, 1))
    assert [m.title for m in q4.meetings] == ["Nyårsafton"]
    assert q4.budget == []  # the 2025 budget has no lines


def test_a_clusters_report_has_its_own_meetings_hours_and_lines(
    network: Network, group_klimat: Group, edges: Any
) -> None:
    q1 = _figures(network, QUARTER, datetime.date(2026, 1, 1), group_klimat)
    assert [m.title for m in q1.meetings] == ["Nyårsdagen"]
    assert [row.name for row in q1.budget] == ["Klimat resor"]
    assert q1.hours_planned == Decimal("150.00")
    assert q1.hours_logged == Decimal("55.00")
    january = _figures(network, MONTH, datetime.date(2026, 1, 1), group_klimat)
    assert (january.hours_planned, january.hours_logged) == (Decimal("50.00"), Decimal("55.00"))
    december = _figures(network, MONTH, datetime.date(2025, 12, 1), group_klimat)
    assert december.hours_logged == Decimal("40.00")


def test_sent_report_is_locked_and_its_figures_frozen(
    network: Network, edges: Any, roles: Any
) -> None:
    actor = roles["network_coordinator"]
    report = services.report_create(
        actor=actor, network=network, kind=QUARTER, period_start=datetime.date(2026, 2, 10)
    )
    assert (report.period_start, report.period_end) == (
        datetime.date(2026, 1, 1),
        datetime.date(2026, 3, 31),
    )
    with pytest.raises(ValidationError):
        services.report_create(
            actor=actor, network=network, kind=QUARTER, period_start=datetime.date(2026, 3, 1)
        )
    services.report_update(
        actor=actor, report=report, done="Två träffar", deviations="", next_period="Q2"
    )
    services.report_send(actor=actor, report=report)
    report.refresh_from_db()
    assert report.is_sent and report.figures["participants"] == 2
    _meeting(network, "Efterhand", _at(2026, 2, 2))
    assert [m.title for m in selectors.figures_of(report).meetings] == ["Nyårsdagen", "Sista mars"]
    with pytest.raises(ValidationError):
        services.report_update(
            actor=actor, report=report, done="Ändrat", deviations="", next_period=""
        )
    with pytest.raises(ValidationError):
        services.report_send(actor=actor, report=report)
    report.refresh_from_db()
    assert report.done == "Två träffar"


def test_sent_report_view_refuses_changes(
    client_for: Any, network: Network, edges: Any, roles: Any
) -> None:
    report = services.report_create(
        actor=None, network=network, kind=MONTH, period_start=datetime.date(2026, 1, 1)
    )
    client = client_for("network_coordinator")
    detail = reverse("budget:report_detail", args=[network.slug, report.pk])
    response = client.post(detail, {"done": "Utkast", "deviations": "", "next_period": ""})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.done == "Utkast"
    assert (
        client.post(reverse("budget:report_send", args=[network.slug, report.pk])).status_code
        == 302
    )
    response = client.post(
        detail, {"done": "Ändrat i efterhand", "deviations": "", "next_period": ""}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.done == "Utkast" and report.is_sent
    page = client.get(detail).content.decode()
    assert "Ändrat i efterhand" not in page and 'name="done"' not in page


def test_list_shows_sent_and_missing_periods(network: Network) -> None:
    # seeds/003: no monthly reports in the first quarter, none for July.
    for month in (4, 5, 6, 8):
        report = services.report_create(
            actor=None, network=network, kind=MONTH, period_start=datetime.date(2026, month, 1)
        )
        if month != 8:
            services.report_send(actor=None, report=report)
    rows = selectors.report_periods(
        network=network, group=None, kind=MONTH, year=2026, today=datetime.date(2026, 9, 15)
    )
    states = [row.state for row in rows]
    assert states == [
        "missing", "missing", "missing", "sent", "sent", "sent",
        "missing", "missing", "current", "future", "future", "future",
    ]  # fmt: skip
    assert rows[7].report is not None  # August: a draft never sent counts as missing
    assert selectors.count_by_state(rows)["missing"] == 5


def test_group_coordinator_drafts_their_clusters_report_only(
    client_for: Any, network: Network, group_klimat: Group, group_fairtrade: Group
) -> None:
    client = client_for("group_coordinator")
    url = reverse("budget:report_create", args=[network.slug])
    data = {"kind": MONTH, "period_start": "2026-01-15"}
    assert (
        client.post(url, {**data, "group": group_fairtrade.pk}).status_code == 200
    )  # not a choice
    assert client.post(url, data).status_code == 200  # the whole network is not theirs
    assert not StatusReport.objects.exists()
    response = client.post(url, {**data, "group": group_klimat.pk})
    report = StatusReport.objects.get()
    assert response.status_code == 302 and report.group == group_klimat
    whole = services.report_create(
        actor=None, network=network, kind=MONTH, period_start=datetime.date(2026, 1, 1)
    )
    assert (
        client.get(reverse("budget:report_detail", args=[network.slug, whole.pk])).status_code
        == 404
    )
    listing = client.get(reverse("budget:report_list", args=[network.slug])).content.decode()
    assert "Fairtrade" not in listing


def test_pdf_and_docx(client_for: Any, network: Network, edges: Any, tmp_path: Path) -> None:
    report = services.report_create(
        actor=None, network=network, kind=QUARTER, period_start=datetime.date(2026, 1, 1)
    )
    services.report_update(
        actor=None, report=report, done="Klusterträff om energistrategier.",
        deviations="Resorna blev billigare.", next_period="Studiebesök i Borås.",
    )  # fmt: skip
    client = client_for("network_coordinator")
    response = client.get(reverse("budget:report_pdf", args=[network.slug, report.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    for expected in (
        "Nyårsdagen",
        "Sista mars",
        "Klimat resor",
        "Klusterträff om energistrategier.",
        "Bo Sedan",
    ):
        assert expected in text, expected
    response = client.get(reverse("budget:report_docx", args=[network.slug, report.pk]))
    assert response["Content-Type"] == docx_export.CONTENT_TYPE
    document = docx.Document(io.BytesIO(response.content))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert "PAGE" in section.footer._element.xml and "NUMPAGES" in section.footer._element.xml
    paragraphs = [p.text for p in document.paragraphs]
    assert "Resorna blev billigare." in paragraphs
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Nyårsdagen" in cells and "Klimat resor" in cells


def test_report_list_queries_are_fixed(
    client_for: Any, network: Network, django_assert_max_num_queries: Any
) -> None:
    for month in range(1, 13):
        services.report_create(
            actor=None, network=network, kind=MONTH, period_start=datetime.date(2026, month, 1)
        )
    client = client_for("network_coordinator")
    with django_assert_max_num_queries(20):
        assert client.get(reverse("budget:report_list", args=[network.slug])).status_code == 200
