"""Writes for the document archive. Each service checks everything first, then writes in one
transaction with its audit entry, so bad input changes nothing.

An uploaded file is stored while the transaction is open (the version row needs its name); if
anything after that fails, the stored file is deleted again, so no stray file is left behind.
Text extraction is queued only once the transaction has committed.
"""

import datetime
import hashlib
import re
import secrets
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from navet.core import uploads
from navet.core.audit import audit_log
from navet.core.bounds import check_year
from navet.core.tasks import enqueue_on_commit
from navet.documents.extraction import check_readable
from navet.documents.models import RESTORE_DAYS, Document, DocumentVersion, DownloadCount
from navet.documents.tasks import extract_version_text
from navet.indicators.models import SdgGoal
from navet.meetings.models import Meeting
from navet.networks.models import Group, Network
from navet.networks.permissions import person_of

Visibility = Document.Visibility
Extraction = DocumentVersion.Extraction

MAX_TAGS = 20
MAX_TAG_LENGTH = 50
MAX_NAME_LENGTH = 255

# The MIME type a stored file is served with: decided by its sniffed kind (and, for office
# documents, the extension that ``_check_office_subtype`` has checked against the content).
CONTENT_TYPES = {
    uploads.PDF: "application/pdf",
    uploads.PNG: "image/png",
    uploads.JPEG: "image/jpeg",
    uploads.GIF: "image/gif",
    uploads.TEXT: "text/plain; charset=utf-8",
}
OFFICE_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
# The part of an OOXML package that says which of the three it is.
OOXML_MAIN_PARTS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}

_WHITESPACE = re.compile(r"\s+")
_http_url = URLValidator(schemes=["http", "https"])


# Checks ------------------------------------------------------------------------------------


def clean_file_name(name: str | None) -> str:
    """The name to show and to offer in a download: no path parts, no control or format
    characters (a right-to-left override could make ``exe.pdf`` look like ``fdp.exe``), no
    leading or trailing dots and spaces, at most 255 characters with the extension kept.
    Refuses a name that is nothing after cleaning."""
    text = re.split(r"[/\\]", name or "")[-1]
    text = "".join(ch for ch in text if not unicodedata.category(ch).startswith("C"))
    text = _WHITESPACE.sub(" ", text).strip(" .")
    if not text:
        raise ValidationError(
            {"file": _("The file has no usable name. Rename it and upload it again.")},
            code="file_name",
        )
    if len(text) > MAX_NAME_LENGTH:
        suffix = PurePath(text).suffix[:20]
        text = text[: MAX_NAME_LENGTH - len(suffix)] + suffix
    return text


def _check_office_subtype(file: UploadedFile, kind: str, suffix: str) -> None:
    """An OOXML or ODF package must be the one its extension says (a workbook named .docx is
    refused like any other mismatch)."""
    if kind not in (uploads.OOXML, uploads.ODF):
        return
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if kind == uploads.OOXML:
                matches = OOXML_MAIN_PARTS.get(suffix, "") in names
            else:
                expected = OFFICE_TYPES.get(suffix, "").encode()
                matches = bool(expected) and archive.read("mimetype").strip() == expected
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        matches = False
    finally:
        file.seek(0)
    if not matches:
        raise ValidationError(
            _(
                "The file's content does not match its name: “%(name)s” is not a .%(extension)s "
                "file."
            )
            % {"name": PurePath(file.name or "").name[:100], "extension": suffix},
            code="file_type",
        )


def content_type_for(kind: str, name: str) -> str:
    if kind in (uploads.OOXML, uploads.ODF):
        return OFFICE_TYPES[uploads.extension(name)]
    return CONTENT_TYPES.get(kind, "application/octet-stream")


