"""Authorisation expectations for the budget app's URLs (see tests/authz.py).

The budget, its outcome and ledger imports are the network coordinators' (and the platform
admin's). Status reports are also the group coordinators' for their own groups: the report
under test is the Klimat group's, so its group coordinator reads and edits it; a report of
the whole network would be 404 for them (tests/budget/test_views.py).
"""

import datetime
from decimal import Decimal
from typing import Any

from navet.budget.models import BudgetLine, LedgerImport, OutcomeEntry, StatusReport
from tests.authz import GROUP_MANAGERS, MANAGERS, Expectation, only

YEAR = 2026

EXPECTED: dict[str, tuple[str, Expectation]] = {
    "budget:budget_latest": ("get", only(MANAGERS, status=302)),
    "budget:budget": ("get", only(MANAGERS)),
    "budget:line_add": ("get", only(MANAGERS)),
    "budget:line_detail": ("get", only(MANAGERS)),
    "budget:line_edit": ("get", only(MANAGERS)),
    "budget:line_delete": ("get", only(MANAGERS)),
    "budget:entry_delete": ("get", only(MANAGERS, status=302)),
    "budget:ledger_import": ("get", only(MANAGERS)),
    "budget:ledger_undo": ("get", only(MANAGERS)),
    "budget:ledger_template": ("get", only(MANAGERS)),
    "budget:report_list": ("get", only(GROUP_MANAGERS)),
    "budget:report_create": ("get", only(GROUP_MANAGERS)),
    "budget:report_detail": ("get", only(GROUP_MANAGERS)),
    "budget:report_send": ("get", only(GROUP_MANAGERS)),
    "budget:report_pdf": ("get", only(GROUP_MANAGERS)),
    "budget:report_docx": ("get", only(GROUP_MANAGERS)),
}


def build_objects(base: dict[str, Any]) -> dict[str, Any]:
    network = base["network"]
    line = BudgetLine.objects.create(
        network=network, year=YEAR, name="Resor", category="travel", planned=Decimal(50000)
    )
    entry = OutcomeEntry.objects.create(
        line=line, date=datetime.date(YEAR, 2, 3), amount=Decimal("1234.50"), text="Tåg"
    )
    batch = LedgerImport.objects.create(
        network=network, year=YEAR, filename="huvudbok.csv", sha256="0" * 64, rows=1
    )
    OutcomeEntry.objects.create(
        line=line, date=datetime.date(YEAR, 3, 1), amount=Decimal(100), ledger_import=batch
    )
    report = StatusReport.objects.create(
        network=network,
        group=base["group"],
        kind=StatusReport.Kind.MONTH,
        period_start=datetime.date(YEAR, 1, 1),
        period_end=datetime.date(YEAR, 1, 31),
        done="Klusterträff i Borås",
    )
    return {
        "budget_line": line,
        "outcome_entry": entry,
        "ledger_import": batch,
        "status_report": report,
    }


def url_kwargs(name: str, objects: dict[str, Any]) -> dict[str, Any] | None:
    if not name.startswith("budget:"):
        return None
    slug = objects["network"].slug
    if name in {"budget:budget_latest", "budget:ledger_template", "budget:report_list"}:
        return {"slug": slug}
    if name == "budget:report_create":
        return {"slug": slug}
    if name in {"budget:budget", "budget:line_add", "budget:ledger_import"}:
        return {"slug": slug, "year": YEAR}
    if name in {"budget:line_detail", "budget:line_edit", "budget:line_delete"}:
        return {"slug": slug, "pk": objects["budget_line"].pk}
    if name == "budget:entry_delete":
        return {"slug": slug, "pk": objects["outcome_entry"].pk}
    if name == "budget:ledger_undo":
        return {"slug": slug, "pk": objects["ledger_import"].pk}
    return {"slug": slug, "pk": objects["status_report"].pk}
