"""Demo coordinator time for "Uthållig kommun – klustersamordning" (seeds/003).

FSEK's final report budgeted 50 hours a month per cluster coordinator ("en schablon om 50
timmar per klustersamordnare och månad") and 30 hours a month for the project coordination
over 11 months a year; its table 2 spreads the cluster time over each cluster's
municipalities for 28 months. The demo gives each of the six clusters one coordinator with
50 hours a month from 1 January 2009 to 30 April 2011 (28 months; the report does not say
which 28 of the programme's 30 months it counted), and the network's project coordinator 30
hours a month, 11 months a year, for the whole programme. Storstad, which FSEK took over in
August 2010 outside the 50-hour budget, gets no allocation: its row shows "n/a", as in the
report. The coordinators' names and the logged hours are invented (labelled as demo data).

Idempotent: nothing is added if the network already has allocations.
"""

import datetime
import json
import random
import unicodedata
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from navet.hours.models import Allocation, LoggedHours
from navet.hours.selectors import months_between
from navet.networks.models import Network, Organisation, Person

SLUG = "uthallig-kommun"
DATA_DIR = Path(__file__).resolve().parent / "data"
DATA_FILE = "uthallig-kommun.json"
START = datetime.date(2009, 1, 1)
CLUSTER_END = datetime.date(2011, 4, 30)
PROGRAMME_END = datetime.date(2011, 6, 30)
NO_ALLOCATION = {"storstad"}
DEMO_NOTE = "Demodata: påhittad samordnare och påhittade timmar."
# Invented names, one per cluster (the report's real coordinators are not used).
COORDINATORS = {
    "ovre-norrland": ("Maja", "Lindqvist"),
    "dalarna-gavleborg": ("Erik", "Sandberg"),
    "malardalen": ("Sara", "Holm"),
    "varmland-bergslagen": ("Johan", "Ek"),
    "vastra-gotaland": ("Karin", "Ström"),
    "sydost": ("Anders", "Björk"),
}
ACTIVITIES = [
    "Klusterträff",
    "Webbmöte med klustersamordnarna",
    "Rapportering till Energimyndigheten",
]


@transaction.atomic
def load_demo_hours() -> bool:
    """Add the allocations and some logged hours; False (and nothing changed) if the network
    is missing or already has allocations."""
    network = Network.objects.filter(slug=SLUG).first()
    if network is None or Allocation.objects.filter(network=network).exists():
        return False
    data = json.loads((DATA_DIR / DATA_FILE).read_text(encoding="utf-8"))
    rng = random.Random(14)
    logs: list[LoggedHours] = []
    for row in data["clusters"]:
        if row["slug"] in NO_ALLOCATION or row["slug"] not in COORDINATORS:
            continue
        group = network.groups.get(slug=row["slug"])
        agency, _created = Organisation.objects.get_or_create(
            name=row["energy_agency"], kind=Organisation.Kind.OTHER
        )
        first, last = COORDINATORS[row["slug"]]
        person = Person.objects.create(
            first_name=first,
            last_name=last,
            email=_demo_email(first, last, agency.name),
            organisation=agency,
            title="Klustersamordnare",
            role_category=Person.RoleCategory.COORDINATOR,
            registered_by_network=network,
        )
        group.coordinators.add(person)
        allocation = Allocation.objects.create(
            network=network,
            person=person,
            group=group,
            role=Allocation.Role.CLUSTER_COORDINATOR,
            hours_per_month=Decimal("50"),
            start_date=START,
            end_date=CLUSTER_END,
            note=DEMO_NOTE,
        )
        municipalities = list(
            Organisation.objects.filter(
                kind=Organisation.Kind.MUNICIPALITY, memberships__network=network
            )
            .filter(contact_assignments__group=group)
            .distinct()
            .order_by("name")
        )
        for month in months_between(START, CLUSTER_END):
            logs.append(
                _log(network, allocation, month, rng.randint(16, 30), rng.choice(ACTIVITIES))
            )
            for organisation in rng.sample(municipalities, k=min(2, len(municipalities))):
                logs.append(_log(network, allocation, month, rng.randint(4, 14), "", organisation))
    project_coordinator = network.coordinators.order_by("pk").first()
    if project_coordinator is not None:
        allocation = Allocation.objects.create(
            network=network,
            person=project_coordinator,
            role=Allocation.Role.PROJECT_COORDINATOR,
            hours_per_month=Decimal("30"),
            months_per_year=11,
            start_date=START,
            end_date=PROGRAMME_END,
            note="Seeds/003: 30 timmar i månaden för FSEK:s projektsamordning, 11 månader per år.",
        )
        for month in months_between(START, PROGRAMME_END):
            if month.month != 7:  # 11 months a year: July off.
                logs.append(
                    _log(network, allocation, month, rng.randint(24, 34), "Projektsamordning")
                )
    LoggedHours.objects.bulk_create(logs)
    return True


def _log(
    network: Network,
    allocation: Allocation,
    month: datetime.date,
    hours: int,
    activity: str,
    organisation: Organisation | None = None,
) -> LoggedHours:
    return LoggedHours(
        network=network,
        allocation=allocation,
        month=month,
        hours=Decimal(hours),
        activity=activity,
        organisation=organisation,
    )


def _demo_email(first: str, last: str, organisation: str) -> str:
    """An invented address on the reserved .example domain, like every demo person's."""
    return f"{_ascii(first)}.{_ascii(last)}@{_ascii(organisation)}.example"


def _ascii(text: str) -> str:
    """'Åsa Öberg' -> 'asa-oberg'."""
    return slugify(unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii"))
