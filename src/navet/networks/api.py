"""Small JSON endpoints for the searchable pickers (``static/js/picker.js``).

Each answers with at most ``LIMIT`` matches of what the form it serves would accept, by the
same rule: the organisation endpoint uses the form's own queryset, the people endpoint
``person_policy``'s "assign" (the network's people, to coordinators of the network or of one of
its groups). Names that begin with what was typed come first, then the others that contain it,
each in Swedish order.
"""

from typing import Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.views.decorators.http import require_GET

from navet.core.views import coordinator_only, deny, network_or_404
from navet.networks import permissions
from navet.networks.forms import membership_organisations, via_organisations
from navet.networks.models import Network, Organisation, Person
from navet.networks.permissions import person_policy

LIMIT = 20
MAX_QUERY = 100


def _query(request: HttpRequest) -> str:
    return " ".join(request.GET.get("q", "").split())[:MAX_QUERY]


def _organisations_for(user: Any, network: Network, purpose: str) -> QuerySet[Organisation]:
    if purpose == "via":
        return via_organisations()
    if purpose == "person":
        return permissions.organisations_for_new_people(user, network)
    return membership_organisations()


@require_GET
@coordinator_only
def organisations(request: HttpRequest, network: Network) -> HttpResponseBase:
    q = _query(request)
    found = _organisations_for(request.user, network, request.GET.get("purpose", ""))
    if q:
        found = found.filter(Q(name__icontains=q) | Q(official_name__icontains=q)).annotate(
            rank=Case(
                When(name__istartswith=q, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
    else:
        found = found.annotate(rank=Value(0, output_field=IntegerField()))
    rows = found.order_by("rank", "name", "pk")[:LIMIT]
    return JsonResponse(
        {
            "results": [
                {
                    "id": organisation.pk,
                    "label": organisation.name,
                    "detail": " · ".join(
                        part
                        for part in (organisation.get_kind_display(), organisation.county)
                        if part
                    ),
                }
                for organisation in rows
            ]
        }
    )


@require_GET
def people(request: HttpRequest, slug: str) -> HttpResponseBase:
    network = network_or_404(slug)
    user = request.user
    if not (
        permissions.can_manage_network(user, network)
        or permissions.coordinates_any_group(user, network)
    ):
        return deny(request)
    q = _query(request)
    found: QuerySet[Person] = person_policy.instances_user_has_permission_for(
        user, "assign", network=network
    )
    rank: Value | Case = Value(0, output_field=IntegerField())
    for word in q.split():
        found = found.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(organisation__name__icontains=word)
        )
    if q:
        first = q.split()[0]
        rank = Case(
            When(Q(first_name__istartswith=first) | Q(last_name__istartswith=first), then=0),
            default=Value(1),
            output_field=IntegerField(),
        )
    rows = found.annotate(rank=rank).order_by("rank", "last_name", "first_name", "pk")[:LIMIT]
    return JsonResponse(
        {
            "results": [
                {
                    "id": person.pk,
                    "label": person.full_name,
                    "detail": " · ".join(p for p in (person.title, person.organisation.name) if p),
                }
                for person in rows
            ]
        }
    )
