"""Text extraction and the upload-time readability check, on real files made here."""

import datetime
import hashlib
import io
import struct
import zipfile

import docx
import openpyxl
import pptx
import pytest
import weasyprint
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from odf.dc import Creator
from odf.dc import Date as DcDate
from odf.draw import Frame, Page, TextBox
from odf.namespaces import XMLNS
from odf.office import ChangeInfo
from odf.opendocument import (
    OpenDocumentPresentation,
    OpenDocumentSpreadsheet,
    OpenDocumentText,
)
from odf.presentation import Notes
from odf.style import MasterPage, PageLayout
from odf.table import Table, TableCell, TableRow
from odf.text import ChangedRegion, Deletion, H, P, S, Span, TrackedChanges
from pypdf import PdfReader, PdfWriter

from navet.core import uploads
from navet.documents import extraction, services
from navet.documents.extraction import (
    MAX_TEXT_CHARS,
    MAX_UNPACKED_BYTES,
    ExtractionError,
    check_readable,
    extract_text,
)
from navet.documents.models import Document, DocumentVersion
from navet.documents.tasks import extract_version_text
from tests.documents.factories import make_document
from tests.factories import NetworkFactory

SWEDISH = "Kommunerna i Västra Götaland samverkar om återbruk och öppna data"


# -- Files -----------------------------------------------------------------------------------


def pdf_bytes(*pages: str) -> bytes:
    body = "".join(
        f'<p style="break-after: page">{page}</p>' if i < len(pages) - 1 else f"<p>{page}</p>"
        for i, page in enumerate(pages)
    )
    return weasyprint.HTML(string=f"<html lang='sv'><body>{body}</body></html>").write_pdf()


