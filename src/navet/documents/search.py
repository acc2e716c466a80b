"""Documents in the search: title, description, tags and the newest version's text.

Who finds a document is ``visible_documents_q`` (the archive's one rule); deleted documents
are not in the index at all.
"""

from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from navet.documents.models import Document, DocumentVersion
from navet.documents.permissions import visible_documents_q
from navet.search.registry import Entry, SearchProvider, register


def document_url(document: Document) -> str:
    return reverse("documents:detail", args=[document.network.slug, document.pk])


class DocumentProvider(SearchProvider):
    kind = "document"
    label = _("Documents")
    model = Document

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
        )

    def visible(self, user: Any) -> Q:
        return Q(object_id__in=Document.objects.filter(visible_documents_q(user)).values("pk"))

    def related(self) -> dict[Any, Any]:
        return {DocumentVersion: lambda version: [version.document_id]}


register(DocumentProvider())
