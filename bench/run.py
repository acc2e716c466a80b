"""Benchmark of the network core at national scale, as ratios to raw SQL in the same run.

    make bench                      # SQLite in a temporary directory
    DATABASE_URL=postgres://… make bench

Builds 20 networks over Sweden's 290 municipalities, 5 000 people, about 10 000 group
memberships and 6 000 contact assignments (with history), then times whole pages through
Django's test client (view, selectors, template) against the raw SQL that fetches the same
rows. Machines are noisy, so the ratio to the same run's baseline is the figure to read.
"""

import datetime
import os
import random
import statistics
import sys
import tempfile
import time
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
from django.utils import timezone  # noqa: E402

from bench.measure import p95, raw, settle, timed  # noqa: E402
from navet.accounts.models import User  # noqa: E402
from navet.networks import selectors  # noqa: E402
from navet.networks.models import (  # noqa: E402
    ContactAssignment,
    Group,
    GroupMembership,
    Membership,
    Network,
    Organisation,
    Person,
)

NETWORKS, PEOPLE, REPEATS = 20, 5_000, 30
PASSWORD = "bench-only"  # noqa: S105 (a throwaway account in a throwaway database)
START = datetime.date(2015, 1, 1)


def build(rng: random.Random) -> Network:
    municipalities = list(Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY))
    networks = Network.objects.bulk_create(
        Network(name=f"Nätverk {i:02d}", slug=f"natverk-{i:02d}") for i in range(NETWORKS)
    )
    groups = Group.objects.bulk_create(
        Group(network=n, name=f"Grupp {j}", slug=f"grupp-{j}") for n in networks for j in range(3)
    )
    # The first network has every municipality; the others a random third each.
    memberships = [
        Membership(network=networks[0], organisation=m, start_date=START) for m in municipalities
    ]
    for network in networks[1:]:
        memberships += [
            Membership(network=network, organisation=m, start_date=START)
            for m in rng.sample(municipalities, 97)
        ]
    Membership.objects.bulk_create(memberships)
    people = Person.objects.bulk_create(
        Person(
            first_name=f"Förnamn{i}",
            last_name=f"Efternamn{i}",
            email=f"person{i}@bench.example",
            organisation=municipalities[i % len(municipalities)],
        )
        for i in range(PEOPLE)
    )
    GroupMembership.objects.bulk_create(
        GroupMembership(group=g, person=p, start_date=START)
        for p in people
        for g in rng.sample(groups, 2)
    )
    by_org: dict[int, list[Person]] = {}
    for person in people:
        by_org.setdefault(person.organisation_id, []).append(person)
    contacts = []
    for membership in Membership.objects.all():
        first, second = by_org[membership.organisation_id][:2]
        switch = START + datetime.timedelta(days=rng.randrange(2000, 3500))
        contacts += [
            ContactAssignment(
                network_id=membership.network_id,
                organisation_id=membership.organisation_id,
                person=first,
                start_date=START,
                end_date=switch - datetime.timedelta(days=1),
            ),
            ContactAssignment(
                network_id=membership.network_id,
                organisation_id=membership.organisation_id,
                person=second,
                start_date=switch,
            ),
        ]
    ContactAssignment.objects.bulk_create(contacts)
    coordinator = User.objects.create_user(email="bench@navet.example", password=PASSWORD)
    person = Person.objects.create(
        first_name="Bänk", last_name="Samordnare", organisation=municipalities[0], user=coordinator
    )
    networks[0].coordinators.add(person)
    return networks[0]


def main() -> None:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    began = time.perf_counter()
    network = build(random.Random(1))
    print(
        f"database: {connection.vendor}; data built in {time.perf_counter() - began:.1f} s: "
        f"{Network.objects.count()} networks, {Membership.objects.count()} memberships, "
        f"{Person.objects.count()} people, {GroupMembership.objects.count()} group memberships, "
        f"{ContactAssignment.objects.count()} contact assignments"
    )
    settle()
    client = Client()
    client.login(email="bench@navet.example", password=PASSWORD)
    today = timezone.localdate()
    slug = network.slug
    member_sql = (
        "SELECT o.name, o.scb_code, o.county_code, m.start_date, m.end_date, v.name "
        "FROM networks_membership m JOIN networks_organisation o ON o.id = m.organisation_id "
        "LEFT JOIN networks_organisation v ON v.id = m.via_id WHERE m.network_id = %s "
        "ORDER BY o.name, m.start_date"
    )
    # The directory shows 50 people a page and how many there are in all.
    people_sql = (
        "SELECT DISTINCT p.id, p.last_name, p.first_name, o.name, p.email FROM networks_person p "
        "JOIN networks_organisation o ON o.id = p.organisation_id "
        "JOIN networks_membership m ON m.organisation_id = p.organisation_id "
        "WHERE m.network_id = %s AND m.start_date <= %s "
        "AND (m.end_date IS NULL OR m.end_date >= %s) "
        "ORDER BY p.last_name, p.first_name LIMIT 50"
    )
    contacts_sql = (
        "SELECT c.organisation_id, c.group_id, c.person_id, c.start_date, c.end_date "
        "FROM networks_contactassignment c WHERE c.network_id = %s ORDER BY c.start_date, c.id"
    )
    cases = [
        (
            "member list page (290 members)",
            lambda: client.get(f"/networks/{slug}/members/"),
            raw(member_sql, [network.pk]),
        ),
        (
            "people directory page",
            lambda: client.get(f"/networks/{slug}/people/"),
            raw(people_sql, [network.pk, today, today]),
        ),
        (
            "contact turnover (selector)",
            lambda: selectors.contact_turnover(
                network=network, start=datetime.date(2020, 1, 1), end=datetime.date(2025, 12, 31)
            ),
            raw(contacts_sql, [network.pk]),
        ),
        (
            "member list XLSX export",
            lambda: client.get(f"/networks/{slug}/members/export.xlsx"),
            raw(member_sql, [network.pk]),
        ),
    ]
    print(f"\n{'case':34} {'p50 ms':>8} {'p95 ms':>8} {'raw SQL p50 ms':>15} {'ratio p50':>10}")
    for name, action, baseline in cases:
        ours, base = timed(action, REPEATS), timed(baseline, REPEATS)
        ratio = statistics.median(ours) / statistics.median(base)
        print(
            f"{name:34} {statistics.median(ours) * 1000:8.1f} {p95(ours) * 1000:8.1f} "
            f"{statistics.median(base) * 1000:15.2f} {ratio:10.1f}"
        )


if __name__ == "__main__":
    main()