def encrypted_pdf(user_password: str, owner_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(SWEDISH))))
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_bytes() -> bytes:
    document = docx.Document()
    document.add_heading("Protokoll från styrgruppen", level=1)
    document.add_paragraph(SWEDISH)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Kommun"
    table.cell(0, 1).text = "Åtgärd"
    table.cell(1, 0).text = "Växjö"
    table.cell(1, 1).text = "Cykelbanor längs ån"
    document.add_paragraph("Efter tabellen: nästa möte i Örebro.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    first = workbook.active
    assert first is not None
    first.title = "Budget"
    first.append(["Post", "Belopp"])
    first.append(["Resor till Luleå", 12500])
    second = workbook.create_sheet("Utfall")
    second.append(["Datum", "Kommentar"])
    second.append([datetime.date(2026, 3, 14), "Gävle betalade sin avgift"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def pptx_bytes() -> bytes:
    presentation = pptx.Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[1])
    assert slide.shapes.title is not None
    slide.shapes.title.text = "Återbruk i Borås"
    slide.placeholders[1].text = "Sju kommuner delar möbler"
    slide.notes_slide.notes_text_frame.text = "Talarens anteckning: nämn förskolorna"
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()


def odf_bytes(document: object) -> bytes:
    out = io.BytesIO()
    document.write(out)  # type: ignore[attr-defined]
    return out.getvalue()


def odt_bytes() -> bytes:
    document = OpenDocumentText()
    document.text.addElement(H(outlinelevel=1, text="Verksamhetsplan för nätverket"))
    paragraph = P(text="Fokus på ")
    paragraph.addElement(Span(text="hållbara"))
    paragraph.addElement(S(c=3))
    paragraph.addText("måltider i Jönköping")
    document.text.addElement(paragraph)
    return odf_bytes(document)


def ods_bytes() -> bytes:
    document = OpenDocumentSpreadsheet()
    for name, rows in (("Deltagare", [["Namn", "Ort"], ["Åsa", "Umeå"]]), ("Övrigt", [["Ö"]])):
        table = Table(name=name)
        for row in rows:
            table_row = TableRow()
            for value in row:
                cell = TableCell()
                cell.addElement(P(text=value))
                table_row.addElement(cell)
            table.addElement(table_row)
        document.spreadsheet.addElement(table)
    return odf_bytes(document)


def odp_bytes() -> bytes:
    document = OpenDocumentPresentation()
    layout = PageLayout(name="Layout")
    document.automaticstyles.addElement(layout)
    master = MasterPage(name="Standard", pagelayoutname=layout)
    document.masterstyles.addElement(master)
    page = Page(masterpagename=master)
    frame = Frame(width="20cm", height="3cm", x="1cm", y="1cm")
    box = TextBox()
    box.addElement(P(text="Klimatlöften från Skövde"))
    frame.addElement(box)
    page.addElement(frame)
    notes = Notes()
    notes_frame = Frame(width="20cm", height="10cm", x="1cm", y="10cm")
    notes_box = TextBox()
    notes_box.addElement(P(text="Anteckning: fråga om älgstängsel"))
    notes_frame.addElement(notes_box)
    notes.addElement(notes_frame)
    page.addElement(notes)
    document.presentation.addElement(page)
    return odf_bytes(document)


def upload(content: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def extract(content: bytes, kind: str | None = None) -> str:
    file = io.BytesIO(content)
    return extract_text(file, kind or uploads.sniff_type(upload(content, "x")))


def refusal(content: bytes, name: str) -> str:
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        check_readable(upload(content, name), uploads.sniff_type(upload(content, name)))
    return caught.value.messages[0]


def damaged_entry(content: bytes, entry_name: str) -> bytes:
    """The zip with bytes in the middle of one entry's compressed data changed."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        info = archive.getinfo(entry_name)
    damaged = bytearray(content)
    name_length, extra_length = struct.unpack(
        "<HH", damaged[info.header_offset + 26 : info.header_offset + 30]
    )
    start = info.header_offset + 30 + name_length + extra_length
    middle = start + info.compress_size // 2
    damaged[middle : middle + 8] = bytes(b ^ 0xFF for b in damaged[middle : middle + 8])
    return bytes(damaged)


def with_declared_size(content: bytes, entry_name: str, size: int) -> bytes:
    """The zip with its central directory claiming ``size`` unpacked bytes for one entry."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        offset = archive.getinfo(entry_name).header_offset
    record = content.find(b"PK\x01\x02", content.rfind(b"PK\x03\x04"))
    data = bytearray(content)
    while record != -1:
        if struct.unpack("<I", data[record + 42 : record + 46])[0] == offset:
            data[record + 24 : record + 28] = struct.pack("<I", size)
            return bytes(data)
        record = content.find(b"PK\x01\x02", record + 4)
    raise AssertionError(entry_name)


# -- Extraction ------------------------------------------------------------------------------


def test_pdf_text_with_swedish_letters():
    text = extract(pdf_bytes(SWEDISH), uploads.PDF)
    assert SWEDISH in " ".join(text.split())


def test_multi_page_pdf_has_every_page_in_order():
    text = extract(pdf_bytes("Första sidan om Älmhult", "Andra sidan om Åre", "Tredje om Öland"))
    assert text.index("Älmhult") < text.index("Åre") < text.index("Öland")
    assert len(PdfReader(io.BytesIO(pdf_bytes("a", "b", "c"))).pages) == 3


def test_pdf_with_only_an_owner_password_is_read():
    content = encrypted_pdf(user_password="", owner_password="ägaren")
    check_readable(upload(content, "skyddad.pdf"), uploads.PDF)
    assert "återbruk" in extract(content, uploads.PDF)


def test_docx_paragraphs_and_table_cells_in_order():
    text = extract(docx_bytes())
    assert "Protokoll från styrgruppen" in text
    assert SWEDISH in text
    for word in ("Kommun", "Åtgärd", "Växjö", "Cykelbanor längs ån"):
        assert word in text
    assert text.index(SWEDISH) < text.index("Växjö") < text.index("nästa möte i Örebro")


def test_docx_merged_cell_once_and_nested_table():
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "Sammanslagen rubrik om Sundsvall"
    table.cell(1, 0).text = "Mora"
    inner = table.cell(1, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "Inre Åmål"
    inner.cell(0, 1).text = "Inre Öckerö"
    table.cell(1, 2).text = "Sist Ystad"
    out = io.BytesIO()
    document.save(out)
    text = extract(out.getvalue(), uploads.OOXML)
    assert text.count("Sammanslagen rubrik om Sundsvall") == 1
    assert text.index("Mora") < text.index("Inre Åmål") < text.index("Inre Öckerö")
    assert text.index("Inre Öckerö") < text.index("Sist Ystad")


def test_xlsx_values_of_every_sheet():
    text = extract(xlsx_bytes())
    for word in ("Budget", "Resor till Luleå", "12500", "Utfall", "2026-03-14", "Gävle"):
        assert word in text
    assert "12500.0" not in text


def test_pptx_slides_and_notes():
    text = extract(pptx_bytes())
    for words in ("Återbruk i Borås", "Sju kommuner delar möbler", "nämn förskolorna"):
        assert words in text


def test_odt_text_with_spans_and_spaces():
    text = extract(odt_bytes())
    assert "Verksamhetsplan för nätverket" in text
    # Three spaces (text:s c=3) become one after normalising, and the span joins its words.
    assert "Fokus på hållbara måltider i Jönköping" in text


def test_odt_leaves_out_deleted_text_of_tracked_changes():
    document = OpenDocumentText()
    changes = TrackedChanges()
    region = ChangedRegion(check_grammar=False)
    region.setAttrNS(XMLNS, "id", "ct1")
    deletion = Deletion()
    info = ChangeInfo()
    info.addElement(Creator(text="Åsa"))
    info.addElement(DcDate(text="2026-11-30T10:00:00"))
    deletion.addElement(info)
    deletion.addElement(P(text="Strukens mening om Ystad"))
    region.addElement(deletion)
    changes.addElement(region)
    document.text.addElement(changes)
    document.text.addElement(P(text="Kvar står Ljungby"))
    text = extract(odf_bytes(document))
    assert text == "Kvar står Ljungby"


def test_a_huge_odt_stops_at_the_limit():
    document = OpenDocumentText()
    line = "Långt stycke om Kalmar " * 4
    for _ in range(MAX_TEXT_CHARS * 2 // len(line) + 100):
        document.text.addElement(P(text=line))
    text = extract(odf_bytes(document), uploads.ODF)
    # Cut at the limit, and a space at the cut is dropped.
    assert MAX_TEXT_CHARS - 1 <= len(text) <= MAX_TEXT_CHARS
    assert text.startswith("Långt stycke om Kalmar")


def test_ods_cells_of_every_sheet():
    text = extract(ods_bytes())
    for word in ("Namn", "Åsa", "Umeå", "Ö"):
        assert word in text


def test_odp_slides_and_notes():
    text = extract(odp_bytes())
    assert "Klimatlöften från Skövde" in text
    assert "fråga om älgstängsel" in text


def test_the_office_format_comes_from_the_content_not_the_name():
    # A DOCX named .xlsx is still read as a document.
    content = docx_bytes()
    check_readable(upload(content, "tabell.xlsx"), uploads.OOXML)
    assert "Växjö" in extract(content, uploads.OOXML)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert extraction.office_format(archive) == ("docx", "word/document.xml")
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes())) as archive:
        assert extraction.office_format(archive) == ("xlsx", "xl/workbook.xml")
    with zipfile.ZipFile(io.BytesIO(pptx_bytes())) as archive:
        assert extraction.office_format(archive) == ("pptx", "ppt/presentation.xml")
    with zipfile.ZipFile(io.BytesIO(ods_bytes())) as archive:
        assert extraction.office_format(archive) == ("ods", "content.xml")


def test_csv_in_windows_1252():
    content = "Kommun;Värde\r\nVästerås;12\r\nÖrebro;7\r\n".encode("cp1252")
    assert uploads.sniff_type(upload(content, "a.csv")) == uploads.TEXT
    assert extract(content, uploads.TEXT) == "Kommun;Värde\nVästerås;12\nÖrebro;7"


def test_text_in_utf8_with_bom_and_odd_whitespace():
    content = "\ufeffÅrsmöte\t\t i  Kiruna\r\n\r\n\r\n\r\nNästa\x0c år\n".encode()
    assert extract(content, uploads.TEXT) == "Årsmöte i Kiruna\n\nNästa\når"


def test_images_have_no_text():
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    assert extract_text(io.BytesIO(png), uploads.PNG) == ""
    assert extract_text(io.BytesIO(b"\xff\xd8\xff" + b"\x00" * 10), uploads.JPEG) == ""


def test_text_is_cut_at_the_limit():
    exactly = ("å" * 99 + "\n") * (MAX_TEXT_CHARS // 100)
    assert len(extract(exactly.encode(), uploads.TEXT)) == MAX_TEXT_CHARS - 1  # last "\n" gone
    over = "ö" * (MAX_TEXT_CHARS + 1)
    assert extract(over.encode(), uploads.TEXT) == "ö" * MAX_TEXT_CHARS


def test_a_huge_spreadsheet_stops_at_the_limit():
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Rader")
    for row in range(30_000):
        sheet.append([f"Rad {row} " + "x" * 60])
    out = io.BytesIO()
    workbook.save(out)
    text = extract(out.getvalue(), uploads.OOXML)
    assert len(text) == MAX_TEXT_CHARS
    assert text.startswith("Rader\nRad 0 ")


# -- Unreadable files ------------------------------------------------------------------------


def test_password_protected_pdf_is_refused():
    content = encrypted_pdf(user_password="hemligt", owner_password="hemligt")
    assert refusal(content, "hemlig.pdf") == (
        "The file is password-protected. Remove the password and upload it again."
    )
    with pytest.raises(ExtractionError) as caught:
        extract(content, uploads.PDF)
    assert caught.value.code == "encrypted"


def test_truncated_pdf_is_refused():
    content = pdf_bytes(SWEDISH, "Sida två")
    truncated = content[: len(content) // 2]
    assert uploads.sniff_type(upload(truncated, "a.pdf")) == uploads.PDF
    message = refusal(truncated, "avbruten.pdf")
    assert message == "The file is damaged or is not what it claims to be."
    with pytest.raises(ExtractionError):
        extract(truncated, uploads.PDF)


def test_pdf_cut_off_after_its_objects_is_refused_but_padding_is_fine():
    # pypdf's own output (a classic cross-reference table) cut off just before its end.
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(SWEDISH))))
    out = io.BytesIO()
    writer.write(out)
    content = out.getvalue()
    assert "damaged" in refusal(content[: content.rindex(b"startxref")], "avbruten.pdf")
    padded = content + b"\x00" * 10_000  # as some scanners pad to a block size
    check_readable(upload(padded, "skannad.pdf"), uploads.PDF)
    assert "återbruk" in extract(padded, uploads.PDF)


def test_pdf_without_pages_is_refused():
    assert "damaged" in refusal(b"%PDF-1.7\nnot a pdf at all\n%%EOF\n", "tom.pdf")


def test_corrupt_office_zip_is_refused():
    # A zip's signature followed by nothing that a zip holds.
    fake = b"PK\x03\x04" + b"\x00" * 200
    assert uploads.sniff_type(upload(fake, "falsk.docx")) == ""
    for kind in (uploads.OOXML, None):
        with pytest.raises(ValidationError) as caught:
            check_readable(upload(fake, "falsk.docx"), kind)
        assert caught.value.messages == ["The file is damaged or is not what it claims to be."]
        assert caught.value.error_list[0].code == "damaged"
    # A real DOCX with its document part damaged: the checksum no longer matches.
    damaged = damaged_entry(docx_bytes(), "word/document.xml")
    assert uploads.sniff_type(upload(damaged, "a.docx")) == uploads.OOXML
    assert refusal(damaged, "trasig.docx") == (
        "The file is damaged or is not what it claims to be."
    )
    with pytest.raises(ExtractionError):
        extract(damaged, uploads.OOXML)


def test_office_zip_without_its_document_part_is_refused():
    source = io.BytesIO(docx_bytes())
    out = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(out, "w") as copy:
        for info in original.infolist():
            if info.filename != "word/document.xml":
                copy.writestr(info, original.read(info))
    assert "damaged" in refusal(out.getvalue(), "halv.docx")
    with pytest.raises(ExtractionError):
        extract(out.getvalue(), uploads.OOXML)


def test_empty_file_is_refused():
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        check_readable(upload(b"", "tom.pdf"))
    assert caught.value.messages == ["The file is empty."]
    with pytest.raises(ValidationError) as caught:
        check_readable(upload(b"", "tom.txt"), uploads.TEXT)
    assert caught.value.code == "empty"


def test_zip_bomb_is_refused_before_anything_is_unpacked():
    # One entry that really unpacks to more than the limit: zeros compress about 1000:1.
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("[Content_Types].xml", docx_content_types())
        with bomb.open("word/document.xml", "w", force_zip64=True) as entry:
            chunk = b"\x00" * (16 * 1024 * 1024)
            for _ in range(MAX_UNPACKED_BYTES // len(chunk) + 1):
                entry.write(chunk)
    content = out.getvalue()
    assert len(content) < 2 * 1024 * 1024
    assert (
        refusal(content, "bomb.docx")
        == "The file unpacks to more than 500 MB; Navet does not read it."
    )
    with pytest.raises(ExtractionError, match="unpacks to more than"):
        extract(content, uploads.OOXML)


def test_entry_with_a_huge_declared_size_is_refused():
    content = docx_bytes()
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        others = sum(i.file_size for i in archive.infolist() if i.filename != "word/document.xml")
    # Declared sizes adding up to exactly the limit pass the size check (the entry then fails
    # its checksum, since it holds less than it claims); one byte more is refused unread.
    at_limit = with_declared_size(content, "word/document.xml", MAX_UNPACKED_BYTES - others)
    assert refusal(at_limit, "lagom.docx") == "The file is damaged or is not what it claims to be."
    over = with_declared_size(content, "word/document.xml", MAX_UNPACKED_BYTES - others + 1)
    assert "unpacks to more than 500 MB" in refusal(over, "stor.docx")
    with pytest.raises(ExtractionError) as caught:
        extract(over, uploads.OOXML)
    assert caught.value.code == "too_large"


def docx_content_types() -> bytes:
    with zipfile.ZipFile(io.BytesIO(docx_bytes())) as archive:
        return archive.read("[Content_Types].xml")


def test_password_protected_office_file_is_refused_before_its_type_is_known():
    # Word, Excel and PowerPoint store an encrypted file as an OLE compound file whose
    # directory names an "EncryptedPackage" stream (see MS-OFFCRYPTO); not a zip at all.
    directory_entry = "EncryptedPackage".encode("utf-16-le").ljust(64, b"\x00")
    content = extraction.OLE_MAGIC + b"\x00" * 504 + directory_entry + b"\x00" * 4096
    assert uploads.sniff_type(upload(content, "hemlig.docx")) == ""
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        check_readable(upload(content, "hemlig.docx"))
    assert caught.value.messages == [
        "The file is password-protected. Remove the password and upload it again."
    ]


def test_password_protected_odf_is_refused():
    source = io.BytesIO(odt_bytes())
    out = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(out, "w") as copy:
        for info in original.infolist():
            data = original.read(info)
            if info.filename == "META-INF/manifest.xml":
                data = data.replace(
                    b'manifest:full-path="content.xml"',
                    b'manifest:full-path="content.xml"><manifest:encryption-data '
                    b'manifest:checksum-type="SHA1/1K" manifest:checksum="x"/',
                )
                assert b"encryption-data" in data
            copy.writestr(info, data)
    assert "password-protected" in refusal(out.getvalue(), "hemlig.odt")
    with pytest.raises(ExtractionError, match="password-protected"):
        extract(out.getvalue(), uploads.ODF)


def test_readable_files_pass_the_check():
    for content, name in (
        (pdf_bytes(SWEDISH), "a.pdf"),
        (docx_bytes(), "a.docx"),
        (xlsx_bytes(), "a.xlsx"),
        (pptx_bytes(), "a.pptx"),
        (odt_bytes(), "a.odt"),
        (ods_bytes(), "a.ods"),
        (odp_bytes(), "a.odp"),
        ("Åsa;Öbo".encode("cp1252"), "a.csv"),
    ):
        uploaded = upload(content, name)
        kind = uploads.check_upload(uploaded)
        check_readable(uploaded, kind)
        check_readable(uploaded)  # sniffed when not given
        assert uploaded.tell() == 0


# -- The background task ---------------------------------------------------------------------


def stored_version(content: bytes, name: str, kind: str) -> DocumentVersion:
    network = NetworkFactory.create()
    document = Document.objects.create(
        network=network, title=name, visibility=Document.Visibility.MEMBERS
    )
    return DocumentVersion.objects.create(
        document=document,
        number=1,
        file=ContentFile(content, name=name),
        token=hashlib.sha256(content + name.encode()).hexdigest()[:32],
        original_name=name,
        kind=kind,
        content_type="application/octet-stream",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )


@pytest.mark.django_db
def test_task_stores_the_text_of_a_stored_pdf(media_root):
    version = stored_version(pdf_bytes(SWEDISH, "Andra sidan: Härnösand"), "plan.pdf", "pdf")
    assert version.extraction == DocumentVersion.Extraction.PENDING
    assert (media_root / version.file.name).is_file()

    assert extract_version_text.call(version.pk) == "done"

    version.refresh_from_db()
    assert version.extraction == DocumentVersion.Extraction.DONE
    assert version.extraction_error == ""
    assert SWEDISH in " ".join(version.text.split())
    assert "Härnösand" in version.text


@pytest.mark.django_db
def test_task_on_a_docx(media_root):
    version = stored_version(docx_bytes(), "protokoll.docx", "ooxml")
    extract_version_text.call(version.pk)
    version.refresh_from_db()
    assert version.extraction == DocumentVersion.Extraction.DONE
    assert "Cykelbanor längs ån" in version.text


@pytest.mark.django_db
def test_task_records_a_failure_and_keeps_the_file(media_root):
    content = pdf_bytes(SWEDISH)[:500]
    version = stored_version(content, "trasig.pdf", "pdf")
    version.text = "gammal text"
    version.save()

    assert extract_version_text.call(version.pk) == "failed"

    version.refresh_from_db()
    assert version.extraction == DocumentVersion.Extraction.FAILED
    # Stored in the site's language (English in these tests), whoever uploaded it.
    assert version.extraction_error == "The file is damaged or is not what it claims to be."
    assert version.text == ""
    stored = media_root / version.file.name
    assert stored.read_bytes() == content


@pytest.mark.django_db
def test_task_on_an_image_has_nothing_to_extract(media_root):
    version = stored_version(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "bild.png", "png")
    assert extract_version_text.call(version.pk) == "none"
    version.refresh_from_db()
    assert version.extraction == DocumentVersion.Extraction.NONE
    assert version.text == ""


@pytest.mark.django_db
def test_task_when_the_stored_file_is_gone(media_root):
    version = stored_version(b"Hej", "a.txt", "text")
    (media_root / version.file.name).unlink()
    assert extract_version_text.call(version.pk) == "failed"
    version.refresh_from_db()
    assert version.extraction_error == "The stored file could not be read. Try again later."


@pytest.mark.django_db
def test_task_for_a_version_deleted_since_it_was_queued(media_root):
    version = stored_version(b"Hej", "a.txt", "text")
    version_id = version.pk
    version.delete()
    assert extract_version_text.call(version_id) == "missing"


def test_an_upload_is_extracted_by_the_worker_after_the_commit(network, run_tasks):
    content = pdf_bytes(SWEDISH, "Andra sidan: Härnösand")
    document = make_document(network, title="Plan", file=upload(content, "plan.pdf"))
    version = document.versions.get()
    assert version.extraction == DocumentVersion.Extraction.PENDING

    names = [result.task.name for result in run_tasks()]

    assert "extract_version_text" in names
    version.refresh_from_db()
    assert version.extraction == DocumentVersion.Extraction.DONE
    assert "Härnösand" in version.text


def test_an_upload_that_opens_but_cannot_be_read_fails_and_is_kept(network, run_tasks, media_root):
    # The zip and its checksums are sound (so the upload check lets it in), but the document
    # part is not XML: only reading the text finds that out.
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx_bytes())) as original, zipfile.ZipFile(out, "w") as copy:
        for info in original.infolist():
            data = original.read(info)
            copy.writestr(
                info, b"<w:document><w:body>" if info.filename.endswith("document.xml") else data
            )
    content = out.getvalue()
    document = make_document(network, title="Trasig", file=upload(content, "trasig.docx"))
    version = document.versions.get()

    run_tasks()

    version.refresh_from_db()
    assert version.extraction == DocumentVersion.Extraction.FAILED
    assert version.extraction_error == "The file is damaged or is not what it claims to be."
    assert (media_root / version.file.name).read_bytes() == content


def test_retry_after_the_stored_file_was_unreadable(network, run_tasks, media_root):
    content = docx_bytes()
    document = make_document(network, title="Protokoll", file=upload(content, "protokoll.docx"))
    version = document.versions.get()
    stored = media_root / version.file.name
    stored.rename(stored.with_suffix(".away"))  # the storage is away when the worker runs
    run_tasks()
    version.refresh_from_db()
    assert version.extraction == DocumentVersion.Extraction.FAILED
    assert version.extraction_error == "The stored file could not be read. Try again later."

    stored.with_suffix(".away").rename(stored)
    services.extraction_retry(actor=None, version=version)
    version.refresh_from_db()
    assert version.extraction == DocumentVersion.Extraction.PENDING
    assert version.extraction_error == ""
    run_tasks()
    version.refresh_from_db()
    assert version.extraction == DocumentVersion.Extraction.DONE
    assert "Cykelbanor längs ån" in version.text
    assert stored.read_bytes() == content


def test_a_text_file_cut_inside_a_character_stays_utf8():
    content = ("ä" * (MAX_TEXT_CHARS * 2 + 1)).encode()  # 2 bytes each: the read ends inside one
    text = extract(content, uploads.TEXT)
    assert text == "ä" * MAX_TEXT_CHARS
