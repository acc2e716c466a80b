from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation


@pytest.fixture
def in_english(settings: Any) -> Iterator[None]:
    """Messages checked in English: for code run directly and for pages fetched with the test
    client (the site is Swedish unless the language is chosen; English is the default here)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
