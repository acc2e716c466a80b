"""The document archive in a real browser, with a real background worker: a coordinator
uploads a PDF, waits for its text to be extracted, finds it by a word from its body through
the header's search box, downloads it, uploads a new version and restores the first; someone
from another network, and a visitor who is not logged in, find nothing and reach nothing.

Every page is checked with axe-core (tests/e2e/conftest.py).
"""

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core.signals import request_finished, request_started
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect
from weasyprint import HTML

from navet.core.tasks import run_queued_tasks
from navet.demo.loader import COORDINATOR_EMAIL, DEMO_PASSWORD
from navet.documents.models import Document
from navet.networks.models import Network
from tests.e2e.conftest import AxePage
from tests.e2e.conftest import log_in_as as log_in
from tests.factories import MembershipFactory, OrganisationFactory, PersonFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY_WORD = "solcellsparken"
TITLE = "Energiplan för kommunens fastigheter 2026"
OUTSIDER_EMAIL = "samordnare@uthallig.example"
EXTRACTION_WAIT_MS = 20_000
WAITING = "The text of the file is being read, for search. This takes a moment."


def sv(message: str) -> str:
    """What the Swedish page says for ``message`` (the page is in Swedish; a string not
    translated yet is shown in English, and so expected in English)."""
    with translation.override("sv"):
        return gettext(message)


def pdf(*paragraphs: str) -> bytes:
    """A real PDF with these paragraphs, made by WeasyPrint."""
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    html = f"<html lang='sv'><body><h1>Energiplan</h1>{body}</body></html>"
    return bytes(HTML(string=html).write_pdf())


def in_memory_sqlite() -> bool:
    return connection.vendor == "sqlite" and bool(connection.is_in_memory_db())  # type: ignore[attr-defined]


class SqliteGate:
    """Keeps the worker's database work and the live server's requests apart on SQLite.

    The live server's test database is in memory, shared between connections through
    SQLite's shared cache, where a table another connection is writing is "locked" at once
    (no waiting, unlike a database file). So on SQLite a request waits while the worker
    carries out a task, and the worker waits for the requests in flight; PostgreSQL needs
    none of this (``active`` is False there).
    """

    def __init__(self) -> None:
        self.active = in_memory_sqlite()
        self.condition = threading.Condition()
        self.requests = 0
        self.working = False

    def request_started(self, **kwargs: Any) -> None:
        with self.condition:
            self.condition.wait_for(lambda: not self.working)
            self.requests += 1

    def request_finished(self, **kwargs: Any) -> None:
        with self.condition:
            self.requests = max(0, self.requests - 1)
            self.condition.notify_all()

    @contextmanager
    def reading(self) -> Iterator[None]:
        """For the test's own queries, which share the live server's connection."""
        self.request_started()
        try:
            yield
        finally:
            self.request_finished()

    @contextmanager
    def work(self) -> Iterator[None]:
        if not self.active:
            yield
            return
        with self.condition:
            self.condition.wait_for(lambda: self.requests == 0)
            self.working = True
        try:
            yield
        finally:
            with self.condition:
                self.working = False
                self.condition.notify_all()


class Worker(threading.Thread):
    """The archive's real background worker, ``run_queued_tasks()`` (django-tasks-db's own
    claim-and-run code, as ``manage.py db_worker`` runs it), polling in a thread of the test
    process while the browser uses the site.

    A thread rather than a ``db_worker`` process: on SQLite the live server's test database
    lives in memory ("file:memorydb_default?mode=memory&cache=shared"), which another process
    cannot open. The thread opens its own connection, to that database or to PostgreSQL's
    test database, as a separate worker would (see ``SqliteGate`` for SQLite's locking).
    """

    def __init__(self, gate: SqliteGate) -> None:
        super().__init__(daemon=True)
        self.gate = gate
        self.stopping = threading.Event()
        self.step = threading.Lock()
        self.ran: list[Any] = []
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            while not self.stopping.is_set():
                with self.step, self.gate.work():
                    self.ran.extend(run_queued_tasks())
                self.stopping.wait(0.1)
        except BaseException as error:  # raised again by stop(), in the test's thread
            self.error = error
        finally:
            self._close_connection()

    @staticmethod
    def _close_connection() -> None:
        # Django ignores close() on an in-memory SQLite database (closing the last connection
        # would drop it); this thread's is not the last, so close the driver's connection.
        if in_memory_sqlite():
            if connection.connection is not None:
                connection.connection.close()
                connection.connection = None
        else:
            connection.close()

    @contextmanager
    def held(self) -> Iterator[None]:
        """Keep the worker from starting a task (as a worker busy elsewhere would), so the
        page can be seen before the text is extracted."""
        with self.step:
            yield

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=30)
        assert not self.is_alive(), "The background worker did not stop."
        if self.error is not None:
            raise self.error


