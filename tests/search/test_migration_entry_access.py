"""The migration search.0003: the index's existing document entries get their document's
visibility, which the search's rule reads from the entry row."""

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from navet.documents.models import Document
from navet.networks.models import Network, Organisation
from navet.networks.reference import ensure_reference_organisations
from navet.search.models import SearchEntry
from navet.search.selectors import search

# Migrating needs real transactions (see tests/documents/test_migration_meeting_documents.py).
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def reference_organisations() -> None:
    # A transactional test before this one may have flushed them (``network`` needs them).
    ensure_reference_organisations(Organisation)


def migrate(targets: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)


def test_existing_document_entries_get_their_visibility(network: Network) -> None:
    # Indexed at once, in the transaction that creates them.
    visibilities = [Document.Visibility.PUBLIC, Document.Visibility.COORDINATORS]
    for visibility in visibilities:
        Document.objects.create(network=network, title=f"Om {visibility}", visibility=visibility)
    try:
        migrate([("search", "0002_title_vector")])
        migrate([("search", "0003_entry_access")])
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    entries: dict[str, Any] = dict(
        SearchEntry.objects.filter(kind="document").values_list("title", "access")
    )
    assert entries == {f"Om {v}": v for v in visibilities}
    # The full-text index is still kept up to date (on SQLite, by triggers on the table).
    Document.objects.create(
        network=network,
        title="Efter migreringen om dagvatten",
        visibility=Document.Visibility.PUBLIC,
    )
    assert search(AnonymousUser(), "dagvatten").total == 1
