"""In a real Chromium, Navet's pages run under the Content-Security-Policy without violations."""

from collections.abc import Iterator
from typing import Any

import pytest

from navet.accounts.models import User
from navet.networks.models import Network
from tests.factories import PASSWORD, NetworkFactory, PersonFactory, UserFactory, organisation

pytestmark = pytest.mark.browser
# Collected by the page itself: every blocked script, style or image is reported here.
LISTEN = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(
  e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' '
  + (e.sourceFile || '') + ':' + e.lineNumber));
"""


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(locale="sv-SE", base_url=live_server.url)
    context.set_default_timeout(15_000)
    context.add_init_script(LISTEN)
    yield context.new_page()
    context.close()


def violations(page: Any) -> list[str]:
    page.wait_for_load_state("load")
    return list(page.evaluate("window.__csp"))


def test_pages_run_without_csp_violations(transactional_db: None, page: Any) -> None:
    from navet.networks.models import Organisation
    from navet.networks.reference import ensure_reference_organisations

    ensure_reference_organisations(Organisation)
    network: Network = NetworkFactory(name="Hållbart Väst", slug="hallbart-vast")
    user = UserFactory(email="samordnare@vgregion.test", is_superuser=True, is_staff=True)
    assert isinstance(user, User)
    network.coordinators.add(PersonFactory(organisation=organisation("14"), user=user))
    found: dict[str, list[str]] = {}

    page.goto("/accounts/login/")
    found["login"] = violations(page)
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/")
    for path in (
        "/",
        f"/networks/{network.slug}/",
        f"/networks/{network.slug}/people/",
        "/indicators/",
        "/accounts/2fa/",
        "/accounts/password/change/",
        "/admin/",
        "/admin/networks/person/",
    ):
        page.goto(path)
        found[path] = violations(page)
    page.goto("/accounts/2fa/totp/activate/")
    if "reauthenticate" in page.url:
        page.fill("input[name=password]", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_url("**/totp/activate/")
    qr = page.locator("img[src^='data:image/svg+xml']")
    assert qr.count() == 1
    assert qr.evaluate("img => img.naturalWidth") > 0  # the QR code is shown, not blocked
    found["totp"] = violations(page)
    offending = {path: v for path, v in found.items() if v}
    assert not offending, offending

    # The listener does hear a violation: an inline script is blocked and reported.
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.ran = 1'; document.body.append(s); }"
    )
    page.wait_for_function("window.__csp.length > 0")
    assert page.evaluate("window.ran") is None
