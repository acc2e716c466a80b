"""Benchmark of the coordinator time page (issue 14), as a ratio to raw SQL in the same run.

    .venv/bin/python -m bench.hours                 # SQLite in a temporary directory
    DATABASE_URL=postgres://… .venv/bin/python -m bench.hours

Builds 20 networks, each with 6 clusters of 10 member municipalities (a contact person taking
part in each), 30 coordinators (5 per cluster, 50 hours a month) and 24 months of logged hours
(two entries per coordinator and month: 28 800 rows), then times the hours page of one network
(the cluster table, planned against logged per person, the allocations) through Django's test
client against the raw SQL that reads the same rows. Goal: page p95 under 150 ms.
"""

import datetime
import os
import random
import statistics
import sys
import tempfile
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
from navet.hours.models import Allocation, LoggedHours  # noqa: E402
from navet.hours.selectors import months_between  # noqa: E402
from navet.networks.models import (  # noqa: E402
    Group,
    GroupMembership,
    Membership,
    Network,
    Organisation,
    Person,
)

REPEATS = int(os.environ.get("NAVET_BENCH_REPEATS", "20"))
PASSWORD = "bench-only"  # noqa: S105 (a throwaway account in a throwaway database)
NETWORKS, CLUSTERS, PER_CLUSTER, COORDINATORS = 20, 6, 10, 30
START, END = datetime.date(2023, 1, 1), datetime.date(2024, 12, 31)  # 24 months
BATCH = 2000


def build(rng: random.Random) -> Network:
    if Network.objects.exists():
        raise SystemExit("The database already holds networks; use an empty one.")
    municipalities = list(Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY))
    networks = Network.objects.bulk_create(
        Network(name=f"Nätverk {n:02}", slug=f"natverk-{n:02}") for n in range(NETWORKS)
    )
    groups = Group.objects.bulk_create(
        Group(network=network, name=f"Kluster {c}", slug=f"kluster-{c}", kind=Group.Kind.CLUSTER)
        for network in networks
        for c in range(CLUSTERS)
    )
    memberships: list[Membership] = []
    people: list[Person] = []
    places: list[Group | None] = []
    for network in networks:
        chosen = rng.sample(municipalities, CLUSTERS * PER_CLUSTER)
        memberships += [
            Membership(network=network, organisation=o, start_date=START) for o in chosen
        ]
        for index, group in enumerate(g for g in groups if g.network_id == network.pk):
            for organisation in chosen[index * PER_CLUSTER : (index + 1) * PER_CLUSTER]:
                people.append(
                    Person(
                        first_name="Kontakt", last_name=f"{len(people)}", organisation=organisation
                    )
                )
                places.append(group)
            for _ in range(COORDINATORS // CLUSTERS):
                people.append(
                    Person(
                        first_name="Samordnare", last_name=f"{len(people)}", organisation=chosen[0]
                    )
                )
                places.append(None)
    Membership.objects.bulk_create(memberships, batch_size=BATCH)
    people = Person.objects.bulk_create(people, batch_size=BATCH)
    participations: list[GroupMembership] = []
    allocations: list[Allocation] = []
    pending_group: Group | None = None
    for person, place in zip(people, places, strict=True):
        if place is not None:
            participations.append(GroupMembership(group=place, person=person, start_date=START))
            pending_group = place
        else:
            assert pending_group is not None
            allocations.append(
                Allocation(
                    network_id=pending_group.network_id,
                    group=pending_group,
                    person=person,
                    hours_per_month=Decimal("50"),
                    start_date=START,
                    end_date=END,
                )
            )
    GroupMembership.objects.bulk_create(participations, batch_size=BATCH)
    allocations = Allocation.objects.bulk_create(allocations, batch_size=BATCH)
    logs = [
        LoggedHours(
            network_id=allocation.network_id,
            allocation=allocation,
            month=month,
            hours=Decimal(rng.randint(5, 30)),
            activity="Klusterträff" if entry else "Kommunbesök",
        )
        for allocation in allocations
        for month in months_between(START, END)
        for entry in range(2)
    ]
    LoggedHours.objects.bulk_create(logs, batch_size=BATCH)
    user = User.objects.create_user(
        email="bench@navet.example", password=PASSWORD, is_superuser=True
    )
    assert user.pk
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return networks[0]


def main() -> None:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    network = build(random.Random(14))
    print(
        f"database: {connection.vendor}; {Network.objects.count()} networks, "
        f"{Allocation.objects.count()} allocations, {LoggedHours.objects.count()} logged rows"
    )
    settle()
    client = Client()
    client.login(email="bench@navet.example", password=PASSWORD)
    url = f"/networks/{network.slug}/hours/?start={START}&end={END}"
    assert client.get(url).status_code == 200
    # The same rows: the network's allocations with person and group, its logged hours summed
    # per allocation, and the municipalities taking part in each cluster.
    sql = (
        "SELECT a.id, a.hours_per_month, a.months_per_year, a.start_date, a.end_date, "
        "p.first_name, p.last_name, g.name, "
        "(SELECT SUM(l.hours) FROM hours_loggedhours l WHERE l.allocation_id = a.id "
        " AND l.month >= %s AND l.month <= %s), "
        "(SELECT COUNT(DISTINCT q.organisation_id) FROM networks_groupmembership gm "
        " JOIN networks_person q ON q.id = gm.person_id WHERE gm.group_id = a.group_id) "
        "FROM hours_allocation a JOIN networks_person p ON p.id = a.person_id "
        "LEFT JOIN networks_group g ON g.id = a.group_id WHERE a.network_id = %s "
        "ORDER BY g.name, a.start_date"
    )
    page = lambda: client.get(url)  # noqa: E731
    baseline = raw(sql, [START, END, network.pk])
    ours, base = timed_alternately([page, baseline], REPEATS)
    print(f"page runs {count_queries(page)} SQL statements")
    print(f"\n{'case':34} {'p50 ms':>8} {'p95 ms':>8} {'raw SQL p50 ms':>15} {'ratio p50':>10}")
    ratio = statistics.median(ours) / statistics.median(base)
    print(
        f"{'hours page (30 coordinators, 24 mo)':34} {statistics.median(ours) * 1000:8.1f} "
        f"{p95(ours) * 1000:8.1f} {statistics.median(base) * 1000:15.2f} {ratio:10.1f}"
    )
    print(f"goal: page p95 under 150 ms: {'met' if p95(ours) < 0.150 else 'NOT met'}")


if __name__ == "__main__":
    main()
