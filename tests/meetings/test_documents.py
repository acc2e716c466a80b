"""A meeting's documents are the archive's: the meeting page lists those the reader may see
(the archive's one rule), each linking to the archive, and the meeting's coordinators get the
archive's upload form with the meeting chosen. Minutes are for the network's members: a visitor
who is not logged in sees neither their title nor their file."""

import io
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfWriter

from navet.documents import services as archive
from navet.documents.models import Document
from navet.meetings.models import Meeting
from navet.networks.models import Group, Network
from tests.meetings.factories import MeetingFactory, at

pytestmark = pytest.mark.django_db

Visibility = Document.Visibility


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def link(meeting: Meeting, title: str, visibility: str, **fields: Any) -> Document:
    return Document.objects.create(
        network=meeting.network,
        meeting=meeting,
        title=title,
        url=f"https://example.org/{title.lower()}",
        visibility=visibility,
        **fields,
    )


def page(client: Client, meeting: Meeting) -> str:
    response = client.get(meeting.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def documents_block(html: str) -> str:
    """The meeting page's "Documents" section, up to the next heading."""
    match = re.search(r"<h2>Documents</h2>(.*?)<h2>", html, re.S)
    return match.group(1) if match else ""


@pytest.fixture
def meeting(network: Network, group_klimat: Group, settings: Any, tmp_path: Any) -> Meeting:
    """A held Klimat meeting with minutes (a PDF, members), slides for everyone, notes for the
    group, a budget for the coordinators only, and a deleted draft."""
    settings.MEDIA_ROOT = tmp_path
    settings.LANGUAGE_CODE = "en"
    meeting = MeetingFactory(
        network=network,
        groups=[group_klimat],
        starts_at=at(-3, 9),
        ends_at=at(-3, 12),
        status=Meeting.Status.HELD,
    )
    archive.document_create(
        actor=None,
        network=network,
        meeting=meeting,
        title="Protokoll",
        category=Document.Category.MINUTES,
        file=SimpleUploadedFile("protokoll.pdf", pdf_bytes(), content_type="application/pdf"),
    )
    link(meeting, "Bilder", Visibility.PUBLIC, category=Document.Category.PRESENTATION)
    link(meeting, "Gruppanteckningar", Visibility.GROUP, group=group_klimat)
    link(meeting, "Budget", Visibility.COORDINATORS)
    link(meeting, "Utkast", Visibility.MEMBERS, deleted_at=timezone.now())
    # Another meeting's document is not this meeting's.
    link(MeetingFactory(network=network), "Annat", Visibility.PUBLIC)
    return meeting


TITLES = ("Protokoll", "Bilder", "Gruppanteckningar", "Budget", "Utkast", "Annat")


@pytest.mark.parametrize(
    ("role", "seen"),
    [
        ("anonymous", {"Bilder"}),
        ("outsider", {"Bilder"}),
        ("other_coordinator", {"Bilder"}),
        ("member", {"Bilder", "Protokoll"}),
        ("partner", {"Bilder", "Protokoll", "Gruppanteckningar"}),
        ("group_coordinator", {"Bilder", "Protokoll", "Gruppanteckningar"}),
        ("network_coordinator", {"Bilder", "Protokoll", "Gruppanteckningar", "Budget"}),
        ("admin", {"Bilder", "Protokoll", "Gruppanteckningar", "Budget"}),
    ],
)
def test_the_meeting_page_lists_the_documents_the_reader_may_see(
    meeting: Meeting, client_for: Any, role: str, seen: set[str]
) -> None:
    html = page(client_for(role), meeting)
    block = documents_block(html)
    assert {title for title in TITLES if title in block} == seen
    assert not {title for title in TITLES if title in html} - seen
    for document in Document.objects.filter(title__in=seen):
        detail = reverse("documents:detail", args=[meeting.network.slug, document.pk])
        assert f'href="{detail}"' in block


def test_a_visitor_can_no_longer_download_the_minutes(
    meeting: Meeting, client_for: Any, network: Network
) -> None:
    minutes = Document.objects.get(title="Protokoll")
    download = reverse("documents:file", args=[network.slug, minutes.pk])
    # A member finds the download on the meeting page and gets the PDF.
    member = client_for("member")
    assert f'href="{download}"' in documents_block(page(member, meeting))
    response = member.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    # The visitor is sent to log in: no file, no title.
    anonymous = client_for("anonymous")
    assert download not in page(anonymous, meeting)
    response = anonymous.get(download)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert b"%PDF" not in response.content
    assert "Protokoll" not in anonymous.get(download, follow=True).content.decode()
    # Someone of another network is told nothing either.
    assert client_for("other_coordinator").get(download).status_code == 404


def test_the_old_meeting_document_addresses_are_gone(
    meeting: Meeting, client_for: Any, network: Network
) -> None:
    minutes = Document.objects.get(title="Protokoll")
    old = f"/networks/{network.slug}/meetings/{meeting.pk}/documents/{minutes.pk}/"
    assert client_for("anonymous").get(old).status_code == 404
    assert (
        client_for("anonymous").get(f"{meeting.get_absolute_url()}documents/add/").status_code
        == 404
    )


def test_a_visitor_of_a_held_meeting_with_members_minutes_is_asked_to_log_in(
    network: Network, client_for: Any, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "en"
    held = MeetingFactory(
        network=network, starts_at=at(-3, 9), ends_at=at(-3, 12), status=Meeting.Status.HELD
    )
    link(held, "Protokoll", Visibility.MEMBERS, category=Document.Category.MINUTES)
    html = page(client_for("anonymous"), held)
    assert "Protokoll" not in html
    assert "Log in to see the documents for the network's members." in html
    # A planned meeting without anything public says nothing about documents.
    planned = MeetingFactory(network=network)
    assert "<h2>Documents</h2>" not in page(client_for("anonymous"), planned)
    # A member sees the minutes, and no log-in prompt.
    member_html = page(client_for("member"), held)
    assert "Protokoll" in documents_block(member_html)
    assert "Log in to see" not in member_html


def test_coordinators_of_the_meeting_add_documents_through_the_archive(
    network: Network, group_klimat: Group, roles: Any, client_for: Any, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "en"
    meeting = MeetingFactory(network=network, groups=[group_klimat])
    upload = reverse("documents:upload", args=[network.slug])
    coordinator = page(client_for("network_coordinator"), meeting)
    assert f'href="{upload}?meeting={meeting.pk}"' in coordinator
    assert "No documents yet." in documents_block(coordinator)
    # A group coordinator files under a group: the meeting's only group is chosen too.
    group_page = page(client_for("group_coordinator"), meeting)
    assert f'href="{upload}?meeting={meeting.pk}&amp;group={group_klimat.pk}"' in group_page
    form = client_for("group_coordinator").get(
        f"{upload}?meeting={meeting.pk}&group={group_klimat.pk}"
    )
    assert form.status_code == 200
    html = form.content.decode()
    assert re.search(rf'<option value="{meeting.pk}" selected>', html)
    assert re.search(rf'<option value="{group_klimat.pk}" selected>', html)
    for role in ("member", "partner", "other_coordinator", "anonymous"):
        html = page(client_for(role), meeting)
        assert upload not in html, role
        assert "<h2>Documents</h2>" not in html, role
