"""Sweden's 290 municipalities, 21 regions, 21 county administrative boards and Riket.

They ship with the code (networks/data), so organisations are picked, never typed. The data
migration loads them; ``ensure_reference_organisations`` adds any that are missing (a test
database emptied by a transactional test, say)."""

import json
from pathlib import Path
from typing import Any

from navet.networks.counties import COUNTIES

DATA = Path(__file__).resolve().parent / "data" / "municipalities.json"


# Municipalities that call themselves "stad" (city), as they sign their own letters and web
# sites; every other municipality is "<name> kommun" in the genitive (see official_name).
CITIES = {
    "Borås": "Borås Stad",
    "Göteborg": "Göteborgs Stad",
    "Haparanda": "Haparanda stad",
    "Helsingborg": "Helsingborgs stad",
    "Landskrona": "Landskrona stad",
    "Lidingö": "Lidingö stad",
    "Malmö": "Malmö stad",
    "Mölndal": "Mölndals stad",
    "Solna": "Solna stad",
    "Stockholm": "Stockholms stad",
    "Sundbyberg": "Sundbybergs stad",
    "Trollhättan": "Trollhättans Stad",
    "Vaxholm": "Vaxholms stad",
    "Västerås": "Västerås stad",
}
# Names whose genitive does not follow the rule, and Gotland, which is a region-municipality.
OFFICIAL_EXCEPTIONS = {
    "Falun": "Falu kommun",
    "Gotland": "Region Gotland",
    "Kalmar": "Kalmar kommun",
    "Orust": "Orust kommun",
}
# A name ending in a vowel or in s, x or z takes no genitive s: "Ale kommun", "Alingsås kommun".
_NO_GENITIVE_S = set("aeiouyåäöésxz")


def official_name(name: str, kind: str) -> str:
    """The name the organisation uses for itself: "Borås Stad", "Dals-Eds kommun".

    Regions and county administrative boards already carry their official names ("Region
    Halland", "Västra Götalandsregionen", "Länsstyrelsen i Västra Götalands län"), as does
    Riket.
    """
    if kind != "municipality":
        return name
    if name in CITIES:
        return CITIES[name]
    if name in OFFICIAL_EXCEPTIONS:
        return OFFICIAL_EXCEPTIONS[name]
    genitive = name if name[-1].lower() in _NO_GENITIVE_S else f"{name}s"
    return f"{genitive} kommun"


def reference_rows() -> list[dict[str, str]]:
    municipalities = json.loads(DATA.read_text(encoding="utf-8"))["municipalities"]
    rows = [{"name": "Riket", "kind": "nation", "scb_code": "0000", "county_code": ""}]
    for code, (county, region) in COUNTIES.items():
        rows.append({"name": region, "kind": "region", "scb_code": code, "county_code": code})
        rows.append(
            {"name": f"Länsstyrelsen i {county}", "kind": "county_board", "county_code": code}
        )
    rows += [{**m, "kind": "municipality"} for m in municipalities]
    for row in rows:
        row["official_name"] = official_name(row["name"], row["kind"])
    return rows


def ensure_reference_organisations(organisation_model: Any) -> int:
    """Create the reference organisations that do not exist yet; return how many were made.

    Takes the model class so the data migration can pass its historical model (which may not
    have every field yet: the official names came later).
    """
    existing = set(
        organisation_model.objects.filter(
            kind__in=["nation", "region", "county_board", "municipality"]
        ).values_list("kind", "name")
    )
    fields = {field.name for field in organisation_model._meta.get_fields()}
    missing = [
        {key: value for key, value in row.items() if key in fields}
        for row in reference_rows()
        if (row["kind"], row["name"]) not in existing
    ]
    organisation_model.objects.bulk_create(organisation_model(**row) for row in missing)
    return len(missing)


def fill_official_names(organisation_model: Any) -> int:
    """Give the reference organisations without an official name theirs; return how many."""
    official = {(row["kind"], row["name"]): row["official_name"] for row in reference_rows()}
    changed = []
    for organisation in organisation_model.objects.filter(
        official_name="", kind__in=["nation", "region", "county_board", "municipality"]
    ):
        name = official.get((organisation.kind, organisation.name))
        if name:
            organisation.official_name = name
            changed.append(organisation)
    organisation_model.objects.bulk_update(changed, ["official_name"])
    return len(changed)
