"""View helpers every app uses: the safe way to find a network, refuse, and show errors.

Views never look an object up by primary key alone. They find the network from the URL's slug
(``network_or_404``), ask a permission function or a policy (``navet.core.policies``) and look
objects up through the policy's queryset, so an id from another network is simply not found.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from navet.core import bounds
from navet.networks.models import Network


def deny(request: HttpRequest) -> HttpResponseBase:
    """Anonymous visitors are sent to log in; logged-in people without the right get 403."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def apply_errors(form: Any, error: ValidationError) -> None:
    """Attach a service's ValidationError to the form so the page shows it beside the field."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error)


def network_or_404(slug: str) -> Network:
    return get_object_or_404(Network, slug=slug)


def network_view(check: Callable[[Any, Network], bool]) -> Callable[..., Any]:
    """Look up the network from the URL's slug and let only those who pass ``check`` in."""

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapper(request: HttpRequest, slug: str, **kwargs: Any) -> HttpResponseBase:
            network = network_or_404(slug)
            if not check(request.user, network):
                return deny(request)
            return view(request, network, **kwargs)

        return wrapper

    return decorator


def year_in_range(url_name: str) -> Callable[..., Any]:
    """For views of one network-year: a year outside the years Navet keeps gives the page of
    ``url_name`` for this year, with a message, instead of an empty or broken page."""

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapper(
            request: HttpRequest, network: Network, year: int, **kwargs: Any
        ) -> HttpResponseBase:
            first, last = bounds.EARLIEST_YEAR, bounds.LATEST_YEAR
            if not first <= year <= last:
                shown = min(max(timezone.localdate().year, first), last)
                messages.warning(
                    request,
                    _(
                        "Navet shows the years %(first)d–%(last)d, not %(year)s; showing "
                        "%(shown)d instead."
                    )
                    % {"first": first, "last": last, "year": year, "shown": shown},
                )
                return redirect(url_name, slug=network.slug, year=shown)
            return view(request, network, year, **kwargs)

        return wrapper

    return decorator


def _manages_network(user: Any, network: Network) -> bool:
    # Imported here: the network core's permissions import its selectors, which import core.
    from navet.networks.permissions import can_manage_network

    return can_manage_network(user, network)


coordinator_only = network_view(_manages_network)
"""For views of a network's coordinators (and platform admins) only."""
