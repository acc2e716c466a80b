"""The follow-up table as a PDF (WeasyPrint, A4 landscape) and as an XLSX workbook.

The PDF's stylesheet is inline and the URL fetcher refuses everything except data: URLs, so
rendering never reaches the network. The workbook keeps figures as numbers, so they can be
calculated with, beside the texts the page shows.
"""

import datetime
import io
from typing import Any

import weasyprint
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from navet.indicators.followup import FollowUpRow, common_target_year
from navet.networks.models import Organisation

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_COLUMN_WIDTH = 50


def filename(organisation: Organisation, extension: str) -> str:
    return f"uppfoljning-{slugify(organisation.name)}.{extension}"


def _no_network(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    if url.startswith("data:"):
        return weasyprint.default_url_fetcher(url, *args, **kwargs)
    raise ValueError(f"External resources are not fetched when printing: {url}")


def render_html(
    *, organisation: Organisation, rows: list[FollowUpRow], day: datetime.date | None = None
) -> str:
    return render_to_string(
        "indicators/followup/followup_print.html",
        {
            "organisation": organisation,
            "rows": [(row, "") for row in rows],
            "desired_year": common_target_year(rows),
            "day": day or timezone.localdate(),
            "has_demo": any(row.is_demo for row in rows),
        },
    )


def render_pdf(*, organisation: Organisation, rows: list[FollowUpRow]) -> bytes:
    html = weasyprint.HTML(
        string=render_html(organisation=organisation, rows=rows),
        base_url=str(settings.BASE_DIR),
        url_fetcher=_no_network,
    )
    return html.write_pdf()


Cell = str | int | float | None


def xlsx_header() -> list[str]:
    return [
        _("Relevant target"),
        _("Dimension"),
        _("Link to regional strategy"),
        _("Keyword"),
        _("Indicator"),
        _("Unit"),
        _("Statistics and comparison"),
        _("Year"),
        _("Value"),
        _("National average"),
        _("Steering document"),
        _("Link to steering document"),
        _("Desired state"),
        _("Target year"),
        _("Target value"),
        _("Current state"),
        _("Baseline year"),
        _("Baseline value"),
        _("Progress"),
        _("Demo data"),
    ]


# Columns (1-based) that hold figures and get the indicator's number of decimals.
FIGURE_COLUMNS = (9, 10, 15, 18)


def xlsx_row(row: FollowUpRow) -> list[Cell]:
    target = row.target
    return [
        "; ".join(row.relevant_goals),
        row.dimension,
        row.strategy_link,
        row.keyword,
        row.indicator.title,
        row.indicator.unit,
        row.statistics,
        row.latest.year if row.latest else None,
        row.latest.value if row.latest else None,
        row.national,
        row.steering_document,
        row.steering_document_url,
        row.desired_state,
        target.target_year,
        target.target_value,
        row.current_state,
        row.baseline.year if row.baseline else None,
        row.baseline.value if row.baseline else None,
        row.status_label,
        _("Yes") if row.is_demo else "",
    ]


def render_xlsx(*, organisation: Organisation, rows: list[FollowUpRow]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Follow-up")[:31]
    header = xlsx_header()
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    body = [xlsx_row(row) for row in rows]
    for values, row in zip(body, rows, strict=True):
        sheet.append(values)
        excel_row = sheet.max_row
        number_format = "0" if row.indicator.decimals == 0 else "0." + "0" * row.indicator.decimals
        for column in FIGURE_COLUMNS:
            sheet.cell(row=excel_row, column=column).number_format = number_format
        for cell in sheet[excel_row]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(cell.value, str):
                cell.data_type = "s"  # people's text is never run as a formula
    for index, title in enumerate(header):
        lengths = [len(title), *(len(str(values[index] or "")) for values in body)]
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(
            max(lengths) + 2, MAX_COLUMN_WIDTH
        )
    sheet.freeze_panes = "A2"
    workbook.properties.title = _("Follow-up of targets – %(organisation)s") % {
        "organisation": organisation.name
    }
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