@pytest.fixture
def gate(live_server: Any) -> Iterator[SqliteGate]:
    gate = SqliteGate()
    if gate.active:
        request_started.connect(gate.request_started)
        request_finished.connect(gate.request_finished)
    yield gate
    request_started.disconnect(gate.request_started)
    request_finished.disconnect(gate.request_finished)


@pytest.fixture
def worker(gate: SqliteGate) -> Iterator[Worker]:
    thread = Worker(gate)
    thread.start()
    yield thread
    thread.stop()


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def outsider(demo: Network) -> str:
    """A coordinator of Uthållig kommun whose organisation is a member there, and of no
    network of the demo's Kommunnätverket; returns the login's email."""
    other = Network.objects.get(slug="uthallig-kommun")
    association = OrganisationFactory(name="Testförbundet i Fyrbodal")
    MembershipFactory(network=other, organisation=association)
    person = PersonFactory(
        organisation=association,
        user=UserFactory(email=OUTSIDER_EMAIL, password=DEMO_PASSWORD),
    )
    other.coordinators.add(person)  # type: ignore[arg-type]  # a factory makes a Person
    return OUTSIDER_EMAIL


def version_row(axe_page: AxePage, number: int) -> str:
    row = axe_page.page.locator("main table tbody tr").filter(
        has=axe_page.page.locator("th", has_text=re.compile(rf"^{number}\b"))
    )
    return str(row.inner_text())


