"""Authorisation expectations for the fee pages.

Fees are the network coordinators' and platform admins'. The overview is also a member
organisation's own fee page (its published lines only), so a member gets 200 there and 403
everywhere else; the other network's coordinator, a group coordinator of a non-member
organisation, a partner and an outsider get 403: see navet.fees.permissions.
"""

from decimal import Decimal
from typing import Any

from navet.fees.models import FeeIndex, FeeScheme, Population
from tests.authz import MANAGERS, Expectation, only
from tests.factories import organisation

YEAR = 2025
COORDINATORS: Expectation = only(MANAGERS)

EXPECTED: dict[str, tuple[str, Expectation]] = {
    "fees:overview": ("get", only([*MANAGERS, "member"])),
    "fees:scheme_create": ("get", COORDINATORS),
    "fees:index": ("get", COORDINATORS),
    "fees:population": ("get", COORDINATORS),
    "fees:fee_list": ("get", COORDINATORS),
    "fees:scheme_edit": ("get", COORDINATORS),
    "fees:publish": ("post", only(MANAGERS, 302)),
    "fees:reopen": ("get", COORDINATORS),
    "fees:fee_list_xlsx": ("get", COORDINATORS),
    "fees:fee_list_pdf": ("get", COORDINATORS),
}


def build_objects(base: dict[str, Any]) -> dict[str, Any]:
    network = base["network"]
    FeeIndex.objects.create(network=network, year=YEAR, percent=Decimal("3.0"))
    scheme = FeeScheme.objects.create(
        network=network,
        year=YEAR,
        base_year=YEAR - 1,
        rate=Decimal("2.50"),
        floor=Decimal("20000"),
        ceiling=Decimal("150000"),
    )
    Population.objects.get_or_create(
        organisation=organisation("1490"),
        year=YEAR - 1,
        defaults={"inhabitants": 115_000, "source": Population.Source.SCB},
    )
    return {"fee_scheme": scheme}


def url_kwargs(name: str, objects: dict[str, Any]) -> dict[str, Any] | None:
    if not name.startswith("fees:"):
        return None
    slug = objects["network"].slug
    if name in {"fees:overview", "fees:scheme_create", "fees:index", "fees:population"}:
        return {"slug": slug}
    return {"slug": slug, "year": objects["fee_scheme"].year}
