"""A small Swedish stemmer for the SQLite search (PostgreSQL stems with its ``swedish``
configuration).

It is the Snowball Swedish algorithm (the one PostgreSQL's ``swedish_stem`` uses): remove the
longest of the common inflection suffixes in the word's R1 region ("kommunerna" → "kommun",
"hållbarheten" → "hållbar"), undouble a final consonant pair and remove "lig"/"ig"/"els".
SQLite's FTS5 index keeps the words as written, so the search asks for the *stem as a prefix*
("kommun*"): "kommunerna" finds "kommun" and "kommun" finds "kommunerna". The price is that a
prefix also finds longer words ("kommun*" finds "kommunal"): acceptable for the embedded
database, exact on PostgreSQL.
"""

VOWELS = frozenset("aeiouyäåö")
S_ENDINGS = frozenset("bcdfghjklmnoprtvy")
STEP1_SUFFIXES = sorted(
    [
        "a",
        "arna",
        "erna",
        "heterna",
        "orna",
        "ad",
        "e",
        "ade",
        "ande",
        "arne",
        "are",
        "aste",
        "en",
        "anden",
        "aren",
        "heten",
        "ern",
        "ar",
        "er",
        "heter",
        "or",
        "as",
        "arnas",
        "ernas",
        "ornas",
        "es",
        "ades",
        "andes",
        "ens",
        "arens",
        "hetens",
        "erns",
        "at",
        "andet",
        "het",
        "ast",
    ],
    key=len,
    reverse=True,
)
STEP2_ENDINGS = ("dd", "gd", "nn", "dt", "gt", "kt", "tt")


def _r1(word: str) -> int:
    """Start of R1: after the first non-vowel that follows a vowel, at least 3 letters in."""
    for i in range(1, len(word)):
        if word[i] not in VOWELS and word[i - 1] in VOWELS:
            return max(i + 1, 3)
    return len(word)


def stem(word: str) -> str:
    word = word.lower()
    r1 = _r1(word)
    # Step 1: the longest inflection suffix within R1; a final "s" after a valid s-ending.
    for suffix in STEP1_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= r1:
            word = word[: -len(suffix)]
            break
    else:
        if len(word) - 1 >= r1 and word.endswith("s") and len(word) > 1 and word[-2] in S_ENDINGS:
            word = word[:-1]
    # Step 2: undouble a consonant ending within R1 ("hemligt" → "hemlig" later).
    if any(word.endswith(e) and len(word) - 2 >= r1 for e in STEP2_ENDINGS):
        word = word[:-1]
    # Step 3: derivational endings within R1.
    for suffix, replacement in (("fullt", "full"), ("löst", "lös")):
        if word.endswith(suffix) and len(word) - len(suffix) >= r1:
            return word[: -len(suffix)] + replacement
    for suffix in ("lig", "els", "ig"):
        if word.endswith(suffix) and len(word) - len(suffix) >= r1:
            return word[: -len(suffix)]
    return word
