"""Demo fees for Kommunnätverket för hållbar utveckling: a scheme a year, an index, population.

Seeds/000: "Den årliga avgiften baseras på kommunens invånarantal med en undre och övre gräns
… SCB:s befolkningsstatistik för föregående år … indexuppräknas årligen efter rådande
löneutveckling." The rule is from the seed; every figure here is invented for the demo. The
population figures are stored with source "demo" (the pages and downloads label them
"Demodata"); the largest members get figures of about their real size, rounded, so the
floor and the ceiling show, the others a made-up size. Import from Kolada (N01951) or an SCB
file to replace them with the official figures.

Loading is idempotent: nothing is written if the network already has a fee scheme.
"""

import hashlib
from decimal import Decimal

from django.db import transaction

from navet.fees import services
from navet.fees.models import FeeIndex, FeeScheme, Population
from navet.networks.models import Network, Organisation

NETWORK_SLUG = "kommunnatverket"
BASE_YEAR = 2023
# Invented wage index (%): the year's development from the year before.
INDEX = {2024: Decimal("4.1"), 2025: Decimal("3.6"), 2026: Decimal("3.0"), 2027: Decimal("2.8")}
PUBLISHED_YEARS = (2024, 2025)
DRAFT_YEARS = (2026,)
# Rounded, approximate sizes for the largest members (demo data, not official statistics).
ABOUT = {
    "Göteborg": 600_000, "Borås": 115_000, "Mölndal": 70_000, "Trollhättan": 60_000,
    "Uddevalla": 57_000, "Skövde": 57_000, "Kungälv": 48_000, "Lerum": 43_000,
    "Alingsås": 42_000, "Partille": 40_000, "Lidköping": 40_000, "Vänersborg": 40_000,
    "Åmål": 12_000, "Mellerud": 9_000, "Bengtsfors": 9_000, "Färgelanda": 6_000,
    "Dals-Ed": 4_500,
}  # fmt: skip


def _demo_size(organisation: Organisation) -> int:
    if organisation.name in ABOUT:
        return ABOUT[organisation.name]
    digest = hashlib.sha256((organisation.scb_code or organisation.name).encode()).digest()
    return 4_000 + int.from_bytes(digest[:4], "big") % 26_000  # 4 000–30 000, made up


@transaction.atomic
def load_demo_fees() -> bool:
    """Returns False, changing nothing, if the network is missing or already has fees."""
    network = Network.objects.filter(slug=NETWORK_SLUG).first()
    if network is None or FeeScheme.objects.filter(network=network).exists():
        return False
    municipalities = Organisation.objects.filter(
        memberships__network=network, kind=Organisation.Kind.MUNICIPALITY
    ).distinct()
    for organisation in municipalities:
        size = _demo_size(organisation)
        for offset, year in enumerate(range(BASE_YEAR, max(DRAFT_YEARS))):
            if not Population.objects.filter(organisation=organisation, year=year).exists():
                Population.objects.create(
                    organisation=organisation,
                    year=year,
                    inhabitants=round(size * (1 + Decimal("0.004") * offset)),
                    source=Population.Source.DEMO,
                )
    for year, percent in INDEX.items():
        FeeIndex.objects.get_or_create(network=network, year=year, defaults={"percent": percent})
    for year in (*PUBLISHED_YEARS, *DRAFT_YEARS):
        scheme = FeeScheme.objects.create(
            network=network,
            year=year,
            base_year=BASE_YEAR,
            rate=Decimal("1.40"),
            floor=Decimal("8000"),
            ceiling=Decimal("60000"),
            rounding=FeeScheme.Rounding.HUNDREDS,
            pro_rata=True,
            fixed_fee=Decimal("5000"),
        )
        if year in PUBLISHED_YEARS:
            services._publish(actor=None, scheme=scheme)
    return True
