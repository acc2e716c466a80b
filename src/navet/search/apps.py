import logging
from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class SearchConfig(AppConfig):
    name = "navet.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        # Each app's ``search.py`` registers its providers (see ``navet.search.registry``).
        autodiscover_modules("search")
        post_migrate.connect(index_if_empty, sender=self)


def index_if_empty(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """Data written by migrations (the reference organisations) sends no signals the index
    follows: fill an empty index once after ``migrate``. A filled one is left alone; run
    ``manage.py rebuild_search_index`` after bulk loads."""
    from django.db import DatabaseError

    from navet.search import indexing
    from navet.search.models import SearchEntry

    try:
        if not SearchEntry.objects.using(using).exists():
            indexing.rebuild()
    except DatabaseError as error:
        # Migrated to an older state (a table or column missing): leave the index be.
        logger.warning("Search index not filled after migrate: %s", error)
