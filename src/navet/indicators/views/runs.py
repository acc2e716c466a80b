"""Views: import runs (Kolada syncs and file imports) with their progress and logs, and the
form that queues a Kolada sync. For those who may import only (admins, coordinators); a run
is looked up through permissions.ImportRunPolicy, so a coordinator sees the runs of the
networks they coordinate and nothing else (another run's id is "not found").

The run pages mark runs that stopped making progress as failed before they show them (no
worker polls any more), so nobody watches a stopped run "running" for ever."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from navet.core.views import deny
from navet.indicators.jobs import queue_kolada_run
from navet.indicators.models import ImportRun, Indicator
from navet.indicators.permissions import (
    can_import,
    can_import_platform_wide,
    import_runs,
    importer_networks,
)
from navet.indicators.runs import fail_abandoned_runs
from navet.indicators.sync import (
    RIKET,
    SyncError,
    all_municipality_ids,
    kolada_id,
    sync_parameters,
)
from navet.networks.models import Organisation
from navet.networks.selectors import members_on

RUNS_PER_PAGE = 50
SHOWN_CODES = 12
ALL = "all"
NETWORK_PREFIX = "network:"
FIRST_YEAR, LAST_YEAR = 1990, 2100


def import_only(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not can_import(request.user):
            return deny(request)
        return view(request, *args, **kwargs)

    return wrapper


class SyncForm(forms.Form):
    kpis = forms.MultipleChoiceField(
        label=gettext_lazy("KPIs from the catalogue"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=gettext_lazy("Hold Ctrl (⌘ on a Mac) to choose several."),
    )
    kpi_codes = forms.CharField(
        label=gettext_lazy("Other Kolada KPI ids"),
        required=False,
        help_text=gettext_lazy("Separated by commas, e.g. N00401, N07403."),
    )
    municipalities = forms.ChoiceField(label=gettext_lazy("Municipalities"))
    include_references = forms.BooleanField(
        label=gettext_lazy("Also their regions and Riket"),
        required=False,
        initial=True,
        help_text=gettext_lazy("So that comparisons with the county and the country work."),
    )
    year_from = forms.IntegerField(
        label=gettext_lazy("From year"), min_value=FIRST_YEAR, max_value=LAST_YEAR
    )
    year_to = forms.IntegerField(
        label=gettext_lazy("To year"), min_value=FIRST_YEAR, max_value=LAST_YEAR
    )
    metadata = forms.BooleanField(
        label=gettext_lazy("Also match Kolada's municipalities and sync SKR's municipality groups"),
        required=False,
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The networks the user may import for; the choices are also the look-up, so a
        # network (or "all") not offered is refused as an invalid choice.
        self.networks = {n.slug: n for n in importer_networks(user)}
        kpi_field = self.fields["kpis"]
        assert isinstance(kpi_field, forms.MultipleChoiceField)
        kpi_field.choices = [
            (code, f"{code} {title}")
            for code, title in Indicator.objects.filter(source=Indicator.Source.KOLADA).values_list(
                "code", "title"
            )
        ]
        municipality_field = self.fields["municipalities"]
        assert isinstance(municipality_field, forms.ChoiceField)
        municipality_field.choices = [
            *([(ALL, _("All 290 municipalities"))] if can_import_platform_wide(user) else []),
            *[
                (f"{NETWORK_PREFIX}{n.slug}", _("Members of %(network)s") % {"network": n.name})
                for n in self.networks.values()
            ],
        ]
        this_year = timezone.localdate().year
        self.fields["year_from"].initial = this_year - 10
        self.fields["year_to"].initial = this_year - 1

    def _municipality_codes(self, choice: str, with_references: bool) -> tuple[list[str], str]:
        if choice == ALL:
            codes = all_municipality_ids()
            if with_references:
                regions = Organisation.objects.filter(kind=Organisation.Kind.REGION)
                codes += [*sorted(kolada_id(r) for r in regions.exclude(scb_code=None)), RIKET]
            return codes, ALL
        network = self.networks[choice.removeprefix(NETWORK_PREFIX)]
        members = [
            m.organisation
            for m in members_on(network=network, day=timezone.localdate())
            if m.organisation.scb_code
            and m.organisation.kind in {Organisation.Kind.MUNICIPALITY, Organisation.Kind.REGION}
        ]
        if not members:
            raise forms.ValidationError(
                _("%(network)s has no member municipalities or regions today.")
                % {"network": network.name}
            )
        codes = sorted({kolada_id(o) for o in members})
        if with_references:
            counties = {o.county_code or o.scb_code for o in members if o.county_code or o.scb_code}
            regions = Organisation.objects.filter(
                kind=Organisation.Kind.REGION, scb_code__in=counties
            )
            codes = [*sorted(set(codes) | {kolada_id(r) for r in regions}), RIKET]
        return codes, network.name

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kpis = list(cleaned.get("kpis") or [])
        kpis += [c.strip().upper() for c in (cleaned.get("kpi_codes") or "").split(",")]
        kpis = [k for k in kpis if k]
        if not kpis:
            self.add_error("kpis", _("Choose at least one KPI, or give its Kolada id."))
        year_from, year_to = cleaned.get("year_from"), cleaned.get("year_to")
        if year_from and year_to and year_to < year_from:
            self.add_error("year_to", _("The last year comes before the first."))
        choice = cleaned.get("municipalities")
        cleaned["network"] = (
            self.networks.get(choice.removeprefix(NETWORK_PREFIX))
            if choice and choice != ALL
            else None
        )
        if self.errors or not choice or year_from is None or year_to is None:
            return cleaned
        try:
            codes, scope = self._municipality_codes(choice, bool(cleaned["include_references"]))
        except forms.ValidationError as error:
            self.add_error("municipalities", error)
            return cleaned
        try:
            cleaned["parameters"] = sync_parameters(
                kpi_ids=kpis,
                municipality_codes=codes,
                years=list(range(year_from, year_to + 1)),
                metadata=bool(cleaned.get("metadata")),
                scope=scope,
            )
        except SyncError as error:
            self.add_error("kpi_codes" if "KPI" in str(error) else None, str(error))
        return cleaned


def _year_span(years: list[int]) -> str:
    if years and years == list(range(years[0], years[-1] + 1)) and len(years) > 1:
        return f"{years[0]}–{years[-1]}"
    return ", ".join(str(y) for y in years)


def parameter_rows(run: ImportRun) -> list[tuple[str, str]]:
    """The run's parameters as (label, text) for people to read."""
    params = dict(run.parameters or {})
    rows: list[tuple[str, str]] = []
    if "kpis" in params:
        rows.append((_("KPIs"), ", ".join(params.pop("kpis"))))
    if "municipalities" in params:
        codes = list(params.pop("municipalities"))
        scope = params.pop("scope", "")
        text = ", ".join(codes[:SHOWN_CODES]) + (" …" if len(codes) > SHOWN_CODES else "")
        label = _("all municipalities") if scope == ALL else scope
        prefix = f"{label}: " if label else ""
        rows.append((_("Municipalities"), f"{prefix}{len(codes)} ({text})"))
    if "years" in params:
        rows.append((_("Years"), _year_span([int(y) for y in params.pop("years")])))
    if "metadata" in params:
        rows.append(
            (_("Municipalities and groups"), _("synced") if params.pop("metadata") else _("no"))
        )
    params.pop("scope", None)
    rows.extend((str(key), str(value)) for key, value in params.items())
    return rows


