"""Indicators in the search (public, like the catalogue): title, description, code and
keyword; a network's own indicator is filed under that network."""

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from navet.indicators.models import Indicator
from navet.search.registry import Entry, SearchProvider, register


class IndicatorProvider(SearchProvider):
    kind = "indicator"
    label = _("Indicators")
    model = Indicator

    def entry(self, indicator: Any) -> Entry:
        return Entry(
            title=indicator.title,
            body="\n".join(
                p for p in (indicator.description, indicator.code, indicator.keyword) if p
            ),
            url=indicator.get_absolute_url(),
            network=indicator.network_id,
        )

    def visible(self, user: Any) -> Q:
        return Q()


register(IndicatorProvider())
