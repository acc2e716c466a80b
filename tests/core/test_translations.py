"""Swedish is the interface's first language: the catalogue must be complete."""

from pathlib import Path

import polib
from django.conf import settings
from django.utils import translation

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "sv" / "LC_MESSAGES" / "django.po"


def test_swedish_catalogue_is_complete_and_has_no_fuzzy_entries() -> None:
    catalogue = polib.pofile(str(CATALOGUE))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not untranslated, f"Untranslated: {untranslated}"
    assert not fuzzy, f"Fuzzy (check and clear the flag): {fuzzy}"


def test_placeholders_survive_translation() -> None:
    catalogue = polib.pofile(str(CATALOGUE))
    for entry in catalogue.translated_entries():
        for placeholder in ("%(", "%s", "%d"):
            assert entry.msgid.count(placeholder) == entry.msgstr.count(placeholder) or (
                entry.msgid_plural
            ), entry.msgid


def test_the_compiled_catalogue_is_used() -> None:
    with translation.override("sv"):
        assert translation.gettext("Members") == "Medlemmar"
        assert translation.gettext("Skip to content") == "Hoppa till innehållet"
