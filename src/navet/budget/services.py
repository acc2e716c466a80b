"""Writes for budgets and status reports. Each service checks its rules, writes atomically and
records an audit entry in the same transaction. A ledger import saves every row or none; a
sent status report is locked."""

import datetime
import hashlib
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from navet.budget import ledger
from navet.budget.models import BudgetLine, LedgerImport, OutcomeEntry, StatusReport
from navet.budget.periods import KINDS, period_of
from navet.budget.selectors import report_figures
from navet.core import bounds
from navet.core.audit import audit_log
from navet.networks.models import Group, Network

MAX_AMOUNT = Decimal("999999999999.99")


def _check_amount(amount: Decimal, field: str) -> None:
    if not amount.is_finite() or abs(amount) > MAX_AMOUNT:
        raise ValidationError({field: _("Enter an amount below 1 000 000 000 000 kr.")})


def _check_line(
    *,
    network: Network,
    year: int,
    name: str,
    account: str,
    group: Group | None,
    planned: Decimal,
    line: BudgetLine | None = None,
) -> None:
    bounds.check_year(year, field="year")
    _check_amount(planned, "planned")
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("Give the budget line a name.")
    if group is not None and group.network_id != network.pk:
        errors["group"] = _("The group does not belong to this network.")
    others = BudgetLine.objects.filter(network=network, year=year)
    if line is not None:
        others = others.exclude(pk=line.pk)
    if name.strip() and others.filter(name__iexact=name.strip()).exists():
        errors["name"] = _("The budget of %(year)d already has a line called “%(name)s”.") % {
            "year": year,
            "name": name.strip(),
        }
    if account.strip() and others.filter(account__iexact=account.strip()).exists():
        errors["account"] = _("Another line of %(year)d already has the account %(account)s.") % {
            "year": year,
            "account": account.strip(),
        }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def line_create(
    *,
    actor: Any,
    network: Network,
    year: int,
    name: str,
    kind: str = BudgetLine.Kind.COST,
    category: str = BudgetLine.Category.OTHER,
    planned: Decimal = Decimal(0),
    account: str = "",
    group: Group | None = None,
    note: str = "",
) -> BudgetLine:
    _check_line(
        network=network, year=year, name=name, account=account, group=group, planned=planned
    )
    line = BudgetLine.objects.create(
        network=network,
        year=year,
        name=name.strip(),
        kind=kind,
        category=category,
        planned=planned,
        account=account.strip(),
        group=group,
        note=note,
    )
    audit_log(actor=actor, action="budget.line_create", obj=line, planned=str(planned))
    return line


LINE_FIELDS = ("name", "kind", "category", "planned", "account", "group", "note")


@transaction.atomic
def line_update(*, actor: Any, line: BudgetLine, **changes: Any) -> BudgetLine:
    line = BudgetLine.objects.select_for_update().get(pk=line.pk)
    values = {name: changes.get(name, getattr(line, name)) for name in LINE_FIELDS}
    _check_line(
        network=line.network,
        year=line.year,
        name=values["name"],
        account=values["account"],
        group=values["group"],
        planned=values["planned"],
        line=line,
    )
    before = {name: str(getattr(line, name)) for name in LINE_FIELDS}
    for name, value in values.items():
        setattr(line, name, value.strip() if isinstance(value, str) else value)
    line.save()
    audit_log(
        actor=actor,
        action="budget.line_update",
        obj=line,
        before=before,
        after={name: str(getattr(line, name)) for name in LINE_FIELDS},
    )
    return line


@transaction.atomic
def line_delete(*, actor: Any, line: BudgetLine) -> None:
    if line.entries.exists():
        raise ValidationError(
            _("The line has outcome entries; remove them (or their ledger import) first.")
        )
    audit_log(actor=actor, action="budget.line_delete", obj=line, name=line.name)
    line.delete()


@transaction.atomic
def entry_add(
    *, actor: Any, line: BudgetLine, date: datetime.date, amount: Decimal, text: str = ""
) -> OutcomeEntry:
    _check_amount(amount, "amount")
    if date.year != line.year:
        raise ValidationError({"date": _("The date must be in %(year)d.") % {"year": line.year}})
    entry = OutcomeEntry.objects.create(line=line, date=date, amount=amount, text=text.strip())
    audit_log(actor=actor, action="budget.entry_add", obj=entry, line=line, amount=str(amount))
    return entry


@transaction.atomic
def entry_delete(*, actor: Any, entry: OutcomeEntry) -> None:
    if entry.ledger_import_id is not None:
        raise ValidationError(
            _("The entry came from a ledger import; undo the whole import instead.")
        )
    audit_log(actor=actor, action="budget.entry_delete", obj=entry, amount=str(entry.amount))
    entry.delete()


