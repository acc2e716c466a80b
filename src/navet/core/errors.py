"""Error pages (400, 403, 404, 500) in the site's layout, saying what happened and the way on.

Django's own handlers would do, but they know nothing of the network the visitor was in: on
a network's pages the way on is back to that network. The 500 page is rendered without the
request's context processors (no session, no user, no database): whatever broke may be the
database itself.
"""

from typing import Any

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseNotFound,
    HttpResponseServerError,
)
from django.middleware.csrf import get_token
from django.shortcuts import resolve_url
from django.template import loader
from django.utils.http import urlencode

from navet.networks.models import Network


def _network(request: HttpRequest) -> Network | None:
    """The network whose pages the visitor was on, if it exists (network pages are public)."""
    match = getattr(request, "resolver_match", None)
    slug = match.kwargs.get("slug") if match is not None else None
    if not isinstance(slug, str):
        return None
    return Network.objects.filter(slug=slug).only("name", "slug").first()


def _context(request: HttpRequest, *, look_up_network: bool = True) -> dict[str, Any]:
    context: dict[str, Any] = {"network": _network(request) if look_up_network else None}
    if not request.user.is_authenticated:
        context["login_url"] = (
            f"{resolve_url('account_login')}?"
            f"{urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})}"
        )
    return context


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # The request itself is in doubt (a bad host, a broken upload): no look-ups on its behalf.
    body = loader.render_to_string("400.html", {"network": None}, request)
    return HttpResponseBadRequest(body)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    body = loader.render_to_string("403.html", _context(request), request)
    return HttpResponseForbidden(body)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    body = loader.render_to_string("404.html", _context(request), request)
    return HttpResponseNotFound(body)


def server_error(request: HttpRequest) -> HttpResponse:
    # No request context: the context processors would read the session and the user from
    # the database. The CSRF token comes from the cookie, so the language switch still works.
    body = loader.render_to_string("500.html", {"csrf_token": get_token(request)})
    return HttpResponseServerError(body)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """For ``CSRF_FAILURE_VIEW``: an expired or missing form token, said plainly."""
    body = loader.render_to_string("403_csrf.html", {"reason": reason}, request)
    return HttpResponseForbidden(body)
