"""The search index: one row per searchable object, whatever app it comes from.

Rows are written only by ``navet.search.indexing`` from the registered providers
(``navet.search.registry``); nothing else reads or writes them but ``selectors.search``.

The full-text part depends on the database:

* PostgreSQL: ``search_vector`` is a ``tsvector`` kept up to date by a trigger
  (``setweight(to_tsvector('swedish', title), 'A') || setweight(to_tsvector('swedish', body),
  'B')``) with a GIN index, and ``title_vector`` the title's part alone (migration 0002);
* SQLite: the column stays empty; the FTS5 table ``search_searchentry_fts`` (external content
  over ``title`` and ``body``, tokenizer ``unicode61`` keeping diacritics) is kept up to date by
  triggers.

Both are created in migrations 0001 and 0002 for the database they run on.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from navet.networks.models import Group, Network

# Longest body indexed: far beyond any real description, and well inside PostgreSQL's 1 MB
# tsvector limit (a longer extracted text is cut, its first 100 000 characters are found).
MAX_BODY_CHARS = 100_000
MAX_TITLE_CHARS = 400


class SearchEntry(models.Model):
    kind = models.CharField(_("type"), max_length=30)
    object_id = models.PositiveBigIntegerField()
    network = models.ForeignKey(
        Network, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    date = models.DateField(null=True, blank=True)
    title = models.CharField(max_length=MAX_TITLE_CHARS)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    # Who may find the entry, in the provider's own terms (a document's visibility), for
    # providers whose rule reads the entry row (``SearchProvider.visible_reads_entry``).
    # Nullable so that adding it is a plain ALTER TABLE on SQLite (a default would rebuild
    # the table and drop its FTS5 triggers).
    access = models.CharField(max_length=30, null=True, blank=True)  # noqa: DJ001
    # PostgreSQL only (filled by a trigger); NULL on SQLite, which uses its FTS5 table.
    search_vector = SearchVectorField(null=True, editable=False)
    # The title's vector alone: small enough to stay in the row, so ranking thousands of hits
    # of a common word by it reads no TOAST (see selectors.FULL_RANK_LIMIT).
    title_vector = SearchVectorField(null=True, editable=False)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_per_object")
        ]
        indexes = [
            models.Index(fields=["network", "year"]),
            models.Index(fields=["date"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {self.title}"
