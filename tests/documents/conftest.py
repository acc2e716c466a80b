"""The documents tests check messages by their English ids (the Swedish ones are checked by
the translation tests and the browser test) and store files in a temporary media root, never in
the real one."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english(settings: object) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"  # type: ignore[attr-defined]
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media_root(settings: object, tmp_path: Path) -> Path:
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root  # type: ignore[attr-defined]
    return root
