"""The Swedish collation the name columns sort by (``navet.core.collation.SWEDISH``).

PostgreSQL: an ICU collation for sv-SE (ICU ships with Debian's and the official packages;
``sv-SE-x-icu`` is the same rules under the name initdb gives them). SQLite: nothing to create,
``navet.core.sqlite`` registers the collation on every connection.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from navet.core.collation import SWEDISH


def create_collation(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE COLLATION IF NOT EXISTS "{SWEDISH}" (provider = icu, locale = \'sv-SE\')'
        )


def drop_collation(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP COLLATION IF EXISTS "{SWEDISH}"')


class Migration(migrations.Migration):
    dependencies = [("core", "0002_cache_table")]

    operations = [migrations.RunPython(create_collation, drop_collation)]
