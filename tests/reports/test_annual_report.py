"""The annual report: the selector's figures, the page, the PDF and the DOCX."""

import io
import re
from collections.abc import Callable
from typing import Any

import docx
import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from navet.meetings.models import Meeting, PlannedActivity
from navet.networks.models import Network
from navet.reports import docx_report, pdf
from navet.reports.selectors import annual_report
from tests.pdf import pdf_text
from tests.reports.conftest import YEAR, build_year


def _plan_study_trip(network: Network, report_year: dict[str, Any]) -> None:
    """A study trip planned for May that became the Sotenäs meeting."""
    PlannedActivity.objects.create(
        network=network,
        year=YEAR,
        planned_month=5,
        theme="Studieresa",
        meeting=report_year["sotenas"],
    )


def test_key_figures(network: Network, report_year: dict[str, Any]) -> None:
    figures = annual_report(network=network, year=YEAR).figures
    assert figures.meetings == 4  # the cancelled one and last year's are left out
    assert figures.meeting_days == 6
    # 3 named + 24 (largest of 24 + 22) + 3 named + 30 counted
    assert figures.participants == 60
    # 3 + 46 + 4 + 30: Anna at both Fairtrade days is one person and two participant-days
    assert figures.participant_days == 83
    assert figures.named_persons == 4
    assert figures.participating_municipalities == 3  # Borås, Alingsås, Partille
    assert figures.members_at_year_end == 4  # Ale ended in June
    assert [m.organisation.name for m in figures.new_members] == ["Partille", "Bollebygd"]


def test_meetings_per_group(network: Network, report_year: dict[str, Any]) -> None:
    report = annual_report(network=network, year=YEAR)
    sections = {section.name: section for section in report.groups}
    assert list(sections) == ["Fairtrade", "Klimat", "Hela nätverket"]
    klimat = sections["Klimat"].rows
    assert [row.meeting.title for row in klimat] == ["Medborgardialog", "Sotenäs Symbioscentrum"]
    dialog, sotenas = klimat
    assert dialog.speakers == ["Lisa Bomble, Högskolan Väst"]
    assert (dialog.participants_text, dialog.satisfaction_text, dialog.evaluation_n) == (
        "3",
        "5,2",
        5,
    )
    assert not dialog.aggregates_only
    assert sotenas.participants_text == "24 (24 + 22)"
    assert (sotenas.satisfaction_text, sotenas.usefulness_text) == ("5,6", "5,5")
    assert sotenas.aggregates_only and sotenas.evaluation_n == 20
    assert sotenas.dates == "2022-05-18 – 2022-05-19"
    fairtrade = sections["Fairtrade"].rows[0]
    assert (fairtrade.participants, fairtrade.per_day) == (3, "2 + 2")
    assert fairtrade.satisfaction_text == "–"
    assert [row.meeting.title for row in sections["Hela nätverket"].rows] == ["Årsmöte"]


def test_members_survey_quotes_plan_and_charts(
    network: Network, report_year: dict[str, Any]
) -> None:
    _plan_study_trip(network, report_year)
    report = annual_report(network=network, year=YEAR)
    names = [(m.membership.organisation.name, m.marker) for m in report.members]
    assert names == [("Alingsås", ""), ("Bengtsfors", "*"), ("Bollebygd", ""), ("Partille", "")]
    assert [(marker, via.name) for marker, via in report.via_notes] == [
        ("*", "Dalslands miljö- och energiförbund")
    ]
    assert [row.year for row in report.survey_rows] == [2021, 2022]
    assert report.survey_by_question[0][1] == ["5,6", "5,2"]
    assert [row.respondents for row in report.survey_rows] == [40, 53]
    assert [q.text for q in report.quotes] == [
        "Största nyttan är att träffas och diskutera med kollegor."
    ]
    assert [item.outcome for item in report.plan.activities] == ["held"]
    assert [m.title for m in report.plan.unplanned] == [
        "Medborgardialog",
        "Fairtradedagarna",
        "Årsmöte",
    ]
    assert report.participants_chart.startswith("<svg")
    assert "<title" in report.survey_chart and "5,2" in report.survey_chart


def test_an_empty_year_still_renders(network: Network) -> None:
    report = annual_report(network=network, year=2030)
    assert report.figures.meetings == 0
    assert report.figures.named_persons is None
    assert report.participants_chart == "" and report.survey_chart == ""
    assert b"%PDF" in pdf.render_pdf(report)[:8]
    assert docx_report.render_docx(report)


def test_report_page_for_a_member(
    network: Network, report_year: dict[str, Any], client_for: Callable[[str], Client]
) -> None:
    response = client_for("member").get(reverse("reports:annual_report", args=[network.slug, YEAR]))
    assert response.status_code == 200
    content = response.content.decode()
    for text in ("Sotenäs Symbioscentrum", "24 (24 + 22)", "5,2", "Lisa Bomble", "<svg", "Borås"):
        assert text in content
    assert content.count('<th scope="col">') > 10
    assert reverse("reports:annual_report_pdf", args=[network.slug, YEAR]) in content


