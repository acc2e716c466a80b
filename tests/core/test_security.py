"""Production hardening: check --deploy, the Content-Security-Policy, private caching."""

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from navet.accounts.models import User
from navet.core.middleware import PrivateCacheMiddleware
from navet.networks.models import Network

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "src" / "navet" / "templates"
# What an operator sets in production (README, "Settings"): a real key, the host, HTTPS.
PRODUCTION_ENV = {
    "NAVET_SECRET_KEY": "t3st-Only-9fK2mQ7xL4pZ8vR1nB6wC0yH5jD3sG7aE2uT9kM4qW8zX",
    "NAVET_ALLOWED_HOSTS": "navet.example.org",
    "NAVET_HTTPS": "1",
}


def _run(args: list[str], env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("NAVET_", "DJANGO_")) and k != "DATABASE_URL"
    }
    base.update(
        {"DJANGO_SETTINGS_MODULE": "config.settings", "NAVET_DATA_DIR": str(tmp_path), **env}
    )
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=base, capture_output=True, text=True, timeout=120
    )


def _settings(env: dict[str, str], tmp_path: Path, names: list[str]) -> dict[str, object]:
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {names!r}}}))"
    )
    result = _run(["-c", code], env, tmp_path)
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def test_check_deploy_has_no_warnings_with_the_production_settings(tmp_path: Path) -> None:
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV, tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_without_https(tmp_path: Path) -> None:
    """The test above passes because of the settings, not because the check is silenced."""
    env = {**PRODUCTION_ENV, "NAVET_HTTPS": "0"}
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env, tmp_path)
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stdout + result.stderr


