"""documents.downloads on the file system storage: every file is served with a safe type, the
right disposition and headers that keep an uploaded page or script from running in Navet's
origin, and hostile uploads (HTML, SVG, polyglots) are refused or served harmlessly."""

import hashlib
import http.server
import io
import secrets
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import FileResponse, Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.test import Client, RequestFactory
from django.urls import path
from django.utils import translation
from docx import Document as WordDocument
from PIL import Image
from pypdf import PdfWriter

from config import urls as site_urls
from navet.core import uploads
from navet.documents import downloads
from navet.documents.models import Document, DocumentVersion
from navet.networks.models import Network, Organisation
from navet.networks.reference import ensure_reference_organisations

SANDBOX = "sandbox; default-src 'none'"
UNKNOWN_KIND_SV = "Navet kan inte avgöra vilken sorts fil detta är."
SCRIPT = b"<script>document.title='pwned'</script>"


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(buffer, format="PNG")
    return buffer.getvalue()


def _docx() -> bytes:
    buffer = io.BytesIO()
    word = WordDocument()
    word.add_paragraph("Protokoll från nätverksmötet")
    word.save(buffer)
    return buffer.getvalue()


def make_version(
    network: Network, content: bytes, *, name: str, kind: str, content_type: str
) -> DocumentVersion:
    """A document with one version whose file is saved through the storage API (the way the
    archive's services store it)."""
    document = Document.objects.create(
        network=network, title=name, visibility=Document.Visibility.MEMBERS
    )
    version = DocumentVersion(
        document=document,
        number=1,
        token=secrets.token_hex(16),
        original_name=name,
        kind=kind,
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    version.file.save(version.token, ContentFile(content), save=False)
    version.save()
    return version


def body(response: Any) -> bytes:
    assert isinstance(response, FileResponse)
    data = b"".join(response.streaming_content)  # type: ignore[arg-type]
    response.close()
    return data


def serve(version: DocumentVersion) -> Any:
    return downloads.file_response(RequestFactory().get("/"), version)


def assert_protected(response: Any) -> None:
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == SANDBOX
    assert response["Cache-Control"].split(",")[0] == "private"


@pytest.fixture
def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": "Årsrapport"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "kind", "content_type", "expected_type", "expected_disposition"),
    [
        ("Årsrapport 2026.pdf", uploads.PDF, "application/pdf", "application/pdf",
         "inline; filename*=utf-8''%C3%85rsrapport%202026.pdf"),
        ("karta.png", uploads.PNG, "image/png", "image/png", 'inline; filename="karta.png"'),
        (
            "Protokoll möte 3.docx",
            uploads.OOXML,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "attachment; filename*=utf-8''Protokoll%20m%C3%B6te%203.docx",
        ),
        (
            "Anteckningar från Gävle å ä ö.txt",
            uploads.TEXT,
            "text/plain; charset=utf-8",
            "text/plain; charset=utf-8",
            "attachment; filename*=utf-8''Anteckningar%20fr%C3%A5n%20G%C3%A4vle%20%C3%A5%20"
            "%C3%A4%20%C3%B6.txt",
        ),
    ],
)  # fmt: skip
def test_each_kind_is_served_with_its_type_and_disposition(
    network: Network,
    pdf_bytes: bytes,
    name: str,
    kind: str,
    content_type: str,
    expected_type: str,
    expected_disposition: str,
) -> None:
    content = {
        uploads.PDF: pdf_bytes,
        uploads.PNG: _png(),
        uploads.OOXML: _docx(),
        uploads.TEXT: "Mötet börjar 09.00 i Gävle.\n".encode(),
    }[kind]
    # The content really is what the test says it is.
    assert uploads.check_upload(SimpleUploadedFile(name, content)) == kind
    response = serve(
        make_version(network, content, name=name, kind=kind, content_type=content_type)
    )
    assert response.status_code == 200
    assert response["Content-Type"] == expected_type
    assert response["Content-Disposition"] == expected_disposition
    assert response["Content-Length"] == str(len(content))
    assert_protected(response)
    assert body(response) == content


