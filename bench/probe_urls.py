"""URLs for the indicators benchmark: the site's own, plus a probe that goes through Django's
whole request cycle (middleware, session, response) doing only a given piece of work. Timing it
beside that work alone shows what the request cycle itself costs."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns

PROBES: dict[str, Callable[[], object]] = {}


def probe(request: HttpRequest, name: str) -> HttpResponse:
    PROBES[name]()
    return HttpResponse(b"ok")


urlpatterns = [path("bench-probe/<str:name>/", probe, name="bench_probe"), *site_urlpatterns]