def _sha256(file: UploadedFile) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def checked_upload(file: UploadedFile) -> dict[str, Any]:
    """Everything about an upload that the version row keeps, once the file has passed every
    check: size limit, kind from the content, a matching name, readable (not encrypted,
    corrupt or empty). Errors are keyed "file"."""
    try:
        if not file.size:
            raise ValidationError(_("The file is empty."), code="empty")
        original_name = clean_file_name(file.name)
        try:
            kind = uploads.check_upload(file, allowed=uploads.DOCUMENT_KINDS)
        except ValidationError as wrong_type:
            # A password-protected Office file is not a zip package (nor is a damaged one):
            # say that, rather than that Navet cannot tell what it is.
            if wrong_type.code == "file_type" and not uploads.sniff_type(file):
                check_readable(file)
            raise
        _check_office_subtype(file, kind, uploads.extension(file.name))
        check_readable(file, kind)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    return {
        "original_name": original_name,
        "kind": kind,
        "content_type": content_type_for(kind, original_name),
        "size": file.size,
        "sha256": _sha256(file),
    }


def _clean_tags(tags: Iterable[str] | str) -> list[str]:
    if isinstance(tags, str):
        tags = tags.split(",")
    cleaned: list[str] = []
    for tag in tags:
        word = _WHITESPACE.sub(" ", "".join(ch for ch in str(tag) if ch.isprintable()))
        word = word.strip().lower()
        if not word or word in cleaned:
            continue
        if len(word) > MAX_TAG_LENGTH:
            raise ValidationError(
                {"tags": _("A tag can be at most %(max)d characters.") % {"max": MAX_TAG_LENGTH}}
            )
        cleaned.append(word)
    if len(cleaned) > MAX_TAGS:
        raise ValidationError({"tags": _("At most %(max)d tags.") % {"max": MAX_TAGS}})
    return cleaned


def default_visibility(*, group: Group | None, meeting: Meeting | None) -> str:
    """Where it is filed decides: a meeting's documents (minutes, presentations) are for the
    network's members, also when the meeting is a group's, as the meeting page is the
    network's; a group's other documents for its participants; the network's for its members.
    Never the public unless chosen."""
    if meeting is None and group is not None:
        return Visibility.GROUP
    return Visibility.MEMBERS


def _check_placement(
    *,
    network: Network,
    group: Group | None,
    meeting: Meeting | None,
    visibility: str,
    errors: dict[str, list[str]],
) -> None:
    if group is not None and group.network_id != network.pk:
        errors.setdefault("group", []).append(_("The group is not one of this network's groups."))
    if meeting is not None and meeting.network_id != network.pk:
        errors.setdefault("meeting", []).append(
            _("The meeting is not one of this network's meetings.")
        )
    if visibility not in Visibility.values:
        errors.setdefault("visibility", []).append(_("Choose who may see the document."))
    elif visibility == Visibility.GROUP and group is None:
        errors.setdefault("visibility", []).append(
            _("Only a document filed under a group can be for the group's participants.")
        )


def _check_fields(
    *,
    network: Network,
    title: str,
    url: str,
    group: Group | None,
    meeting: Meeting | None,
    category: str,
    visibility: str,
    year: int | None,
) -> None:
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [_("Give the document a title.")]
    elif len(title) > 300:
        errors["title"] = [_("The title can be at most 300 characters.")]
    if url:
        try:
            _http_url(url)
        except ValidationError:
            errors["url"] = [_("Give a link that starts with https:// or http://.")]
        if len(url) > 1000:
            errors["url"] = [_("The link can be at most 1000 characters.")]
    if category not in Document.Category.values:
        errors["category"] = [_("Choose what kind of document it is.")]
    if year is not None:
        try:
            check_year(year, field="year")
        except ValidationError as error:
            errors.update(error.message_dict)
    _check_placement(
        network=network, group=group, meeting=meeting, visibility=visibility, errors=errors
    )
    if errors:
        raise ValidationError(errors)


