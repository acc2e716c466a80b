from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from navet.core import bounds
from navet.networks.models import Network
from navet.search import registry, selectors

MAX_PAGE = 10_000


def search(request: HttpRequest) -> HttpResponse:
    """/search/?q=…&type=…&network=<slug>&group=<slug>&year=…&order=date&page=…"""
    notes: list[str] = []
    raw_query = request.GET.get("q", "") or ""
    query = selectors.clean_query(raw_query)
    if len(" ".join(raw_query.split())) > selectors.MAX_QUERY_CHARS:
        notes.append(
            _("Your search was cut to its first %(limit)d characters.")
            % {"limit": selectors.MAX_QUERY_CHARS}
        )
    known_kinds = registry.kinds()
    kinds = [k for k in request.GET.getlist("type") if k in known_kinds]
    if len(kinds) < len([k for k in request.GET.getlist("type") if k]):
        notes.append(_("An unknown type was ignored."))

    network = group = None
    network_slug = request.GET.get("network", "") or ""
    if network_slug:
        network = Network.objects.filter(slug=network_slug[:100]).first()
        if network is None:
            notes.append(_("There is no such network; the network filter was ignored."))
    group_slug = request.GET.get("group", "") or ""
    if group_slug and network is not None:
        group = network.groups.filter(slug=group_slug[:100]).first()
        if group is None:
            notes.append(_("There is no such group; the group filter was ignored."))
    year, message = bounds.int_param(
        request, "year", low=bounds.EARLIEST_YEAR, high=bounds.LATEST_YEAR
    )
    if message:
        notes.append(message)
    page, message = bounds.int_param(request, "page", low=1, high=MAX_PAGE)
    if message:
        notes.append(message)
    order = "date" if request.GET.get("order") == "date" else "relevance"

    results = None
    too_short = False
    if query:
        if selectors.query_words(query):
            results = selectors.search(
                request.user,
                query,
                kinds=kinds,
                network=network,
                group=group,
                year=year,
                order=order,
                page=page or 1,
            )
        else:
            too_short = True
    return render(
        request,
        "search/search.html",
        {
            "query": query,
            "results": results,
            "too_short": too_short,
            "min_chars": selectors.MIN_WORD_CHARS,
            "notes": notes,
            "kinds": kinds,
            "kind_choices": [(p.kind, p.label) for p in registry.providers()],
            "network": network,
            "group": group,
            "groups": list(network.groups.all()) if network is not None else [],
            "year": year,
            "order": order,
        },
    )
