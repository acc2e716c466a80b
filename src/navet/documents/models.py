"""The document archive: every file and link a network keeps, with its versions.

A document is filed under a network and, optionally, one of its groups or meetings; who may
see it is its ``visibility`` (``permissions.visible_documents_q`` is the one rule). A file
document has one or more versions: the newest is the one every link serves, and restoring an
older one adds a new version with the old file, so nothing in the history is ever rewritten.
Deleting sets ``deleted_at``; a coordinator can undo it for ``RESTORE_DAYS`` days.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from navet.indicators.models import SdgGoal
from navet.meetings.models import Meeting
from navet.networks.models import Group, Network, Organisation

RESTORE_DAYS = 30


class Document(models.Model):
    class Visibility(models.TextChoices):
        PUBLIC = "public", _("everyone (public)")
        MEMBERS = "members", _("the network's members")
        GROUP = "group", _("the group's participants")
        COORDINATORS = "coordinators", _("coordinators only")

    class Category(models.TextChoices):
        MINUTES = "minutes", _("minutes")
        PRESENTATION = "presentation", _("presentation")
        RECORDING = "recording", _("recording")
        REPORT = "report", _("report")
        PLAN = "plan", _("plan")
        OTHER = "other", _("other")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="documents")
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(
        _("kind"), max_length=20, choices=Category.choices, default=Category.OTHER
    )
    # Free words to find and group documents by ("klimat", "upphandling"), lower case.
    tags = models.JSONField(_("tags"), default=list, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    goals = models.ManyToManyField(
        SdgGoal, blank=True, related_name="documents", verbose_name=_("Agenda 2030 goals")
    )
    visibility = models.CharField(_("who may see it"), max_length=20, choices=Visibility.choices)
    # A link document (a recording, an external report) has a URL and no versions.
    url = models.URLField(_("link"), max_length=1000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [models.Index(fields=["network", "deleted_at", "visibility"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_link(self) -> bool:
        return bool(self.url)

    @property
    def restorable_until(self) -> datetime.datetime | None:
        if self.deleted_at is None:
            return None
        return self.deleted_at + datetime.timedelta(days=RESTORE_DAYS)


def version_path(version: "DocumentVersion", filename: str) -> str:
    # The stored name says nothing of the original name (kept in ``original_name``): no
    # path parts or odd characters from a user ever reach the storage.
    return f"documents/{version.document.network_id}/{version.document_id}/{version.token}"


class DocumentVersion(models.Model):
    class Extraction(models.TextChoices):
        PENDING = "pending", _("waiting for text extraction")
        DONE = "done", _("text extracted")
        FAILED = "failed", _("text extraction failed")
        NONE = "none", _("no text to extract")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(_("file"), upload_to=version_path, max_length=300)
    # A random name for the stored file; a restored version shares the file of the original.
    token = models.CharField(max_length=64)
    original_name = models.CharField(_("file name"), max_length=255)
    # What the content is (``core.uploads`` kinds: pdf, png, ooxml, text …) and its MIME type.
    kind = models.CharField(max_length=20)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    note = models.CharField(_("note"), max_length=500, blank=True)
    restored_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    extraction = models.CharField(
        max_length=20, choices=Extraction.choices, default=Extraction.PENDING
    )
    extraction_error = models.CharField(max_length=500, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="document_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"


class DownloadCount(models.Model):
    """How often a document was downloaded, per organisation and year. Who downloaded is not
    kept: only the organisation of the person (none for the public)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="downloads")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        # One row per document, organisation (or none, for the public) and year.
        constraints = [
            models.UniqueConstraint(
                fields=["document", "organisation", "year"],
                condition=models.Q(organisation__isnull=False),
                name="download_count_per_organisation_year",
            ),
            models.UniqueConstraint(
                fields=["document", "year"],
                condition=models.Q(organisation__isnull=True),
                name="download_count_public_per_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document} {self.year}: {self.count}"
