"""A status report as a PDF: the print template rendered by WeasyPrint, fetching nothing."""

from typing import Any

import weasyprint
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.text import slugify

from navet.budget.models import StatusReport
from navet.budget.periods import period_of
from navet.budget.selectors import figures_of


def filename(report: StatusReport, extension: str) -> str:
    scope = slugify(report.group.slug if report.group else report.network.slug)
    return f"lagesrapport-{scope}-{report.kind}-{report.period_start.isoformat()}.{extension}"


def _no_network(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    if url.startswith("data:"):
        return weasyprint.default_url_fetcher(url, *args, **kwargs)
    raise ValueError(f"External resources are not fetched when printing: {url}")


def render_html(report: StatusReport) -> str:
    return render_to_string(
        "budget/report_print.html",
        {
            "report": report,
            "network": report.network,
            "period": period_of(report.kind, report.period_start),
            "figures": figures_of(report),
            "for_print": True,
        },
    )


def render_pdf(report: StatusReport) -> bytes:
    html = weasyprint.HTML(
        string=render_html(report), base_url=str(settings.BASE_DIR), url_fetcher=_no_network
    )
    return html.write_pdf()
