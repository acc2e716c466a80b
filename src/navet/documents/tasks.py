"""Background work of the archive: reading the text of an uploaded version for search.

``extract_version_text`` runs on the tasks framework (``django_tasks``), queued once the
upload has been committed. It reads the stored file through the storage API, so the same
code serves the file system and object storage, and never deletes or changes the file: a
failed extraction is only recorded on the version (shown on the document, to be tried again
with ``services.extraction_retry``).
"""

import logging

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from navet.documents.extraction import ExtractionError, extract_text, has_text
from navet.documents.models import DocumentVersion

logger = logging.getLogger(__name__)

Extraction = DocumentVersion.Extraction
_ERROR_LENGTH = DocumentVersion._meta.get_field("extraction_error").max_length or 500


@task()
def extract_version_text(version_id: int) -> str:
    """Extract and store the text of one version; returns the outcome (an ``Extraction``
    value, or "missing" for a version deleted since it was queued)."""
    version = DocumentVersion.objects.filter(pk=version_id).first()
    if version is None:
        return "missing"
    text, outcome, error = "", Extraction.DONE, ""
    if not has_text(version.kind):
        outcome = Extraction.NONE
    else:
        # The message is stored, so it is in the site's language, whoever's upload it was.
        with translation.override(settings.LANGUAGE_CODE):
            try:
                with version.file.open("rb") as stored:
                    text = extract_text(stored, version.kind)
            except ExtractionError as failure:
                outcome, error = Extraction.FAILED, str(failure)
            except OSError:
                logger.exception("Cannot read the stored file of document version %s", version_id)
                outcome = Extraction.FAILED
                error = _("The stored file could not be read. Try again later.")
    version.text = text
    version.extraction = outcome
    version.extraction_error = error[:_ERROR_LENGTH]
    # A save (not a queryset update), so that what listens to versions' saves (the search
    # index) sees the new text.
    version.save(update_fields=["text", "extraction", "extraction_error"])
    return str(outcome)