def _goals(goals: Iterable[Any]) -> list[SdgGoal]:
    goals = list(goals)
    ids = [goal.pk if isinstance(goal, SdgGoal) else goal for goal in goals]
    found = list(SdgGoal.objects.filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise ValidationError({"goals": _("Choose Agenda 2030 goals from the list.")})
    return found


# Storing files -----------------------------------------------------------------------------


def file_storage() -> Storage:
    """Where versions' files are kept (the file system, or object storage by settings)."""
    field = DocumentVersion._meta.get_field("file")
    assert isinstance(field, models.FileField)
    return field.storage


@contextmanager
def _removing_files_on_failure() -> Iterator[list[str]]:
    """Names added to the yielded list are deleted from storage if the block fails."""
    stored: list[str] = []
    try:
        yield stored
    except BaseException:
        for name in stored:
            file_storage().delete(name)
        raise


def _enqueue_extraction(version: DocumentVersion) -> None:
    """Queue the text extraction of ``version`` once the transaction has committed."""
    enqueue_on_commit(extract_version_text, version.pk)


def _new_version(
    *,
    actor: Any,
    document: Document,
    file: UploadedFile,
    facts: dict[str, Any],
    note: str,
    stored: list[str],
) -> DocumentVersion:
    last = document.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = DocumentVersion(
        document=document,
        number=last + 1,
        token=secrets.token_hex(16),
        note=note,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        **facts,
    )
    version.file.save(version.token, file, save=False)
    stored.append(str(version.file.name))
    version.save()
    _enqueue_extraction(version)
    return version


def _check_note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > 500:
        raise ValidationError({"note": _("The note can be at most 500 characters.")})
    return note


# Services ----------------------------------------------------------------------------------


def document_create(
    *,
    actor: Any,
    network: Network,
    title: str,
    file: UploadedFile | None = None,
    url: str = "",
    group: Group | None = None,
    meeting: Meeting | None = None,
    category: str = Document.Category.OTHER,
    visibility: str | None = None,
    description: str = "",
    tags: Iterable[str] | str = (),
    year: int | None = None,
    goals: Iterable[Any] = (),
) -> Document:
    """File a document (an uploaded file, or a link) under the network, one of its groups or
    one of its meetings. The view decides who may; this checks that everything fits."""
    title = (title or "").strip()
    url = (url or "").strip()
    if bool(file) == bool(url):
        message = (
            _("Give either a file or a link, not both.")
            if file
            else _("Upload a file or give a link.")
        )
        raise ValidationError({"file": [message]})
    if visibility is None or visibility == "":
        visibility = default_visibility(group=group, meeting=meeting)
    if year is None:
        day = timezone.localtime(meeting.starts_at).date() if meeting else timezone.localdate()
        year = day.year
    _check_fields(
        network=network,
        title=title,
        url=url,
        group=group,
        meeting=meeting,
        category=category,
        visibility=visibility,
        year=year,
    )
    clean_tags = _clean_tags(tags)
    chosen_goals = _goals(goals)
    facts = checked_upload(file) if file else None
    with _removing_files_on_failure() as stored, transaction.atomic():
        document = Document.objects.create(
            network=network,
            group=group,
            meeting=meeting,
            title=title,
            description=(description or "").strip(),
            category=category,
            tags=clean_tags,
            year=year,
            visibility=visibility,
            url=url,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        document.goals.set(chosen_goals)
        if file is not None and facts is not None:
            _new_version(
                actor=actor, document=document, file=file, facts=facts, note="", stored=stored
            )
        audit_log(
            actor=actor,
            action="document.created",
            obj=document,
            network=network,
            title=title,
            visibility=visibility,
            file=facts["original_name"] if facts else "",
            url=url,
        )
    return document


def version_add(
    *, actor: Any, document: Document, file: UploadedFile, note: str = ""
) -> DocumentVersion:
    """A new version of a file document; the old ones are kept and the newest is served."""
    if document.is_link:
        raise ValidationError({"file": _("A link has no versions; edit the link instead.")})
    if not file:
        raise ValidationError({"file": _("Choose the file of the new version.")})
    note = _check_note(note)
    facts = checked_upload(file)
    with _removing_files_on_failure() as stored, transaction.atomic():
        Document.objects.select_for_update().filter(pk=document.pk).first()
        version = _new_version(
            actor=actor, document=document, file=file, facts=facts, note=note, stored=stored
        )
        Document.objects.filter(pk=document.pk).update(updated_at=timezone.now())
        audit_log(
            actor=actor,
            action="document.version_added",
            obj=document,
            number=version.number,
            file=version.original_name,
            note=note,
        )
    return version


def _restored_note(number: int) -> str:
    # Stored, so in the site's language whoever restores it (like the extraction's messages).
    with translation.override(settings.LANGUAGE_CODE):
        return _("restored from version %(number)d") % {"number": number}


@transaction.atomic
def version_restore(*, actor: Any, document: Document, version: DocumentVersion) -> DocumentVersion:
    """Make an earlier version the newest again: a new version with the same stored file and
    its extracted text. Nothing in the history is rewritten."""
    if version.document_id != document.pk:
        raise ValidationError(_("The version is not one of this document's versions."))
    Document.objects.select_for_update().filter(pk=document.pk).first()
    newest = document.versions.order_by("-number").first()
    if newest is not None and newest.pk == version.pk:
        raise ValidationError(_("This version is already the newest."))
    copied = version.extraction in (Extraction.DONE, Extraction.NONE)
    restored = DocumentVersion.objects.create(
        document=document,
        number=(newest.number if newest else 0) + 1,
        file=version.file.name,
        token=version.token,
        original_name=version.original_name,
        kind=version.kind,
        content_type=version.content_type,
        size=version.size,
        sha256=version.sha256,
        note=_restored_note(version.number),
        restored_from=version,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        extraction=version.extraction if copied else Extraction.PENDING,
        extraction_error="",
        text=version.text if copied else "",
    )
    if not copied:
        _enqueue_extraction(restored)
    Document.objects.filter(pk=document.pk).update(updated_at=timezone.now())
    audit_log(
        actor=actor,
        action="document.version_restored",
        obj=document,
        number=restored.number,
        restored_from=version.number,
    )
    return restored


UPDATABLE_FIELDS = frozenset(
    {
        "title", "description", "category", "visibility", "tags", "year", "goals",
        "group", "meeting", "url",
    }
)  # fmt: skip


@transaction.atomic
def document_update(*, actor: Any, document: Document, **fields: Any) -> Document:
    """Change a document's description, where it is filed or who may see it. A link
    document's link may change; a file document's file changes through ``version_add``."""
    unknown = set(fields) - UPDATABLE_FIELDS
    if unknown:
        raise TypeError(f"document_update() cannot change {', '.join(sorted(unknown))}")
    if "url" in fields:
        fields["url"] = (fields["url"] or "").strip()
        if not document.is_link and fields["url"]:
            raise ValidationError({"url": _("A file document cannot become a link.")})
        if document.is_link and not fields["url"]:
            raise ValidationError({"url": _("Give the link.")})
    if "title" in fields:
        fields["title"] = (fields["title"] or "").strip()
    if "description" in fields:
        fields["description"] = (fields["description"] or "").strip()
    if "tags" in fields:
        fields["tags"] = _clean_tags(fields["tags"])
    goals = _goals(fields.pop("goals")) if "goals" in fields else None
    if "visibility" in fields and not fields["visibility"]:
        fields["visibility"] = default_visibility(
            group=fields.get("group", document.group),
            meeting=fields.get("meeting", document.meeting),
        )
    merged = {
        name: fields.get(name, getattr(document, name))
        for name in ("title", "url", "group", "meeting", "category", "visibility", "year")
    }
    _check_fields(network=document.network, **merged)
    changed = {name: value for name, value in fields.items() if getattr(document, name) != value}
    for name, value in changed.items():
        setattr(document, name, value)
    document.save()
    if goals is not None:
        before = set(document.goals.values_list("pk", flat=True))
        document.goals.set(goals)
        if before != {goal.pk for goal in goals}:
            changed["goals"] = sorted(goal.pk for goal in goals)
    audit_log(
        actor=actor,
        action="document.updated",
        obj=document,
        changed=sorted(changed),
        visibility=document.visibility,
    )
    return document


@transaction.atomic
def document_delete(*, actor: Any, document: Document) -> Document:
    """A soft delete: the document is gone for everyone, and its coordinators can undo it for
    ``RESTORE_DAYS`` days; ``purge_deleted`` removes it for good after that."""
    if document.deleted_at is not None:
        raise ValidationError(_("The document is already deleted."))
    document.deleted_at = timezone.now()
    document.deleted_by = actor if getattr(actor, "is_authenticated", False) else None
    document.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
    audit_log(actor=actor, action="document.deleted", obj=document, title=document.title)
    return document


def restorable_since(now: datetime.datetime | None = None) -> datetime.datetime:
    """Documents deleted at or after this moment can still be restored."""
    return (now or timezone.now()) - datetime.timedelta(days=RESTORE_DAYS)


@transaction.atomic
def document_undelete(
    *, actor: Any, document: Document, now: datetime.datetime | None = None
) -> Document:
    if document.deleted_at is None:
        raise ValidationError(_("The document is not deleted."))
    if document.deleted_at < restorable_since(now):
        raise ValidationError(
            _("The document was deleted more than %(days)d days ago and can no longer be restored.")
            % {"days": RESTORE_DAYS}
        )
    document.deleted_at = None
    document.deleted_by = None
    document.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
    audit_log(actor=actor, action="document.undeleted", obj=document, title=document.title)
    return document


def purge_deleted(now: datetime.datetime | None = None) -> int:
    """Remove for good the documents deleted more than ``RESTORE_DAYS`` days ago, with their
    stored files (a file still used by a version of another document is kept). The files go
    only after the rows are gone, so a failed purge loses nothing. Returns how many."""
    since = restorable_since(now)
    purged = 0
    storage = file_storage()
    for document in Document.objects.filter(deleted_at__lt=since).order_by("pk"):
        with transaction.atomic():
            names = set(document.versions.values_list("file", flat=True))
            audit_log(
                actor=None,
                action="document.purged",
                obj=document,
                network=document.network,
                title=document.title,
                deleted_at=document.deleted_at,
            )
            document.delete()
            still_used = set(
                DocumentVersion.objects.filter(file__in=names).values_list("file", flat=True)
            )
            for name in names - still_used:
                transaction.on_commit(_deleter(storage, name))
        purged += 1
    return purged


@transaction.atomic
def extraction_retry(*, actor: Any, version: DocumentVersion) -> DocumentVersion:
    """Try a failed text extraction again (the file was kept); queued after the commit."""
    if version.extraction != Extraction.FAILED:
        raise ValidationError(_("Only a failed text extraction can be tried again."))
    version.extraction = Extraction.PENDING
    version.extraction_error = ""
    version.save(update_fields=["extraction", "extraction_error"])
    _enqueue_extraction(version)
    audit_log(
        actor=actor,
        action="document.extraction_retried",
        obj=version.document,
        number=version.number,
    )
    return version


def _deleter(storage: Any, name: str) -> Callable[[], None]:
    return lambda: storage.delete(name)


def count_download(*, document: Document, user: Any) -> None:
    """One more download of ``document`` this year by the user's organisation (or by "the
    public", for visitors and accounts without a person). Safe when two downloads race: the
    row is created once (the unique constraints), then incremented in the database."""
    person = person_of(user)
    organisation_id = person.organisation_id if person is not None else None
    year = timezone.localdate().year
    rows = DownloadCount.objects.filter(document=document, year=year)
    if organisation_id is None:
        rows = rows.filter(organisation__isnull=True)
    else:
        rows = rows.filter(organisation_id=organisation_id)
    if rows.update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            DownloadCount.objects.create(
                document=document, organisation_id=organisation_id, year=year, count=1
            )
    except IntegrityError:
        # Someone else created the row between our update and insert.
        rows.update(count=F("count") + 1)
