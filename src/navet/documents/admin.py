"""The archive in the admin: to look, not to change. Every upload, edit, delete and restore
goes through the archive's pages and services, which check the file, keep the history and
write the audit trail; platform admins may use those pages in every network."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from navet.documents.models import Document, DocumentVersion


class ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class VersionInline(ReadOnly, admin.TabularInline):
    model = DocumentVersion
    fields = (
        "number",
        "original_name",
        "kind",
        "content_type",
        "size",
        "sha256",
        "uploaded_by",
        "uploaded_at",
        "note",
        "restored_from",
        "extraction",
        "extraction_error",
    )
    readonly_fields = fields
    extra = 0
    ordering = ["-number"]


@admin.register(Document)
class DocumentAdmin(ReadOnly, admin.ModelAdmin):
    list_display = [
        "title",
        "network",
        "group",
        "meeting",
        "category",
        "visibility",
        "year",
        "created_at",
        "deleted_at",
    ]
    list_filter = ["network", "category", "visibility", "year"]
    search_fields = ["title", "description"]
    raw_id_fields = ["group", "meeting", "created_by", "deleted_by"]
    inlines = [VersionInline]