@pytest.mark.parametrize(
    ("kind", "stored", "served"),
    [
        # Whatever a row says, HTML and SVG are never served.
        (uploads.TEXT, "text/html; charset=utf-8", "text/plain; charset=utf-8"),
        (uploads.TEXT, "image/svg+xml", "text/plain; charset=utf-8"),
        (uploads.PNG, "image/svg+xml", "image/png"),
        (uploads.PDF, "text/html", "application/pdf"),
        (uploads.TEXT, "text/csv; charset=windows-1252", "text/csv; charset=windows-1252"),
        (uploads.TEXT, "text/plain; charset=utf-7", "text/plain; charset=utf-8"),
        (uploads.TEXT, "", "text/plain; charset=utf-8"),
        (uploads.OOXML, "text/html", "application/octet-stream"),
        (
            uploads.ODF,
            "application/vnd.oasis.opendocument.spreadsheet",
            "application/vnd.oasis.opendocument.spreadsheet",
        ),
        ("", "text/html", "application/octet-stream"),
        ("svg", "image/svg+xml", "application/octet-stream"),
    ],
)
def test_the_served_type_comes_from_a_safe_list_per_kind(
    kind: str, stored: str, served: str
) -> None:
    assert downloads.safe_content_type(kind, stored) == served


@pytest.mark.django_db
def test_a_name_with_path_parts_or_control_characters_is_cleaned(network: Network) -> None:
    version = make_version(
        network, b"hej\n", name="../../etc/pass\r\nwd.txt", kind=uploads.TEXT, content_type=""
    )
    response = serve(version)
    assert response["Content-Disposition"] == 'attachment; filename="passwd.txt"'
    body(response)
    version.original_name = "\x00\x01"
    assert downloads.download_name(version) == "document.csv"


@pytest.mark.django_db
def test_a_quote_in_the_name_cannot_end_the_header_value(network: Network) -> None:
    version = make_version(
        network, b"hej\n", name='a"; filename=evil.html', kind=uploads.TEXT, content_type=""
    )
    response = serve(version)
    assert response["Content-Disposition"] == r'attachment; filename="a\"; filename=evil.html"'
    body(response)


@pytest.mark.django_db
def test_a_missing_file_is_not_found(network: Network) -> None:
    version = make_version(network, b"hej\n", name="a.txt", kind=uploads.TEXT, content_type="")
    version.file.storage.delete(version.file.name)
    with pytest.raises(Http404):
        serve(version)


def _download(request: HttpRequest, pk: int) -> HttpResponseBase:
    return downloads.file_response(request, DocumentVersion.objects.get(pk=pk))


# A stand-in for the archive's download view, to see the headers after every middleware
# (beside the site's own URLs, which indexing a new document needs).
urlpatterns = [path("download/<int:pk>/", _download), *site_urls.urlpatterns]


@pytest.mark.django_db
@pytest.mark.urls("tests.documents.test_downloads")
def test_the_site_middleware_keeps_the_download_headers(
    network: Network, client_for: Callable[[str], Client]
) -> None:
    version = make_version(
        network, GIF_POLYGLOT, name="bild.gif", kind=uploads.GIF, content_type=""
    )
    response = client_for("member").get(f"/download/{version.pk}/")
    assert response["Content-Type"] == "image/gif"
    assert response["Content-Security-Policy"] == SANDBOX  # not the site's page policy
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == GIF_POLYGLOT  # type: ignore[attr-defined]


def test_the_file_system_storage_does_not_sign_urls() -> None:
    from django.core.files.storage import default_storage

    assert not downloads.signs_urls(default_storage)


# Hostile uploads ---------------------------------------------------------------------------

