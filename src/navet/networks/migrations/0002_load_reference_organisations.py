"""Load Sweden's 290 municipalities, 21 regions, 21 county administrative boards and Riket.

The data ship with the code (networks/data), so organisations are picked, never typed.
"""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "municipalities.json"


def load(apps, schema_editor):
    from navet.networks.counties import COUNTIES

    Organisation = apps.get_model("networks", "Organisation")
    municipalities = json.loads(DATA.read_text(encoding="utf-8"))["municipalities"]
    rows = [Organisation(name="Riket", kind="nation", scb_code="0000")]
    for code, (county, region) in COUNTIES.items():
        rows.append(Organisation(name=region, kind="region", scb_code=code, county_code=code))
        rows.append(
            Organisation(name=f"Länsstyrelsen i {county}", kind="county_board", county_code=code)
        )
    rows += [
        Organisation(
            name=m["name"], kind="municipality", scb_code=m["scb_code"], county_code=m["county_code"]
        )
        for m in municipalities
    ]
    Organisation.objects.bulk_create(rows)


def unload(apps, schema_editor):
    Organisation = apps.get_model("networks", "Organisation")
    Organisation.objects.filter(kind__in=["nation", "region", "county_board", "municipality"]).delete()


class Migration(migrations.Migration):
    dependencies = [("networks", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
