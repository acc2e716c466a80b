"""Thin views for the annual plan and the annual report (page, PDF and DOCX)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from navet.core import bounds
from navet.core.views import apply_errors, coordinator_only, network_view, year_in_range
from navet.networks.models import Network
from navet.reports import docx_report, pdf, permissions, selectors, services
from navet.reports.forms import ActivityForm
from navet.reports.permissions import planned_activity_policy

FIRST_YEAR, LAST_YEAR = bounds.EARLIEST_YEAR, bounds.LATEST_YEAR


def _activity_form(
    request: HttpRequest, network: Network, year: int, **kwargs: object
) -> ActivityForm:
    return ActivityForm(
        request.POST or None,
        groups=permissions.plan_groups(request.user, network),
        meetings=permissions.linkable_meetings(request.user, network, year),
        **kwargs,
    )


def _picked_year(request: HttpRequest) -> int | None:
    year, notice = bounds.int_param(request, "year", low=FIRST_YEAR, high=LAST_YEAR)
    if notice:
        messages.warning(request, notice)
    return year


@network_view(permissions.can_view_plan)
def plan_latest(request: HttpRequest, network: Network) -> HttpResponseBase:
    """The network's plan link: the current year when it has data, else the latest year with
    data (never an empty future year). The year picker sends ``?year=``."""
    year = _picked_year(request) or selectors.plan_year_with_data(network=network)
    return redirect("reports:plan", slug=network.slug, year=year)


@network_view(permissions.can_view_report)
def report_latest(request: HttpRequest, network: Network) -> HttpResponseBase:
    """The network's report link: the latest year with held meetings, up to this year. The
    year picker sends ``?year=``."""
    year = _picked_year(request) or selectors.latest_year(selectors.report_years(network=network))
    return redirect("reports:annual_report", slug=network.slug, year=year)


@network_view(permissions.can_view_plan)
@year_in_range("reports:plan")
def plan(request: HttpRequest, network: Network, year: int) -> HttpResponseBase:
    return render(
        request,
        "reports/plan.html",
        {
            "network": network,
            "year": year,
            "plan": selectors.plan_outcome(
                network=network,
                year=year,
                show_cancelled_titles=permissions.sees_cancelled_titles(request.user, network),
            ),
            "can_edit": permissions.can_edit_plan(request.user, network),
            "can_view_report": permissions.can_view_report(request.user, network),
            "years": _with(selectors.plan_years(network=network), year),
        },
    )


def _with(years: list[int], year: int) -> list[int]:
    """The picker's years: those with data, and the one shown."""
    return sorted({*years, year}, reverse=True)


@coordinator_only
@year_in_range("reports:plan")
def activity_add(request: HttpRequest, network: Network, year: int) -> HttpResponseBase:
    form = _activity_form(request, network, year)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_add(
                actor=request.user, network=network, year=year, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The activity was added to the plan."))
            return redirect("reports:plan", slug=network.slug, year=year)
    return render(
        request, "reports/activity_form.html", {"network": network, "year": year, "form": form}
    )


@coordinator_only
def activity_edit(request: HttpRequest, network: Network, pk: int) -> HttpResponseBase:
    activity = planned_activity_policy.get_or_404(request.user, "change", network=network, pk=pk)
    initial = {
        "theme": activity.theme,
        "group": activity.group,
        "planned_date": activity.planned_date,
        "planned_month": None if activity.planned_date else activity.planned_month,
        "meeting": activity.meeting,
    }
    form = _activity_form(request, network, activity.year, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(actor=request.user, activity=activity, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The activity was saved."))
            return redirect("reports:plan", slug=network.slug, year=activity.year)
    return render(
        request,
        "reports/activity_form.html",
        {"network": network, "year": activity.year, "form": form, "activity": activity},
    )


@coordinator_only
def activity_delete(request: HttpRequest, network: Network, pk: int) -> HttpResponseBase:
    activity = planned_activity_policy.get_or_404(request.user, "change", network=network, pk=pk)
    if request.method == "POST":
        year = activity.year
        services.activity_delete(actor=request.user, activity=activity)
        messages.success(request, _("The activity was removed from the plan."))
        return redirect("reports:plan", slug=network.slug, year=year)
    return render(
        request, "reports/activity_delete.html", {"network": network, "activity": activity}
    )


def _report(request: HttpRequest, network: Network, year: int) -> selectors.AnnualReport:
    return selectors.annual_report(
        network=network,
        year=year,
        show_cancelled_titles=permissions.sees_cancelled_titles(request.user, network),
    )


@network_view(permissions.can_view_report)
@year_in_range("reports:annual_report")
def annual_report(request: HttpRequest, network: Network, year: int) -> HttpResponseBase:
    report = _report(request, network, year)
    years = _with(selectors.report_years(network=network), year)
    return render(
        request,
        "reports/annual_report.html",
        {"network": network, "report": report, "years": years},
    )


@network_view(permissions.can_view_report)
@year_in_range("reports:annual_report")
def annual_report_pdf(request: HttpRequest, network: Network, year: int) -> HttpResponseBase:
    report = _report(request, network, year)
    response = HttpResponse(pdf.render_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf.filename(report, "pdf")}"'
    return response


@network_view(permissions.can_view_report)
@year_in_range("reports:annual_report")
def annual_report_docx(request: HttpRequest, network: Network, year: int) -> HttpResponseBase:
    report = _report(request, network, year)
    response = HttpResponse(docx_report.render_docx(report), content_type=docx_report.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{pdf.filename(report, "docx")}"'
    return response