def reload_until(axe_page: AxePage, number: int, text: str) -> None:
    """Reload the document's page until the row of version ``number`` says ``text`` (the
    worker runs meanwhile); case aside, as the table capitalises the extraction's state."""
    page = axe_page.page
    for _attempt in range(EXTRACTION_WAIT_MS // 250):
        page.reload()
        if text.lower() in version_row(axe_page, number).lower():
            break
        page.wait_for_timeout(250)
    axe_page.check()
    assert text.lower() in version_row(axe_page, number).lower()


def newest_file(axe_page: AxePage, url: str) -> tuple[bytes, dict[str, str]]:
    """The document's download link, fetched with the browser's session (a PDF opens inline,
    so it is no download to wait for): the bytes and the headers."""
    response = axe_page.page.context.request.get(axe_page.base_url + url)
    assert response.status == 200, response.status
    return response.body(), response.headers


def test_a_coordinator_archives_finds_versions_and_restores_a_pdf(
    axe_page: AxePage, demo: Network, outsider: str, media: Any, worker: Worker
) -> None:
    page = axe_page.page
    first = pdf(
        "Kommunen bygger solcellsparken vid återvinningscentralen under våren.",
        "Anläggningen ska ge el till skolor och förskolor i kommunen.",
    )
    second = pdf(
        "Kommunen bygger solcellsparken vid återvinningscentralen under hösten.",
        "Siffrorna på sidan tre är rättade.",
    )
    assert first != second and first.startswith(b"%PDF-")
    log_in(axe_page, COORDINATOR_EMAIL)

    # From the network's page, through its menu, to the archive and its upload form.
    axe_page.goto(f"/networks/{demo.slug}/")
    page.get_by_role("link", name=sv("Documents"), exact=True).first.click()
    page.wait_for_url(f"**/networks/{demo.slug}/documents/")
    axe_page.check()
    axe_page.screenshot("archive-list")
    page.get_by_role("link", name=sv("Add document")).click()
    page.wait_for_url("**/documents/new/")
    axe_page.check()
    page.get_by_label(re.compile(rf"^{sv('File')}\s*\*?$")).set_input_files(
        {"name": "energiplan.pdf", "mimeType": "application/pdf", "buffer": first}
    )
    page.get_by_label(sv("Title")).fill(TITLE)
    page.get_by_label(sv("Description")).fill("Planen som styrgruppen antog.")
    with worker.held():
        page.get_by_role("button", name=sv("Save")).click()
        page.wait_for_url(re.compile(r"/documents/\d+/$"))
        axe_page.check()
        expect(page.locator("h1")).to_have_text(TITLE)
        expect(page.get_by_role("status").filter(has_text=sv(WAITING))).to_be_visible()
        assert sv("waiting for text extraction").lower() in version_row(axe_page, 1).lower()
        with worker.gate.reading():
            document = Document.objects.get(title=TITLE)
    detail = f"/networks/{demo.slug}/documents/{document.pk}/"
    assert page.url.endswith(detail)

    # Once the worker gets to it, the text is extracted, and the page says so.
    reload_until(axe_page, 1, sv("text extracted"))
    expect(page.get_by_role("status").filter(has_text=sv(WAITING))).to_have_count(0)
    with worker.gate.reading():
        assert document.versions.get().extraction == "done"
    axe_page.screenshot("document-page")

    # The header's search box finds it by a word that is only in the file's text.
    search_box = page.get_by_role("searchbox", name=sv("Search Navet"))
    search_box.fill(BODY_WORD)
    search_box.press("Enter")
    page.wait_for_url(re.compile(rf"/search/\?q={BODY_WORD}"))
    axe_page.check()
    axe_page.screenshot("search-results")
    hit = page.locator(".search-hit").filter(has=page.get_by_role("link", name=TITLE))
    expect(hit).to_have_count(1)
    expect(hit.locator("mark").first).to_have_text(re.compile(BODY_WORD, re.IGNORECASE))
    hit.get_by_role("link", name=TITLE).click()
    page.wait_for_url(f"**{detail}")
    axe_page.check()

    # The download serves the uploaded PDF, inline, with the safe headers.
    download = page.get_by_role("link", name=re.compile(sv("Download"))).first
    body, headers = newest_file(axe_page, str(download.get_attribute("href")))
    assert body == first
    assert headers["content-type"] == "application/pdf"
    assert headers["content-disposition"].startswith("inline")
    assert headers["x-content-type-options"] == "nosniff"

    # A new version with a note: version 2 is the newest, and the link serves it.
    page.get_by_role("link", name=sv("Upload a new version")).click()
    page.wait_for_url("**/versions/new/")
    axe_page.check()
    page.get_by_label(re.compile(rf"^{sv('File')}\s*\*?$")).set_input_files(
        {"name": "energiplan-v2.pdf", "mimeType": "application/pdf", "buffer": second}
    )
    page.get_by_label(sv("Note")).fill("Rättade siffror på sidan tre")
    page.get_by_role("button", name=sv("Upload")).click()
    page.wait_for_url(f"**{detail}")
    axe_page.check()
    assert "energiplan-v2.pdf" in version_row(axe_page, 2)
    assert "Rättade siffror på sidan tre" in version_row(axe_page, 2)
    assert sv("newest") in version_row(axe_page, 2)
    assert sv("newest") not in version_row(axe_page, 1)
    reload_until(axe_page, 2, sv("text extracted"))
    assert body != newest_file(axe_page, f"{detail}file/")[0] == second

    # Restoring version 1 adds version 3, and the link serves the first file again.
    page.get_by_role("button", name=sv("Restore version %(number)s") % {"number": 1}).click()
    page.wait_for_url(f"**{detail}")
    axe_page.check()
    third = version_row(axe_page, 3)
    restored_note = sv("restored from version %(number)d") % {"number": 1}
    assert restored_note in third and "energiplan.pdf" in third
    assert sv("newest") in third
    assert newest_file(axe_page, f"{detail}file/")[0] == first
    with worker.gate.reading():
        versions = dict(document.versions.values_list("pk", "number"))
    assert sorted(versions.values()) == [1, 2, 3]
    axe_page.screenshot("document-versions")
    # Each upload was extracted once by the worker; the restore copied version 1's text. (The
    # demo's own documents are extracted by the same worker.)
    extracted = [
        versions[r.args[0]]
        for r in worker.ran
        if r.task.name == "extract_version_text" and r.args[0] in versions
    ]
    assert sorted(extracted) == [1, 2]

    # Someone from another network: the same search finds nothing and shows no count, and
    # the document's address is "not found".
    page.context.clear_cookies()
    log_in(axe_page, outsider)
    search_box = page.get_by_role("searchbox", name=sv("Search Navet"))
    search_box.fill(BODY_WORD)
    search_box.press("Enter")
    page.wait_for_url(re.compile(rf"/search/\?q={BODY_WORD}"))
    axe_page.check()
    assert_nothing_found(axe_page)
    response = axe_page.goto(detail)
    assert response.status == 404
    assert newest_file_status(axe_page, f"{detail}file/") == 404

    # A visitor who is not logged in: nothing found either, and the document asks to log in.
    page.context.clear_cookies()
    axe_page.goto(f"/search/?q={BODY_WORD}")
    assert_nothing_found(axe_page)
    axe_page.goto(detail)
    assert "/accounts/login/" in page.url
    assert TITLE not in page.locator("body").inner_text()


def assert_nothing_found(axe_page: AxePage) -> None:
    main = axe_page.page.locator("main")
    text = str(main.inner_text())
    expect(main.locator(".search-hit")).to_have_count(0)
    # The word itself only as the echo of the query, in quotes (Swedish ”…” or English “…”).
    assert TITLE not in text and BODY_WORD not in re.sub(f"[“”]{BODY_WORD}[“”]", "", text)
    assert main.locator(".search-facets").count() == 0  # no counts per type, network or year
    summary = str(main.locator(".search-summary").inner_text())
    assert not re.search(r"\d", summary), summary


def newest_file_status(axe_page: AxePage, url: str) -> int:
    return int(axe_page.page.context.request.get(axe_page.base_url + url).status)
