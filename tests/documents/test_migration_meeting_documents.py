"""The data migration documents.0002: yesterday's meeting attachments become archive documents.

Run for real with the migration executor: the database is taken back to before the move,
meeting documents are created with real files in the storage, and the migration runs forward
(and back). The files are never copied: the archive's version 1 points at the same stored name.
"""

import datetime
import hashlib
import io
from collections.abc import Iterator
from typing import Any

import docx
import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from weasyprint import HTML

from navet.documents.models import Document, DocumentVersion
from navet.documents.permissions import visible_documents
from navet.networks.models import Group, Network, Organisation
from navet.networks.reference import ensure_reference_organisations

# Migrating needs real transactions. pytest-django runs transactional tests after all others,
# so the flush after each one only meets other transactional tests, which bring their own data
# (serialized_rollback would clash with the content types that a flush before it re-creates).
pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("documents", "0001_initial"), ("meetings", "0003_alter_meetingdocument_meeting")]
# After the move, the search index's columns too, so that the current models may write.
MOVE = [
    ("documents", "0002_meeting_documents"),
    ("meetings", "0004_delete_meetingdocument"),
    ("search", "0003_entry_access"),
]
# 23:30 UTC on New Year's Eve is already the new year in Stockholm.
NEW_YEAR = datetime.datetime(2025, 12, 31, 23, 30, tzinfo=datetime.UTC)


def pdf_bytes() -> bytes:
    html = "<h1>Protokoll</h1><p>Kommunerna beslutade om gemensam laddinfrastruktur.</p>"
    return HTML(string=html).write_pdf()


def docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("Bilder från träffen om klimatanpassning")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def migrate(targets: list[tuple[str, str]]) -> Any:
    """Migrate to ``targets`` and return the historical apps of that state."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.fixture
def before_move(media_root: Any) -> Iterator[Any]:
    # ``media_root`` (tests/documents/conftest.py) keeps the files in a temporary directory.
    # A transactional test before this one may have flushed the reference organisations.
    ensure_reference_organisations(Organisation)
    apps = migrate(BEFORE)
    yield apps
    # Leave the database as the other tests expect it: every migration applied.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def old_meeting(apps: Any, network: Network, groups: Any = (), **fields: Any) -> Any:
    """A meeting as the tables were before the move (later migrations add columns that the
    current model and its factory know of)."""
    Meeting = apps.get_model("meetings", "Meeting")
    day = fields.pop("starts_at", NEW_YEAR)
    meeting = Meeting.objects.create(
        network_id=network.pk, title="Nätverksträff", starts_at=day, ends_at=day, **fields
    )
    meeting.groups.set([group.pk for group in groups])
    return meeting


def legacy(apps: Any, meeting: Any, *, kind: str, title: str, **fields: Any) -> Any:
    MeetingDocument = apps.get_model("meetings", "MeetingDocument")
    old = MeetingDocument.objects.create(meeting_id=meeting.pk, kind=kind, title=title, **fields)
    # ``uploaded_at`` is set on create: give it a day of its own to check it is kept.
    MeetingDocument.objects.filter(pk=old.pk).update(uploaded_at=NEW_YEAR)
    return old


def stored(name: str, content: bytes) -> str:
    return default_storage.save(name, ContentFile(content))


def test_meeting_files_and_links_become_members_only_archive_documents(
    before_move: Any, network: Network, group_klimat: Group, group_fairtrade: Group, roles: Any
) -> None:
    one_group = old_meeting(before_move, network, [group_klimat], starts_at=NEW_YEAR)
    two_groups = old_meeting(before_move, network, [group_klimat, group_fairtrade])
    pdf, docx_file = pdf_bytes(), docx_bytes()
    pdf_name = stored("meetings/2025/protokoll.pdf", pdf)
    docx_name = stored("meetings/2025/bilder.docx", docx_file)
    legacy(before_move, one_group, kind="minutes", title="Protokoll", file=pdf_name)
    legacy(before_move, two_groups, kind="presentation", title="Bilder", file=docx_name)
    legacy(before_move, two_groups, kind="recording", title="Inspelning", url="https://play.test/1")

    migrate(MOVE)

    minutes = Document.objects.get(title="Protokoll")
    assert (minutes.network, minutes.meeting_id, minutes.group) == (
        network,
        one_group.pk,
        group_klimat,
    )
    assert minutes.category == Document.Category.MINUTES
    assert minutes.visibility == Document.Visibility.MEMBERS
    assert minutes.year == 2026
    assert minutes.created_at == NEW_YEAR
    assert minutes.url == ""
    version = minutes.versions.get()
    assert version.number == 1
    # The same stored file, not a copy.
    assert version.file.name == pdf_name
    assert default_storage.listdir("meetings/2025") == ([], ["bilder.docx", "protokoll.pdf"])
    assert not default_storage.exists("documents")
    with version.file.open("rb") as handle:
        assert handle.read() == pdf
    assert (version.kind, version.content_type) == ("pdf", "application/pdf")
    assert version.size == len(pdf)
    assert version.sha256 == hashlib.sha256(pdf).hexdigest()
    assert version.original_name == "protokoll.pdf"
    # The text was read during the migration, for search.
    assert version.extraction == DocumentVersion.Extraction.DONE
    assert "gemensam laddinfrastruktur" in version.text
    assert len(version.token) == 32 and int(version.token, 16) >= 0
    assert version.uploaded_at == NEW_YEAR

    slides = Document.objects.get(title="Bilder")
    assert slides.group is None  # two groups: filed under the meeting and the network only
    assert slides.category == Document.Category.PRESENTATION
    slides_version = slides.versions.get()
    assert slides_version.kind == "ooxml"
    assert slides_version.content_type == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert slides_version.sha256 == hashlib.sha256(docx_file).hexdigest()
    assert slides_version.text == "Bilder från träffen om klimatanpassning"

    recording = Document.objects.get(title="Inspelning")
    assert recording.url == "https://play.test/1"
    assert recording.is_link
    assert not recording.versions.exists()
    assert recording.category == Document.Category.RECORDING
    assert recording.visibility == Document.Visibility.MEMBERS

    # Minutes are no longer public: the visitor sees none of them, a member sees all three.
    assert not visible_documents(AnonymousUser()).exists()
    assert not visible_documents(roles["outsider"]).exists()
    assert visible_documents(roles["member"]).count() == 3
    assert visible_documents(roles["other_coordinator"]).count() == 0


def test_odd_cases_missing_file_image_empty_and_both(
    before_move: Any, network: Network, roles: Any
) -> None:
    meeting = old_meeting(before_move, network)
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
    png_name = stored("meetings/2025/karta.png", png)
    text_name = stored("meetings/2025/deltagare.csv", "namn;kommun\nÅsa;Borås\n".encode())
    legacy(before_move, meeting, kind="other", title="Karta", file=png_name)
    legacy(before_move, meeting, kind="other", title="Borta", file="meetings/2025/borta.pdf")
    legacy(before_move, meeting, kind="other", title="Tom")
    broken = stored("meetings/2025/trasig.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 50)
    legacy(before_move, meeting, kind="minutes", title="Trasig", file=broken)
    legacy(
        before_move,
        meeting,
        kind="minutes",
        title="Lista",
        file=text_name,
        url="https://lista.test/",
    )

    migrate(MOVE)

    assert set(Document.objects.values_list("title", flat=True)) == {
        "Karta",
        "Borta",
        "Lista",
        "Trasig",
    }
    image = DocumentVersion.objects.get(document__title="Karta")
    assert (image.kind, image.content_type, image.size) == ("png", "image/png", len(png))
    assert image.extraction == DocumentVersion.Extraction.NONE
    missing = DocumentVersion.objects.get(document__title="Borta")
    assert missing.extraction == DocumentVersion.Extraction.FAILED
    assert "not found" in missing.extraction_error
    assert (missing.size, missing.sha256, missing.file.name) == (0, "", "meetings/2025/borta.pdf")
    both = Document.objects.get(title="Lista")
    # The file is the document; the link given as well is kept in the description.
    assert both.url == ""
    assert both.description == "https://lista.test/"
    listed = both.versions.get()
    assert (listed.kind, listed.content_type) == ("text", "text/plain; charset=utf-8")
    assert listed.extraction == DocumentVersion.Extraction.DONE and "Åsa" in listed.text
    # A damaged file is moved all the same; the failed extraction shows and can be retried.
    damaged = DocumentVersion.objects.get(document__title="Trasig")
    assert (damaged.kind, damaged.extraction) == ("pdf", DocumentVersion.Extraction.FAILED)
    assert damaged.extraction_error and damaged.text == ""
    assert damaged.size == len(b"%PDF-1.7\n" + b"\x00garbage" * 50)


def test_reverse_gives_the_meeting_documents_back_and_forward_again_does_not_duplicate(
    before_move: Any, network: Network
) -> None:
    meeting = old_meeting(before_move, network)
    pdf_name = stored("meetings/2025/protokoll.pdf", pdf_bytes())
    legacy(before_move, meeting, kind="minutes", title="Protokoll", file=pdf_name)
    legacy(before_move, meeting, kind="recording", title="Film", url="https://play.test/2")
    migrate(MOVE)
    # A coordinators-only document of the meeting would be open to all once moved back: it
    # stays in the archive.
    Document.objects.create(
        network=network,
        meeting_id=meeting.pk,
        title="Intern",
        url="https://intern.test/",
        visibility=Document.Visibility.COORDINATORS,
    )

    apps = migrate(BEFORE)

    MeetingDocument = apps.get_model("meetings", "MeetingDocument")
    back = {(d.title, d.kind, d.file.name or "", d.url) for d in MeetingDocument.objects.all()}
    assert back == {
        ("Protokoll", "minutes", pdf_name, ""),
        ("Film", "recording", "", "https://play.test/2"),
    }
    assert set(MeetingDocument.objects.values_list("uploaded_at", flat=True)) == {NEW_YEAR}
    HistoricalDocument = apps.get_model("documents", "Document")
    assert list(HistoricalDocument.objects.values_list("title", flat=True)) == ["Intern"]

    migrate(MOVE)

    assert sorted(Document.objects.values_list("title", flat=True)) == [
        "Film",
        "Intern",
        "Protokoll",
    ]
    assert default_storage.exists(pdf_name)