def progress_data(run: ImportRun) -> dict[str, Any]:
    return {
        "status": run.status,
        "status_label": run.get_status_display(),
        "percent": run.percent_done,
        "steps_done": run.steps_done,
        "steps_total": run.steps_total,
        "added": run.added,
        "changed": run.changed,
        "unchanged": run.unchanged,
        "missing": run.missing,
        "finished": run.status in {ImportRun.Status.SUCCEEDED, ImportRun.Status.FAILED},
    }


@import_only
def run_list(request: HttpRequest) -> HttpResponseBase:
    fail_abandoned_runs()
    runs = import_runs.instances_user_has_permission_for(request.user, "view")
    page = Paginator(runs, RUNS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "indicators/runs/run_list.html", {"page": page, "runs": page})


@import_only
def run_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    fail_abandoned_runs()
    run = import_runs.get_or_404(request.user, "view", pk=pk)
    return render(
        request,
        "indicators/runs/run_detail.html",
        {
            "run": run,
            "parameters": parameter_rows(run),
            "in_progress": run.status in {ImportRun.Status.QUEUED, ImportRun.Status.RUNNING},
        },
    )


@import_only
def run_progress(request: HttpRequest, pk: int) -> HttpResponseBase:
    fail_abandoned_runs()
    run = import_runs.get_or_404(request.user, "view", pk=pk)
    response = JsonResponse(progress_data(run))
    response["Cache-Control"] = "no-store"
    return response


@import_only
def sync_start(request: HttpRequest) -> HttpResponseBase:
    form = SyncForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        run = queue_kolada_run(
            parameters=form.cleaned_data["parameters"],
            started_by=request.user,
            network=form.cleaned_data["network"],
        )
        messages.success(request, _("The sync is queued. This page shows how far it has come."))
        return redirect(run)
    return render(request, "indicators/runs/sync_start.html", {"form": form})


urlpatterns: list[URLPattern] = [
    path("indicators/runs/", run_list, name="run_list"),
    path("indicators/runs/<int:pk>/", run_detail, name="run_detail"),
    path("indicators/runs/<int:pk>/progress.json", run_progress, name="run_progress"),
    path("indicators/sync/", sync_start, name="sync_start"),
]
