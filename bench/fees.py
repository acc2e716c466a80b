"""Benchmark of the fee list (issue 14), as a ratio to raw SQL in the same run.

    .venv/bin/python -m bench.fees                  # SQLite in a temporary directory
    DATABASE_URL=postgres://… .venv/bin/python -m bench.fees

Builds one network with all 290 municipalities as members (30 of them via 5 associations of
municipalities, which are members too, 12 joining on 1 July), population for 31 December of
the year before, a yearly index over five years and fee schemes for 2024 (published: stored
lines) and 2025 (open: computed on each request). Times the fee list page of both years and
the XLSX download through Django's test client against the raw SQL that reads the same rows.
Goal: page p95 under 150 ms.
"""

import datetime
import os
import random
import statistics
import sys
import tempfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
os.environ.setdefault("NAVET_DATA_DIR", tempfile.mkdtemp(prefix="navet-bench-"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from bench.measure import count_queries, p95, raw, settle, timed_alternately  # noqa: E402
from navet.accounts.models import User  # noqa: E402
from navet.fees import services  # noqa: E402
from navet.fees.models import FeeIndex, FeeLine, FeeScheme, Population  # noqa: E402
from navet.networks.models import Membership, Network, Organisation  # noqa: E402

REPEATS = int(os.environ.get("NAVET_BENCH_REPEATS", "20"))
PASSWORD = "bench-only"  # noqa: S105 (a throwaway account in a throwaway database)
START = datetime.date(2015, 1, 1)
ASSOCIATIONS, VIA_EACH, JOINING = 5, 6, 12


def build(rng: random.Random) -> tuple[Network, User]:
    if Network.objects.exists():
        raise SystemExit("The database already holds networks; use an empty one.")
    municipalities = list(Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY))
    assert len(municipalities) == 290, len(municipalities)
    network = Network.objects.create(name="Avgiftsnätverket", slug="avgifter")
    associations = Organisation.objects.bulk_create(
        Organisation(name=f"Kommunalförbund {i}", kind=Organisation.Kind.ASSOCIATION)
        for i in range(ASSOCIATIONS)
    )
    memberships = [
        Membership(network=network, organisation=a, start_date=START) for a in associations
    ]
    for index, municipality in enumerate(municipalities):
        via = associations[index // VIA_EACH] if index < ASSOCIATIONS * VIA_EACH else None
        joined = datetime.date(2025, 7, 1) if 100 <= index < 100 + JOINING else START
        memberships.append(
            Membership(network=network, organisation=municipality, via=via, start_date=joined)
        )
    Membership.objects.bulk_create(memberships)
    Population.objects.bulk_create(
        Population(
            organisation=m, year=year, inhabitants=rng.randint(2_500, 600_000), source="demo"
        )
        for m in municipalities
        for year in (2023, 2024)
    )
    FeeIndex.objects.bulk_create(
        FeeIndex(network=network, year=year, percent=Decimal(rng.randint(20, 45)) / 10)
        for year in range(2021, 2026)
    )
    user = User.objects.create_user(
        email="bench@navet.example", password=PASSWORD, is_superuser=True
    )
    for year in (2024, 2025):
        services.fee_scheme_create(
            actor=user,
            network=network,
            year=year,
            base_year=2020,
            rate=Decimal("1.40"),
            floor=Decimal("8000"),
            ceiling=Decimal("60000"),
            rounding=100,
            pro_rata=True,
            fixed_fee=Decimal("5000"),
        )
    services.fee_year_publish(actor=user, scheme=FeeScheme.objects.get(network=network, year=2024))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return network, user


def main() -> None:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    network, _user = build(random.Random(14))
    print(
        f"database: {connection.vendor}; {Membership.objects.count()} memberships, "
        f"{Population.objects.count()} population rows, {FeeLine.objects.count()} stored lines"
    )
    settle()
    client = Client()
    client.login(email="bench@navet.example", password=PASSWORD)
    # The open year: the memberships in the year with organisation and via, the population
    # of the year before, the index and the scheme; the published year: its stored lines.
    open_sql = (
        "SELECT m.organisation_id, m.start_date, m.end_date, o.name, o.kind, o.scb_code, "
        "v.name, p.inhabitants, p.source FROM networks_membership m "
        "JOIN networks_organisation o ON o.id = m.organisation_id "
        "LEFT JOIN networks_organisation v ON v.id = m.via_id "
        "LEFT JOIN fees_population p ON p.organisation_id = m.organisation_id AND p.year = %s "
        "WHERE m.network_id = %s AND m.start_date <= %s "
        "AND (m.end_date IS NULL OR m.end_date >= %s) ORDER BY o.name"
    )
    published_sql = (
        "SELECT l.*, o.name, b.name FROM fees_feeline l "
        "JOIN networks_organisation o ON o.id = l.organisation_id "
        "JOIN networks_organisation b ON b.id = l.billed_to_id "
        "JOIN fees_feescheme s ON s.id = l.scheme_id "
        "WHERE s.network_id = %s AND s.year = %s ORDER BY b.name, o.name"
    )
    open_rows = raw(
        open_sql, [2024, network.pk, datetime.date(2025, 12, 31), datetime.date(2025, 1, 1)]
    )
    published_rows = raw(published_sql, [network.pk, 2024])
    base = f"/networks/{network.slug}/fees"
    cases: list[tuple[str, Callable[[], object], Callable[[], object]]] = [
        ("fee list 2025, open (290 + 5)", lambda: client.get(f"{base}/2025/"), open_rows),
        ("fee list 2024, published", lambda: client.get(f"{base}/2024/"), published_rows),
        ("fee list XLSX, open", lambda: client.get(f"{base}/2025/fees.xlsx"), open_rows),
    ]
    for name, page, _baseline in cases:
        response = page()
        assert getattr(response, "status_code", 200) == 200, name
        print(f"{name}: {count_queries(page)} SQL statements")
    print(f"\n{'case':34} {'p50 ms':>8} {'p95 ms':>8} {'raw SQL p50 ms':>15} {'ratio p50':>10}")
    worst = 0.0
    for name, page, baseline in cases:
        ours, theirs = timed_alternately([page, baseline], REPEATS)
        ratio = statistics.median(ours) / statistics.median(theirs)
        if "XLSX" not in name:
            worst = max(worst, p95(ours))
        print(
            f"{name:34} {statistics.median(ours) * 1000:8.1f} {p95(ours) * 1000:8.1f} "
            f"{statistics.median(theirs) * 1000:15.2f} {ratio:10.1f}"
        )
    print(f"goal: page p95 under 150 ms: {'met' if worst < 0.150 else 'NOT met'}")


if __name__ == "__main__":
    main()
