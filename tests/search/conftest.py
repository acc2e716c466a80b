"""Documents for the search tests, written directly through the ORM (Document + a version
with its extracted text), indexed the way the site indexes them: by the signals, after the
transaction commits."""

import datetime
import hashlib
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from navet.documents.models import Document, DocumentVersion
from navet.networks.models import Network

_tokens = itertools.count(1)


def add_version(document: Document, text: str, **extra: Any) -> DocumentVersion:
    number = (document.versions.order_by("-number").values_list("number", flat=True).first()) or 0
    token = f"t{next(_tokens)}"
    return DocumentVersion.objects.create(
        document=document,
        number=number + 1,
        file=f"documents/{document.network_id}/{document.pk}/{token}",
        token=token,
        original_name="underlag.pdf",
        kind="pdf",
        content_type="application/pdf",
        size=len(text),
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        extraction=DocumentVersion.Extraction.DONE,
        text=text,
        **extra,
    )


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Callable[..., Any]:
    """``with committed(): ...``: run the block and then its on-commit callbacks (the
    indexing), as a real commit would."""

    def run() -> Any:
        return django_capture_on_commit_callbacks(execute=True)

    return run


@pytest.fixture
def make_document(committed: Callable[..., Any]) -> Callable[..., Document]:
    def make(
        network: Network,
        title: str,
        text: str = "",
        *,
        visibility: str = Document.Visibility.PUBLIC,
        created_at: datetime.datetime | None = None,
        **fields: Any,
    ) -> Document:
        with committed():
            document = Document.objects.create(
                network=network,
                title=title,
                visibility=visibility,
                created_at=created_at or timezone.now(),
                **fields,
            )
            if text:
                add_version(document, text)
        return document

    return make
