"""Thin views for the annual plan and the annual report (page, PDF and DOCX)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from navet.core.views import apply_errors, coordinator_only, network_view
from navet.meetings.models import PlannedActivity
from navet.networks.models import Network
from navet.reports import docx_report, pdf, permissions, selectors, services
from navet.reports.forms import ActivityForm

FIRST_YEAR, LAST_YEAR = services.FIRST_YEAR, services.LAST_YEAR


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404


def _activity_form(
    request: HttpRequest, network: Network, year: int, **kwargs: object
) -> ActivityForm:
    return ActivityForm(
        request.POST or None,
        groups=network.groups.order_by("name"),
        meetings=selectors.meeting_choices(network=network, year=year),
        **kwargs,
    )


@network_view(permissions.can_view_plan)
def plan(request: HttpRequest, network: Network, year: int) -> HttpResponseBase:
    _check_year(year)
    return render(
        request,
        "reports/plan.html",
        {
            "network": network,
            "year": year,
            "plan": selectors.plan_outcome(network=network, year=year),
            "can_edit": permissions.can_edit_plan(request.user, network),
            "can_view_report": permissions.can_view_report(request.user, network),
        },
    )


@coordinator_only
def activity_add(request: HttpRequest, network: Network, year: int) -> HttpResponseBase:
    _check_year(year)
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
    activity = get_object_or_404(PlannedActivity, pk=pk, network=network)
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
    activity = get_object_or_404(PlannedActivity, pk=pk, network=network)
    if request.method == "POST":
        year = activity.year
        services.activity_delete(actor=request.user, activity=activity)
        messages.success(request, _("The activity was removed from the plan."))
        return redirect("reports:plan", slug=network.slug, year=year)
    return render(
        request, "reports/activity_delete.html", {"network": network, "activity": activity}
    )


@network_view(permissions.can_view_report)
def annual_report(request: HttpRequest, network: Network, year: int) -> HttpResponseBase:
    _check_year(year)
    report = selectors.annual_report(network=network, year=year)
    return render(request, "reports/annual_report.html", {"network": network, "report": report})


@network_view(permissions.can_view_report)
def annual_report_pdf(request: HttpRequest, network: Network, year: int) -> HttpResponseBase:
    _check_year(year)
    report = selectors.annual_report(network=network, year=year)
    response = HttpResponse(pdf.render_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf.filename(report, "pdf")}"'
    return response


@network_view(permissions.can_view_report)
def annual_report_docx(request: HttpRequest, network: Network, year: int) -> HttpResponseBase:
    _check_year(year)
    report = selectors.annual_report(network=network, year=year)
    response = HttpResponse(docx_report.render_docx(report), content_type=docx_report.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{pdf.filename(report, "docx")}"'
    return response
