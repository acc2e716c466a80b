"""The database cache table (settings.CACHES when NAVET_REDIS_URL is unset).

Login rate limits live in the cache; a migration creates its table so that ``migrate`` is the
only setup step, on SQLite and PostgreSQL alike. createcachetable leaves an existing table alone
and does nothing when the cache is Redis.
"""

from django.core.management import call_command
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def create_cache_table(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
