"""Browser tests: Playwright drives Debian's headless Chromium against a live Navet server.

Every page a test loads is checked with axe-core (pinned in package-lock.json); a serious or
critical violation fails the test. A test that loads a page without checking it fails too.
"""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from navet.demo.loader import load_demo
from navet.networks.models import Network, Organisation
from navet.networks.reference import ensure_reference_organisations
from tests.browser import chromium_missing

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"

# Playwright's sync API runs an event loop in this thread; the live server's ORM calls happen in
# another thread, but fixtures touching the database from the test thread need this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

_skipped_reason: list[str] = []


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = chromium_missing()
    if not reason and not AXE_JS.exists():
        reason = f"axe-core not found at {AXE_JS} (run npm ci)"
    if not reason:
        return
    if os.environ.get("CI", "").lower() == "true":
        # In CI the browser tests are part of the verdict: a missing browser fails the run.
        raise pytest.UsageError(f"CI=true but the browser tests cannot run: {reason}")
    _skipped_reason.append(reason)
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=reason))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _skipped_reason:
        terminalreporter.write_sep("!", "BROWSER TESTS WERE SKIPPED", red=True, bold=True)
        terminalreporter.write_line(f"Reason: {_skipped_reason[0]}", red=True, bold=True)


class AxePage:
    """A Playwright page that runs axe-core on each page it loads."""

    SERIOUS = {"serious", "critical"}

    def __init__(self, page: Any, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.loaded: list[str] = []
        self.checked: set[str] = set()
        # An init script runs outside the page's Content-Security-Policy, which (rightly)
        # refuses a script tag added to the page.
        page.add_init_script(path=str(AXE_JS))
        page.on("load", lambda _page: self.loaded.append(self.page.url))

    def goto(self, path: str) -> Any:
        response = self.page.goto(self.base_url + path)
        self.check()
        return response

    def check(self) -> None:
        """Run axe on the current page; fail on serious or critical violations."""
        self.page.wait_for_load_state("load")
        result = self.page.evaluate(
            "async () => await axe.run(document, {resultTypes: ['violations']})"
        )
        serious = [v for v in result["violations"] if v.get("impact") in self.SERIOUS]
        self.checked.add(self.page.url)
        assert not serious, f"Accessibility violations on {self.page.url}:\n" + "\n".join(
            f"- {v['id']} ({v['impact']}): {v['help']} → "
            + "; ".join(node["target"][0] for node in v["nodes"][:3])
            for v in serious
        )

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def unchecked_pages(self) -> list[str]:
        return [url for url in self.loaded if url not in self.checked]


@pytest.fixture
def axe_page(browser: Any, live_server: Any) -> Iterator[AxePage]:
    context = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
    # An init script runs outside the page's Content-Security-Policy, which (rightly) refuses
    # a script tag added to the page.
    context.add_init_script(path=str(AXE_JS))
    context.set_default_timeout(15_000)
    page = AxePage(context.new_page(), live_server.url)
    yield page
    unchecked = page.unchecked_pages()
    context.close()
    assert not unchecked, f"Pages loaded without an accessibility check: {unchecked}"


@pytest.fixture
def demo(transactional_db: None) -> Network:
    """The demo data, loaded as ``make run`` loads it; returns Kommunnätverket."""
    # A transactional test empties the database afterwards, including the reference
    # organisations the data migration loaded; put them back first.
    ensure_reference_organisations(Organisation)
    load_demo()
    return Network.objects.get(slug="kommunnatverket")


def log_in_as(axe_page: AxePage, email: str) -> None:
    """Log in through the real login page as a demo login and land on the start page."""
    import re

    from navet.demo.loader import DEMO_PASSWORD

    axe_page.goto("/accounts/login/")
    page = axe_page.page
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))
    axe_page.check()