HTML_PAGE = b"<html><body>" + SCRIPT + b"</body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">' + SCRIPT + b"</svg>"
GIF_POLYGLOT = b"GIF89a/*\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00;*/=1;" + SCRIPT
PDF_POLYGLOT = b"%PDF-1.4\n<html><body>" + SCRIPT + b"</body></html>\n%%EOF\n"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("sida.html", HTML_PAGE),
        ("sida.txt", HTML_PAGE),
        ("rapport.pdf", HTML_PAGE),
        ("bild.png", SVG),
        ("bild.svg", SVG),
        ("bild.txt", b"\n  " + SVG),
        ("bild.txt", b'<?xml version="1.0"?>' + SVG),
        ("sida.txt", b"<!DOCTYPE html>" + HTML_PAGE),
        ("sida.txt", b"\xef\xbb\xbf<!doctype html>" + HTML_PAGE),
        ("sida.txt", "<!DOCTYPE html><html>".encode("utf-16")),
        ("sida.txt", "<html><script>".encode("utf-16-le")),
    ],
)
def test_html_and_svg_uploads_are_refused(name: str, content: bytes) -> None:
    with translation.override("sv"), pytest.raises(ValidationError) as error:
        uploads.check_upload(SimpleUploadedFile(name, content))
    assert error.value.code == "file_type"
    assert UNKNOWN_KIND_SV in error.value.messages[0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "kind", "served_type"),
    [
        ("bild.gif", GIF_POLYGLOT, uploads.GIF, "image/gif"),
        ("rapport.pdf", PDF_POLYGLOT, uploads.PDF, "application/pdf"),
    ],
)
def test_a_polyglot_that_passes_as_its_type_is_served_as_that_type_in_a_sandbox(
    network: Network, name: str, content: bytes, kind: str, served_type: str
) -> None:
    # These are what they say at the start (a GIF, a PDF), so the check lets them through…
    assert uploads.check_upload(SimpleUploadedFile(name, content)) == kind
    # …even if the browser claimed text/html, they are served as their kind, never sniffed,
    # and in a sandbox without script.
    version = make_version(network, content, name=name, kind=kind, content_type="text/html")
    response = serve(version)
    assert response["Content-Type"] == served_type
    assert response["Content-Disposition"].startswith("inline;")
    assert_protected(response)
    assert body(response) == content


# In a real browser -------------------------------------------------------------------------


class _Responses(http.server.BaseHTTPRequestHandler):
    routes: dict[str, tuple[dict[str, str], bytes]] = {}

    def do_GET(self) -> None:
        headers, content = self.routes[self.path]
        self.send_response(200)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def origin() -> Iterator[tuple[str, dict[str, tuple[dict[str, str], bytes]]]]:
    """A loopback HTTP server that answers each path with the headers and bytes put in its
    routes: the Django response of file_response, as a browser would get it."""
    routes: dict[str, tuple[dict[str, str], bytes]] = {}
    handler = type("Handler", (_Responses,), {"routes": routes})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", routes
    server.shutdown()
    server.server_close()


@pytest.fixture
def reference_organisations(transactional_db: None) -> None:
    """A transactional test empties the database afterwards, the municipalities the data
    migration loaded too: put them back first."""
    ensure_reference_organisations(Organisation)


@pytest.fixture
def chromium_page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    yield context.new_page()
    context.close()


# Transactional, as every test beside the run's browser is: its event loop runs in this thread,
# and a test wrapped in one transaction would not find it again at the end.
@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("bild.gif", GIF_POLYGLOT, uploads.GIF),
        ("rapport.pdf", PDF_POLYGLOT, uploads.PDF),
        ("sida.txt", HTML_PAGE, uploads.TEXT),  # as if a row said "text" for an HTML page
    ],
)
def test_the_script_in_a_served_file_does_not_run_in_chromium(
    reference_organisations: None,
    network: Network,
    origin: tuple[str, dict[str, tuple[dict[str, str], bytes]]],
    request: pytest.FixtureRequest,
    name: str,
    content: bytes,
    kind: str,
) -> None:
    base, routes = origin
    response = serve(make_version(network, content, name=name, kind=kind, content_type="text/html"))
    headers = {key: value for key, value in response.items() if key != "Content-Length"}
    # Opened inline (the images and PDFs) or not, nothing may run: the served headers only,
    # without the attachment, to give a script every chance.
    headers["Content-Disposition"] = "inline"
    routes["/served"] = (headers, body(response))
    # The same bytes as an unprotected HTML page: the script runs, so the check can fail.
    routes["/unprotected"] = ({"Content-Type": "text/html"}, content)

    chromium_page = request.getfixturevalue("chromium_page")
    chromium_page.goto(base + "/unprotected")
    assert chromium_page.title() == "pwned"
    chromium_page.goto(base + "/served")
    chromium_page.wait_for_timeout(300)
    assert chromium_page.title() != "pwned"
    # The browser shows the bytes as the served type, never as a page.
    served_type = response["Content-Type"].split(";")[0]
    assert chromium_page.evaluate("document.contentType") == served_type
    if kind != uploads.PDF:
        # A sandboxed document has an opaque origin: nothing in it reaches Navet's cookies or
        # pages. (Chromium shows a PDF in its own viewer page, which no file's script enters.)
        assert chromium_page.evaluate("window.origin") == "null"
