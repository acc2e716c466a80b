"""Object storage: documents stored in an S3-compatible bucket through Django's storage API,
served by a short-lived signed URL with the same safe headers as the file system path.

The bucket is real: moto's S3 server, started by these tests on a free loopback port, spoken
to over HTTP by boto3 and django-storages exactly as a production object store would be. The
storage settings come from config/settings.py itself, run with ``NAVET_STORAGE=s3`` and the
``NAVET_S3_*`` variables pointing at that server.
"""

import os
import runpy
import secrets
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import FileResponse
from django.test import Client
from django.urls import reverse

from navet.core import uploads
from navet.documents import downloads
from navet.networks.models import Network
from tests.documents.test_downloads import (
    GIF_POLYGLOT,
    assert_protected,
    body,
    make_version,
    serve,
)

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "config" / "settings.py"
REGION = "eu-north-1"
URL_SECONDS = 45  # not the default (60), so the test sees the setting at work


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """moto's S3-compatible server on 127.0.0.1, on a port the system picks."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def run_settings(monkeypatch: pytest.MonkeyPatch, **environ: str) -> dict[str, Any]:
    """config/settings.py's names as it computes them from these environment variables."""
    for name in list(os.environ):
        if name.startswith(("NAVET_STORAGE", "NAVET_S3_")):
            monkeypatch.delenv(name)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


@pytest.fixture
def bucket(s3_endpoint: str, settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A new private bucket, and Django's default storage set to it by the real settings."""
    name = f"navet-{secrets.token_hex(6)}"
    computed = run_settings(
        monkeypatch,
        NAVET_STORAGE="s3",
        NAVET_S3_BUCKET=name,
        NAVET_S3_ENDPOINT_URL=s3_endpoint,
        NAVET_S3_REGION=REGION,
        NAVET_S3_ACCESS_KEY_ID="navet-test",
        NAVET_S3_SECRET_ACCESS_KEY="navet-test-secret",
        NAVET_S3_URL_SECONDS=str(URL_SECONDS),
    )
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name=REGION,
        aws_access_key_id="navet-test",
        aws_secret_access_key="navet-test-secret",
    )
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    settings.STORAGES = computed["STORAGES"]
    settings.NAVET_S3_URL_SECONDS = computed["NAVET_S3_URL_SECONDS"]
    yield client, name
    for item in client.list_objects_v2(Bucket=name).get("Contents", []):
        client.delete_object(Bucket=name, Key=item["Key"])
    client.delete_bucket(Bucket=name)


def test_the_settings_select_the_s3_backend_with_private_signed_urls(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    computed = run_settings(
        monkeypatch,
        NAVET_STORAGE="s3",
        NAVET_S3_BUCKET="navet-arkiv",
        NAVET_S3_ENDPOINT_URL="https://objects.example",
        NAVET_S3_REGION=REGION,
    )
    default = computed["STORAGES"]["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    options = default["OPTIONS"]
    assert options["bucket_name"] == "navet-arkiv"
    assert options["endpoint_url"] == "https://objects.example"
    assert options["region_name"] == REGION
    assert options["default_acl"] is None
    assert options["querystring_auth"] is True
    assert options["querystring_expire"] == 60
    assert options["file_overwrite"] is False
    # Static files stay where they were.
    assert computed["STORAGES"]["staticfiles"]["BACKEND"] == (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
    )


def test_the_file_system_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    computed = run_settings(monkeypatch)
    assert computed["STORAGES"]["default"] == {
        "BACKEND": "django.core.files.storage.FileSystemStorage"
    }
    assert computed["NAVET_S3_URL_SECONDS"] == 60


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"NAVET_STORAGE": "s3"}, "NAVET_S3_BUCKET"),
        ({"NAVET_STORAGE": "ftp"}, "NAVET_STORAGE must be"),
    ],
)
def test_a_storage_setting_that_cannot_work_stops_the_start(
    monkeypatch: pytest.MonkeyPatch, environ: dict[str, str], message: str
) -> None:
    with pytest.raises(RuntimeError, match=message):
        run_settings(monkeypatch, **environ)


@pytest.mark.django_db
def test_a_saved_file_lands_in_the_bucket_and_reads_back(bucket: Any, network: Network) -> None:
    client, name = bucket
    version = make_version(
        network, GIF_POLYGLOT, name="bild.gif", kind=uploads.GIF, content_type="image/gif"
    )
    keys = [item["Key"] for item in client.list_objects_v2(Bucket=name)["Contents"]]
    assert keys == [version.file.name]
    assert version.file.name == (f"documents/{network.pk}/{version.document_id}/{version.token}")
    stored = client.get_object(Bucket=name, Key=version.file.name)
    assert stored["Body"].read() == GIF_POLYGLOT
    # Whatever the upload claimed, the object itself is an opaque attachment: a URL signed
    # without response headers could never show it as a page.
    assert stored["ContentType"] == "application/octet-stream"
    assert stored["ContentDisposition"] == "attachment"
    # Read back through the storage API.
    with version.file.open("rb") as handle:
        assert handle.read() == GIF_POLYGLOT


