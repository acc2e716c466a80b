"""Swedish alphabetical order: … Vårgårda, Vänersborg, Åmål, Ängelholm, Öckerö.

Names sort as Swedish does everywhere: in the database (the ``navet_sv`` collation on the
name fields, ``db_collation=SWEDISH``) and in Python (``swedish_key``). On PostgreSQL
``navet_sv`` is an ICU collation for sv-SE, created by ``core.0003_swedish_collation``; on
SQLite it is registered on every connection (``navet.core.sqlite``) and compares with
``swedish_key``, so the two databases and Python agree.

The rules (the Swedish Academy's, as ICU's sv-SE applies them): å, ä and ö are letters of
their own after z; æ sorts as ä and ø as ö; ü sorts as y; other accents (é, è, à, ç, …) do not
change a letter's place, and decide only between otherwise equal names; case decides last.
"""

import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import Any, TypeVar

SWEDISH = "navet_sv"
"""The name of the collation in both databases."""

# Letters Swedish sorts as their own letters (or as one of them), after z.
_SWEDISH_LETTERS = {
    "å": "\U0010fff0",
    "ä": "\U0010fff1",
    "æ": "\U0010fff1",
    "ö": "\U0010fff2",
    "ø": "\U0010fff2",
    "ü": "y",
}

T = TypeVar("T")


def _base_letter(char: str) -> str:
    """The letter without accents: é → e, ç → c (å, ä and ö are handled before this)."""
    decomposed = unicodedata.normalize("NFD", char)
    return "".join(c for c in decomposed if not unicodedata.combining(c)) or char


@lru_cache(maxsize=4096)
def swedish_key(value: str | None) -> tuple[str, str, str]:
    """A sort key that orders strings as Swedish does.

    Three levels, as in the Unicode collation algorithm: the letters (å, ä, ö after z, accents
    ignored), then the accents (e before é), then case (lower before upper).
    """
    text = unicodedata.normalize("NFC", value or "")
    folded = text.casefold()
    primary = "".join(_SWEDISH_LETTERS.get(c) or _base_letter(c) for c in folded)
    return primary, folded, text.swapcase()


def swedish_compare(left: str | None, right: str | None) -> int:
    """-1, 0 or 1, as SQLite's create_collation wants."""
    a, b = swedish_key(left), swedish_key(right)
    return (a > b) - (a < b)


def sort_key(*getters: Callable[[Any], str | None]) -> Callable[[Any], tuple[Any, ...]]:
    """A key for ``sorted()`` by one or more attributes in Swedish order:
    ``sorted(people, key=sort_key(attrgetter("last_name"), attrgetter("first_name")))``."""

    def key(obj: Any) -> tuple[Any, ...]:
        return tuple(swedish_key(getter(obj)) for getter in getters)

    return key


def by_name(obj: Any) -> tuple[str, str, str]:
    """Key for ``sorted()`` by ``obj.name`` (organisations, groups, networks) or ``str(obj)``."""
    name = getattr(obj, "name", None)
    return swedish_key(name if isinstance(name, str) else str(obj))


def swedish_sorted(values: Any, key: Callable[[T], str | None] = str) -> list[T]:
    """``sorted(values)`` by ``key(value)`` in Swedish order."""
    return sorted(values, key=lambda value: swedish_key(key(value)))
