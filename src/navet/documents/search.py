"""Documents in the search: title, description, tags and the newest version's text.

Who finds a document is the archive's one rule (``permissions.who_sees_q``), tested on the
entry's copy of the document's visibility, network and group: deleted documents are not in
the index at all, and the entry is written in the transaction that changes the document.
"""

from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from navet.documents.models import Document, DocumentVersion
from navet.documents.permissions import RuleFields, who_sees_q
from navet.search.registry import Entry, SearchProvider, register

# The entry's columns holding the document's visibility, network and group.
ENTRY_FIELDS = RuleFields(visibility="access", network="network_id", group="group_id")


def document_url(document: Document) -> str:
    return reverse("documents:detail", args=[document.network.slug, document.pk])


class DocumentProvider(SearchProvider):
    kind = "document"
    label = _("Documents")
    model = Document
    visible_reads_entry = True

    def queryset(self) -> QuerySet[Any]:
        newest_text = (
            DocumentVersion.objects.filter(document=OuterRef("pk"))
            .order_by("-number")
            .values("text")[:1]
        )
        return (
            Document.objects.filter(deleted_at__isnull=True)
            .select_related("network")
            .annotate(newest_text=Subquery(newest_text))
        )

    def entry(self, document: Any) -> Entry:
        created = timezone.localtime(document.created_at).date()
        tags = " ".join(str(tag) for tag in document.tags or [])
        return Entry(
            title=document.title,
            body="\n".join(p for p in (document.description, tags, document.newest_text) if p),
            url=document_url(document),
            network=document.network_id,
            group=document.group_id,
            year=document.year or created.year,
            date=created,
            access=document.visibility,
        )

    def visible(self, user: Any) -> Q:
        return who_sees_q(user, fields=ENTRY_FIELDS)

    def related(self) -> dict[Any, Any]:
        return {DocumentVersion: lambda version: [version.document_id]}


register(DocumentProvider())
