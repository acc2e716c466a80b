"""navet.core.uploads: a file's kind from its content, and the check every file field runs."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from navet.core import uploads


def _zip(**members: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name.replace("__", "/"), content)
    return buffer.getvalue()


ODT = _zip(mimetype=b"application/vnd.oasis.opendocument.text", content__xml=b"<x/>")
XLSX = {"[Content_Types].xml": b"<Types/>"}


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"%PDF-1.4\n", uploads.PDF),
        (b"\x89PNG\r\n\x1a\n\x00\x00", uploads.PNG),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", uploads.JPEG),
        (b"GIF89a\x01\x00", uploads.GIF),
        (ODT, uploads.ODF),
        (_zip(a=b"b"), uploads.ZIP),
        ("Åsa;Borås;Ödeshög\n".encode() * 3000, uploads.TEXT),  # cut mid-character at 8 kB
        ("Åsa;Borås\n".encode("cp1252"), uploads.TEXT),
        (b"\xef\xbb\xbf<html><body>", ""),
        (b"  <?xml version='1.0'?><svg/>", ""),
        (b"PK\x03\x04not really a zip", ""),
        (b"", ""),
        (b"\x00\x01\x02", ""),
    ],
)
def test_sniff_type(content: bytes, kind: str) -> None:
    assert uploads.sniff_type(SimpleUploadedFile("x", content)) == kind


def test_ooxml_is_recognised() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in XLSX.items():
            archive.writestr(name, content)
    upload = SimpleUploadedFile("budget.xlsx", buffer.getvalue())
    assert uploads.check_upload(upload) == uploads.OOXML
    # The file can still be read from the start afterwards.
    assert upload.read(2) == b"PK"


def test_a_plain_zip_is_not_a_document() -> None:
    with pytest.raises(ValidationError):
        uploads.check_upload(SimpleUploadedFile("arkiv.zip", _zip(a=b"b")))
    assert (
        uploads.check_upload(SimpleUploadedFile("arkiv.zip", _zip(a=b"b")), allowed=[uploads.ZIP])
        == uploads.ZIP
    )


@pytest.mark.parametrize("name", ["protokoll.odt", "PROTOKOLL.ODT"])
def test_extension_is_compared_without_case(name: str) -> None:
    assert uploads.check_upload(SimpleUploadedFile(name, ODT)) == uploads.ODF


@pytest.mark.parametrize("name", ["protokoll.pdf", "protokoll", "protokoll.odt.exe"])
def test_a_name_that_disagrees_is_refused(name: str) -> None:
    with pytest.raises(ValidationError) as error:
        uploads.check_upload(SimpleUploadedFile(name, ODT))
    assert error.value.code == "file_type"


def test_size_is_checked_first(settings) -> None:
    settings.NAVET_MAX_UPLOAD_BYTES = 10
    with pytest.raises(ValidationError) as error:
        uploads.check_upload(SimpleUploadedFile("a.txt", b"x" * 11))
    assert "too large" in " ".join(error.value.messages)
