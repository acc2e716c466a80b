"""Views: importing indicator values from a tidy CSV or XLSX file, and the file's template.

For those who may import (admins, network coordinators). The import is for one network the
user coordinates (or, for a platform admin, the whole platform); the choice list is the
policy's, so another network's id is refused. A good file lands whole and the browser goes to
its import run; a file with any bad row lands not at all and the form page lists the problems
with their row numbers.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from navet.core.bounds import check_upload_size
from navet.core.views import deny
from navet.indicators import imports
from navet.indicators.permissions import can_import, can_import_platform_wide, importer_networks
from navet.networks.exports import Table, table_response

# The problems listed on the page; the run's log has the first LOGGED_PROBLEMS too.
SHOWN_PROBLEMS = imports.LOGGED_PROBLEMS


class NetworkChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class ValuesFileForm(forms.Form):
    network = NetworkChoiceField(
        label=gettext_lazy("For the network"),
        queryset=None,
        help_text=gettext_lazy(
            "The file may hold values of the network's member organisations (Kolada's "
            "indicators and the network's own)."
        ),
    )
    file = forms.FileField(
        label=gettext_lazy("File (CSV or XLSX)"),
        help_text=gettext_lazy(
            "One value per row, with a header row: kpi, kommunkod, år, kön, värde, status."
        ),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["network"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = importer_networks(user)
        if can_import_platform_wide(user):
            field.required = False
            field.empty_label = _("The whole platform (any organisation)")
        else:
            networks = list(field.queryset[:2])
            if len(networks) == 1:
                field.initial = networks[0].pk

    def clean_file(self) -> Any:
        uploaded = self.cleaned_data["file"]
        check_upload_size(uploaded)
        return uploaded


def file_import(request: HttpRequest) -> HttpResponseBase:
    if not can_import(request.user):
        return deny(request)
    form = ValuesFileForm(request.POST or None, request.FILES or None, user=request.user)
    rejected: imports.ValuesFileRejected | None = None
    if request.method == "POST" and form.is_valid():
        try:
            run = imports.import_values_file(
                actor=request.user,
                uploaded=form.cleaned_data["file"],
                network=form.cleaned_data["network"],
            )
        except imports.ValuesFileRejected as error:
            rejected = error
        else:
            messages.success(
                request,
                ngettext(
                    "The file was imported: %(count)d value added, %(changed)d changed, "
                    "%(unchanged)d unchanged.",
                    "The file was imported: %(count)d values added, %(changed)d changed, "
                    "%(unchanged)d unchanged.",
                    run.added,
                )
                % {"count": run.added, "changed": run.changed, "unchanged": run.unchanged},
            )
            return redirect("indicators:run_detail", run.pk)
    return render(
        request,
        "indicators/imports/file_import.html",
        {
            "form": form,
            "problems": rejected.problems[:SHOWN_PROBLEMS] if rejected else [],
            "total": rejected.total if rejected else 0,
            "more": max(0, rejected.total - SHOWN_PROBLEMS) if rejected else 0,
            "run": rejected.run if rejected else None,
            "columns": imports.TEMPLATE_HEADER,
            "first_year": imports.FIRST_YEAR,
        },
        status=400 if rejected else 200,
    )


def import_template(request: HttpRequest) -> HttpResponseBase:
    if not can_import(request.user):
        return deny(request)
    table = Table(title=_("Values"), header=list(imports.TEMPLATE_HEADER), rows=[])
    return table_response(table, filename="indikatorvarden-mall", fmt="csv")


urlpatterns: list[URLPattern] = [
    path("indicators/import/", file_import, name="file_import"),
    path("indicators/import/template.csv", import_template, name="import_template"),
]
