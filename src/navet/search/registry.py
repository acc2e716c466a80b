"""The one interface every app registers its searchable things with.

A *provider* says, for one model, what the search index holds about an object and who may
find it. To make a new kind searchable (questions, answers, news, good examples …), write a
``search.py`` module in the app (it is imported at start-up by ``SearchConfig.ready``)::

    from django.db.models import Q
    from django.utils.translation import gettext_lazy as _

    from navet.search.registry import Entry, SearchProvider, register


    class QuestionProvider(SearchProvider):
        kind = "question"                  # stored in SearchEntry.kind, used in ?type=
        label = _("Questions")             # shown in the type facet
        model = Question

        def queryset(self):                # what is indexed (leave out what nobody finds)
            return Question.objects.filter(withdrawn=False).select_related("network")

        def entry(self, question) -> Entry:
            return Entry(
                title=question.title,
                body=question.text,
                url=question.get_absolute_url(),
                network=question.network_id,
                year=question.created_at.year,
                date=question.created_at.date(),
            )

        def visible(self, user) -> Q:      # over SearchEntry: the app's ONE visibility rule
            return Q(object_id__in=question_policy.instances_user_has_permission_for(
                user, "view").values("pk"))

        # Other models whose changes change an entry: model -> objects' primary keys.
        def related(self):
            return {Answer: lambda answer: [answer.question_id]}


    register(QuestionProvider())

The rules:

* ``visible(user)`` is a ``Q`` over ``SearchEntry`` built from the app's one permission rule
  (its policy or ``visible_*_q`` function), never a second copy of it. The selector ANDs it
  with ``kind=<kind>`` and ORs the providers together, inside the query that counts, facets
  and pages, so nothing the user may not see is ever counted or shown. Keep what an entry
  reveals (title, body) to what the object's own page shows to those who pass ``visible``.
* ``visible(user)`` may test the entry's own ``network``, ``group`` and ``access`` columns
  (the object's copy, set by ``entry``) when the provider sets ``visible_reads_entry``: it
  is faster than a sub-select over every object, and the index then writes those columns in
  the object's own transaction.
* ``queryset()`` decides what is in the index at all: an object outside it (soft-deleted,
  withdrawn) is removed from the index when it changes.
* Indexing follows ``post_save``/``post_delete`` of ``model`` (and its many-to-many fields)
  and of the ``related()`` models, after the transaction commits; set ``indexed_fields`` so a
  ``save(update_fields=...)`` of other fields does not re-index. Bulk writes that send no
  signals (``QuerySet.update``, ``bulk_create``) must call
  ``navet.search.indexing.index_objects`` / ``reindex_pks`` themselves, or
  ``manage.py rebuild_search_index`` afterwards.
"""

import dataclasses
import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.utils.functional import Promise


@dataclasses.dataclass(frozen=True)
class Entry:
    """What the index holds about one object (``network``/``group`` are primary keys)."""

    title: str
    url: str
    body: str = ""
    network: int | None = None
    group: int | None = None
    year: int | None = None
    date: datetime.date | None = None
    access: str | None = None  # see SearchEntry.access


class SearchProvider:
    kind: str
    label: str | Promise
    model: type[Model]
    # The model fields ``entry`` reads: a ``save(update_fields=...)`` touching none of them
    # (a person's account link, say) does not re-index. ``None``: every save re-indexes.
    indexed_fields: frozenset[str] | None = None
    # True: ``visible`` reads the entry's own network, group and access columns instead of
    # looking the objects up. Then a save or delete re-indexes the object at once, inside its
    # transaction, so the entry never lags behind a change of who may see it (and a failure
    # to index fails the change); other providers are re-indexed after the commit.
    visible_reads_entry: bool = False

    def queryset(self) -> QuerySet[Any]:
        return self.model._default_manager.all()

    def entry(self, obj: Any) -> Entry:
        raise NotImplementedError

    def visible(self, user: Any) -> Q:
        raise NotImplementedError

    def related(self) -> dict[type[Model], Callable[[Any], Iterable[int]]]:
        return {}


_providers: dict[str, SearchProvider] = {}


def register(provider: SearchProvider) -> SearchProvider:
    """Add a provider (one per kind) and connect its signals; returns it."""
    if provider.kind in _providers:
        raise ValueError(f"A search provider for {provider.kind!r} is already registered")
    _providers[provider.kind] = provider
    from navet.search import indexing

    indexing.connect(provider)
    return provider


def providers() -> list[SearchProvider]:
    return list(_providers.values())


def provider_for(kind: str) -> SearchProvider | None:
    return _providers.get(kind)


def kinds() -> list[str]:
    return list(_providers)
