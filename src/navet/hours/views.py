"""Coordinator time pages: the hours table (coordinators), allocations (coordinators) and
logging hours (coordinators for anyone, a person with an allocation for themselves)."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from navet.core.views import apply_errors, coordinator_only, network_view
from navet.hours import selectors, services
from navet.hours.forms import AllocationForm, LogHoursForm, PeriodForm
from navet.hours.models import Allocation, LoggedHours
from navet.hours.permissions import (
    allocation_policy,
    allocations_to_log_against,
    can_log_hours,
    can_manage_hours,
    logged_hours_policy,
)
from navet.networks.models import Network
from navet.networks.permissions import person_policy

LOG_LIST_LIMIT = 50


def _period(
    request: HttpRequest, network: Network
) -> tuple[PeriodForm, datetime.date, datetime.date]:
    span = selectors.allocation_span(network=network)
    today = timezone.localdate()
    default_start, default_end = span or (today.replace(month=1, day=1), today)
    form = PeriodForm(request.GET or None, initial={"start": default_start, "end": default_end})
    start, end = default_start, default_end
    if form.is_bound and form.is_valid():
        start = form.cleaned_data.get("start") or default_start
        end = form.cleaned_data.get("end") or default_end
        if end < start:
            start, end = default_start, default_end
    return form, start, end


@coordinator_only
def hours_overview(request: HttpRequest, network: Network) -> HttpResponseBase:
    form, start, end = _period(request, network)
    return render(
        request,
        "hours/overview.html",
        {
            "network": network,
            "form": form,
            "start": start,
            "end": end,
            "clusters": selectors.cluster_table(network=network, start=start, end=end),
            "summary": selectors.hours_summary(network=network, start=start, end=end),
            "allocations": allocation_policy.instances_user_has_permission_for(
                request.user, "view", network=network
            ).order_by("group__name", "start_date"),
        },
    )


@coordinator_only
def allocation_create(request: HttpRequest, network: Network) -> HttpResponseBase:
    return _allocation_form(request, network, None)


@coordinator_only
def allocation_edit(request: HttpRequest, network: Network, pk: int) -> HttpResponseBase:
    allocation = allocation_policy.get_or_404(request.user, "change", network=network, pk=pk)
    return _allocation_form(request, network, allocation)


def _allocation_form(
    request: HttpRequest, network: Network, allocation: Allocation | None
) -> HttpResponseBase:
    initial = {}
    if allocation is not None:
        initial = {
            field: getattr(allocation, field)
            for field in (
                "person", "role", "group", "hours_per_month", "months_per_year",
                "start_date", "end_date", "note",
            )
        }  # fmt: skip
    form = AllocationForm(
        request.POST or None,
        initial=initial,
        network=network,
        people=person_policy.instances_user_has_permission_for(
            request.user, "assign", network=network
        ),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.allocation_save(
                actor=request.user, network=network, allocation=allocation, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The allocation was saved."))
            return redirect("hours:overview", slug=network.slug)
    return render(
        request,
        "hours/allocation_form.html",
        {"network": network, "form": form, "allocation": allocation},
    )


@require_POST
@coordinator_only
def allocation_delete(request: HttpRequest, network: Network, pk: int) -> HttpResponseBase:
    allocation = allocation_policy.get_or_404(request.user, "change", network=network, pk=pk)
    try:
        services.allocation_delete(actor=request.user, allocation=allocation)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The allocation was deleted."))
    return redirect("hours:overview", slug=network.slug)


@network_view(can_log_hours)
def log_hours(request: HttpRequest, network: Network) -> HttpResponseBase:
    return _log_form(request, network, None)


@network_view(can_log_hours)
def log_edit(request: HttpRequest, network: Network, pk: int) -> HttpResponseBase:
    entry = logged_hours_policy.get_or_404(request.user, "change", network=network, pk=pk)
    return _log_form(request, network, entry)


def _log_form(
    request: HttpRequest, network: Network, entry: LoggedHours | None
) -> HttpResponseBase:
    allocations = allocations_to_log_against(request.user, network).order_by(
        "person__last_name", "person__first_name", "start_date"
    )
    initial: dict[str, object] = {"month": timezone.localdate().replace(day=1)}
    if entry is not None:
        initial = {
            "allocation": entry.allocation,
            "month": entry.month,
            "hours": entry.hours,
            "organisation": entry.organisation,
            "meeting": entry.meeting,
            "activity": entry.activity,
        }
    elif allocations.count() == 1:
        initial["allocation"] = allocations.first()
    form = LogHoursForm(
        request.POST or None, initial=initial, network=network, allocations=allocations
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.hours_log(
                actor=request.user, network=network, entry=entry, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The hours were saved."))
            return redirect("hours:log", slug=network.slug)
    logs = logged_hours_policy.instances_user_has_permission_for(
        request.user, "view", network=network
    ).order_by("-month", "allocation__person__last_name", "pk")
    return render(
        request,
        "hours/log.html",
        {
            "network": network,
            "form": form,
            "entry": entry,
            "logs": logs[:LOG_LIST_LIMIT],
            "log_count": logs.count(),
            "can_manage": can_manage_hours(request.user, network),
            "has_allocations": allocations.exists(),
        },
    )


@require_POST
@network_view(can_log_hours)
def log_delete(request: HttpRequest, network: Network, pk: int) -> HttpResponseBase:
    entry = logged_hours_policy.get_or_404(request.user, "change", network=network, pk=pk)
    services.hours_delete(actor=request.user, entry=entry)
    messages.success(request, _("The hours were deleted."))
    return redirect("hours:log", slug=network.slug)
