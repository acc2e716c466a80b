"""The meetings tests check messages by their English ids, so they run in English: the Swedish
catalogue is filled in later and must not change what these tests see."""

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english(settings: object) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"  # type: ignore[attr-defined]
    with translation.override("en"):
        yield