@pytest.mark.django_db
def test_a_browser_claimed_type_is_not_stored(bucket: Any) -> None:
    client, name = bucket
    claimed = SimpleUploadedFile("sida.html", b"<html>", content_type="text/html")
    stored_name = default_storage.save("documents/claimed", claimed)
    assert client.head_object(Bucket=name, Key=stored_name)["ContentType"] == (
        "application/octet-stream"
    )


@pytest.mark.django_db
def test_an_existing_name_is_never_overwritten(bucket: Any) -> None:
    client, name = bucket
    first = default_storage.save("documents/1/1/same", SimpleUploadedFile("a", b"first"))
    second = default_storage.save("documents/1/1/same", SimpleUploadedFile("a", b"second"))
    assert first == "documents/1/1/same"
    assert second != first
    assert client.get_object(Bucket=name, Key=first)["Body"].read() == b"first"
    assert client.get_object(Bucket=name, Key=second)["Body"].read() == b"second"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("original_name", "kind", "content", "served_type", "disposition"),
    [
        (
            "Protokoll möte å ä ö.txt",
            uploads.TEXT,
            "Beslut: kommunerna går vidare.\n".encode(),
            "text/plain; charset=utf-8",
            "attachment; filename*=utf-8''Protokoll%20m%C3%B6te%20%C3%A5%20%C3%A4%20%C3%B6.txt",
        ),
        ("bild.gif", uploads.GIF, GIF_POLYGLOT, "image/gif", 'inline; filename="bild.gif"'),
    ],
)
def test_the_download_is_a_redirect_to_a_short_lived_signed_url(
    bucket: Any,
    network: Network,
    original_name: str,
    kind: str,
    content: bytes,
    served_type: str,
    disposition: str,
) -> None:
    version = make_version(
        network, content, name=original_name, kind=kind, content_type="text/html"
    )
    assert downloads.signs_urls(version.file.storage)
    response = serve(version)
    assert response.status_code == 302
    assert_protected(response)
    assert response["Referrer-Policy"] == "no-referrer"

    url = response["Location"]
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    assert query["X-Amz-Expires"] == [str(URL_SECONDS)]
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    assert query["X-Amz-Signature"]
    assert query["response-content-type"] == [served_type]
    assert query["response-content-disposition"] == [disposition]

    with urllib.request.urlopen(url, timeout=10) as fetched:  # noqa: S310 (our loopback server)
        assert fetched.read() == content
        assert fetched.headers["Content-Type"] == served_type
        assert fetched.headers["Content-Disposition"] == disposition
        assert fetched.headers["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_a_storage_without_signed_urls_streams_the_file(
    bucket: Any, network: Network, settings: Any
) -> None:
    # The same bucket without query-string authentication: its URLs would be plain public
    # addresses, so the download goes through Django instead of a redirect.
    options = settings.STORAGES["default"]["OPTIONS"]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**options, "querystring_auth": False},
        },
    }
    version = make_version(
        network, GIF_POLYGLOT, name="bild.gif", kind=uploads.GIF, content_type="image/gif"
    )
    assert not downloads.signs_urls(version.file.storage)
    response = serve(version)
    assert isinstance(response, FileResponse)
    assert response["Content-Type"] == "image/gif"
    assert_protected(response)
    assert body(response) == GIF_POLYGLOT


@pytest.mark.django_db
def test_the_archive_download_signs_a_url_only_for_someone_who_may_see_it(
    bucket: Any, s3_endpoint: str, network: Network, client_for: Callable[[str], Client]
) -> None:
    version = make_version(
        network,
        b"Protokoll\n",
        name="Protokoll.txt",
        kind=uploads.TEXT,
        content_type="text/plain; charset=utf-8",
    )
    url = reverse("documents:file", args=[network.slug, version.document_id])

    member = client_for("member").get(url)
    assert member.status_code == 302
    assert member["Location"].startswith(f"{s3_endpoint}/")
    assert "X-Amz-Signature=" in member["Location"]
    assert member["Content-Security-Policy"] == "sandbox; default-src 'none'"
    with urllib.request.urlopen(member["Location"], timeout=10) as fetched:  # noqa: S310
        assert fetched.read() == b"Protokoll\n"

    # No signed URL for anyone the access check turns away.
    assert client_for("outsider").get(url).status_code == 404
    anonymous = client_for("anonymous").get(url)
    assert anonymous.status_code == 302
    assert not anonymous["Location"].startswith(s3_endpoint)
    assert "X-Amz-Signature" not in anonymous["Location"]
