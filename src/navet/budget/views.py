"""Thin views for the budget (lines, outcome, ledger import) and the status reports."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from navet.budget import docx_export, ledger, pdf, permissions, selectors, services
from navet.budget.forms import (
    BudgetLineForm,
    LedgerImportForm,
    OutcomeEntryForm,
    ReportCreateForm,
    ReportTextForm,
)
from navet.budget.models import StatusReport
from navet.budget.periods import KINDS, MONTH, period_of
from navet.budget.permissions import (
    budget_line_policy,
    ledger_import_policy,
    outcome_entry_policy,
    status_report_policy,
)
from navet.core import bounds
from navet.core.views import apply_errors, coordinator_only, deny, network_view, year_in_range
from navet.networks.models import Group, Network


def _groups(network: Network) -> QuerySet[Group]:
    return Group.objects.filter(network=network).order_by("name")


# Budget -------------------------------------------------------------------------------------


@coordinator_only
def budget_latest(request: HttpRequest, network: Network) -> HttpResponseBase:
    year, notice = bounds.int_param(
        request, "year", low=bounds.EARLIEST_YEAR, high=bounds.LATEST_YEAR
    )
    if notice:
        messages.warning(request, notice)
    return redirect("budget:budget", slug=network.slug, year=year or timezone.localdate().year)


@coordinator_only
@year_in_range("budget:budget")
def budget(request: HttpRequest, network: Network, year: int) -> HttpResponseBase:
    years = sorted({*selectors.budget_years(network=network), year, timezone.localdate().year})
    return render(
        request,
        "budget/budget.html",
        {
            "network": network,
            "year": year,
            "overview": selectors.budget_overview(network=network, year=year),
            "years": list(reversed(years)),
        },
    )


@coordinator_only
@year_in_range("budget:budget")
def line_add(request: HttpRequest, network: Network, year: int) -> HttpResponseBase:
    form = BudgetLineForm(request.POST or None, groups=_groups(network))
    if request.method == "POST" and form.is_valid():
        try:
            services.line_create(
                actor=request.user, network=network, year=year, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The budget line was added."))
            return redirect("budget:budget", slug=network.slug, year=year)
    return render(
        request, "budget/line_form.html", {"network": network, "year": year, "form": form}
    )


@coordinator_only
def line_edit(request: HttpRequest, network: Network, pk: int) -> HttpResponseBase:
    line = budget_line_policy.get_or_404(request.user, "change", network=network, pk=pk)
    initial = {name: getattr(line, name) for name in services.LINE_FIELDS}
    form = BudgetLineForm(request.POST or None, groups=_groups(network), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.line_update(actor=request.user, line=line, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The budget line was saved."))
            return redirect("budget:budget", slug=network.slug, year=line.year)
    return render(
        request,
        "budget/line_form.html",
        {"network": network, "year": line.year, "form": form, "line": line},
    )


@coordinator_only
def line_delete(request: HttpRequest, network: Network, pk: int) -> HttpResponseBase:
    line = budget_line_policy.get_or_404(request.user, "change", network=network, pk=pk)
    error = ""
    if request.method == "POST":
        try:
            services.line_delete(actor=request.user, line=line)
        except ValidationError as refused:
            error = refused.messages[0]
        else:
            messages.success(request, _("The budget line was removed."))
            return redirect("budget:budget", slug=network.slug, year=line.year)
    return render(
        request, "budget/line_delete.html", {"network": network, "line": line, "error": error}
    )


@coordinator_only
def line_detail(request: HttpRequest, network: Network, pk: int) -> HttpResponseBase:
    """A line's outcome entries, and the form to enter one by hand."""
    line = budget_line_policy.get_or_404(request.user, "view", network=network, pk=pk)
    form = OutcomeEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.entry_add(actor=request.user, line=line, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The amount was entered."))
            return redirect("budget:line_detail", slug=network.slug, pk=line.pk)
    entries = list(selectors.line_entries(line=line))
    return render(
        request,
        "budget/line_detail.html",
        {
            "network": network,
            "line": line,
            "entries": entries,
            "total": sum((entry.amount for entry in entries), selectors.ZERO),
            "form": form,
        },
    )


@coordinator_only
def entry_delete(request: HttpRequest, network: Network, pk: int) -> HttpResponseBase:
    entry = outcome_entry_policy.get_or_404(request.user, "change", network=network, pk=pk)
    if request.method != "POST":
        return redirect("budget:line_detail", slug=network.slug, pk=entry.line_id)
    try:
        services.entry_delete(actor=request.user, entry=entry)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The entry was removed."))
    return redirect("budget:line_detail", slug=network.slug, pk=entry.line_id)


@coordinator_only
@year_in_range("budget:budget")
def ledger_import(request: HttpRequest, network: Network, year: int) -> HttpResponseBase:
    form = LedgerImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            batch = services.ledger_import(
                actor=request.user,
                network=network,
                year=year,
                filename=uploaded.name or "ledger.csv",
                content=uploaded.read(),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(rows)d rows were imported from %(file)s.")
                % {"rows": batch.rows, "file": batch.filename},
            )
            return redirect("budget:budget", slug=network.slug, year=year)
    return render(
        request,
        "budget/ledger_import.html",
        {
            "network": network,
            "year": year,
            "form": form,
            "columns": ledger.TEMPLATE_HEADER,
            "lines": selectors.budget_lines(network=network, year=year),
        },
    )


@coordinator_only
def ledger_undo(request: HttpRequest, network: Network, pk: int) -> HttpResponseBase:
    batch = ledger_import_policy.get_or_404(request.user, "change", network=network, pk=pk)
    if request.method == "POST":
        services.ledger_import_undo(actor=request.user, batch=batch)
        messages.success(request, _("The import and its entries were removed."))
        return redirect("budget:budget", slug=network.slug, year=batch.year)
    return render(request, "budget/ledger_undo.html", {"network": network, "batch": batch})


@coordinator_only
def ledger_template(request: HttpRequest, network: Network) -> HttpResponseBase:
    response = HttpResponse(ledger.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="huvudbok-mall.csv"'
    return response


# Status reports -----------------------------------------------------------------------------


def _scope(request: HttpRequest, network: Network) -> tuple[Group | None, list[Group], bool]:
    """The group the list shows (None: the whole network), the groups one may pick, and
    whether the whole network is one of the choices."""
    groups = list(permissions.report_groups(request.user, network))
    whole = permissions.can_manage_network(request.user, network)
    wanted = request.GET.get("group", "")
    chosen = next((g for g in groups if str(g.pk) == wanted), None)
    if chosen is None and not whole:
        chosen = groups[0] if groups else None
    return chosen, groups, whole


@network_view(permissions.can_use_status_reports)
def report_list(request: HttpRequest, network: Network) -> HttpResponseBase:
    group, groups, whole = _scope(request, network)
    kind = request.GET.get("kind", MONTH)
    kind = kind if kind in KINDS else MONTH
    year, notice = bounds.int_param(
        request, "year", low=bounds.EARLIEST_YEAR, high=bounds.LATEST_YEAR
    )
    if notice:
        messages.warning(request, notice)
    year = year or timezone.localdate().year
    rows = selectors.report_periods(network=network, group=group, kind=kind, year=year)
    return render(
        request,
        "budget/report_list.html",
        {
            "network": network,
            "group": group,
            "groups": groups,
            "whole_network": whole,
            "kind": kind,
            "kinds": StatusReport.Kind.choices,
            "year": year,
            "years": sorted({*selectors.report_years(network=network), year}, reverse=True),
            "rows": rows,
            "counts": selectors.count_by_state(rows),
        },
    )


@network_view(permissions.can_use_status_reports)
def report_create(request: HttpRequest, network: Network) -> HttpResponseBase:
    group, _groups_shown, whole = _scope(request, network)
    initial = {
        "kind": request.GET.get("kind", MONTH),
        "period_start": request.GET.get("start") or timezone.localdate(),
        "group": group,
    }
    form = ReportCreateForm(
        request.POST or None,
        groups=permissions.report_groups(request.user, network),
        whole_network=whole,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["group"]
        if not permissions.may_report_for(request.user, network, chosen):
            return deny(request)
        try:
            report = services.report_create(
                actor=request.user,
                network=network,
                kind=form.cleaned_data["kind"],
                period_start=form.cleaned_data["period_start"],
                group=chosen,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The draft was created with the period's figures."))
            return redirect("budget:report_detail", slug=network.slug, pk=report.pk)
    return render(request, "budget/report_create.html", {"network": network, "form": form})


def _report(request: HttpRequest, network: Network, pk: int) -> StatusReport:
    return status_report_policy.get_or_404(request.user, "view", network=network, pk=pk)


@network_view(permissions.can_use_status_reports)
def report_detail(request: HttpRequest, network: Network, pk: int) -> HttpResponseBase:
    report = _report(request, network, pk)
    editable = permissions.report_is_editable(report)
    form = ReportTextForm(
        request.POST or None,
        initial={name: getattr(report, name) for name in services.TEXT_FIELDS},
    )
    if request.method == "POST":
        if not editable:
            messages.error(request, _("The report has been sent and can no longer be changed."))
            return redirect("budget:report_detail", slug=network.slug, pk=report.pk)
        if form.is_valid():
            try:
                services.report_update(actor=request.user, report=report, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The draft was saved."))
                return redirect("budget:report_detail", slug=network.slug, pk=report.pk)
    return render(
        request,
        "budget/report_detail.html",
        {
            "network": network,
            "report": report,
            "period": period_of(report.kind, report.period_start),
            "figures": selectors.figures_of(report),
            "form": form,
            "editable": editable,
        },
    )


@network_view(permissions.can_use_status_reports)
def report_send(request: HttpRequest, network: Network, pk: int) -> HttpResponseBase:
    report = _report(request, network, pk)
    if request.method == "POST":
        try:
            services.report_send(actor=request.user, report=report)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("The report is marked as sent and is now locked."))
        return redirect("budget:report_detail", slug=network.slug, pk=report.pk)
    return render(
        request,
        "budget/report_send.html",
        {
            "network": network,
            "report": report,
            "period": period_of(report.kind, report.period_start),
        },
    )


@network_view(permissions.can_use_status_reports)
def report_pdf(request: HttpRequest, network: Network, pk: int) -> HttpResponseBase:
    report = _report(request, network, pk)
    response = HttpResponse(pdf.render_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf.filename(report, "pdf")}"'
    return response


@network_view(permissions.can_use_status_reports)
def report_docx(request: HttpRequest, network: Network, pk: int) -> HttpResponseBase:
    report = _report(request, network, pk)
    response = HttpResponse(docx_export.render_docx(report), content_type=docx_export.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{pdf.filename(report, "docx")}"'
    return response
