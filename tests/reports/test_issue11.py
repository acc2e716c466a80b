"""Issue #11 in the annual report and plan: the demo's 2022 report shows 633 participants
again (a total beside its breakdown had been added to it), the report and plan open on the
latest year with data and have a year picker, meetings without an evaluation say so once,
the DOCX is A4 with page numbers and the charts as pictures, and the PDF's members are in
columns with what the date means."""

import io
import zipfile
from collections.abc import Callable
from typing import Any

import docx
import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx.shared import Mm

from navet.demo.loader import load_demo
from navet.meetings import services
from navet.meetings.models import AttendanceCount, Meeting
from navet.networks.models import Network
from navet.reports import pdf
from navet.reports.selectors import annual_report, latest_year
from tests.pdf import pdf_text
from tests.reports.conftest import YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db: None) -> Network:
    assert load_demo() is True
    return Network.objects.get(slug="kommunnatverket")


def test_the_demo_2022_report_shows_633_participants(demo: Network) -> None:
    figures = annual_report(network=demo, year=2022).figures
    assert (figures.meetings, figures.meeting_days) == (21, 23)
    assert (figures.participants, figures.participant_days) == (633, 679)


def test_a_breakdown_entered_beside_the_demo_total_is_refused_and_never_added(
    demo: Network,
) -> None:
    meeting = Meeting.objects.get(network=demo, title="Artportalen")
    day = meeting.days[0]
    assert meeting.attendance_counts.get().count == 54
    with pytest.raises(ValidationError):
        services.attendance_counts_save(
            actor=None,
            meeting=meeting,
            counts={(day, ""): 54, (day, "municipality"): 50, (day, "county_board"): 4},
        )
    # Stored both ways (as before the fix): the breakdown is the day's figure, not the sum.
    AttendanceCount.objects.create(
        meeting=meeting, day=day, organisation_kind="municipality", count=50
    )
    AttendanceCount.objects.create(meeting=meeting, day=day, organisation_kind="region", count=4)
    report = annual_report(network=demo, year=2022)
    assert report.figures.participants == 633
    row = next(r for s in report.groups for r in s.rows if r.meeting.pk == meeting.pk)
    assert row.participants == 54
    assert "50" in row.breakdown_text and "4" in row.breakdown_text


def test_the_report_page_shows_the_breakdown_and_evaluations_once(
    demo: Network, client_for: Callable[[str], Client], roles: Any
) -> None:
    meeting = Meeting.objects.get(network=demo, title="Artportalen")
    day = meeting.days[0]
    services.attendance_counts_save(
        actor=None, meeting=meeting, counts={(day, "municipality"): 50, (day, "region"): 4}
    )
    client = Client()
    client.force_login(demo.coordinators.filter(user__isnull=False).first().user)
    page = client.get(reverse("reports:annual_report", args=[demo.slug, 2022])).content.decode()
    assert "633" in page
    assert "kommun 50" in page.lower() or "municipality 50" in page.lower()
    assert "n = –" not in page


def test_latest_year() -> None:
    this_year = timezone.localdate().year
    assert latest_year([2021, 2022, this_year + 1]) == 2022
    assert latest_year([this_year + 2, this_year + 1]) == this_year + 1
    assert latest_year([]) == this_year
    assert latest_year([2019, 2022]) == 2022


def test_links_open_on_the_latest_year_with_data(
    network: Network, report_year: dict[str, Any], client_for: Callable[[str], Client]
) -> None:
    client = client_for("member")
    response = client.get(reverse("reports:report_latest", args=[network.slug]))
    assert response["Location"] == reverse("reports:annual_report", args=[network.slug, YEAR])
    response = client.get(reverse("reports:plan_latest", args=[network.slug]))
    this_year = timezone.localdate().year
    expected = reverse("reports:plan", args=[network.slug, YEAR])
    assert response["Location"] in (
        expected,
        reverse("reports:plan", args=[network.slug, this_year]),
    )
    picked = client.get(reverse("reports:report_latest", args=[network.slug]) + "?year=2021")
    assert picked["Location"] == reverse("reports:annual_report", args=[network.slug, 2021])
    page = client.get(reverse("reports:annual_report", args=[network.slug, YEAR])).content.decode()
    assert 'id="year-picker"' in page and f'<option value="{YEAR}" selected>' in page
    nav = client.get(reverse("networks:network_detail", args=[network.slug])).content.decode()
    assert reverse("reports:report_latest", args=[network.slug]) in nav
    assert reverse("reports:plan_latest", args=[network.slug]) in nav


def test_the_plan_picker_offers_this_year(
    network: Network, report_year: dict[str, Any], client_for: Callable[[str], Client]
) -> None:
    page = client_for("anonymous").get(reverse("reports:plan", args=[network.slug, YEAR]))
    text = page.content.decode()
    assert f'<option value="{timezone.localdate().year}"' in text
    assert f'<option value="{YEAR}" selected>' in text


def test_docx_is_a4_with_page_numbers_and_chart_pictures(
    network: Network, report_year: dict[str, Any], client_for: Callable[[str], Client]
) -> None:
    response = client_for("member").get(
        reverse("reports:annual_report_docx", args=[network.slug, YEAR])
    )
    document = docx.Document(io.BytesIO(response.content))
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1) and abs(section.page_height - Mm(297)) < Mm(1)
    footer_xml = section.footer._element.xml
    assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml
    assert len(document.inline_shapes) >= 1
    with zipfile.ZipFile(io.BytesIO(response.content)) as package:
        images = [name for name in package.namelist() if name.startswith("word/media/")]
        assert images and all(name.endswith(".png") for name in images)
        assert package.read(images[0])[:8] == b"\x89PNG\r\n\x1a\n"


def test_pdf_members_in_columns_with_the_date_explained(
    network: Network, report_year: dict[str, Any], tmp_path: Any
) -> None:
    report = annual_report(network=network, year=YEAR)
    blocks = pdf.member_blocks(list(range(38)))
    assert [len(column) for column in blocks[0]] == [13, 13, 12]
    text = " ".join(pdf_text(pdf.render_pdf(report), tmp_path).split())
    assert "31 december" in text.lower()
    assert "became a member" in text or "blev medlem" in text
    assert "n = –" not in text
