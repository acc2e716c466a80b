"""Real files for the archive's tests (made with the same libraries people's programs use) and
documents made through the services, as an upload would make them."""

import functools
import io
from typing import Any

import docx
import openpyxl
import pptx
import weasyprint
from django.core.files.uploadedfile import SimpleUploadedFile
from odf.opendocument import OpenDocumentText
from odf.text import P
from PIL import Image

from navet.documents import services
from navet.documents.models import Document
from navet.networks.models import Network


@functools.cache
def pdf_bytes(text: str = "Protokoll från nätverksträffen om återbruk") -> bytes:
    return weasyprint.HTML(string=f"<p>{text}</p>").write_pdf()  # type: ignore[no-any-return]


def docx_bytes(text: str = "Handlingsplan för klimatet") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes(text: str = "Budget 2026") -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = text  # type: ignore[index]
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def pptx_bytes(text: str = "Presentation om energi") -> bytes:
    presentation = pptx.Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[1])
    slide.shapes.title.text = text  # type: ignore[union-attr]
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()


def odt_bytes(text: str = "Verksamhetsberättelse") -> bytes:
    document = OpenDocumentText()
    document.text.addElement(P(text=text))
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(out, format="PNG")
    return out.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def pdf_upload(name: str = "protokoll.pdf", text: str | None = None) -> SimpleUploadedFile:
    return upload(name, pdf_bytes(text) if text else pdf_bytes())


def text_upload(name: str = "anteckningar.txt", text: str = "Anteckningar") -> SimpleUploadedFile:
    return upload(name, text.encode())


def make_document(network: Network, *, actor: Any = None, **fields: Any) -> Document:
    """A file document (a small text file unless ``file`` or ``url`` is given)."""
    fields.setdefault("title", "Ett dokument")
    if "file" not in fields and "url" not in fields:
        fields["file"] = text_upload(text=f"Innehåll i {fields['title']}")
    return services.document_create(actor=actor, network=network, **fields)
