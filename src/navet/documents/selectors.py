"""Reads for the document archive. Every list of documents starts from ``document_policy``
(``visible_documents_q``), so no list shows a document its reader may not see."""

import json
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    TextField,
    Value,
)
from django.db.models.functions import Cast, Coalesce

from navet.documents.models import Document, DocumentVersion, DownloadCount
from navet.documents.permissions import document_policy
from navet.meetings.models import Meeting
from navet.networks.models import Group, Network


@dataclass(frozen=True)
class ArchiveFilters:
    group: Group | None = None
    meeting: Meeting | None = None
    category: str = ""
    year: int | None = None
    tag: str = ""
    text: str = ""

    @property
    def any(self) -> bool:
        return any((self.group, self.meeting, self.category, self.year, self.tag, self.text))


def _newest(field: str) -> Subquery:
    return Subquery(
        DocumentVersion.objects.filter(document=OuterRef("pk"))
        .order_by("-number")
        .values(field)[:1]
    )


def with_newest_version(documents: QuerySet[Document]) -> QuerySet[Document]:
    """Each document with its newest version's name, kind, size and extraction state, and
    how often it was downloaded (all years), for lists."""
    downloads = (
        DownloadCount.objects.filter(document=OuterRef("pk"))
        .order_by()
        .values("document")
        .annotate(total=Sum("count"))
        .values("total")
    )
    return documents.annotate(
        newest_number=_newest("number"),
        newest_name=_newest("original_name"),
        newest_kind=_newest("kind"),
        newest_size=_newest("size"),
        newest_extraction=_newest("extraction"),
        download_total=Coalesce(Subquery(downloads, output_field=IntegerField()), Value(0)),
    )


def has_tag(tag: str) -> Q:
    """Documents carrying ``tag`` (tags are stored lower case)."""
    tag = tag.strip().lower()
    if connection.features.supports_json_field_contains:
        return Q(tags__contains=[tag])
    # SQLite: the tags list as its JSON text, where each tag is a quoted JSON string.
    tagged = Document.objects.alias(tags_text=Cast("tags", TextField())).filter(
        tags_text__contains=json.dumps(tag)
    )
    return Q(pk__in=tagged.values("pk"))


def archive(
    user: Any, network: Network, filters: ArchiveFilters | None = None
) -> QuerySet[Document]:
    """The network's documents ``user`` may see, newest first, narrowed by ``filters``."""
    filters = filters or ArchiveFilters()
    documents = document_policy.instances_user_has_permission_for(user, "view", network=network)
    if filters.group is not None:
        documents = documents.filter(group=filters.group)
    if filters.meeting is not None:
        documents = documents.filter(meeting=filters.meeting)
    if filters.category:
        documents = documents.filter(category=filters.category)
    if filters.year is not None:
        documents = documents.filter(year=filters.year)
    if filters.tag:
        documents = documents.filter(has_tag(filters.tag))
    if filters.text:
        documents = documents.filter(title__icontains=filters.text.strip())
    return (
        with_newest_version(documents)
        .select_related("group", "meeting")
        .order_by("-created_at", "-pk")
    )


def archive_years(user: Any, network: Network) -> list[int]:
    """The years of the documents ``user`` may see, for the year filter."""
    documents = document_policy.instances_user_has_permission_for(user, "view", network=network)
    years = documents.exclude(year__isnull=True).order_by("-year").values_list("year", flat=True)
    return [year for year in years.distinct() if year is not None]


def archive_tags(user: Any, network: Network, *, limit: int = 50) -> list[str]:
    """The most used tags among the documents ``user`` may see (most used first)."""
    documents = document_policy.instances_user_has_permission_for(user, "view", network=network)
    counts: dict[str, int] = {}
    for tags in documents.values_list("tags", flat=True).iterator():
        for tag in tags or ():
            counts[tag] = counts.get(tag, 0) + 1
    return sorted(counts, key=lambda tag: (-counts[tag], tag))[:limit]


def archive_meetings(user: Any, network: Network) -> QuerySet[Meeting]:
    """Meetings that have a document ``user`` may see, for the meeting filter."""
    documents = document_policy.instances_user_has_permission_for(user, "view", network=network)
    return Meeting.objects.filter(
        pk__in=documents.exclude(meeting__isnull=True).values("meeting_id")
    ).order_by("-starts_at")


def versions(document: Document) -> QuerySet[DocumentVersion]:
    """A document's versions, newest first, with who uploaded each."""
    return document.versions.select_related("uploaded_by", "restored_from").order_by("-number")


def newest_version(document: Document) -> DocumentVersion | None:
    return document.versions.order_by("-number").first()


def recently_deleted(user: Any, network: Network) -> QuerySet[Document]:
    """Deleted documents ``user`` may still restore (deleted less than 30 days ago)."""
    return (
        document_policy.instances_user_has_permission_for(user, "restore", network=network)
        .select_related("deleted_by", "group")
        .order_by("-deleted_at", "-pk")
    )


def download_total(document: Document) -> int:
    return document.downloads.aggregate(total=Sum("count"))["total"] or 0


@dataclass(frozen=True)
class DownloadRow:
    organisation_id: int | None
    organisation_name: str
    year: int
    downloads: int
    documents: int


def downloads_per_organisation(network: Network, *, year: int | None = None) -> list[DownloadRow]:
    """Downloads of the network's documents per organisation and year (deleted documents
    too: the downloads happened). "The public" (no organisation) is a row of its own."""
    counts = DownloadCount.objects.filter(document__network=network)
    if year is not None:
        counts = counts.filter(year=year)
    return _download_rows(counts)


def document_downloads(document: Document) -> list[DownloadRow]:
    """One document's downloads per organisation and year."""
    return _download_rows(document.downloads.all())


def _download_rows(counts: QuerySet[DownloadCount]) -> list[DownloadRow]:
    rows = (
        counts.values("organisation_id", "organisation__name", "year")
        .annotate(downloads=Sum("count"), documents=Count("document", distinct=True))
        .order_by("-year", "-downloads", "organisation__name")
    )
    return [
        DownloadRow(
            organisation_id=row["organisation_id"],
            organisation_name=row["organisation__name"] or "",
            year=row["year"],
            downloads=row["downloads"],
            documents=row["documents"],
        )
        for row in rows
    ]
