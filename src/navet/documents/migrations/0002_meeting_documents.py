"""Meeting attachments become archive documents, so there is one way to store a file.

Every ``meetings.MeetingDocument`` becomes a ``documents.Document`` of the meeting's network,
filed under the meeting (and under its group when the meeting has exactly one), of the category
its kind names, seen by the network's members (the safe default for every kind: minutes were
open to anyone before) and dated by the meeting's year. A link stays a link. A file gets
version 1, which points at the same stored file (nothing is copied); its size, SHA-256 and kind
are read from the stored bytes here, and its text is extracted here too, synchronously, with
the archive's ``extraction.extract_text`` (there is no queue to hand it to during a migration;
the meeting attachments are few, and the search index is built from them after the migration).
A file that cannot be read is marked as a failed extraction, which a coordinator can retry;
images and unknown kinds have no text ("none"). Should the extraction code be gone one day, the
versions are left "pending". A stored file that is missing still gets its version, marked as
a failed extraction, so the loss shows on the document. A meeting document with neither a file
nor a link carries nothing to keep and is not moved.

The sniffing below repeats ``navet.core.uploads.sniff_type`` (and the content types are those
of ``documents.services.content_type_for``) on purpose: a migration must keep working when the
application code changes later.

Reverse: each (not deleted) document filed under a meeting and seen by the public or the
network's members becomes a meeting document again, pointing at the newest version's file, and
is deleted from the archive (the stored files are kept). Documents with a narrower visibility
stay in the archive: a meeting document was open to everyone who could see the meeting.
"""

import hashlib
import secrets
import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import migrations
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

SNIFF_BYTES = 8192
CHUNK = 1024 * 1024
MARKUP = (b"<!doctype", b"<html", b"<head", b"<body", b"<script", b"<svg", b"<?xml", b"<iframe")
OOXML_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
IMAGE_KINDS = {"png", "jpeg", "gif"}
# The kinds a meeting document had, as archive categories (the same words).
CATEGORIES = {"presentation", "minutes", "recording", "other"}
# Stored on the version and shown on the document, in the site's language.
MISSING = gettext_noop(
    "The stored file was not found when the meeting document was moved to the archive."
)
UNREADABLE = gettext_noop(
    "The file could not be read when the meeting document was moved to the archive."
)


def _is_text(head):
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 4:
            try:
                head.decode("cp1252")
            except UnicodeDecodeError:
                return False
    return not head.lstrip(b"\xef\xbb\xbf \t\r\n").lower().startswith(MARKUP)


def _zip_kind(name, suffix):
    """(kind, content type) of a stored ZIP container: an office document or a plain ZIP."""
    try:
        with default_storage.open(name, "rb") as handle, zipfile.ZipFile(handle) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" in names:
                return "ooxml", OOXML_TYPES.get(suffix, "application/octet-stream")
            if "mimetype" in names:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                if mimetype.startswith("application/vnd.oasis.opendocument"):
                    return "odf", mimetype[:100]
            return "zip", "application/zip"
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return "", "application/octet-stream"


def _kind(name, head):
    """(kind, content type) decided from the first bytes, like ``core.uploads.sniff_type``."""
    suffix = PurePath(name).suffix.lower().lstrip(".")
    if head.startswith(b"%PDF-"):
        return "pdf", "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png", "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg", "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif", "image/gif"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(name, suffix)
    if head and _is_text(head):
        return "text", "text/plain; charset=utf-8"
    return "", "application/octet-stream"


def _read(name):
    """Size, SHA-256 and first bytes of a stored file; None when it is not there."""
    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, OSError):
        return None
    digest = hashlib.sha256()
    size = 0
    head = b""
    with handle:
        while chunk := handle.read(CHUNK):
            if len(head) < SNIFF_BYTES:
                head += chunk[: SNIFF_BYTES - len(head)]
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest(), head


def _in_site_language(message):
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(message)