def test_production_and_development_security_settings(tmp_path: Path) -> None:
    names = [
        "DEBUG",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_PROXY_SSL_HEADER",
        "X_FRAME_OPTIONS",
        "SECURE_REFERRER_POLICY",
        "NAVET_REQUIRE_MFA_FOR_ADMINS",
        "ALLAUTH_TRUSTED_PROXY_COUNT",
    ]
    prod = _settings({**PRODUCTION_ENV, "NAVET_BEHIND_PROXY": "1"}, tmp_path, names)
    assert prod["DEBUG"] is False
    assert prod["SECURE_SSL_REDIRECT"] is True
    assert prod["SECURE_HSTS_SECONDS"] == 365 * 86400
    assert prod["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert prod["SECURE_HSTS_PRELOAD"] is True
    assert prod["SESSION_COOKIE_SECURE"] is True
    assert prod["CSRF_COOKIE_SECURE"] is True
    assert prod["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert prod["X_FRAME_OPTIONS"] == "DENY"
    assert prod["SECURE_REFERRER_POLICY"] == "same-origin"
    assert prod["NAVET_REQUIRE_MFA_FOR_ADMINS"] is True
    assert prod["ALLAUTH_TRUSTED_PROXY_COUNT"] == 1

    tuned = _settings(
        {**PRODUCTION_ENV, "NAVET_HSTS_SECONDS": "600", "NAVET_HSTS_PRELOAD": "0"},
        tmp_path,
        names,
    )
    assert tuned["SECURE_HSTS_SECONDS"] == 600
    assert tuned["SECURE_HSTS_PRELOAD"] is False
    assert tuned["SECURE_PROXY_SSL_HEADER"] is None

    # `make run`: plain http on 127.0.0.1, no key needed, no second factor demanded.
    dev = _settings({"NAVET_DEBUG": "1"}, tmp_path, names)
    assert dev["DEBUG"] is True
    assert dev["SECURE_SSL_REDIRECT"] is False
    assert dev["SECURE_HSTS_SECONDS"] == 0
    assert dev["SESSION_COOKIE_SECURE"] is False
    assert dev["NAVET_REQUIRE_MFA_FOR_ADMINS"] is False


def test_production_without_redis_uses_the_database_cache(tmp_path: Path) -> None:
    """Rate limits must be shared by all worker processes: never the per-process LocMemCache."""
    caches = _settings(PRODUCTION_ENV, tmp_path, ["CACHES"])["CACHES"]
    assert isinstance(caches, dict)
    assert caches["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    redis = _settings(
        {**PRODUCTION_ENV, "NAVET_REDIS_URL": "redis://127.0.0.1:6379/3"}, tmp_path, ["CACHES"]
    )["CACHES"]
    assert isinstance(redis, dict)
    assert redis["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert redis["default"]["LOCATION"] == "redis://127.0.0.1:6379/3"


def _csp(response: object) -> str:
    header = response.headers.get("Content-Security-Policy", "")  # type: ignore[attr-defined]
    assert header, "no Content-Security-Policy header"
    return str(header)


@pytest.mark.django_db
def test_pages_send_a_strict_content_security_policy(
    network: Network, client_for: Callable[[str], Client]
) -> None:
    anonymous = Client()
    member = client_for("member")
    pages = [
        (anonymous, reverse("networks:home")),
        (anonymous, reverse("account_login")),
        (anonymous, reverse("account_reset_password")),
        (member, reverse("networks:home")),
        (member, reverse("networks:network_detail", kwargs={"slug": network.slug})),
        (member, reverse("mfa_index")),
    ]
    for client, url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = _csp(response)
        directives = dict(
            [*part.split(" ", 1), ""][:2] for part in (p.strip() for p in policy.split(";")) if part
        )
        assert "unsafe-inline" not in policy, url
        assert "unsafe-eval" not in policy, url
        assert directives["default-src"] == "'self'"
        assert directives["script-src"] == "'self'"
        assert directives["style-src"] == "'self'"
        assert directives["img-src"] == "'self' data:"
        assert directives["frame-ancestors"] == "'none'"
        assert directives["form-action"] == "'self'"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "same-origin"


# Templates rendered only by WeasyPrint into PDF never reach a browser; emails are plain text.
def _browser_templates() -> list[Path]:
    return sorted(p for p in TEMPLATES.rglob("*.html") if not p.name.endswith("_print.html"))


INLINE_PATTERNS = {
    "style attribute": re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE | re.DOTALL),
    "<style> block": re.compile(r"<style[\s>]", re.IGNORECASE),
    "event handler attribute": re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE | re.DOTALL),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)


def _offences(text: str) -> list[str]:
    found = [label for label, pattern in INLINE_PATTERNS.items() if pattern.search(text)]
    for attrs in SCRIPT_TAG.findall(text):
        # Scripts must come from a file; JSON data blocks (json_script, allauth's) never run.
        if "src=" not in attrs and "application/json" not in attrs:
            found.append("inline <script>")
            break
    return found


def test_the_scanner_finds_inline_code() -> None:
    assert _offences('<p style="color: red">') == ["style attribute"]
    assert _offences("<style>p {}</style>") == ["<style> block"]
    assert _offences('<button onclick="go()">') == ["event handler attribute"]
    assert _offences("<script>alert(1)</script>") == ["inline <script>"]
    assert _offences('<script src="/static/x.js"></script>') == []
    assert _offences('<script type="application/json" id="d">{}</script>') == []
    assert _offences('<p class="online">Oneliner one="x"</p>') == []


def test_no_template_has_inline_styles_or_scripts() -> None:
    """The Content-Security-Policy allows no inline style or script, so none may be written."""
    offenders = []
    for path in _browser_templates():
        found = _offences(path.read_text(encoding="utf-8"))
        if found:
            offenders.append(f"{path.relative_to(TEMPLATES)}: {', '.join(found)}")
    assert not offenders, "Templates with inline style or script:\n" + "\n".join(offenders)


@pytest.mark.django_db
def test_pages_for_logged_in_people_are_not_cached(
    network: Network, client_for: Callable[[str], Client]
) -> None:
    member = client_for("member")
    for url in (
        reverse("networks:home"),
        reverse("networks:network_detail", kwargs={"slug": network.slug}),
    ):
        response = member.get(url)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "private, no-store", url
        assert "Cookie" in response.headers["Vary"]


@pytest.mark.django_db
def test_public_pages_for_anonymous_visitors_may_be_cached(network: Network) -> None:
    response = Client().get(reverse("networks:network_detail", kwargs={"slug": network.slug}))
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_a_response_that_chooses_its_own_cache_control_keeps_it(rf: RequestFactory) -> None:
    def view(request: HttpRequest) -> HttpResponse:
        response = HttpResponse("feed")
        response["Cache-Control"] = "private, max-age=300"
        return response

    request = rf.get("/")
    request.user = User(pk=1, email="x@navet.test")
    response = PrivateCacheMiddleware(view)(request)
    assert response["Cache-Control"] == "private, max-age=300"
    assert "Cookie" in response["Vary"]
    request.user = AnonymousUser()
    assert (
        not PrivateCacheMiddleware(lambda r: HttpResponse())
        .__call__(request)
        .has_header("Cache-Control")
    )


def test_settings_are_those_of_the_tests() -> None:
    assert settings.NAVET_REQUIRE_MFA_FOR_ADMINS is False
    assert "csp.middleware.CSPMiddleware" in settings.MIDDLEWARE


@pytest.mark.django_db
def test_a_body_over_the_upload_limit_is_refused_before_it_is_read(
    client: Any, settings: Any
) -> None:
    """A 150 MB upload is answered 413 with a page in Swedish, without reading the body."""
    from navet.networks.models import Person

    settings.NAVET_MAX_UPLOAD_BYTES = 50_000_000
    before = Person.objects.count()
    response = client.generic(
        "POST", "/accounts/login/", b"x" * 100, CONTENT_LENGTH=str(150_000_000)
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert "50 MB" in page and "Filen är för stor" in page
    assert Person.objects.count() == before
    # Just under the limit, the request goes on to the view as usual.
    ok = client.generic("POST", "/accounts/login/", b"", CONTENT_LENGTH=str(50_500_000))
    assert ok.status_code != 413
