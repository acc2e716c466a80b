"""Fee pages: thin views over the fees services and selectors (coordinators, and a member's
own fee)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from navet.core.bounds import EARLIEST_YEAR, LATEST_YEAR
from navet.core.views import apply_errors, coordinator_only, deny, network_or_404
from navet.fees import exports, population, selectors, services
from navet.fees.forms import (
    FeeIndexForm,
    FeeSchemeForm,
    KoladaPopulationForm,
    ReopenForm,
    ScbUploadForm,
)
from navet.fees.models import FeeLine, FeeScheme
from navet.fees.permissions import (
    can_manage_fees,
    can_view_own_fees,
    fee_index_policy,
    fee_line_policy,
    fee_scheme_policy,
)
from navet.fees.selectors import group_billed
from navet.networks.imports import ImportRejected, RowProblem
from navet.networks.models import Network
from navet.networks.permissions import person_of


def _scheme(request: HttpRequest, network: Network, year: int) -> FeeScheme:
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise Http404
    return fee_scheme_policy.get_or_404(request.user, "change", network=network, year=year)


def overview(request: HttpRequest, slug: str) -> HttpResponseBase:
    network = network_or_404(slug)
    if can_manage_fees(request.user, network):
        schemes = fee_scheme_policy.instances_user_has_permission_for(
            request.user, "view", network=network
        ).order_by("-year")
        return render(
            request,
            "fees/overview.html",
            {
                "network": network,
                "schemes": schemes,
                "indices": fee_index_policy.instances_user_has_permission_for(
                    request.user, "view", network=network
                ).order_by("year"),
            },
        )
    if not can_view_own_fees(request.user, network):
        return deny(request)
    person = person_of(request.user)
    assert person is not None
    lines = fee_line_policy.instances_user_has_permission_for(
        request.user, "view", network=network
    ).order_by("-scheme__year")
    by_scheme: dict[FeeScheme, list[FeeLine]] = {}
    for line in lines:
        by_scheme.setdefault(line.scheme, []).append(line)
    own = [
        selectors.FeeList(
            scheme=scheme,
            prices=selectors.scheme_prices_or_none(scheme),
            lines=group_billed(selectors.stored_member_fees(scheme_lines)),
        )
        for scheme, scheme_lines in by_scheme.items()
    ]
    return render(
        request,
        "fees/own_fees.html",
        {"network": network, "organisation": person.organisation, "years": own},
    )


@coordinator_only
def fee_list(request: HttpRequest, network: Network, year: int) -> HttpResponseBase:
    scheme = _scheme(request, network, year)
    return render(
        request,
        "fees/fee_list.html",
        {
            "network": network,
            "scheme": scheme,
            "fees": selectors.fee_list(scheme=scheme),
            "history": selectors.fee_scheme_history(scheme=scheme)[:20],
            "reopen_form": ReopenForm(),
        },
    )


@coordinator_only
def fee_list_xlsx(request: HttpRequest, network: Network, year: int) -> HttpResponseBase:
    scheme = _scheme(request, network, year)
    return exports.xlsx_response(selectors.fee_list(scheme=scheme))


@coordinator_only
def fee_list_pdf(request: HttpRequest, network: Network, year: int) -> HttpResponseBase:
    scheme = _scheme(request, network, year)
    fees = selectors.fee_list(scheme=scheme)
    response = HttpResponse(exports.render_pdf(fees), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{exports.filename(fees)}.pdf"'
    return response


@coordinator_only
def scheme_create(request: HttpRequest, network: Network) -> HttpResponseBase:
    form = FeeSchemeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            scheme = services.fee_scheme_create(
                actor=request.user, network=network, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The fee scheme was saved."))
            return redirect("fees:fee_list", slug=network.slug, year=scheme.year)
    return render(
        request, "fees/scheme_form.html", {"network": network, "form": form, "scheme": None}
    )


@coordinator_only
def scheme_edit(request: HttpRequest, network: Network, year: int) -> HttpResponseBase:
    scheme = _scheme(request, network, year)
    form = FeeSchemeForm(request.POST or None, instance=FeeScheme.objects.get(pk=scheme.pk))
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "year"}
        try:
            services.fee_scheme_update(actor=request.user, scheme=scheme, **values)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The fee scheme was saved."))
            return redirect("fees:fee_list", slug=network.slug, year=scheme.year)
    return render(
        request, "fees/scheme_form.html", {"network": network, "form": form, "scheme": scheme}
    )


@coordinator_only
@require_POST
def publish(request: HttpRequest, network: Network, year: int) -> HttpResponseBase:
    scheme = _scheme(request, network, year)
    try:
        services.fee_year_publish(actor=request.user, scheme=scheme)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The fees of %(year)s are published.") % {"year": year})
    return redirect("fees:fee_list", slug=network.slug, year=year)


@coordinator_only
def reopen(request: HttpRequest, network: Network, year: int) -> HttpResponseBase:
    scheme = _scheme(request, network, year)
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.fee_year_reopen(
                actor=request.user, scheme=scheme, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The fees of %(year)s are re-opened.") % {"year": year})
            return redirect("fees:fee_list", slug=network.slug, year=year)
    return render(request, "fees/reopen.html", {"network": network, "scheme": scheme, "form": form})


@coordinator_only
def index(request: HttpRequest, network: Network) -> HttpResponseBase:
    form = FeeIndexForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.fee_index_set(actor=request.user, network=network, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The index was saved."))
            return redirect("fees:index", slug=network.slug)
    indices = fee_index_policy.instances_user_has_permission_for(
        request.user, "view", network=network
    ).order_by("year")
    return render(
        request, "fees/index.html", {"network": network, "form": form, "indices": indices}
    )


@coordinator_only
def population_import(request: HttpRequest, network: Network) -> HttpResponseBase:
    scb_form = ScbUploadForm(
        request.POST if request.POST.get("source") == "scb" else None, request.FILES or None
    )
    kolada_form = KoladaPopulationForm(
        request.POST if request.POST.get("source") == "kolada" else None
    )
    problems: list[RowProblem] = []
    result = None
    if request.method == "POST":
        try:
            if request.POST.get("source") == "scb" and scb_form.is_valid():
                result = population.population_import_scb(
                    actor=request.user, network=network, uploaded=scb_form.cleaned_data["file"]
                )
            elif request.POST.get("source") == "kolada" and kolada_form.is_valid():
                result = population.population_import_kolada(
                    actor=request.user, network=network, years=[kolada_form.cleaned_data["year"]]
                )
        except ImportRejected as rejected:
            problems = rejected.problems
        except ValidationError as error:
            problems = [RowProblem(0, message) for message in error.messages]
        if result is not None:
            messages.success(request, result.summary())
            for detail in result.details:
                messages.warning(request, detail)
            return redirect("fees:population", slug=network.slug)
    figures = population.population_table(network=network)
    return render(
        request,
        "fees/population.html",
        {
            "network": network,
            "scb_form": scb_form,
            "kolada_form": kolada_form,
            "problems": problems,
            "table": figures,
        },
        status=400 if problems else 200,
    )
