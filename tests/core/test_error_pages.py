"""The 400, 403, 404 and 500 pages: in the site's layout, in Swedish (English by the language
cookie), saying what happened and offering the way on (log in, back to the network)."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import include, path

import config.urls
from navet.networks.models import Network


def _forbidden(request: HttpRequest, slug: str) -> HttpResponse:
    raise PermissionDenied


def _missing(request: HttpRequest, slug: str) -> HttpResponse:
    raise Http404


def _suspicious(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("test")


def _broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("test")


# This module is the URL configuration of the tests below: the site's own, and views that fail.
urlpatterns = [
    path("test-errors/<slug:slug>/forbidden/", _forbidden),
    path("test-errors/<slug:slug>/missing/", _missing),
    path("test-errors/bad/", _suspicious),
    path("test-errors/broken/", _broken),
    path("", include(config.urls.urlpatterns)),
]
handler400 = config.urls.handler400
handler403 = config.urls.handler403
handler404 = config.urls.handler404
handler500 = config.urls.handler500

pytestmark = pytest.mark.urls("tests.core.test_error_pages")


def _page(response: HttpResponse) -> str:
    return response.content.decode()


def _in_layout(html: str) -> None:
    assert 'class="site-header"' in html
    assert "/static/css/navet.css" in html
    assert 'href="/"' in html  # the start page


def test_the_site_uses_these_handlers() -> None:
    assert config.urls.handler403 == "navet.core.errors.permission_denied"
    assert config.urls.handler404 == "navet.core.errors.page_not_found"
    assert config.urls.handler400 == "navet.core.errors.bad_request"
    assert config.urls.handler500 == "navet.core.errors.server_error"


def test_404_for_an_anonymous_visitor_offers_login_and_the_network(network: Network) -> None:
    response = Client().get(f"/test-errors/{network.slug}/missing/")
    html = _page(response)
    assert response.status_code == 404
    _in_layout(html)
    assert "Sidan finns inte" in html
    assert "Logga in" in html
    assert "/accounts/login/?next=%2Ftest-errors%2Fhallbart-vast%2Fmissing%2F" in html
    assert f"Tillbaka till {network.name}" in html
    assert f'href="/networks/{network.slug}/"' in html


def test_404_for_an_unknown_address() -> None:
    response = Client().get("/no-such-page/")
    html = _page(response)
    assert response.status_code == 404
    _in_layout(html)
    assert "Sidan finns inte" in html
    assert "Till startsidan" in html
    assert "Tillbaka till" not in html


def test_404_of_a_real_view_names_the_network(network: Network) -> None:
    response = Client().get(f"/networks/{network.slug}/memberships/999999/edit/")
    assert response.status_code in (302, 404)  # anonymous visitors may be sent to log in
    response = Client().get("/networks/no-such-network/")
    assert response.status_code == 404
    assert "Sidan finns inte" in _page(response)


def test_403_for_a_logged_in_member_explains_and_leads_back(
    client_for: Callable[[str], Client], network: Network
) -> None:
    response = client_for("member").get(f"/test-errors/{network.slug}/forbidden/")
    html = _page(response)
    assert response.status_code == 403
    _in_layout(html)
    assert "Åtkomst nekad" in html
    assert "din roll ger dig inte tillgång" in html
    assert "samordnare" in html
    assert f"Tillbaka till {network.name}" in html
    assert "/accounts/login/" not in html
    assert "Logga ut" in html  # the member's own menu: the page knows who is logged in


def test_403_of_a_real_view(client_for: Callable[[str], Client], network: Network) -> None:
    response = client_for("member").get(f"/networks/{network.slug}/members/add/")
    assert response.status_code == 403
    assert "Åtkomst nekad" in _page(response)


def test_403_for_an_anonymous_visitor_offers_login(network: Network) -> None:
    response = Client().get(f"/test-errors/{network.slug}/forbidden/")
    html = _page(response)
    assert response.status_code == 403
    assert "Åtkomst nekad" in html
    assert "/accounts/login/?next=" in html


def test_400(db: None) -> None:
    response = Client().get("/test-errors/bad/")
    html = _page(response)
    assert response.status_code == 400
    _in_layout(html)
    assert "Felaktig begäran" in html
    assert "Till startsidan" in html


def test_500_needs_no_database(client_for: Callable[[str], Client]) -> None:
    client = client_for("member")
    client.raise_request_exception = False
    # Everything the handler renders: no query may be needed (the database may be what broke).
    from navet.core.errors import server_error

    request = HttpRequest()
    request.META["SERVER_NAME"] = "testserver"
    request.META["SERVER_PORT"] = "80"
    with CaptureQueriesContext(connection) as queries:
        response = server_error(request)
    assert len(queries) == 0
    html = _page(response)
    assert response.status_code == 500
    _in_layout(html)
    assert "Något gick fel" in html
    assert "Till startsidan" in html
    # And through the whole stack, for a logged-in person.
    response = client.get("/test-errors/broken/")
    assert response.status_code == 500
    assert "Något gick fel" in _page(response)
    assert "RuntimeError" not in _page(response)


@pytest.mark.parametrize(
    ("url", "status", "english"),
    [
        ("/test-errors/hallbart-vast/missing/", 404, "Page not found"),
        ("/test-errors/hallbart-vast/forbidden/", 403, "Access denied"),
        ("/test-errors/bad/", 400, "Bad request"),
        ("/test-errors/broken/", 500, "Something went wrong"),
    ],
)
def test_english_when_the_language_cookie_says_so(
    network: Network, url: str, status: int, english: str
) -> None:
    client = Client(raise_request_exception=False)
    client.cookies["django_language"] = "en"
    response = client.get(url)
    assert response.status_code == status
    assert english in _page(response)
    assert '<html lang="en">' in _page(response)


def test_csrf_failure_page(network: Network) -> None:
    from navet.core.errors import csrf_failure

    request = HttpRequest()
    request.user = AnonymousUser()
    response = csrf_failure(request, reason="CSRF token missing.")
    assert response.status_code == 403
    assert "Formuläret har gått ut" in _page(response)
