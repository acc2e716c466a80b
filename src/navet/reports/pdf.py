"""The annual report as a PDF: the print template rendered by WeasyPrint.

The charts are inline SVG in the HTML, the stylesheet is inlined from static css/reports.css,
and the URL fetcher refuses everything except data: URLs, so rendering never reaches the
network.

A PDF is kept in the cache under the digest of the print HTML it was made from. The same
data in the same language give the same HTML, so downloading the report again skips
WeasyPrint (seconds at national scale); any change to what the report shows changes the HTML
and so the key, so a kept PDF is never out of date and no writer has to invalidate it.
"""

import hashlib
from collections.abc import Sequence
from typing import Any, TypeVar

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.text import slugify

from navet.reports.selectors import AnnualReport

T = TypeVar("T")


def filename(report: AnnualReport, extension: str) -> str:
    return f"arsrapport-{slugify(report.network.slug)}-{report.year}.{extension}"


def _no_network(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    if url.startswith("data:"):
        return weasyprint.default_url_fetcher(url, *args, **kwargs)
    raise ValueError(f"External resources are not fetched when printing: {url}")


MEMBERS_PER_COLUMN, MEMBER_COLUMNS = 50, 3


def member_blocks(
    members: Sequence[T], per_column: int = MEMBERS_PER_COLUMN
) -> list[list[list[T]]]:
    """Cut the member list into blocks of three columns, filled column by column; a list
    shorter than a block is spread over the three columns evenly (38 members: 13, 13, 12)."""
    per_column = max(1, min(per_column, -(-len(members) // MEMBER_COLUMNS)))
    columns = [list(members[i : i + per_column]) for i in range(0, len(members), per_column)]
    return [columns[i : i + MEMBER_COLUMNS] for i in range(0, len(columns), MEMBER_COLUMNS)]


def report_styles() -> str:
    """The report page's stylesheet (static css/reports.css), inlined in the print HTML:
    WeasyPrint fetches nothing, and the page and the PDF share one source."""
    path = finders.find("css/reports.css")
    if not path or isinstance(path, list):
        return ""
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def render_html(report: AnnualReport) -> str:
    return render_to_string(
        "reports/annual_report_print.html",
        {
            "report": report,
            "for_print": True,
            "member_blocks": member_blocks(report.members),
            "report_styles": report_styles(),
        },
    )


PDF_CACHE_SECONDS = 7 * 24 * 3600


def pdf_cache_key(html: str) -> str:
    return "reports:pdf:" + hashlib.sha256(html.encode()).hexdigest()


def render_pdf(report: AnnualReport) -> bytes:
    html = render_html(report)
    key = pdf_cache_key(html)
    kept = cache.get(key)
    if isinstance(kept, bytes):
        return kept
    document = weasyprint.HTML(
        string=html, base_url=str(settings.BASE_DIR), url_fetcher=_no_network
    ).write_pdf()
    cache.set(key, document, PDF_CACHE_SECONDS)
    return document