@transaction.atomic
def ledger_import(
    *, actor: Any, network: Network, year: int, filename: str, content: bytes
) -> LedgerImport:
    """Import every row of a ledger file, or none: the rows are all checked first
    (``ledger.read_ledger``) and written in one transaction."""
    bounds.check_year(year)
    digest = hashlib.sha256(content).hexdigest()
    if LedgerImport.objects.filter(network=network, year=year, sha256=digest).exists():
        raise ValidationError(
            _("This file has already been imported for %(year)d.") % {"year": year}
        )
    lines = list(BudgetLine.objects.filter(network=network, year=year))
    if not lines:
        raise ValidationError(
            _("The budget of %(year)d has no lines yet; add them before importing the ledger.")
            % {"year": year}
        )
    rows = ledger.read_ledger(content, year=year, lines=lines)
    try:
        with transaction.atomic():
            batch = LedgerImport.objects.create(
                network=network,
                year=year,
                filename=filename[:255],
                sha256=digest,
                rows=len(rows),
                total=sum((row.amount for row in rows), Decimal(0)),
                imported_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            OutcomeEntry.objects.bulk_create(
                OutcomeEntry(
                    line=row.line,
                    date=row.date,
                    text=row.text,
                    amount=row.amount,
                    ledger_import=batch,
                )
                for row in rows
            )
    except IntegrityError as error:
        raise ValidationError(
            _("This file has already been imported for %(year)d.") % {"year": year}
        ) from error
    audit_log(
        actor=actor,
        action="budget.ledger_import",
        obj=batch,
        filename=batch.filename,
        rows=batch.rows,
        total=str(batch.total),
    )
    return batch


@transaction.atomic
def ledger_import_undo(*, actor: Any, batch: LedgerImport) -> None:
    audit_log(
        actor=actor,
        action="budget.ledger_import_undo",
        obj=batch,
        filename=batch.filename,
        rows=batch.rows,
        total=str(batch.total),
    )
    batch.delete()


# Status reports -----------------------------------------------------------------------------


@transaction.atomic
def report_create(
    *,
    actor: Any,
    network: Network,
    kind: str,
    period_start: datetime.date,
    group: Group | None = None,
) -> StatusReport:
    if kind not in KINDS:
        raise ValidationError({"kind": _("Choose monthly, quarterly or annual.")})
    bounds.check_date(period_start, field="period_start")
    if group is not None and group.network_id != network.pk:
        raise ValidationError({"group": _("The group does not belong to this network.")})
    period = period_of(kind, period_start)
    existing = StatusReport.objects.filter(
        network=network, group=group, kind=kind, period_start=period.start
    ).first()
    if existing is not None:
        raise ValidationError(
            _("There already is a report for %(period)s.") % {"period": period.label}
        )
    report = StatusReport.objects.create(
        network=network,
        group=group,
        kind=kind,
        period_start=period.start,
        period_end=period.end,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_log(actor=actor, action="budget.report_create", obj=report, kind=kind, start=period.start)
    return report


def _locked(report: StatusReport) -> ValidationError:
    return ValidationError(
        _("The report was sent on %(date)s and can no longer be changed.")
        % {"date": timezone.localtime(report.sent_at).date().isoformat() if report.sent_at else ""}
    )


TEXT_FIELDS = ("done", "deviations", "next_period")
MAX_TEXT = 20_000


@transaction.atomic
def report_update(
    *, actor: Any, report: StatusReport, done: str, deviations: str, next_period: str
) -> StatusReport:
    report = StatusReport.objects.select_for_update().get(pk=report.pk)
    if report.is_sent:
        raise _locked(report)
    texts = {"done": done, "deviations": deviations, "next_period": next_period}
    too_long = {
        name: _("Keep it under %(limit)d characters.") % {"limit": MAX_TEXT}
        for name, text in texts.items()
        if len(text) > MAX_TEXT
    }
    if too_long:
        raise ValidationError(too_long)
    for name, text in texts.items():
        setattr(report, name, text.strip())
    report.save()
    audit_log(actor=actor, action="budget.report_update", obj=report)
    return report


@transaction.atomic
def report_send(*, actor: Any, report: StatusReport) -> StatusReport:
    """Mark the report sent: its figures are frozen as they are now, and it is locked."""
    report = StatusReport.objects.select_for_update().get(pk=report.pk)
    if report.is_sent:
        raise _locked(report)
    figures = report_figures(
        network=report.network,
        group=report.group,
        period=period_of(report.kind, report.period_start),
    )
    report.figures = figures.to_json()
    report.status = StatusReport.Status.SENT
    report.sent_at = timezone.now()
    report.sent_by = actor if getattr(actor, "is_authenticated", False) else None
    report.save()
    audit_log(actor=actor, action="budget.report_send", obj=report)
    return report
