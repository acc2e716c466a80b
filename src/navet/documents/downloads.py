"""Serving a document version's file, after the caller has checked that the person may.

``file_response(request, version)`` answers with headers that keep an uploaded file from ever
running as a page in Navet's origin, whatever its bytes are:

* ``Content-Type`` from the content's sniffed kind (``version.kind``), taken from a short list
  of safe types per kind; never from the name, never HTML or SVG;
* ``Content-Disposition: attachment`` with the original name (RFC 6266, ``filename*`` for
  å, ä, ö), except PDF and PNG/JPEG/GIF images, which open ``inline``;
* ``X-Content-Type-Options: nosniff``, so the browser keeps to that type;
* ``Content-Security-Policy: sandbox; default-src 'none'``, so even a polyglot opened inline
  (a GIF or PDF that is also HTML) has no script and no access to the site's cookies;
* ``Cache-Control: private, no-store``, so no shared cache or shared computer keeps it.

A storage that signs URLs (S3 through django-storages) gets a redirect to a URL signed now,
valid ``NAVET_S3_URL_SECONDS``, that tells the object store to send the same Content-Type and
Content-Disposition; any other storage (the file system) streams the file through Django.
"""

import inspect
import re
from typing import Any, Protocol, TypeGuard

from django.conf import settings
from django.core.files.storage import Storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header

from navet.core import uploads
from navet.documents.models import DocumentVersion

OCTET_STREAM = "application/octet-stream"
SANDBOX_POLICY = "sandbox; default-src 'none'"
CACHE_CONTROL = "private, no-store"
INLINE_KINDS = frozenset({uploads.PDF, uploads.PNG, uploads.JPEG, uploads.GIF})

# The types a file of each kind may be served as; the first is used when the stored one is
# not in the list. Text is the only kind with a charset.
SAFE_TYPES: dict[str, tuple[str, ...]] = {
    uploads.PDF: ("application/pdf",),
    uploads.PNG: ("image/png",),
    uploads.JPEG: ("image/jpeg",),
    uploads.GIF: ("image/gif",),
    uploads.OOXML: (
        OCTET_STREAM,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    uploads.ODF: (
        OCTET_STREAM,
        "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.spreadsheet",
        "application/vnd.oasis.opendocument.presentation",
    ),
    uploads.ZIP: ("application/zip",),
    uploads.TEXT: ("text/plain", "text/csv", "text/tab-separated-values", "text/markdown"),
}
TEXT_CHARSETS = ("utf-8", "windows-1252")
_UNSAFE_NAME_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


def safe_content_type(kind: str, stored: str = "") -> str:
    """The type to serve a file of ``kind`` as: ``stored`` when it is one of the kind's safe
    types, otherwise the kind's first safe type (``application/octet-stream`` for an unknown
    kind). Text always carries a charset (UTF-8 unless windows-1252 was stored)."""
    allowed = SAFE_TYPES.get(kind)
    if not allowed:
        return OCTET_STREAM
    mime, _sep, parameters = stored.partition(";")
    mime = mime.strip().lower()
    content_type = mime if mime in allowed else allowed[0]
    if kind != uploads.TEXT:
        return content_type
    charset = "utf-8"
    for parameter in parameters.split(";"):
        key, _eq, value = parameter.partition("=")
        if key.strip().lower() == "charset" and value.strip(" \"'").lower() in TEXT_CHARSETS:
            charset = value.strip(" \"'").lower()
    return f"{content_type}; charset={charset}"


def download_name(version: DocumentVersion) -> str:
    """The original file name without path parts or control characters (the upload refuses
    those already; this keeps the header sound for older rows too)."""
    name = re.split(r"[\\/]", version.original_name or "")[-1]
    name = _UNSAFE_NAME_CHARACTERS.sub("", name).strip().lstrip(".")
    if not name:
        extensions = sorted(uploads.EXTENSIONS.get(version.kind, ()))
        name = f"document.{extensions[0]}" if extensions else "document"
    return name


def disposition(version: DocumentVersion) -> str:
    attachment = version.kind not in INLINE_KINDS
    header = content_disposition_header(attachment, download_name(version))
    return header or ("attachment" if attachment else "inline")


class SigningStorage(Protocol):
    def url(
        self, name: str, parameters: dict[str, Any] | None = None, expire: int | None = None
    ) -> str: ...


def signs_urls(storage: Storage | SigningStorage) -> TypeGuard[SigningStorage]:
    """Whether the storage hands out signed, expiring URLs with response headers of our
    choosing (django-storages' ``url(name, parameters=..., expire=...)`` with query-string
    authentication on), rather than a plain public address or none at all."""
    try:
        parameters = inspect.signature(storage.url).parameters
    except (TypeError, ValueError):
        return False
    return (
        "parameters" in parameters
        and "expire" in parameters
        and getattr(storage, "querystring_auth", False) is True
    )


def _protect(response: HttpResponseBase) -> HttpResponseBase:
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_POLICY
    response["Cache-Control"] = CACHE_CONTROL
    return response


def file_response(request: HttpRequest, version: DocumentVersion) -> HttpResponseBase:
    """The version's file for someone the caller has let through: a stream from the file
    system, or a redirect to a freshly signed object-storage URL."""
    name = version.file.name if version.file else None
    if not name:
        raise Http404
    content_type = safe_content_type(version.kind, version.content_type)
    content_disposition = disposition(version)
    storage = version.file.storage
    if signs_urls(storage):
        url = storage.url(
            name,
            parameters={
                "ResponseContentType": content_type,
                "ResponseContentDisposition": content_disposition,
                "ResponseCacheControl": CACHE_CONTROL,
            },
            expire=settings.NAVET_S3_URL_SECONDS,
        )
        redirect = HttpResponseRedirect(url)
        # The address itself is a short-lived secret: no one keeps it or passes it on.
        redirect["Referrer-Policy"] = "no-referrer"
        return _protect(redirect)
    try:
        handle = version.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition
    return _protect(response)
