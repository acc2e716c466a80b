"""Every rule of the archive's services at its edges, on real files and the real database."""

import datetime
import hashlib
import io
import threading
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from pypdf import PdfWriter

from navet.core.models import AuditEntry
from navet.documents import selectors, services
from navet.documents.models import Document, DocumentVersion, DownloadCount
from navet.documents.selectors import ArchiveFilters
from navet.indicators.models import SdgGoal
from navet.meetings.models import Meeting
from navet.networks.models import Group, Network, Organisation
from navet.networks.reference import ensure_reference_organisations
from tests.documents.factories import (
    docx_bytes,
    make_document,
    odt_bytes,
    pdf_bytes,
    png_bytes,
    pptx_bytes,
    text_upload,
    upload,
    xlsx_bytes,
)
from tests.factories import GroupFactory, NetworkFactory, PersonFactory, UserFactory, organisation

V = Document.Visibility
NOW = datetime.datetime(2026, 12, 2, 12, 0, tzinfo=datetime.UTC)


def errors_of(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


def meeting_of(network: Network, day: datetime.date = datetime.date(2024, 5, 14)) -> Meeting:
    start = datetime.datetime.combine(day, datetime.time(9), tzinfo=datetime.UTC)
    return Meeting.objects.create(
        network=network,
        title="Nätverksträff",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=6),
    )


# Creating ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_file_document_keeps_what_the_upload_was(network: Network, media_root: Path) -> None:
    document = make_document(network, title="  Protokoll  ", file=upload("p.pdf", pdf_bytes()))
    version = document.versions.get()
    content = pdf_bytes()
    assert document.title == "Protokoll"
    assert (version.number, version.kind, version.content_type) == (1, "pdf", "application/pdf")
    assert version.size == len(content)
    assert version.sha256 == hashlib.sha256(content).hexdigest()
    assert len(version.token) == 32 and version.token in version.file.name
    # The stored name says nothing of the original name.
    assert "p.pdf" not in version.file.name
    assert (media_root / version.file.name).read_bytes() == content
    entry = AuditEntry.objects.get(action="document.created")
    assert entry.object_id == str(document.pk) and entry.data["file"] == "p.pdf"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "kind", "content_type"),
    [
        ("a.pdf", pdf_bytes(), "pdf", "application/pdf"),
        (
            "a.docx",
            docx_bytes(),
            "ooxml",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "a.xlsx",
            xlsx_bytes(),
            "ooxml",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            "a.pptx",
            pptx_bytes(),
            "ooxml",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        ("a.odt", odt_bytes(), "odf", "application/vnd.oasis.opendocument.text"),
        ("a.csv", "kommun;antal\nBorås;3\n".encode(), "text", "text/plain; charset=utf-8"),
        ("a.txt", b"plain words", "text", "text/plain; charset=utf-8"),
        ("a.png", png_bytes(), "png", "image/png"),
    ],
)
def test_every_allowed_kind(
    name: str, content: bytes, kind: str, content_type: str, network: Network
) -> None:
    version = make_document(network, file=upload(name, content)).versions.get()
    assert (version.kind, version.content_type) == (kind, content_type)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("sida.txt", b"<!DOCTYPE html><script>alert(1)</script>", "cannot tell what kind"),
        ("bild.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "cannot tell what kind"),
        ("rapport.docx", pdf_bytes(), "does not match its name"),
        ("budget.docx", xlsx_bytes(), "does not match its name"),  # a workbook named .docx
        ("text.odp", odt_bytes(), "does not match its name"),
        ("arkiv.zip", docx_bytes(), "does not match its name"),
        ("trasig.pdf", b"%PDF-1.7\nnot really a pdf\n", "damaged"),
        ("tom.txt", b"", "The file is empty."),
    ],
)
def test_a_bad_file_is_refused_and_nothing_saved(
    name: str, content: bytes, message: str, network: Network, media_root: Path
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        make_document(network, file=upload(name, content))
    assert any(message in text for text in errors_of(excinfo)["file"]), errors_of(excinfo)
    assert not Document.objects.exists()
    assert not stored_files(media_root)


@pytest.mark.django_db
def test_a_password_protected_pdf_is_refused(network: Network) -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt("hemligt")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(ValidationError) as excinfo:
        make_document(network, file=upload("skyddad.pdf", out.getvalue()))
    assert "password" in errors_of(excinfo)["file"][0]


@pytest.mark.django_db
def test_the_size_limit_exactly_and_one_byte_over(network: Network, media_root: Path) -> None:
    with override_settings(NAVET_MAX_UPLOAD_BYTES=100):
        document = make_document(network, file=upload("exakt.txt", b"a" * 100))
        assert document.versions.get().size == 100
        with pytest.raises(ValidationError) as excinfo:
            make_document(network, title="För stor", file=upload("stor.txt", b"a" * 101))
    assert "too large" in errors_of(excinfo)["file"][0]
    assert list(Document.objects.values_list("title", flat=True)) == ["Ett dokument"]
    assert len(stored_files(media_root)) == 1


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\Windows\\system.ini.txt", "system.ini.txt"),
        ("C:\\Users\\anna\\Protokoll\x00 mars\x07.pdf", "Protokoll mars.pdf"),
        ("faktura\u202efdp.exe.txt", "fakturafdp.exe.txt"),  # no right-to-left override
        ("  .dold fil.txt. ", "dold fil.txt"),
        ("tab\tand\nnewline.txt", "tabandnewline.txt"),
        ("Årsrapport 2025 – Borås.pdf", "Årsrapport 2025 – Borås.pdf"),
        ("x" * 300 + ".pdf", "x" * 251 + ".pdf"),
    ],
)
def test_file_names_are_cleaned(raw: str, clean: str) -> None:
    assert services.clean_file_name(raw) == clean


