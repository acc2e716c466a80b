"""The annual report as a PDF: the print template rendered by WeasyPrint.

The charts are inline SVG in the HTML, the stylesheet is inline too, and the URL fetcher
refuses everything except data: URLs, so rendering never reaches the network.
"""

from typing import Any

import weasyprint
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.text import slugify

from navet.reports.selectors import AnnualReport


def filename(report: AnnualReport, extension: str) -> str:
    return f"arsrapport-{slugify(report.network.slug)}-{report.year}.{extension}"


def _no_network(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    if url.startswith("data:"):
        return weasyprint.default_url_fetcher(url, *args, **kwargs)
    raise ValueError(f"External resources are not fetched when printing: {url}")


def render_html(report: AnnualReport) -> str:
    return render_to_string("reports/annual_report_print.html", {"report": report})


def render_pdf(report: AnnualReport) -> bytes:
    html = weasyprint.HTML(
        string=render_html(report), base_url=str(settings.BASE_DIR), url_fetcher=_no_network
    )
    return html.write_pdf()
