"""Views: an organisation's follow-up table (page, PDF, XLSX) and its targets' forms.

The table is public like all indicator values; adding, changing and deleting targets is for
those the target policy lets change the organisation's targets (permissions.TargetPolicy):
platform admins and the organisation's own strategists, managers and network coordinators, not
the coordinators of a network it is a member of. A target is looked up through the policy, so
another organisation's target id is "not found".
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils.translation import gettext as _

from navet.core.views import apply_errors, deny
from navet.indicators import followup_export, permissions, services
from navet.indicators.followup import (
    FOLLOWUP_KINDS,
    FollowUpRow,
    common_target_year,
    followup_rows,
)
from navet.indicators.forms import TargetForm
from navet.networks.models import Organisation


def _organisation(pk: int) -> Organisation:
    return get_object_or_404(Organisation, pk=pk, kind__in=FOLLOWUP_KINDS)


def target_editor(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Look up the organisation and let only those who may edit its targets in."""

    @wraps(view)
    def wrapper(request: HttpRequest, pk: int, **kwargs: Any) -> HttpResponseBase:
        organisation = _organisation(pk)
        if not permissions.targets.may_change_targets_of(request.user, organisation):
            return deny(request)
        return view(request, organisation, **kwargs)

    return wrapper


def _indicator_url(organisation: Organisation, code: str) -> str:
    # The organisation's indicator page belongs to the comparison views; without it the
    # table simply shows the indicator's name.
    try:
        return reverse("indicators:organisation_indicator", args=[organisation.pk, code])
    except NoReverseMatch:
        return ""


def _with_links(
    organisation: Organisation, rows: list[FollowUpRow]
) -> list[tuple[FollowUpRow, str]]:
    return [(row, _indicator_url(organisation, row.indicator.code)) for row in rows]


def followup(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation(pk)
    rows = followup_rows(organisation=organisation)
    return render(
        request,
        "indicators/followup/followup.html",
        {
            "organisation": organisation,
            "rows": _with_links(organisation, rows),
            "desired_year": common_target_year(rows),
            "has_demo": any(row.is_demo for row in rows),
            "can_edit": permissions.targets.may_change_targets_of(request.user, organisation),
        },
    )


def followup_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation(pk)
    rows = followup_rows(organisation=organisation)
    content = followup_export.render_pdf(organisation=organisation, rows=rows)
    response = HttpResponse(content, content_type="application/pdf")
    name = followup_export.filename(organisation, "pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def followup_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation(pk)
    rows = followup_rows(organisation=organisation)
    content = followup_export.render_xlsx(organisation=organisation, rows=rows)
    response = HttpResponse(content, content_type=followup_export.XLSX_CONTENT_TYPE)
    name = followup_export.filename(organisation, "xlsx")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@target_editor
def target_add(request: HttpRequest, organisation: Organisation) -> HttpResponseBase:
    form = TargetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.target_create(
                actor=request.user,
                organisation=organisation,
                data=services.TargetInput(**form.cleaned_data),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The target was added to the follow-up table."))
            return redirect("indicators:followup", pk=organisation.pk)
    return render(
        request,
        "indicators/followup/target_form.html",
        {"organisation": organisation, "form": form},
    )


@target_editor
def target_edit(
    request: HttpRequest, organisation: Organisation, target_pk: int
) -> HttpResponseBase:
    target = permissions.targets.get_or_404(
        request.user, "change", pk=target_pk, organisation=organisation
    )
    form = TargetForm(request.POST or None, initial=TargetForm.initial_for(target))
    if request.method == "POST" and form.is_valid():
        try:
            services.target_update(
                actor=request.user, target=target, data=services.TargetInput(**form.cleaned_data)
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The target was saved."))
            return redirect("indicators:followup", pk=organisation.pk)
    return render(
        request,
        "indicators/followup/target_form.html",
        {"organisation": organisation, "form": form, "target": target},
    )


@target_editor
def target_delete(
    request: HttpRequest, organisation: Organisation, target_pk: int
) -> HttpResponseBase:
    target = permissions.targets.get_or_404(
        request.user, "change", pk=target_pk, organisation=organisation
    )
    if request.method == "POST":
        services.target_delete(actor=request.user, target=target)
        messages.success(request, _("The target was removed from the follow-up table."))
        return redirect("indicators:followup", pk=organisation.pk)
    return render(
        request,
        "indicators/followup/target_delete.html",
        {"organisation": organisation, "target": target},
    )


urlpatterns: list[URLPattern] = [
    path("organisations/<int:pk>/follow-up/", followup, name="followup"),
    path("organisations/<int:pk>/follow-up.pdf", followup_pdf, name="followup_pdf"),
    path("organisations/<int:pk>/follow-up.xlsx", followup_xlsx, name="followup_xlsx"),
    path("organisations/<int:pk>/targets/add/", target_add, name="target_add"),
    path("organisations/<int:pk>/targets/<int:target_pk>/edit/", target_edit, name="target_edit"),
    path(
        "organisations/<int:pk>/targets/<int:target_pk>/delete/",
        target_delete,
        name="target_delete",
    ),
]
