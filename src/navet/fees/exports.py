"""The fee list as XLSX (for invoicing) and PDF, from the same rows as the page."""

from decimal import Decimal
from typing import Any

import weasyprint
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from navet.fees.selectors import FeeList
from navet.networks.exports import Table, table_response
from navet.reports.pdf import _no_network, report_styles


def filename(fees: FeeList) -> str:
    return f"avgifter-{slugify(fees.scheme.network.slug)}-{fees.scheme.year}"


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def fee_table(fees: FeeList) -> Table:
    """One row per member; members billed via an association carry its name in "Billed to"."""
    header = [
        _("Billed to"),
        _("Member"),
        _("SCB code"),
        _("Population"),
        _("Indexed rate (kr)"),
        _("Raw fee (kr)"),
        _("Floor/ceiling"),
        _("After floor/ceiling (kr)"),
        _("Days"),
        _("After pro rata (kr)"),
        _("Fee (kr)"),
        _("Note"),
    ]
    rows: list[list[Any]] = []
    for line in fees.lines:
        for member in line.members:
            bound = {"floor": _("floor"), "ceiling": _("ceiling")}.get(member.bound, "")
            rows.append(
                [
                    line.billed_to.formal_name,
                    member.organisation.name,
                    member.organisation.scb_code or "",
                    member.population,
                    None if member.is_fixed else _number(member.indexed_rate),
                    _number(member.raw_fee),
                    _("fixed fee") if member.is_fixed else bound,
                    _number(member.bounded_fee),
                    member.days,
                    _number(member.pro_rata_fee),
                    _number(member.amount),
                    member.problem or (_("demo population") if member.population_is_demo else ""),
                ]
            )
        if line.is_itemised:
            rows.append(
                [
                    line.billed_to.formal_name,
                    _("Total"),
                    "",
                    None,
                    None,
                    None,
                    "",
                    None,
                    None,
                    None,
                    _number(line.total),
                    "",
                ]
            )
    rows.append(
        [_("Total"), "", "", None, None, None, "", None, None, None, _number(fees.total), ""]
    )
    return Table(title=_("Fees %(year)s") % {"year": fees.scheme.year}, header=header, rows=rows)


def xlsx_response(fees: FeeList) -> Any:
    return table_response(fee_table(fees), filename=filename(fees), fmt="xlsx")


def render_pdf(fees: FeeList) -> bytes:
    html = render_to_string(
        "fees/fee_list_print.html",
        {
            "fees": fees,
            "scheme": fees.scheme,
            "network": fees.scheme.network,
            "report_styles": report_styles(),
            "for_print": True,
        },
    )
    document = weasyprint.HTML(
        string=html, base_url=str(settings.BASE_DIR), url_fetcher=_no_network
    )
    return document.write_pdf()
