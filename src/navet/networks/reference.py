"""Sweden's 290 municipalities, 21 regions, 21 county administrative boards and Riket.

They ship with the code (networks/data), so organisations are picked, never typed. The data
migration loads them; ``ensure_reference_organisations`` adds any that are missing (a test
database emptied by a transactional test, say)."""

import json
from pathlib import Path
from typing import Any

from navet.networks.counties import COUNTIES

DATA = Path(__file__).resolve().parent / "data" / "municipalities.json"


def reference_rows() -> list[dict[str, str]]:
    municipalities = json.loads(DATA.read_text(encoding="utf-8"))["municipalities"]
    rows = [{"name": "Riket", "kind": "nation", "scb_code": "0000", "county_code": ""}]
    for code, (county, region) in COUNTIES.items():
        rows.append({"name": region, "kind": "region", "scb_code": code, "county_code": code})
        rows.append(
            {"name": f"Länsstyrelsen i {county}", "kind": "county_board", "county_code": code}
        )
    rows += [{**m, "kind": "municipality"} for m in municipalities]
    return rows


def ensure_reference_organisations(organisation_model: Any) -> int:
    """Create the reference organisations that do not exist yet; return how many were made.

    Takes the model class so the data migration can pass its historical model.
    """
    existing = set(
        organisation_model.objects.filter(
            kind__in=["nation", "region", "county_board", "municipality"]
        ).values_list("kind", "name")
    )
    missing = [row for row in reference_rows() if (row["kind"], row["name"]) not in existing]
    organisation_model.objects.bulk_create(organisation_model(**row) for row in missing)
    return len(missing)