def _extracted(name, kind):
    """(extraction, error, text) of a stored file, read now."""
    try:
        from navet.documents.extraction import ExtractionError, extract_text
    except ImportError:
        return "pending", "", ""
    # The message is stored, so it is in the site's language (as the archive's task does).
    with translation.override(settings.LANGUAGE_CODE):
        try:
            with default_storage.open(name, "rb") as handle:
                return "done", "", extract_text(handle, kind)
        except ExtractionError as error:
            return "failed", str(error)[:500], ""
        except Exception:
            # One odd file must not stop the migration: it can be retried on the document.
            return "failed", gettext(UNREADABLE), ""


def _version_fields(name):
    read = _read(name)
    if read is None:
        return {
            "kind": "",
            "content_type": "application/octet-stream",
            "size": 0,
            "sha256": "",
            "extraction": "failed",
            "extraction_error": _in_site_language(MISSING),
        }
    size, sha256, head = read
    kind, content_type = _kind(name, head)
    if kind in IMAGE_KINDS or kind in {"", "zip"}:
        extraction, error, text = "none", "", ""
    else:
        extraction, error, text = _extracted(name, kind)
    return {
        "kind": kind,
        "content_type": content_type,
        "size": size,
        "sha256": sha256,
        "extraction": extraction,
        "extraction_error": error,
        "text": text,
    }


def move_to_archive(apps, schema_editor):
    MeetingDocument = apps.get_model("meetings", "MeetingDocument")
    Document = apps.get_model("documents", "Document")
    DocumentVersion = apps.get_model("documents", "DocumentVersion")
    legacy = MeetingDocument.objects.select_related("meeting").order_by("pk")
    for old in legacy.iterator():
        name = old.file.name or ""
        if not name and not old.url:
            continue
        meeting = old.meeting
        groups = list(meeting.groups.values_list("pk", flat=True)[:2])
        document = Document.objects.create(
            network_id=meeting.network_id,
            group_id=groups[0] if len(groups) == 1 else None,
            meeting=meeting,
            title=old.title,
            category=old.kind if old.kind in CATEGORIES else "other",
            visibility="members",
            year=timezone.localtime(meeting.starts_at).year,
            # A file wins over a link given as well (the old admin allowed both).
            url="" if name else old.url,
            description=old.url if name and old.url else "",
            created_at=old.uploaded_at,
        )
        if name:
            DocumentVersion.objects.create(
                document=document,
                number=1,
                file=name,
                token=secrets.token_hex(16),
                original_name=PurePath(name).name[:255],
                uploaded_at=old.uploaded_at,
                **_version_fields(name),
            )


def move_back(apps, schema_editor):
    MeetingDocument = apps.get_model("meetings", "MeetingDocument")
    Document = apps.get_model("documents", "Document")
    DocumentVersion = apps.get_model("documents", "DocumentVersion")
    documents = Document.objects.filter(
        meeting__isnull=False, deleted_at__isnull=True, visibility__in=["public", "members"]
    )
    moved = []
    for document in documents.order_by("pk").iterator():
        newest = DocumentVersion.objects.filter(document=document).order_by("-number").first()
        # What does not fit the old columns (a 200-character link, a 100-character file name)
        # stays in the archive.
        if newest is None and not 0 < len(document.url) <= 200:
            continue
        if newest is not None and len(newest.file.name) > 100:
            continue
        category = document.category
        old = MeetingDocument.objects.create(
            meeting_id=document.meeting_id,
            kind=category if category in CATEGORIES else "other",
            title=document.title,
            file=newest.file.name if newest else "",
            url="" if newest else document.url,
        )
        # ``uploaded_at`` is set on create (auto_now_add): put the document's date back.
        MeetingDocument.objects.filter(pk=old.pk).update(uploaded_at=document.created_at)
        moved.append(document.pk)
    Document.objects.filter(pk__in=moved).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0001_initial"),
        ("meetings", "0003_alter_meetingdocument_meeting"),
    ]

    operations = [migrations.RunPython(move_to_archive, move_back)]