@pytest.mark.parametrize("extra", [0, 12])
def test_report_page_runs_a_fixed_number_of_queries(
    network: Network,
    client_for: Callable[[str], Client],
    django_assert_max_num_queries: Any,
    extra: int,
) -> None:
    build_year(network, extra_meetings=extra)
    client = client_for("member")
    url = reverse("reports:annual_report", args=[network.slug, YEAR])
    # One more than before: whether the reader sees cancelled meetings' titles in the plan;
    # two more for registrations (mode and days) and the year picker's years.
    with django_assert_max_num_queries(33):
        response = client.get(url)
    assert response.status_code == 200
    assert (f"Extra möte {extra - 1}" in response.content.decode()) == bool(extra)


def test_pdf_download(
    network: Network,
    report_year: dict[str, Any],
    client_for: Callable[[str], Client],
    tmp_path: Any,
) -> None:
    response = client_for("network_coordinator").get(
        reverse("reports:annual_report_pdf", args=[network.slug, YEAR])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "arsrapport-hallbart-vast-2022.pdf" in response["Content-Disposition"]
    text = pdf_text(response.content, tmp_path)
    for expected in (
        "Hållbart Väst",
        "2022",
        "Sotenäs Symbioscentrum",
        "24 (24 + 22)",
        "5,2",
        "Dalslands miljö- och energiförbund",
        "Medborgardialog",
    ):
        assert expected in text, expected
    assert re.search(r"\b1\s*/\s*\d+\s*$", text.split("\f")[0])  # page numbers in the footer


def test_pdf_prints_the_plan_as_lines_and_the_chart_without_a_second_table(
    network: Network, report_year: dict[str, Any], tmp_path: Any
) -> None:
    _plan_study_trip(network, report_year)
    text = " ".join(
        pdf_text(pdf.render_pdf(annual_report(network=network, year=YEAR)), tmp_path).split()
    )
    # One line per activity: when, theme, group, outcome and the meeting it became.
    assert re.search(r"maj 2022 Studieresa · .+ · Genomförd · Möte: Sotenäs", text), text
    # The chart's figures are the meeting list's; the page's data table is not printed again.
    assert "Data för diagrammet" not in text
    assert "Deltagarna vid varje möte står i listan över möten per grupp ovan." in text


def test_a_kept_pdf_is_served_until_the_data_behind_it_changes(
    network: Network, report_year: dict[str, Any], tmp_path: Any
) -> None:
    report = annual_report(network=network, year=YEAR)
    key = pdf.pdf_cache_key(pdf.render_html(report))
    made = pdf.render_pdf(report)
    assert cache.get(key) == made
    # What is kept under the report's HTML is what a download of the same data gets.
    cache.set(key, b"%PDF-1.7 kept")
    assert pdf.render_pdf(annual_report(network=network, year=YEAR)) == b"%PDF-1.7 kept"
    meeting = Meeting.objects.get(network=network, title="Medborgardialog")
    meeting.title = "Medborgardialog om parker"
    meeting.save()
    changed = pdf.render_pdf(annual_report(network=network, year=YEAR))
    assert changed != b"%PDF-1.7 kept"
    assert "Medborgardialog om parker" in pdf_text(changed, tmp_path)


def test_pdf_footer_carries_the_network_name_as_written(
    network: Network,
    report_year: dict[str, Any],
    client_for: Callable[[str], Client],
    tmp_path: Any,
) -> None:
    network.name = 'Nätverk Nord-Väst "GRÖN"'
    network.save()
    response = client_for("network_coordinator").get(
        reverse("reports:annual_report_pdf", args=[network.slug, YEAR])
    )
    first_page = pdf_text(response.content, tmp_path).split("\f")[0]
    assert 'Nätverk Nord-Väst "GRÖN" – 2022' in first_page
    assert "u002D" not in first_page


def test_docx_download(
    network: Network, report_year: dict[str, Any], client_for: Callable[[str], Client]
) -> None:
    response = client_for("member").get(
        reverse("reports:annual_report_docx", args=[network.slug, YEAR])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == docx_report.CONTENT_TYPE
    document = docx.Document(io.BytesIO(response.content))
    headings = [
        p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))
    ]
    assert headings[0] == "Årsrapport 2022" or headings[0] == "Annual report 2022"
    assert "Klimat" in headings and "Fairtrade" in headings
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "24 (24 + 22)" in cells
    assert "5,2" in cells
    # The official name ("Bengtsfors kommun") with its via marker.
    assert any(c.startswith("Bengtsfors") and c.endswith(" *") for c in cells)
    assert "60" in cells and "83" in cells
    assert any(cell.startswith("Tvådagarsträff\nSotenäs Symbioscentrum") for cell in cells)
