"""The archive's pages per role: what each one lists and shows, what the forms do with good and
bad input, and that another network's ids are not found (and change nothing)."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from navet.accounts.models import User
from navet.core.models import AuditEntry
from navet.documents import services
from navet.documents.models import Document, DocumentVersion, DownloadCount
from navet.indicators.models import SdgGoal
from navet.meetings.models import Meeting
from navet.networks.models import Group, Network
from tests.documents.factories import (
    docx_bytes,
    make_document,
    pdf_bytes,
    pdf_upload,
    text_upload,
    upload,
)
from tests.factories import GroupFactory

V = Document.Visibility

# Which of the titles below each role finds in Hållbart Väst's archive.
ALL_TITLES = {
    "Offentlig rapport",
    "Medlemsprotokoll",
    "Klimatgruppens anteckningar",
    "Fairtradegruppens anteckningar",
    "Samordnarnas budgetutkast",
    "Klimatsamordnarnas lista",
}
SEES = {
    "anonymous": {"Offentlig rapport"},
    "outsider": {"Offentlig rapport"},
    "other_coordinator": {"Offentlig rapport"},
    "member": {"Offentlig rapport", "Medlemsprotokoll"},
    "partner": {"Offentlig rapport", "Medlemsprotokoll", "Klimatgruppens anteckningar"},
    "group_coordinator": {
        "Offentlig rapport",
        "Medlemsprotokoll",
        "Klimatgruppens anteckningar",
        "Klimatsamordnarnas lista",
    },
    "network_coordinator": ALL_TITLES,
    "admin": ALL_TITLES,
}


@pytest.fixture
def archive_docs(
    network: Network,
    group_klimat: Group,
    group_fairtrade: Group,
    other_network: Network,
    roles: dict[str, User | None],
) -> dict[str, Document]:
    docs = {
        "public": make_document(network, title="Offentlig rapport", visibility=V.PUBLIC),
        "members": make_document(
            network, title="Medlemsprotokoll", category=Document.Category.MINUTES
        ),
        "klimat": make_document(network, title="Klimatgruppens anteckningar", group=group_klimat),
        "fairtrade": make_document(
            network, title="Fairtradegruppens anteckningar", group=group_fairtrade
        ),
        "coordinators": make_document(
            network, title="Samordnarnas budgetutkast", visibility=V.COORDINATORS
        ),
        "klimat_coordinators": make_document(
            network,
            title="Klimatsamordnarnas lista",
            group=group_klimat,
            visibility=V.COORDINATORS,
        ),
        "foreign": make_document(
            other_network, title="Fairtrade Sveriges offentliga plan", visibility=V.PUBLIC
        ),
    }
    return docs


def archive_url(network: Network, **params: str) -> str:
    url = reverse("documents:archive", kwargs={"slug": network.slug})
    if params:
        url += "?" + "&".join(f"{key}={value}" for key, value in params.items())
    return url


def doc_url(name: str, document: Document, network: Network | None = None, **extra: Any) -> str:
    slug = (network or document.network).slug
    return reverse(f"documents:{name}", kwargs={"slug": slug, "pk": document.pk, **extra})


def download(client: Client, url: str) -> Any:
    """GET a download; a streamed file is read into ``response.body`` and closed."""
    response = client.get(url)
    if getattr(response, "streaming", False):
        # Reading it to the end closes the file (the test client's wrapper does, without
        # closing the test's database connection as response.close() would).
        response.body = b"".join(response.streaming_content)
    return response


def listed(response: Any) -> set[str]:
    page = response.context["page"]
    return {document.title for document in page.object_list}


# Lists and pages per role ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(SEES))
def test_archive_lists_what_the_role_may_see(
    role: str, archive_docs: dict[str, Document], client_for: Callable[[str], Client]
) -> None:
    network = archive_docs["public"].network
    response = client_for(role).get(archive_url(network))
    assert response.status_code == 200
    assert listed(response) == SEES[role]
    html = response.content.decode()
    for title in ALL_TITLES - SEES[role]:
        assert title not in html
    # The other network's public document is on its own archive, not this one.
    assert "Fairtrade Sveriges offentliga plan" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(SEES))
def test_document_page_and_download_per_role(
    role: str, archive_docs: dict[str, Document], client_for: Callable[[str], Client]
) -> None:
    client = client_for(role)
    for document in archive_docs.values():
        if document.title not in ALL_TITLES:
            continue
        page = client.get(doc_url("detail", document))
        fetched = download(client, doc_url("file", document))
        if document.title in SEES[role]:
            assert page.status_code == 200
            assert document.title in page.content.decode()
            assert fetched.status_code == 200
            assert fetched.body == (f"Innehåll i {document.title}".encode())
        elif role == "anonymous":
            # A visitor is asked to log in, for any id (it says nothing about which exist).
            for response in (page, fetched):
                assert response.status_code == 302
                assert response["Location"].startswith(reverse("account_login"))
        else:
            assert page.status_code == 404
            assert fetched.status_code == 404


@pytest.mark.django_db
def test_download_counts_per_organisation_and_year(
    archive_docs: dict[str, Document], client_for: Callable[[str], Client]
) -> None:
    document = archive_docs["public"]
    download(client_for("member"), doc_url("file", document))
    download(client_for("member"), doc_url("file", document))
    download(client_for("anonymous"), doc_url("file", document))
    download(
        client_for("admin"), doc_url("file", document)
    )  # no person: counted as "no organisation"
    year = timezone.localdate().year
    counts = {
        (row.organisation.name if row.organisation else None, row.year): row.count
        for row in DownloadCount.objects.filter(document=document)
    }
    assert counts == {("Borås", year): 2, (None, year): 2}
    # Not counted: a page view, a refused download.
    client_for("member").get(doc_url("detail", document))
    download(client_for("member"), doc_url("file", archive_docs["coordinators"]))
    assert sum(DownloadCount.objects.values_list("count", flat=True)) == 4
    page = client_for("network_coordinator").get(doc_url("detail", document))
    assert page.context["download_total"] == 4
    assert "Borås" in page.content.decode()


@pytest.mark.django_db
def test_archive_filters(
    network: Network,
    group_klimat: Group,
    roles: dict[str, User | None],
    client_for: Callable[[str], Client],
) -> None:
    meeting = Meeting.objects.create(
        network=network,
        title="Vårträffen",
        starts_at=datetime.datetime(2025, 4, 1, 9, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2025, 4, 1, 16, tzinfo=datetime.UTC),
    )
    make_document(network, title="Protokoll vårträffen", meeting=meeting, category="minutes")
    make_document(network, title="Klimatplan", group=group_klimat, tags="Klimat, plan", year=2024)
    make_document(network, title="Årsrapport", year=2024, tags=["rapport"], category="report")
    client = client_for("network_coordinator")
    assert listed(client.get(archive_url(network, meeting=str(meeting.pk)))) == {
        "Protokoll vårträffen"
    }
    assert listed(client.get(archive_url(network, group="klimat"))) == {"Klimatplan"}
    assert listed(client.get(archive_url(network, category="report"))) == {"Årsrapport"}
    assert listed(client.get(archive_url(network, year="2024"))) == {"Klimatplan", "Årsrapport"}
    # The meeting's year is the document's year when none is given.
    assert listed(client.get(archive_url(network, year="2025"))) == {"Protokoll vårträffen"}
    assert listed(client.get(archive_url(network, tag="klimat"))) == {"Klimatplan"}
    assert listed(client.get(archive_url(network, tag="plan"))) == {"Klimatplan"}
    assert listed(client.get(archive_url(network, q="RAPPORT"))) == {"Årsrapport"}
    # A value that is no choice is ignored with a message, not an error.
    response = client.get(archive_url(network, year="1066", group="nope"))
    assert response.status_code == 200
    assert len(listed(response)) == 3
    assert "ignored" in response.content.decode()


@pytest.mark.django_db
def test_archive_pages_25_at_a_time(network: Network, client_for: Callable[[str], Client]) -> None:
    for number in range(26):
        make_document(network, title=f"Dokument {number:02d}", visibility=V.PUBLIC)
    first = client_for("anonymous").get(archive_url(network))
    second = client_for("anonymous").get(archive_url(network, page="2"))
    assert len(listed(first)) == 25
    assert listed(second) == {"Dokument 00"}  # the oldest, on the last page
    assert "26 documents" in first.content.decode()


@pytest.mark.django_db
def test_network_menu_has_documents(network: Network, client_for: Callable[[str], Client]) -> None:
    response = client_for("anonymous").get(reverse("networks:network_detail", args=[network.slug]))
    assert archive_url(network) in response.content.decode()


# Upload ------------------------------------------------------------------------------------


def upload_url(network: Network) -> str:
    return reverse("documents:upload", kwargs={"slug": network.slug})


@pytest.mark.django_db
def test_coordinator_uploads_a_pdf_with_metadata(
    network: Network, group_klimat: Group, client_for: Callable[[str], Client], run_tasks: Any
) -> None:
    goal = SdgGoal.objects.get(number=13)
    response = client_for("network_coordinator").post(
        upload_url(network),
        {
            "file": pdf_upload("Protokoll 2026-03.pdf", "Kommunerna diskuterade återbruk"),
            "title": "Protokoll mars",
            "description": "Från klimatgruppens möte",
            "category": "minutes",
            "group": group_klimat.pk,
            "visibility": "",
            "tags": "Klimat, återbruk, klimat",
            "year": "2026",
            "goals": [goal.pk],
        },
    )
    document = Document.objects.get(title="Protokoll mars")
    assert response.status_code == 302
    assert response["Location"] == doc_url("detail", document)
    assert document.visibility == V.GROUP  # filed under a group: its participants
    assert document.tags == ["klimat", "återbruk"]
    assert list(document.goals.all()) == [goal]
    version = document.versions.get()
    assert (version.original_name, version.kind, version.content_type) == (
        "Protokoll 2026-03.pdf",
        "pdf",
        "application/pdf",
    )
    assert version.extraction == DocumentVersion.Extraction.PENDING
    run_tasks()
    version.refresh_from_db()
    assert version.extraction == DocumentVersion.Extraction.DONE
    assert "återbruk" in version.text
    page = client_for("network_coordinator").get(doc_url("detail", document))
    html = page.content.decode()
    assert "Protokoll mars" in html and "Protokoll 2026-03.pdf" in html
    assert "13." in html  # the goal


@pytest.mark.django_db
def test_a_link_document(network: Network, client_for: Callable[[str], Client]) -> None:
    client = client_for("network_coordinator")
    client.post(
        upload_url(network),
        {
            "url": "https://play.example/inspelning-1",
            "title": "Inspelning från webbinariet",
            "category": "recording",
        },
    )
    document = Document.objects.get(title="Inspelning från webbinariet")
    assert document.visibility == V.MEMBERS and not document.versions.exists()
    response = download(client, doc_url("file", document))
    assert response.status_code == 200
    assert 'href="https://play.example/inspelning-1"' in response.content.decode()
    assert DownloadCount.objects.get(document=document).count == 1


@pytest.mark.django_db
def test_a_non_web_link_is_shown_not_linked(
    network: Network, client_for: Callable[[str], Client]
) -> None:
    # An older link (from before the archive) may be ftp://; the page shows it as text only.
    document = make_document(network, title="Gammal länk", url="https://x.example/")
    Document.objects.filter(pk=document.pk).update(url="ftp://files.example/rapport.pdf")
    response = client_for("network_coordinator").get(doc_url("file", document))
    html = response.content.decode()
    assert "ftp://files.example/rapport.pdf" in html
    assert 'href="ftp://' not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tom.pdf", b"", "The file is empty."),
        ("sida.pdf", b"<html><script>alert(1)</script></html>", "cannot tell what kind"),
        ("rapport.pdf", b"PK\x03\x04 not a pdf", "damaged"),
        ("program.pdf", b"MZ\x90\x00\x03\x00\x00\x00\xff\xff", "cannot tell what kind"),
        ("rapport.docx", b"%PDF-1.4 nothing else", "does not match its name"),
        # The request's parser already drops path parts and control characters.
        (". .", b"text", "no usable name"),
    ],
)
def test_bad_upload_keeps_what_was_typed(
    name: str,
    content: bytes,
    message: str,
    network: Network,
    group_klimat: Group,
    client_for: Callable[[str], Client],
    media_root: Any,
) -> None:
    response = client_for("network_coordinator").post(
        upload_url(network),
        {
            "file": upload(name, content),
            "title": "Min rubrik",
            "description": "Min beskrivning",
            "tags": "ett, två",
            "category": "report",
            "group": group_klimat.pk,
            "year": "2025",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    form = response.context["form"]
    assert form["title"].value() == "Min rubrik"
    assert form["tags"].value() == "ett, två"
    assert 'value="Min rubrik"' in html and "Min beskrivning" in html
    assert not Document.objects.exists()
    assert not list(media_root.rglob("*.*")) and not any(p.is_file() for p in media_root.rglob("*"))


@pytest.mark.django_db
def test_upload_refuses_a_group_of_another_network(
    network: Network, other_network: Network, client_for: Callable[[str], Client]
) -> None:
    foreign_group = GroupFactory(network=other_network, name="Främmande", slug="frammande")
    response = client_for("admin").post(
        upload_url(network),
        {"file": text_upload(), "title": "X", "group": foreign_group.pk, "category": "other"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["group"]
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_group_coordinator_files_only_under_own_group(
    network: Network,
    group_klimat: Group,
    group_fairtrade: Group,
    client_for: Callable[[str], Client],
) -> None:
    client = client_for("group_coordinator")
    form = client.get(upload_url(network)).context["form"]
    assert list(form.fields["group"].queryset) == [group_klimat]
    for group in ("", str(group_fairtrade.pk)):
        response = client.post(
            upload_url(network),
            {"file": text_upload(), "title": "X", "group": group, "category": "other"},
        )
        assert response.status_code == 200
        assert response.context["form"].errors["group"]
    assert not Document.objects.exists()
    response = client.post(
        upload_url(network),
        {"file": text_upload(), "title": "X", "group": group_klimat.pk, "category": "other"},
    )
    assert response.status_code == 302
    assert Document.objects.get().group == group_klimat


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("outsider", 403),
        ("member", 403),
        ("partner", 403),
        ("other_coordinator", 403),
    ],
)
def test_only_coordinators_upload(
    role: str, status: int, network: Network, client_for: Callable[[str], Client]
) -> None:
    response = client_for(role).post(
        upload_url(network), {"file": text_upload(), "title": "X", "category": "other"}
    )
    assert response.status_code == status
    assert not Document.objects.exists()


# Edit, versions, delete --------------------------------------------------------------------


@pytest.mark.django_db
def test_edit_keeps_what_was_typed_on_error(
    network: Network, client_for: Callable[[str], Client]
) -> None:
    document = make_document(network, title="Rapport")
    client = client_for("network_coordinator")
    response = client.post(
        doc_url("edit", document),
        {"title": "Ny rubrik", "category": "report", "visibility": "group", "tags": "a, b"},
    )
    assert response.status_code == 200
    assert "Only a document filed under a group" in response.content.decode()
    assert response.context["form"]["title"].value() == "Ny rubrik"
    document.refresh_from_db()
    assert document.title == "Rapport"
    response = client.post(
        doc_url("edit", document),
        {"title": "Ny rubrik", "category": "report", "visibility": "public", "tags": "a, b"},
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.title, document.visibility, document.tags) == (
        "Ny rubrik",
        "public",
        ["a", "b"],
    )


@pytest.mark.django_db
def test_new_version_then_restore(network: Network, client_for: Callable[[str], Client]) -> None:
    document = make_document(network, title="Plan", file=pdf_upload("plan.pdf"))
    client = client_for("network_coordinator")
    response = client.post(
        doc_url("version_add", document),
        {"file": upload("plan.docx", docx_bytes("Plan version två")), "note": "Nya siffror"},
    )
    assert response.status_code == 302
    newest = download(client, doc_url("file", document))
    assert newest["Content-Type"].startswith("application/vnd.openxmlformats")
    page = client.get(doc_url("detail", document)).content.decode()
    assert "Nya siffror" in page and "plan.docx" in page and "plan.pdf" in page
    # The older version, for those who may change it.
    old = download(client, reverse("documents:version_file", args=[network.slug, document.pk, 1]))
    assert old.body == pdf_bytes()
    response = client.post(
        reverse("documents:version_restore", args=[network.slug, document.pk, 1])
    )
    assert response.status_code == 302
    assert [v.number for v in document.versions.all()] == [3, 2, 1]
    restored = document.versions.get(number=3)
    assert restored.note == "restored from version 1"
    assert restored.file.name == document.versions.get(number=1).file.name
    newest = download(client, doc_url("file", document))
    assert newest.body == pdf_bytes()
    # A member sees only the newest; older versions are not served to them.
    member = client_for("member")
    assert (
        member.get(
            reverse("documents:version_file", args=[network.slug, document.pk, 1])
        ).status_code
        == 403
    )


@pytest.mark.django_db
def test_failed_extraction_is_shown_and_retried(
    network: Network, client_for: Callable[[str], Client], run_tasks: Any
) -> None:
    document = make_document(network, title="Trasig", visibility=V.PUBLIC)
    version = document.versions.get()
    DocumentVersion.objects.filter(pk=version.pk).update(
        extraction=DocumentVersion.Extraction.FAILED, extraction_error="Filen gick inte att läsa."
    )
    retry = reverse("documents:extraction_retry", args=[network.slug, document.pk, 1])
    coordinator_page = client_for("network_coordinator").get(doc_url("detail", document))
    assert retry in coordinator_page.content.decode()
    public_page = client_for("anonymous").get(doc_url("detail", document)).content.decode()
    assert "could not read the text" in public_page and retry not in public_page
    assert client_for("member").post(retry).status_code == 403
    assert client_for("network_coordinator").post(retry).status_code == 302
    run_tasks()
    version.refresh_from_db()
    assert version.extraction == DocumentVersion.Extraction.DONE
    assert version.text == "Innehåll i Trasig"


@pytest.mark.django_db
def test_delete_and_undo(network: Network, client_for: Callable[[str], Client]) -> None:
    document = make_document(network, title="Utkast", visibility=V.PUBLIC)
    client = client_for("network_coordinator")
    assert client.post(doc_url("delete", document)).status_code == 302
    assert listed(client.get(archive_url(network))) == set()
    assert client_for("anonymous").get(doc_url("detail", document)).status_code == 302
    deleted = client.get(reverse("documents:deleted", args=[network.slug])).content.decode()
    assert "Utkast" in deleted
    assert client.post(doc_url("undelete", document)).status_code == 302
    assert listed(client.get(archive_url(network))) == {"Utkast"}


@pytest.mark.django_db
def test_undo_refused_after_30_days(network: Network, client_for: Callable[[str], Client]) -> None:
    document = make_document(network, title="Gammalt")
    Document.objects.filter(pk=document.pk).update(
        deleted_at=timezone.now() - datetime.timedelta(days=30, minutes=1)
    )
    client = client_for("network_coordinator")
    assert (
        "Gammalt"
        not in client.get(reverse("documents:deleted", args=[network.slug])).content.decode()
    )
    assert client.post(doc_url("undelete", document)).status_code == 404
    document.refresh_from_db()
    assert document.deleted_at is not None


@pytest.mark.django_db
def test_group_coordinator_sees_only_own_groups_deleted(
    network: Network,
    group_klimat: Group,
    group_fairtrade: Group,
    roles: dict[str, User | None],
    client_for: Callable[[str], Client],
) -> None:
    mine = make_document(network, title="Klimatets utkast", group=group_klimat)
    theirs = make_document(network, title="Fairtrades utkast", group=group_fairtrade)
    network_wide = make_document(network, title="Nätverkets utkast")
    for document in (mine, theirs, network_wide):
        services.document_delete(actor=roles["admin"], document=document)
    html = (
        client_for("group_coordinator")
        .get(reverse("documents:deleted", args=[network.slug]))
        .content.decode()
    )
    assert "Klimatets utkast" in html
    assert "Fairtrades utkast" not in html and "Nätverkets utkast" not in html
    assert client_for("group_coordinator").post(doc_url("undelete", theirs)).status_code == 404


# Other networks' ids -----------------------------------------------------------------------


@pytest.mark.django_db
def test_foreign_ids_on_own_slug_are_not_found_and_change_nothing(
    network: Network, other_network: Network, client_for: Callable[[str], Client]
) -> None:
    """The coordinator of Hållbart Väst, on their own network's URLs, with the ids of
    another network's document: every page and action is 404 and nothing changes."""
    foreign = make_document(other_network, title="Främmande", visibility=V.PUBLIC)
    deleted = make_document(other_network, title="Främmande borttagen")
    services.document_delete(actor=None, document=deleted)
    client = client_for("network_coordinator")
    before = AuditEntry.objects.count()
    own = network.slug
    gets = [
        reverse("documents:detail", args=[own, foreign.pk]),
        reverse("documents:file", args=[own, foreign.pk]),
        reverse("documents:edit", args=[own, foreign.pk]),
        reverse("documents:version_add", args=[own, foreign.pk]),
        reverse("documents:version_file", args=[own, foreign.pk, 1]),
    ]
    posts = [
        (
            reverse("documents:edit", args=[own, foreign.pk]),
            {"title": "Kapad", "category": "other"},
        ),
        (reverse("documents:version_add", args=[own, foreign.pk]), {"file": text_upload()}),
        (reverse("documents:version_restore", args=[own, foreign.pk, 1]), {}),
        (reverse("documents:extraction_retry", args=[own, foreign.pk, 1]), {}),
        (reverse("documents:delete", args=[own, foreign.pk]), {}),
        (reverse("documents:undelete", args=[own, deleted.pk]), {}),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    foreign.refresh_from_db()
    deleted.refresh_from_db()
    assert foreign.title == "Främmande" and foreign.deleted_at is None
    assert deleted.deleted_at is not None
    assert foreign.versions.count() == 1
    assert not DownloadCount.objects.exists()
    assert AuditEntry.objects.count() == before
    # And the foreign archive's list on the own slug does not show it.
    assert "Främmande" not in client.get(archive_url(network)).content.decode()


@pytest.mark.django_db
def test_choice_lists_are_the_networks_own(
    network: Network, other_network: Network, client_for: Callable[[str], Client]
) -> None:
    GroupFactory(network=other_network, name="Främmande grupp", slug="frammande")
    Meeting.objects.create(
        network=other_network,
        title="Främmande möte",
        starts_at=timezone.now(),
        ends_at=timezone.now(),
    )
    html = client_for("admin").get(upload_url(network)).content.decode()
    assert "Klimat" in html
    assert "Främmande grupp" not in html and "Främmande möte" not in html


@pytest.mark.django_db
def test_upload_form_starts_from_the_meeting_it_came_from(
    network: Network,
    other_network: Network,
    group_klimat: Group,
    client_for: Callable[[str], Client],
) -> None:
    def meeting(of: Network) -> Meeting:
        return Meeting.objects.create(
            network=of, title="Träff", starts_at=timezone.now(), ends_at=timezone.now()
        )

    own, foreign = meeting(network), meeting(other_network)
    client = client_for("network_coordinator")
    form = client.get(f"{upload_url(network)}?meeting={own.pk}&group={group_klimat.pk}").context[
        "form"
    ]
    assert (form["meeting"].value(), form["group"].value()) == (own.pk, group_klimat.pk)
    form = client.get(f"{upload_url(network)}?meeting={foreign.pk}&group=x").context["form"]
    assert (form["meeting"].value(), form["group"].value()) == (None, None)
