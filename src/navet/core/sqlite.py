"""SQLite's LIKE folds case for A–Z only, so "örebro" would not find "Örebro". Django's
``icontains`` uses LIKE on SQLite; this replaces SQLite's like() with one that folds case the
way Python does, for every letter. PostgreSQL needs nothing: Django uses UPPER() there."""

import re
from functools import lru_cache
from typing import Any

from django.db.backends.signals import connection_created

from navet.core.collation import SWEDISH, swedish_compare


@lru_cache(maxsize=512)
def _like_regex(pattern: str, escape: str | None) -> re.Pattern[str]:
    parts: list[str] = []
    chars = iter(pattern)
    for char in chars:
        if escape and char == escape:
            parts.append(re.escape(next(chars, "")))
        elif char == "%":
            parts.append(".*")
        elif char == "_":
            parts.append(".")
        else:
            parts.append(re.escape(char))
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL)


def unicode_like(pattern: str | None, value: Any, escape: str | None = None) -> bool | None:
    if pattern is None or value is None:
        return None
    return _like_regex(pattern, escape).fullmatch(str(value)) is not None


def install_unicode_like(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function("like", 2, unicode_like, deterministic=True)
        connection.connection.create_function("like", 3, unicode_like, deterministic=True)
        connection.connection.create_collation(SWEDISH, swedish_compare)


def connect() -> None:
    connection_created.connect(install_unicode_like, dispatch_uid="navet_unicode_like")
