"""Load Sweden's 290 municipalities, 21 regions, 21 county administrative boards and Riket."""

from django.db import migrations


def load(apps, schema_editor):
    from navet.networks.reference import ensure_reference_organisations

    ensure_reference_organisations(apps.get_model("networks", "Organisation"))


def unload(apps, schema_editor):
    Organisation = apps.get_model("networks", "Organisation")
    Organisation.objects.filter(kind__in=["nation", "region", "county_board", "municipality"]).delete()


class Migration(migrations.Migration):
    dependencies = [("networks", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
