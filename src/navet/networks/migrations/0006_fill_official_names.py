"""Official names of the reference organisations ("Borås Stad", "Dals-Eds kommun")."""

from django.db import migrations


def fill(apps, schema_editor):
    from navet.networks.reference import fill_official_names

    fill_official_names(apps.get_model("networks", "Organisation"))


class Migration(migrations.Migration):
    dependencies = [("networks", "0005_swedish_collation_official_name")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
