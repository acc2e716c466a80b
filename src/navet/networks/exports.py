"""Member and contact lists as CSV (for Swedish Excel: semicolons, UTF-8 with BOM) and XLSX."""

import csv
import datetime
import io
from dataclasses import dataclass

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from navet.networks import selectors
from navet.networks.models import Network

Cell = str | int | float | datetime.date | None


@dataclass
class Table:
    title: str
    header: list[str]
    rows: list[list[Cell]]


def member_table(*, network: Network) -> Table:
    today = timezone.localdate()
    contacts = {
        c.organisation_id: c.person
        for c in selectors.contacts_on(network=network, day=today)
        if c.group_id is None
    }
    rows: list[list[Cell]] = []
    for membership in selectors.membership_list(network=network):
        organisation = membership.organisation
        contact = contacts.get(organisation.pk) if membership.is_active_on(today) else None
        rows.append(
            [
                organisation.name,
                organisation.scb_code or "",
                organisation.county,
                organisation.get_kind_display(),
                membership.start_date,
                membership.end_date,
                membership.via.name if membership.via else "",
                contact.full_name if contact else "",
                contact.email if contact else "",
            ]
        )
    header = [
        _("Organisation"),
        _("SCB code"),
        _("County"),
        _("Kind"),
        _("Start date"),
        _("End date"),
        _("Via"),
        _("Contact person"),
        _("Email"),
    ]
    return Table(title=_("Members"), header=header, rows=rows)


def contact_table(*, network: Network) -> Table:
    rows: list[list[Cell]] = [
        [
            assignment.organisation.name,
            assignment.group.name if assignment.group else "",
            assignment.person.full_name,
            assignment.person.email,
            assignment.person.phone,
            assignment.person.title,
            assignment.start_date,
            assignment.end_date,
        ]
        for assignment in selectors.contact_assignment_list(network=network)
    ]
    header = [
        _("Organisation"),
        _("Group"),
        _("Name"),
        _("Email"),
        _("Phone"),
        _("Title"),
        _("From"),
        _("To"),
    ]
    return Table(title=_("Contact persons"), header=header, rows=rows)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_value(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        # The CSV is made for Swedish Excel (semicolons), which reads a decimal point as text.
        return format(value, ".10g").replace(".", ",")
    return str(value)


def _csv_safe(value: Cell) -> str:
    """Text a spreadsheet would run as a formula gets a leading apostrophe (CSV injection)."""
    text = _csv_value(value)
    if isinstance(value, str) and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def table_response(table: Table, *, filename: str, fmt: str) -> HttpResponse:
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(table.header)
        writer.writerows([[_csv_safe(v) for v in row] for row in table.rows])
        response = HttpResponse(
            "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "xlsx":
        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.title = table.title[:31]
        sheet.append(table.header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append(row)
        for index, title in enumerate(table.header):
            width = max([len(title), *(len(_csv_value(row[index])) for row in table.rows)])
            sheet.column_dimensions[get_column_letter(index + 1)].width = min(width + 2, 60)
        for cells in sheet.iter_rows(min_row=2):
            for cell in cells:
                if isinstance(cell.value, datetime.date):
                    cell.number_format = "yyyy-mm-dd"
                elif isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # people's text is never a formula
        sheet.freeze_panes = "A2"
        buffer_bytes = io.BytesIO()
        workbook.save(buffer_bytes)
        response = HttpResponse(
            buffer_bytes.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
