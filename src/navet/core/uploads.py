"""What an uploaded file really is: its type decided from its first bytes, not its name.

``check_upload(uploaded, allowed=...)`` is what every file field calls: the size limit
(``core.bounds.check_upload_size``), then the content sniffed by ``sniff_type`` must be one of
the allowed kinds and agree with the file's extension. An HTML page named ``report.pdf`` or a
program named ``notes.txt`` is refused with a message in the user's language.
"""

import re
import zipfile
from collections.abc import Iterable
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from navet.core.bounds import check_upload_size

# Kinds of content, each with the extensions a file of that kind may carry.
PDF, PNG, JPEG, GIF = "pdf", "png", "jpeg", "gif"
OOXML, ODF, ZIP, TEXT = "ooxml", "odf", "zip", "text"
EXTENSIONS: dict[str, frozenset[str]] = {
    PDF: frozenset({"pdf"}),
    PNG: frozenset({"png"}),
    JPEG: frozenset({"jpg", "jpeg"}),
    GIF: frozenset({"gif"}),
    OOXML: frozenset({"docx", "xlsx", "pptx"}),
    ODF: frozenset({"odt", "ods", "odp"}),
    ZIP: frozenset({"zip"}),
    TEXT: frozenset({"txt", "csv", "tsv", "md"}),
}
DOCUMENT_KINDS = (PDF, PNG, JPEG, GIF, OOXML, ODF, TEXT)
"""What a meeting document may be: PDF, images, office documents and plain text or CSV."""

SNIFF_BYTES = 8192
# Text that a browser would treat as a page or a script is not "plain text": what the WHATWG
# MIME sniffing standard reads as HTML (a comment or one of its tags after leading white
# space), XML and SVG.
_MARKUP = (b"<!doctype", b"<html", b"<head", b"<body", b"<script", b"<svg", b"<?xml", b"<iframe")
_HTML_START = re.compile(rb"<(?:!--|(?:h1|div|font|table|a|style|title|b|br|p)[ \t\n\r\f/>])")
_LEADING_SPACE = b"\xef\xbb\xbf \t\r\n\x0c"


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        # A multi-byte character may be cut at the end of the sample.
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 4:
            try:
                head.decode("cp1252")
            except UnicodeDecodeError:
                return False
    start = head.lstrip(_LEADING_SPACE).lower()
    return not start.startswith(_MARKUP) and not _HTML_START.match(start)


def _zip_kind(uploaded: UploadedFile) -> str:
    try:
        uploaded.seek(0)
        with zipfile.ZipFile(uploaded) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" in names:
                return OOXML
            if "mimetype" in names:
                mimetype = archive.read("mimetype")
                if mimetype.startswith(b"application/vnd.oasis.opendocument"):
                    return ODF
            return ZIP
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return ""
    finally:
        uploaded.seek(0)


def sniff_type(uploaded: UploadedFile) -> str:
    """The kind of content (``PDF``, ``PNG`` … ``TEXT``), or "" when it is none of them."""
    uploaded.seek(0)
    head = uploaded.read(SNIFF_BYTES)
    uploaded.seek(0)
    if isinstance(head, str):
        head = head.encode()
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(uploaded)
    if head and _is_text(head):
        return TEXT
    return ""


def extension(name: str | None) -> str:
    return PurePath(name or "").suffix.lower().lstrip(".")


def check_upload(uploaded: UploadedFile, *, allowed: Iterable[str] = DOCUMENT_KINDS) -> str:
    """Refuse a file that is too large, of a kind not allowed, or whose name says otherwise.

    Returns the sniffed kind. Raises ValidationError with a message in the user's language.
    """
    check_upload_size(uploaded)
    allowed = tuple(allowed)
    kind = sniff_type(uploaded)
    suffix = extension(uploaded.name)
    if kind not in allowed:
        names = sorted({ext for k in allowed for ext in EXTENSIONS[k]})
        raise ValidationError(
            _("Navet cannot tell what kind of file this is. Upload one of: %(types)s.")
            % {"types": ", ".join(names)},
            code="file_type",
        )
    if suffix not in EXTENSIONS[kind]:
        raise ValidationError(
            _(
                "The file's content does not match its name: “%(name)s” is not a .%(extension)s "
                "file."
            )
            % {"name": PurePath(uploaded.name or "").name[:100], "extension": suffix or "?"},
            code="file_type",
        )
    return kind


# Bytes no text file holds (tab, line feed, carriage return and Ctrl-Z excepted).
CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x19\x1b-\x1f]")


def decode_csv(content: bytes) -> str | None:
    """The text of an uploaded CSV file, as Swedish Excel saves it (UTF-8 with or without a
    byte-order mark, or Windows-1252); None for content that is not text at all."""
    if CONTROL_BYTES.search(content):
        return None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def csv_delimiter(text: str) -> str:
    """Semicolon (Swedish Excel) or comma, whichever the header row uses more."""
    first_line = text.split("\n", 1)[0]
    return ";" if first_line.count(";") >= first_line.count(",") else ","
