"""Authorisation expectations for the document archive's URLs (see tests/authz.py).

The document under test is filed under the Klimat group and is for the network's members: the
member and the Klimat guest (partner) may see it, the Klimat group coordinator may change it,
the other network's coordinator and the outsider do not find it (404). The archive's list is
open to everyone (each sees what the visibility rule lets them). Filing, editing, versions,
deleting and undoing are for the network's coordinators and its group coordinators; the
others are refused before any document is looked up (403).
"""

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from navet.documents import services
from navet.documents.models import Document, DocumentVersion
from tests.authz import GROUP_MANAGERS, LOGIN, Expectation, everyone

VIEWERS = [*GROUP_MANAGERS, "member", "partner"]


def _viewers(status: int = 200) -> Expectation:
    expected: Expectation = dict.fromkeys(("other_coordinator", "outsider"), 404)
    expected.update(dict.fromkeys(VIEWERS, status))
    expected["anonymous"] = LOGIN
    return expected


def _filers(status: int = 200) -> Expectation:
    expected: Expectation = dict.fromkeys(
        ("member", "partner", "other_coordinator", "outsider"), 403
    )
    expected.update(dict.fromkeys(GROUP_MANAGERS, status))
    expected["anonymous"] = LOGIN
    return expected


EXPECTED: dict[str, tuple[str, Expectation]] = {
    "documents:archive": ("get", everyone(200)),
    "documents:detail": ("get", _viewers()),
    "documents:file": ("get", _viewers()),
    "documents:upload": ("get", _filers()),
    "documents:deleted": ("get", _filers()),
    "documents:edit": ("get", _filers()),
    "documents:version_add": ("get", _filers()),
    "documents:version_file": ("get", _filers()),
    "documents:version_restore": ("post", _filers(302)),
    "documents:extraction_retry": ("post", _filers(302)),
    "documents:delete": ("post", _filers(302)),
    "documents:undelete": ("post", _filers(302)),
}


def build_objects(base: dict[str, Any]) -> dict[str, Any]:
    network, group = base["network"], base["group"]
    document = services.document_create(
        actor=None,
        network=network,
        group=group,
        title="Klimatgruppens protokoll",
        visibility=Document.Visibility.MEMBERS,
        file=SimpleUploadedFile("protokoll.txt", b"Protokoll, version 1"),
    )
    services.version_add(
        actor=None, document=document, file=SimpleUploadedFile("protokoll.txt", b"Version 2")
    )
    DocumentVersion.objects.filter(document=document).update(
        extraction=DocumentVersion.Extraction.FAILED
    )
    deleted = services.document_create(
        actor=None,
        network=network,
        group=group,
        title="Borttaget utkast",
        url="https://example.org/utkast",
    )
    services.document_delete(actor=None, document=deleted)
    return {"document": document, "deleted_document": deleted}


def url_kwargs(name: str, objects: dict[str, Any]) -> dict[str, Any] | None:
    if not name.startswith("documents:"):
        return None
    slug = objects["network"].slug
    if name in {"documents:archive", "documents:upload", "documents:deleted"}:
        return {"slug": slug}
    if name == "documents:undelete":
        return {"slug": slug, "pk": objects["deleted_document"].pk}
    kwargs = {"slug": slug, "pk": objects["document"].pk}
    if name in {"documents:version_file", "documents:version_restore"}:
        kwargs["number"] = 1
    if name == "documents:extraction_retry":
        kwargs["number"] = 2
    return kwargs
