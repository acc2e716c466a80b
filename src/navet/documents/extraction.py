"""The text of an archived file, for search, and the upload-time check that a file opens.

``extract_text(file, kind)`` reads PDF (pypdf), DOCX, XLSX and PPTX (python-docx, openpyxl,
python-pptx), ODT, ODS and ODP (their ``content.xml``, parsed with defusedxml) and plain text
or CSV; an image has no text. ``kind`` is the ``navet.core.uploads`` kind the upload was
sniffed as; which office format a zip holds is read from the zip, never from the name. The
text is normalised (no control characters, one space between words, at most one empty line)
and cut at ``MAX_TEXT_CHARS``. A file that cannot be read raises ``ExtractionError`` with a
message in the user's language.

``check_readable(uploaded, kind)`` is the cheap check at upload time: an empty, encrypted or
corrupt file is refused with a ``ValidationError`` before anything is stored. It opens the
file's structure (the PDF's page tree, the zip's directory), it does not extract the text.

A zip is never unpacked beyond what its directory declares: Python's zipfile stops at an
entry's declared size (and fails on a wrong checksum), so checking the declared sizes
(``MAX_UNPACKED_BYTES``) before reading bounds the work of any office file, zip bombs included.
"""

import re
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any
from xml.etree.ElementTree import Element

from defusedxml import ElementTree as SafeElementTree
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from navet.core import uploads
from navet.core.bounds import check_upload_size

# Far beyond any real document's text (a 400-page report has about 1 million characters),
# so a huge spreadsheet or log file cannot fill the database or the search index.
MAX_TEXT_CHARS = 1_000_000
# What the entries of one office file may unpack to, together, and how many there may be.
MAX_UNPACKED_BYTES = 500 * 1024 * 1024
MAX_ZIP_ENTRIES = 10_000
# An encrypted Word, Excel or PowerPoint file is not a zip but an OLE compound file with an
# "EncryptedPackage" stream.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLE_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")

DOCX, XLSX, PPTX = "docx", "xlsx", "pptx"
ODT, ODS, ODP = "odt", "ods", "odp"
IMAGE_KINDS = frozenset({uploads.PNG, uploads.JPEG, uploads.GIF})

# The main part's content type in [Content_Types].xml (the macro-enabled variants too).
_OOXML_MAIN = {
    "wordprocessingml.document.main+xml": DOCX,
    "ms-word.document.macroenabled.main+xml": DOCX,
    "wordprocessingml.template.main+xml": DOCX,
    "spreadsheetml.sheet.main+xml": XLSX,
    "ms-excel.sheet.macroenabled.main+xml": XLSX,
    "spreadsheetml.template.main+xml": XLSX,
    "presentationml.presentation.main+xml": PPTX,
    "ms-powerpoint.presentation.macroenabled.main+xml": PPTX,
    "presentationml.slideshow.main+xml": PPTX,
}
_OOXML_FOLDERS = {"word/": DOCX, "xl/": XLSX, "ppt/": PPTX}
_OOXML_DEFAULT_MAIN = {
    DOCX: "word/document.xml",
    XLSX: "xl/workbook.xml",
    PPTX: "ppt/presentation.xml",
}
_ODF_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": ODT,
    b"application/vnd.oasis.opendocument.spreadsheet": ODS,
    b"application/vnd.oasis.opendocument.presentation": ODP,
}

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufeff\ufffe\uffff]")
_SPACES = re.compile(r"[^\S\n]+")
_EMPTY_LINES = re.compile(r"\n{3,}")


class ExtractionError(Exception):
    """A file whose text cannot be read; the message is for the user, ``code`` says why
    ("damaged", "encrypted" or "too_large")."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


def _unreadable() -> ExtractionError:
    return ExtractionError(_("The file is damaged or is not what it claims to be."), "damaged")


def _encrypted() -> ExtractionError:
    return ExtractionError(
        _("The file is password-protected. Remove the password and upload it again."),
        "encrypted",
    )


def _too_large_unpacked() -> ExtractionError:
    return ExtractionError(
        _("The file unpacks to more than %(limit)d MB; Navet does not read it.")
        % {"limit": MAX_UNPACKED_BYTES // (1024 * 1024)},
        "too_large",
    )


# -- Text -------------------------------------------------------------------------------------


class _Text:
    """Pieces of text gathered until there are enough (``MAX_TEXT_CHARS`` and a margin for
    the whitespace that normalising removes)."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    @property
    def full(self) -> bool:
        return self.length > 2 * MAX_TEXT_CHARS

    def add(self, text: str | None) -> bool:
        """Add a piece (a paragraph, a cell); False once there is enough text."""
        if text and not self.full:
            self.parts.append(text)
            self.length += len(text) + 1
        return not self.full

    def result(self) -> str:
        return normalise("\n".join(self.parts))


