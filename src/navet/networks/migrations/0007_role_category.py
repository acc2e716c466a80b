"""Role categories become a table an admin can extend, seeded with the officials the seeds
name; ``Person.role_category`` keeps holding the code."""

from django.db import migrations, models

import navet.networks.models


def load(apps, schema_editor):
    from navet.networks.role_categories import ensure_role_categories

    ensure_role_categories(apps.get_model("networks", "RoleCategory"))


class Migration(migrations.Migration):
    dependencies = [("networks", "0006_fill_official_names")]

    operations = [
        migrations.CreateModel(
            name="RoleCategory",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.SlugField(max_length=30, unique=True, verbose_name="code")),
                ("name_sv", models.CharField(max_length=100, verbose_name="Swedish name")),
                ("name_en", models.CharField(max_length=100, verbose_name="English name")),
                ("order", models.PositiveSmallIntegerField(default=0, verbose_name="order")),
            ],
            options={
                "verbose_name": "role category",
                "verbose_name_plural": "role categories",
                "ordering": ["order", "code"],
            },
        ),
        migrations.AlterField(
            model_name="person",
            name="role_category",
            field=models.CharField(
                choices=navet.networks.models.role_category_choices,
                default="annan",
                max_length=30,
                verbose_name="role category",
            ),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