@pytest.mark.parametrize("raw", ["", "..", "../", "\x00\x07", " . . ", "\u202e"])
def test_a_name_that_is_nothing_after_cleaning_is_refused(raw: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.clean_file_name(raw)
    assert "no usable name" in errors_of(excinfo)["file"][0]


@pytest.mark.django_db
def test_an_upload_named_with_path_and_control_characters(network: Network) -> None:
    file = upload("x.txt", "innehåll".encode())
    file.name = "..\\..\\möten\\Protokoll\x1b[31m.txt"  # as a client could send it
    version = make_document(network, file=file).versions.get()
    assert version.original_name == "Protokoll[31m.txt"


@pytest.mark.django_db
def test_file_or_link_not_both_not_neither(network: Network) -> None:
    with pytest.raises(ValidationError) as neither:
        services.document_create(actor=None, network=network, title="X")
    with pytest.raises(ValidationError) as both:
        services.document_create(
            actor=None, network=network, title="X", file=text_upload(), url="https://a.example"
        )
    assert "Upload a file or give a link." in errors_of(neither)["file"]
    assert "not both" in errors_of(both)["file"][0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://files.example/a.pdf", "www.example.org", "https://"]
)
def test_a_link_must_be_a_web_address(url: str, network: Network) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.document_create(actor=None, network=network, title="Länk", url=url)
    assert "https://" in errors_of(excinfo)["url"][0]


@pytest.mark.django_db
def test_default_visibility_follows_where_it_is_filed(
    network: Network, group_klimat: Group
) -> None:
    meeting = meeting_of(network)
    assert make_document(network).visibility == V.MEMBERS
    assert make_document(network, group=group_klimat).visibility == V.GROUP
    assert make_document(network, meeting=meeting).visibility == V.MEMBERS
    # A meeting's documents are for the network's members, also when the meeting is a group's.
    assert make_document(network, meeting=meeting, group=group_klimat).visibility == V.MEMBERS
    assert make_document(network, visibility=V.PUBLIC).visibility == V.PUBLIC


@pytest.mark.django_db
def test_group_visibility_needs_a_group(network: Network) -> None:
    with pytest.raises(ValidationError) as excinfo:
        make_document(network, visibility=V.GROUP)
    assert "filed under a group" in errors_of(excinfo)["visibility"][0]
    with pytest.raises(ValidationError):
        make_document(network, visibility="everyone")


@pytest.mark.django_db
def test_group_and_meeting_must_be_the_networks_own(
    network: Network, other_network: Network, media_root: Path
) -> None:
    foreign_group = GroupFactory(network=other_network, name="Vatten", slug="vatten")
    with pytest.raises(ValidationError) as group_error:
        make_document(network, group=foreign_group)
    with pytest.raises(ValidationError) as meeting_error:
        make_document(network, meeting=meeting_of(other_network))
    assert "group" in errors_of(group_error)
    assert "meeting" in errors_of(meeting_error)
    assert not Document.objects.exists() and not stored_files(media_root)


@pytest.mark.django_db
def test_the_year(network: Network) -> None:
    meeting = meeting_of(network, datetime.date(2023, 3, 1))
    assert make_document(network, meeting=meeting).year == 2023
    assert make_document(network).year == timezone.localdate().year
    assert make_document(network, year=2000).year == 2000
    assert make_document(network, year=2100).year == 2100
    for year in (1999, 2101):
        with pytest.raises(ValidationError) as excinfo:
            make_document(network, year=year)
        assert "year" in errors_of(excinfo)


@pytest.mark.django_db
def test_tags_and_goals(network: Network) -> None:
    goals = list(SdgGoal.objects.filter(number__in=[11, 13]))
    document = make_document(network, tags=" Klimat, ÅTERBRUK,klimat,, ", goals=goals)
    assert document.tags == ["klimat", "återbruk"]
    assert set(document.goals.values_list("number", flat=True)) == {11, 13}
    with pytest.raises(ValidationError) as too_long:
        make_document(network, tags=["x" * 51])
    assert "tags" in errors_of(too_long)
    assert make_document(network, tags=["x" * 50]).tags == ["x" * 50]
    assert len(make_document(network, tags=[f"t{n}" for n in range(20)]).tags) == 20
    with pytest.raises(ValidationError) as too_many:
        make_document(network, tags=[f"t{n}" for n in range(21)])
    assert "tags" in errors_of(too_many)
    with pytest.raises(ValidationError) as bad_goal:
        make_document(network, goals=[999])
    assert "goals" in errors_of(bad_goal)


@pytest.mark.django_db
def test_a_failing_write_leaves_no_stored_file(
    network: Network, media_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file is stored inside the transaction; when the write fails after that, the file
    is deleted again and no row remains."""

    def broken_audit(**kwargs: Any) -> None:
        raise RuntimeError("the audit table is unavailable")

    monkeypatch.setattr(services, "audit_log", broken_audit)
    with pytest.raises(RuntimeError):
        make_document(network, file=upload("a.pdf", pdf_bytes()))
    assert not Document.objects.exists() and not DocumentVersion.objects.exists()
    assert not stored_files(media_root)


@pytest.mark.django_db
def test_extraction_is_queued_after_the_commit(network: Network, run_tasks: Any) -> None:
    document = make_document(network, file=upload("a.docx", docx_bytes("Cirkulär ekonomi")))
    version = document.versions.get()
    assert version.extraction == DocumentVersion.Extraction.PENDING
    run_tasks()
    version.refresh_from_db()
    assert version.extraction == DocumentVersion.Extraction.DONE
    assert "Cirkulär ekonomi" in version.text


# Versions ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_versions_add_and_restore(
    network: Network, roles: dict[str, Any], media_root: Path, run_tasks: Any
) -> None:
    actor = roles["network_coordinator"]
    document = make_document(network, file=upload("plan.docx", docx_bytes("Första planen")))
    run_tasks()
    second = services.version_add(
        actor=actor, document=document, file=upload("plan.pdf", pdf_bytes()), note=" Nya mål "
    )
    assert (second.number, second.note, second.uploaded_by) == (2, "Nya mål", actor)
    first = document.versions.get(number=1)
    assert first.file.name != second.file.name
    restored = services.version_restore(actor=actor, document=document, version=first)
    assert restored.number == 3
    assert restored.note == "restored from version 1"
    assert restored.restored_from == first
    assert (restored.file.name, restored.token, restored.sha256) == (
        first.file.name,
        first.token,
        first.sha256,
    )
    # The text came with it: nothing to extract again.
    assert restored.extraction == DocumentVersion.Extraction.DONE
    assert "Första planen" in restored.text
    assert selectors.newest_version(document) == restored
    assert len(stored_files(media_root)) == 2  # the restored version shares the first file
    assert [v.number for v in selectors.versions(document)] == [3, 2, 1]
    assert AuditEntry.objects.filter(action="document.version_restored").count() == 1


@pytest.mark.django_db
def test_restore_refuses_the_newest_and_other_documents_versions(network: Network) -> None:
    document = make_document(network)
    other = make_document(network, title="Annat")
    with pytest.raises(ValidationError, match="already the newest"):
        services.version_restore(actor=None, document=document, version=document.versions.get())
    with pytest.raises(ValidationError, match="not one of this document"):
        services.version_restore(actor=None, document=document, version=other.versions.get())
    assert document.versions.count() == 1


@pytest.mark.django_db
def test_restoring_a_version_whose_text_failed_reads_it_again(
    network: Network, run_tasks: Any
) -> None:
    document = make_document(network)
    services.version_add(actor=None, document=document, file=text_upload(text="Två"))
    run_tasks()
    first = document.versions.get(number=1)
    DocumentVersion.objects.filter(pk=first.pk).update(
        extraction=DocumentVersion.Extraction.FAILED, text=""
    )
    first.refresh_from_db()
    restored = services.version_restore(actor=None, document=document, version=first)
    assert restored.extraction == DocumentVersion.Extraction.PENDING
    run_tasks()
    restored.refresh_from_db()
    assert restored.extraction == DocumentVersion.Extraction.DONE
    assert restored.text == "Innehåll i Ett dokument"


@pytest.mark.django_db
def test_version_add_refuses_links_long_notes_and_bad_files(
    network: Network, media_root: Path
) -> None:
    link = services.document_create(
        actor=None, network=network, title="Inspelning", url="https://play.example/1"
    )
    with pytest.raises(ValidationError, match="link has no versions"):
        services.version_add(actor=None, document=link, file=text_upload())
    document = make_document(network)
    files_before = stored_files(media_root)
    with pytest.raises(ValidationError) as long_note:
        services.version_add(actor=None, document=document, file=text_upload(), note="x" * 501)
    assert "note" in errors_of(long_note)
    services.version_add(actor=None, document=document, file=text_upload(), note="x" * 500)
    with pytest.raises(ValidationError) as bad:
        services.version_add(actor=None, document=document, file=upload("a.txt", b""))
    assert "empty" in errors_of(bad)["file"][0]
    assert document.versions.count() == 2
    assert len(stored_files(media_root)) == len(files_before) + 1


@pytest.mark.django_db
def test_extraction_retry_only_for_failed(network: Network, run_tasks: Any) -> None:
    version = make_document(network).versions.get()
    with pytest.raises(ValidationError):
        services.extraction_retry(actor=None, version=version)
    version.extraction = DocumentVersion.Extraction.FAILED
    version.extraction_error = "Trasig"
    version.save()
    services.extraction_retry(actor=None, version=version)
    version.refresh_from_db()
    assert (version.extraction, version.extraction_error) == ("pending", "")
    run_tasks()
    version.refresh_from_db()
    assert version.extraction == DocumentVersion.Extraction.DONE


# Updating ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_update(network: Network, group_klimat: Group, other_network: Network) -> None:
    document = make_document(network, title="Rapport")
    services.document_update(
        actor=None,
        document=document,
        title=" Ny rapport ",
        group=group_klimat,
        visibility=V.GROUP,
        tags="A, b",
        goals=[13],
    )
    document.refresh_from_db()
    assert (document.title, document.group, document.visibility, document.tags) == (
        "Ny rapport",
        group_klimat,
        V.GROUP,
        ["a", "b"],
    )
    assert list(document.goals.values_list("number", flat=True)) == [13]
    entry = AuditEntry.objects.filter(action="document.updated").get()
    assert entry.data["changed"] == ["goals", "group", "tags", "title", "visibility"]
    # Moving it out of the group while it is for the group's participants is refused.
    with pytest.raises(ValidationError) as excinfo:
        services.document_update(actor=None, document=document, group=None)
    assert "visibility" in errors_of(excinfo)
    foreign = GroupFactory(network=other_network, name="Vatten", slug="vatten")
    with pytest.raises(ValidationError) as foreign_error:
        services.document_update(actor=None, document=document, group=foreign)
    assert "group" in errors_of(foreign_error)
    with pytest.raises(ValidationError):
        services.document_update(actor=None, document=document, url="https://a.example")
    with pytest.raises(TypeError):
        services.document_update(actor=None, document=document, network=other_network)
    document.refresh_from_db()
    assert document.group == group_klimat and document.network == network


# Delete, undo, purge -----------------------------------------------------------------------


def deleted_days_ago(document: Document, days: float) -> None:
    Document.objects.filter(pk=document.pk).update(deleted_at=NOW - datetime.timedelta(days=days))
    document.refresh_from_db()


@pytest.mark.django_db
def test_delete_is_soft(network: Network, roles: dict[str, Any]) -> None:
    document = make_document(network, visibility=V.PUBLIC)
    services.document_delete(actor=roles["network_coordinator"], document=document)
    document.refresh_from_db()
    assert document.deleted_at is not None
    assert document.deleted_by == roles["network_coordinator"]
    assert document.versions.count() == 1
    assert not selectors.archive(None, network).exists()
    with pytest.raises(ValidationError, match="already deleted"):
        services.document_delete(actor=None, document=document)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("days", "restorable"),
    [(0, True), (29.99, True), (30, True), (30 + 1 / 86400, False), (30.5, False), (31, False)],
)
def test_undo_on_the_30th_day_not_after(days: float, restorable: bool, network: Network) -> None:
    document = make_document(network)
    deleted_days_ago(document, days)
    if restorable:
        services.document_undelete(actor=None, document=document, now=NOW)
        document.refresh_from_db()
        assert document.deleted_at is None and document.deleted_by is None
    else:
        with pytest.raises(ValidationError, match="more than 30 days ago"):
            services.document_undelete(actor=None, document=document, now=NOW)
        document.refresh_from_db()
        assert document.deleted_at is not None


@pytest.mark.django_db
def test_the_recently_deleted_list_is_the_last_30_days(
    network: Network, roles: dict[str, Any]
) -> None:
    recent = make_document(network, title="Nyligen")
    old = make_document(network, title="Gammalt")
    alive = make_document(network, title="Kvar")
    Document.objects.filter(pk=recent.pk).update(
        deleted_at=timezone.now() - datetime.timedelta(days=29, hours=23)
    )
    Document.objects.filter(pk=old.pk).update(
        deleted_at=timezone.now() - datetime.timedelta(days=30, minutes=1)
    )
    listed = selectors.recently_deleted(roles["network_coordinator"], network)
    assert [d.title for d in listed] == ["Nyligen"]
    assert not selectors.recently_deleted(roles["member"], network).exists()
    assert alive.deleted_at is None


@pytest.mark.django_db
def test_undelete_refuses_a_document_that_is_not_deleted(network: Network) -> None:
    with pytest.raises(ValidationError, match="not deleted"):
        services.document_undelete(actor=None, document=make_document(network))


@pytest.mark.django_db
def test_purge_removes_documents_and_files_after_30_days(
    network: Network, media_root: Path, django_capture_on_commit_callbacks: Any
) -> None:
    old = make_document(network, title="Gammalt")
    services.version_add(actor=None, document=old, file=text_upload(text="v2"))
    services.version_restore(actor=None, document=old, version=old.versions.get(number=1))
    recent = make_document(network, title="Nyligen")
    kept = make_document(network, title="Kvar")
    shared = make_document(network, title="Delar fil")
    deleted_days_ago(old, 30.01)
    deleted_days_ago(recent, 29.99)
    deleted_days_ago(shared, 31)
    # Another document's version uses the shared document's file (as a moved attachment may).
    shared_version = shared.versions.get()
    DocumentVersion.objects.create(
        document=kept,
        number=2,
        file=shared_version.file.name,
        token=shared_version.token,
        original_name="delad.txt",
        kind="text",
        content_type="text/plain; charset=utf-8",
        size=shared_version.size,
        sha256=shared_version.sha256,
    )
    old_files = [media_root / v.file.name for v in old.versions.all()]
    assert len(set(old_files)) == 2 and all(path.exists() for path in old_files)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.purge_deleted(now=NOW) == 2
    assert set(Document.objects.values_list("title", flat=True)) == {"Nyligen", "Kvar"}
    assert not any(path.exists() for path in old_files)
    assert (media_root / shared_version.file.name).exists()
    assert (media_root / recent.versions.get().file.name).exists()
    assert AuditEntry.objects.filter(action="document.purged").count() == 2


# Downloads ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_downloads_are_counted_per_organisation_and_year(
    network: Network, roles: dict[str, Any]
) -> None:
    document = make_document(network, visibility=V.PUBLIC)
    lerum_user = UserFactory()
    PersonFactory(organisation=organisation("1441"), user=lerum_user)
    for user in (roles["member"], roles["member"], lerum_user, None, roles["admin"]):
        services.count_download(document=document, user=user)
    year = timezone.localdate().year
    rows = {
        (row.organisation_name, row.year): row.downloads
        for row in selectors.document_downloads(document)
    }
    assert rows == {("Borås", year): 2, ("Lerum", year): 1, ("", year): 2}
    other = make_document(network, visibility=V.PUBLIC)
    services.count_download(document=other, user=roles["member"])
    totals = selectors.downloads_per_organisation(network, year=year)
    assert [(row.organisation_name, row.downloads, row.documents) for row in totals] == [
        ("Borås", 3, 2),
        ("", 2, 1),
        ("Lerum", 1, 1),
    ]
    assert selectors.downloads_per_organisation(network, year=year - 1) == []
    assert selectors.download_total(document) == 5


@pytest.mark.django_db(transaction=True)
def test_concurrent_downloads_are_all_counted() -> None:
    """Eight people of one organisation (and eight visitors) download at the same moment,
    five times each: every download is counted, in one row each."""
    if connection.vendor == "sqlite":
        pytest.skip("needs a database that serves several connections at once (PostgreSQL)")
    # A transactional test before this one may have emptied the reference organisations.
    ensure_reference_organisations(Organisation)
    network = NetworkFactory()
    document = make_document(network, visibility=V.PUBLIC)
    people = []
    for _ in range(8):
        user = UserFactory()
        PersonFactory(organisation=organisation("1490"), user=user)
        people.append(user)
    barrier = threading.Barrier(16)
    failures: list[BaseException] = []

    def download(user: Any) -> None:
        try:
            barrier.wait()
            for _ in range(5):
                services.count_download(document=document, user=user)
        except BaseException as error:  # reported below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=download, args=(user,)) for user in [*people, *[None] * 8]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    rows = DownloadCount.objects.filter(document=document)
    counts = {row.organisation_id: row.count for row in rows}
    assert counts == {organisation("1490").pk: 40, None: 40}


# The archive's list ------------------------------------------------------------------------


@pytest.mark.django_db
def test_archive_filters_by_tag_with_swedish_letters(
    network: Network, roles: dict[str, Any]
) -> None:
    make_document(network, title="Återbruk", tags="återbruk, Klimat")
    make_document(network, title="Klimat", tags="klimatanpassning")
    coordinator = roles["network_coordinator"]
    found = selectors.archive(coordinator, network, ArchiveFilters(tag="Återbruk"))
    assert [d.title for d in found] == ["Återbruk"]
    # A tag is matched whole: "klimat" is not "klimatanpassning".
    found = selectors.archive(coordinator, network, ArchiveFilters(tag="klimat"))
    assert [d.title for d in found] == ["Återbruk"]
    tags = selectors.archive_tags(coordinator, network)
    assert tags == ["klimat", "klimatanpassning", "återbruk"]


@pytest.mark.django_db
def test_archive_rows_carry_the_newest_version_and_downloads(network: Network) -> None:
    document = make_document(network, visibility=V.PUBLIC)
    services.version_add(actor=None, document=document, file=upload("b.pdf", pdf_bytes()))
    services.count_download(document=document, user=None)
    row = selectors.archive(None, network).get()
    assert (row.newest_number, row.newest_name, row.newest_kind) == (2, "b.pdf", "pdf")
    assert row.download_total == 1


@pytest.mark.django_db
def test_filing_choices(
    network: Network, group_klimat: Group, group_fairtrade: Group, roles: dict[str, Any]
) -> None:
    from navet.documents import permissions

    assert set(permissions.groups_to_file_under(roles["network_coordinator"], network)) == {
        group_klimat,
        group_fairtrade,
    }
    assert list(permissions.groups_to_file_under(roles["group_coordinator"], network)) == [
        group_klimat
    ]
    for role in ("member", "partner", "other_coordinator", "outsider", "anonymous"):
        user = roles[role]
        assert not permissions.groups_to_file_under(user, network).exists(), role
        assert not permissions.can_file_documents(user, network), role
    assert permissions.can_file_documents(roles["group_coordinator"], network)
    assert permissions.must_choose_group(roles["group_coordinator"], network)
    assert not permissions.must_choose_group(roles["network_coordinator"], network)


@pytest.mark.django_db
def test_the_daily_purge_command(network: Network) -> None:
    from django.core.management import call_command

    old = make_document(network, title="Gammalt")
    Document.objects.filter(pk=old.pk).update(
        deleted_at=timezone.now() - datetime.timedelta(days=31)
    )
    out = io.StringIO()
    call_command("purge_deleted_documents", stdout=out)
    assert "1 deleted document(s) removed" in out.getvalue()
    assert not Document.objects.exists()