def normalise(text: str) -> str:
    """No control characters (PostgreSQL refuses NUL in text), one space between words, no
    spaces at the ends of lines, at most one empty line in a row; cut at ``MAX_TEXT_CHARS``."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0c", "\n")
    text = _CONTROL.sub(" ", text)
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    text = _EMPTY_LINES.sub("\n\n", text).strip()
    return text[:MAX_TEXT_CHARS].rstrip()


def decode_text(content: bytes, *, cut: bool = False) -> str | None:
    """Plain text or CSV as Swedish users save it: UTF-8 with or without a byte-order mark,
    else Windows-1252 (as ``core.uploads.decode_csv``); None when it is not text. ``cut``: the
    content is the start of a longer file, so it may end inside a UTF-8 character."""
    if uploads.CONTROL_BYTES.search(content):
        return None
    for end in range(4 if cut else 1):
        try:
            return content[: len(content) - end].decode("utf-8-sig")
        except UnicodeDecodeError:
            continue
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError:
        return None


# -- Zip containers ---------------------------------------------------------------------------


def _open_zip(file: IO[bytes]) -> zipfile.ZipFile:
    """The zip, after checking what its directory declares; never unpacks anything."""
    try:
        file.seek(0)
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise _unreadable() from error
    entries = archive.infolist()
    if len(entries) > MAX_ZIP_ENTRIES:
        raise _unreadable()
    if sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES:
        raise _too_large_unpacked()
    if any(entry.flag_bits & 0x1 for entry in entries):
        raise _encrypted()  # a zip-level password
    return archive


def _read_entry(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        return archive.read(name)
    except KeyError as error:
        raise _unreadable() from error
    except (
        zipfile.BadZipFile,
        zlib.error,
        OSError,
        ValueError,
        EOFError,
        NotImplementedError,
    ) as error:
        raise _unreadable() from error


def _check_entry(archive: zipfile.ZipFile, name: str) -> None:
    """Unpack one entry (bounded by its declared size) to check its checksum and size."""
    try:
        unpacked = 0
        with archive.open(name) as entry:
            while chunk := entry.read(1024 * 1024):
                unpacked += len(chunk)
        # zipfile checks the checksum only once the declared size has been read.
        if unpacked != archive.getinfo(name).file_size:
            raise _unreadable()
    except (
        KeyError,
        zipfile.BadZipFile,
        zlib.error,
        OSError,
        ValueError,
        EOFError,
        NotImplementedError,
    ) as error:
        raise _unreadable() from error


def office_format(archive: zipfile.ZipFile) -> tuple[str, str]:
    """Which office format the zip holds (DOCX … ODP, "" for none), read from its content,
    and the name of its main part (the document itself)."""
    names = archive.namelist()
    if "[Content_Types].xml" in names:
        content_types = _read_entry(archive, "[Content_Types].xml")
        try:
            root = SafeElementTree.fromstring(content_types)
        except (SafeElementTree.ParseError, ValueError) as error:
            raise _unreadable() from error
        for override in root:
            content_type = override.get("ContentType", "").lower()
            for suffix, name in _OOXML_MAIN.items():
                if content_type.endswith(suffix):
                    return name, override.get("PartName", "").lstrip("/")
        for folder, name in _OOXML_FOLDERS.items():
            if any(entry.startswith(folder) for entry in names):
                return name, _OOXML_DEFAULT_MAIN[name]
        return "", ""
    if "mimetype" in names:
        return _ODF_MIMETYPES.get(_read_entry(archive, "mimetype").strip(), ""), "content.xml"
    return "", ""


def _odf_is_encrypted(archive: zipfile.ZipFile) -> bool:
    if "META-INF/manifest.xml" not in archive.namelist():
        return False
    return b"encryption-data" in _read_entry(archive, "META-INF/manifest.xml")


# -- PDF --------------------------------------------------------------------------------------


def _open_pdf(file: IO[bytes]) -> Any:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError

    # pypdf refuses a file cut off before its "%%EOF" (an interrupted transfer) itself.
    file.seek(0)
    try:
        reader = PdfReader(file, strict=False)
        if reader.is_encrypted:
            # A PDF with only an owner password (no copying, no printing) opens without one,
            # as in any viewer; one that needs a password to open is refused.
            try:
                if not reader.decrypt(""):
                    raise _encrypted()
            except (FileNotDecryptedError, NotImplementedError) as error:
                raise _encrypted() from error
        pages = len(reader.pages)
    except ExtractionError:
        raise
    except Exception as error:  # PdfReadError and many others on a damaged file
        raise _unreadable() from error
    if pages == 0:
        raise _unreadable()
    return reader


def _pdf_text(file: IO[bytes]) -> str:
    reader = _open_pdf(file)
    text = _Text()
    try:
        for page in reader.pages:
            if not text.add(page.extract_text()):
                break
    except Exception as error:  # a damaged content stream
        raise _unreadable() from error
    return text.result()


# -- Office Open XML --------------------------------------------------------------------------


def _docx_text(file: IO[bytes]) -> str:
    import docx
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    document = docx.Document(file)
    body = document.element.body
    paragraph, table, row, cell = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
    text = _Text()

    def blocks(parent: Any) -> bool:
        """Paragraphs and tables in document order. A table is walked through its XML: a
        merged cell is one element (python-docx's grid repeats it per column it spans)."""
        for child in parent.iterchildren(paragraph, table):
            if child.tag == paragraph:
                if not text.add(Paragraph(child, document).text):
                    return False
                continue
            for table_row in child.iterchildren(row):
                for table_cell in table_row.iterchildren(cell):
                    if not blocks(table_cell):
                        return False
        return True

    blocks(body)
    return text.result()


def _xlsx_text(file: IO[bytes]) -> str:
    import openpyxl

    workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
    text = _Text()
    try:
        for sheet in workbook.worksheets:
            if not text.add(sheet.title):
                break
            for row in sheet.iter_rows(values_only=True):
                cells = [_cell_text(value) for value in row if value is not None]
                if cells and not text.add("\t".join(cells)):
                    break
            if text.full:
                break
    finally:
        workbook.close()
    return text.result()


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def _pptx_text(file: IO[bytes]) -> str:
    import pptx
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    presentation = pptx.Presentation(file)
    text = _Text()

    def shapes_text(shapes: Iterable[Any]) -> bool:
        for shape in shapes:
            if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
                if not shapes_text(shape.shapes):
                    return False
            elif shape.has_text_frame:
                if not text.add(shape.text_frame.text):
                    return False
            elif getattr(shape, "has_table", False) and shape.has_table:
                for row in shape.table.rows:
                    for cell in row.cells:
                        if not text.add(cell.text):
                            return False
        return True

    for slide in presentation.slides:
        if not shapes_text(slide.shapes):
            break
        if slide.has_notes_slide:
            notes = slide.notes_slide.notes_text_frame
            if notes is not None and not text.add(notes.text):
                break
    return text.result()


# -- OpenDocument -----------------------------------------------------------------------------

_TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_PARAGRAPHS = {f"{{{_TEXT_NS}}}p", f"{{{_TEXT_NS}}}h"}
_SPACE, _TAB = f"{{{_TEXT_NS}}}s", f"{{{_TEXT_NS}}}tab"
_LINE_BREAK = f"{{{_TEXT_NS}}}line-break"
# Not text of the document: the change-tracking log of deleted text.
_SKIPPED = {f"{{{_TEXT_NS}}}tracked-changes"}


def _odf_inline(element: Element, out: list[str]) -> None:
    if element.text:
        out.append(element.text)
    for child in element:
        if child.tag == _SPACE:
            out.append(" " * min(int(child.get(f"{{{_TEXT_NS}}}c", "1") or 1), 100))
        elif child.tag == _TAB:
            out.append("\t")
        elif child.tag == _LINE_BREAK:
            out.append("\n")
        elif child.tag in _PARAGRAPHS:
            out.append("\n")
            _odf_inline(child, out)
            out.append("\n")
        elif child.tag not in _SKIPPED:
            _odf_inline(child, out)
        if child.tail:
            out.append(child.tail)


def _odf_paragraphs(content: IO[bytes]) -> Iterator[str]:
    """The text of each paragraph and heading, parsed as a stream: what has been read is
    dropped, and a reader that has enough text stops early, whatever the file's size."""
    paragraphs = skipped = 0  # how many of each are open at this point
    for event, element in SafeElementTree.iterparse(content, events=("start", "end")):
        if event == "start":
            if element.tag in _SKIPPED:
                skipped += 1
            elif element.tag in _PARAGRAPHS:
                paragraphs += 1
            continue
        if element.tag in _SKIPPED:
            skipped -= 1
        elif element.tag in _PARAGRAPHS:
            paragraphs -= 1
            if paragraphs == 0 and not skipped:
                out: list[str] = []
                _odf_inline(element, out)
                yield "".join(out)
        if paragraphs == 0:
            # Outside a paragraph everything below this element has been read.
            element.clear()


def _odf_text(file: IO[bytes]) -> str:
    with _open_zip(file) as archive:
        if _odf_is_encrypted(archive):
            raise _encrypted()
        text = _Text()
        try:
            with archive.open("content.xml") as content:
                for paragraph in _odf_paragraphs(content):
                    if not text.add(paragraph):
                        break
        except KeyError as error:
            raise _unreadable() from error
        except (SafeElementTree.ParseError, ValueError) as error:  # defusedxml's are ValueErrors
            raise _unreadable() from error
    return text.result()


# -- The entry points -------------------------------------------------------------------------

_OFFICE_READERS: dict[str, Callable[[IO[bytes]], str]] = {
    DOCX: _docx_text,
    XLSX: _xlsx_text,
    PPTX: _pptx_text,
    ODT: _odf_text,
    ODS: _odf_text,
    ODP: _odf_text,
}


def _office_text(file: IO[bytes]) -> str:
    with _open_zip(file) as archive:
        name, _main_part = office_format(archive)
        if name in (ODT, ODS, ODP) and _odf_is_encrypted(archive):
            raise _encrypted()
    reader = _OFFICE_READERS.get(name)
    if reader is None:
        raise _unreadable()
    file.seek(0)
    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles and extensions it does not know; harmless here.
            warnings.simplefilter("ignore")
            return reader(file)
    except ExtractionError:
        raise
    except Exception as error:  # the libraries fail in many ways on bad input
        raise _unreadable() from error


def extract_text(file: IO[bytes], kind: str) -> str:
    """The normalised text of ``file`` (an open binary file, seekable), whose content was
    sniffed as ``kind``; "" for an image. Raises ExtractionError when it cannot be read."""
    if kind in IMAGE_KINDS:
        return ""
    if kind == uploads.PDF:
        return _pdf_text(file)
    if kind in (uploads.OOXML, uploads.ODF):
        return _office_text(file)
    if kind == uploads.TEXT:
        file.seek(0)
        # Enough bytes for the most text kept (a UTF-8 character takes up to four), so a huge
        # log file is not read whole.
        limit = 4 * MAX_TEXT_CHARS
        content = file.read(limit + 1)
        decoded = decode_text(content[:limit], cut=len(content) > limit)
        if decoded is None:
            raise _unreadable()
        return normalise(decoded)
    raise _unreadable()


def has_text(kind: str) -> bool:
    """Whether a file of this kind has text to extract (an image has none)."""
    return kind not in IMAGE_KINDS


def _is_encrypted_office_container(file: IO[bytes]) -> bool:
    file.seek(0)
    if file.read(len(OLE_MAGIC)) != OLE_MAGIC:
        return False
    # Only an OLE file is read through (old .doc/.xls files are refused as a type anyway).
    file.seek(0)
    tail = b""
    while chunk := file.read(1024 * 1024):
        if OLE_ENCRYPTED_STREAM in tail + chunk:
            return True
        tail = chunk[-len(OLE_ENCRYPTED_STREAM) :]
    return False


def check_readable(uploaded: Any, kind: str | None = None) -> None:
    """Refuse an empty, password-protected or damaged file with a message in the user's
    language. Cheap: opens the structure, does not extract. ``kind`` is what
    ``core.uploads.check_upload`` returned; without it (called before the type check, to give
    a password-protected Office file or an empty file its own message) it is sniffed here."""
    check_upload_size(uploaded)
    if uploaded.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    uploaded.seek(0)
    try:
        if _is_encrypted_office_container(uploaded):
            raise _encrypted()
        if kind is None:
            kind = uploads.sniff_type(uploaded)
            if not kind and uploaded.read(4) == b"PK\x03\x04":
                kind = uploads.OOXML  # a zip that does not open: an office file, damaged
        if kind == uploads.PDF:
            _open_pdf(uploaded)
        elif kind in (uploads.OOXML, uploads.ODF):
            with _open_zip(uploaded) as archive:
                name, main_part = office_format(archive)
                if not name:
                    raise _unreadable()
                if name in (ODT, ODS, ODP) and _odf_is_encrypted(archive):
                    raise _encrypted()
                # The main part must be there and unpack with the right checksum; reading it
                # is bounded by its declared size, checked when the zip was opened.
                _check_entry(archive, main_part)
    except ExtractionError as error:
        raise ValidationError(str(error), code=error.code) from error
    finally:
        uploaded.seek(0)
