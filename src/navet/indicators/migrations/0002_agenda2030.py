"""Load Agenda 2030's 17 goals and 169 targets and the shipped starter catalogue."""

from django.db import migrations


def load(apps, schema_editor):
    from navet.indicators.catalogue import load_agenda2030, load_catalogue

    goal_model = apps.get_model("indicators", "SdgGoal")
    target_model = apps.get_model("indicators", "SdgTarget")
    load_agenda2030(goal_model=goal_model, target_model=target_model)
    load_catalogue(
        indicator_model=apps.get_model("indicators", "Indicator"),
        set_model=apps.get_model("indicators", "IndicatorSet"),
        entry_model=apps.get_model("indicators", "IndicatorSetEntry"),
        goal_model=goal_model,
        target_model=target_model,
    )


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]
    # Unapplying leaves the rows: 0001's reversal drops the tables anyway.
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
