"""The hot pages at national scale, each beside what the database and Django alone take for it.

    make bench-hot        # PostgreSQL: a throwaway database, dropped after

For each page: p50 and p95 of the whole page through Django's test client, logged in, with
the caches warm (one request first, as on a page people read all day); then the baseline, in
the same run, taking turns with the page: (1) the very SQL statements the page ran, replayed
through a raw cursor, and (2) a bare Django view that returns a short text through the same
middleware, for the same user. The goal is page p50 ≤ 2 × (replay p50 + bare view p50).

Data: the annual report benchmark's national set (bench/report.py: 20 networks over all 290
municipalities, 5 000 people, 2 000 meetings, 60 000 registrations, evaluations and surveys)
plus the indicator benchmark's catalogue with the values of its key-indicator set for every
municipality, region and the nation over 20 years (bench/indicators.py).
"""

import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]
# Production settings (no test instrumentation, the cached template loader, whitenoise without
# autorefresh), with the throwaway database the Makefile names.
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
os.environ.setdefault("NAVET_SECRET_KEY", "bench-only")
os.environ.setdefault("NAVET_ALLOWED_HOSTS", "testserver")

from django.db import connection  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import include, path  # noqa: E402

from bench import report  # noqa: E402  (sets Django up)
from bench.indicators import (  # noqa: E402
    SET_SLUG,
    build_catalogue,
    build_groups,
    load_rest,
    rows_for,
)
from bench.measure import p95, replay, settle, statements, timed_alternately  # noqa: E402
from navet.accounts.models import User  # noqa: E402
from navet.indicators.models import ImportRun, IndicatorSet  # noqa: E402
from navet.meetings.models import Meeting  # noqa: E402
from navet.networks.models import Membership, Network, Organisation, Person  # noqa: E402

REPEATS = int(os.environ.get("NAVET_BENCH_REPEATS", "40"))
GOAL = 2.0
PASSWORD = "bench-only"  # noqa: S105 (a throwaway account in a throwaway database)


def bare(request: HttpRequest) -> HttpResponse:
    """The floor: Django and the project's middleware, no work of the page's own."""
    return HttpResponse("ok", content_type="text/plain")


# The project's URLs plus the bare view.
urlpatterns = [path("__bench__/bare/", bare), path("", include("config.urls"))]


def build_indicators() -> None:
    _catalogue, organisations = build_catalogue()
    build_groups(organisations)
    in_set = [
        entry.indicator
        for entry in IndicatorSet.objects.get(slug=SET_SLUG).entries.select_related("indicator")
    ]
    run = ImportRun.objects.create(kind=ImportRun.Kind.DEMO, parameters={"bench": "hot pages"})
    load_rest(rows_for(in_set, organisations), run.pk)


def member_user(network: Network) -> User:
    """A person of a member municipality with a login, as most of the network's readers are."""
    membership = Membership.objects.filter(network=network).select_related("organisation").first()
    assert membership is not None
    user = User.objects.create_user(email="member@bench.example", password=PASSWORD)
    Person.objects.create(
        first_name="Bänk",
        last_name="Medlem",
        organisation=membership.organisation,
        user=user,
    )
    return user


def show_statements(executed: list[tuple[str, object]]) -> None:
    """Each statement's time (median of 5) and its start, slowest first."""
    timings = []
    for sql, params in executed:
        samples = timed_alternately([replay([(sql, params)])], 5)[0]
        timings.append((statistics.median(samples), sql))
    for seconds, sql in sorted(timings, reverse=True):
        print(f"    {seconds * 1000:6.2f} ms  {sql[:150]}")


def main() -> None:
    if connection.vendor != "postgresql":
        raise SystemExit("The hot-pages benchmark runs on PostgreSQL (DATABASE_URL).")
    report.call_command("migrate", verbosity=0)
    if Network.objects.exists():
        raise SystemExit("The database already holds networks; give the benchmark an empty one.")
    began = time.perf_counter()
    network, sizes = report.build(random.Random(1))
    build_indicators()
    member = member_user(network)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    built = time.perf_counter() - began
    settle()
    print(f"database: {connection.vendor}; data built in {built:.1f} s")
    print("  " + ", ".join(f"{count} {name}" for name, count in sizes.items()))

    meeting = (
        Meeting.objects.filter(network=network, status=Meeting.Status.HELD)
        .order_by("-starts_at")
        .first()
    )
    assert meeting is not None
    boras = Organisation.objects.get(scb_code="1490")
    slug = network.slug
    pages = [
        ("meeting list", f"/networks/{slug}/meetings/"),
        ("meeting page", f"/networks/{slug}/meetings/{meeting.pk}/"),
        ("indicator comparison", f"/organisations/{boras.pk}/indicators/?set={SET_SLUG}"),
        ("network page", f"/networks/{slug}/"),
        ("start page", "/"),
        ("people directory", f"/networks/{slug}/people/"),
    ]
    client = Client()
    client.force_login(member)

    def get(url: str) -> Callable[[], object]:
        def run() -> object:
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url}: {response.status_code}")
            return response

        return run

    print(
        f"\n{'page':22} {'queries':>7} {'p50 ms':>7} {'p95 ms':>7} {'SQL p50':>8} "
        f"{'bare p50':>8} {'ratio':>6}  (goal ≤ {GOAL:.0f} ×)"
    )
    with override_settings(ROOT_URLCONF=__name__):
        for name, url in pages:
            page = get(url)
            page()  # warm: caches filled, connection open
            executed = statements(page)
            ours, sql, floor = timed_alternately(
                [page, replay(executed), get("/__bench__/bare/")], REPEATS
            )
            base = statistics.median(sql) + statistics.median(floor)
            ratio = statistics.median(ours) / base
            if os.environ.get("NAVET_BENCH_SHOW_SQL"):
                show_statements(executed)
            print(
                f"{name:22} {len(executed):7d} {statistics.median(ours) * 1000:7.1f} "
                f"{p95(ours) * 1000:7.1f} {statistics.median(sql) * 1000:8.1f} "
                f"{statistics.median(floor) * 1000:8.1f} {ratio:5.1f}×  "
                f"{'ok' if ratio <= GOAL else 'OVER GOAL'}"
            )


if __name__ == "__main__":
    main()
