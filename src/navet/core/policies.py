"""Permission policies: one object per model answers who may do what to which instances.

Modelled on Wagtail's permission policies. A policy answers two questions with one rule:

* ``instances_user_has_permission_for(user, action, network=...)``: a queryset of the
  instances the user may act on (``"view"``, ``"change"`` …), optionally within one network;
* ``user_has_permission_for_instance(user, action, obj)``: the same rule for one object.

Views look objects up with ``get_or_404`` (an id outside the queryset is "not found", never
"forbidden", so ids of other networks reveal nothing), forms take their choice lists from the
queryset, and imports and exports filter through it. A rule is written once, in the policy.
"""

from typing import Any, Generic, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.http import Http404

from navet.networks.models import Network

M = TypeVar("M", bound=Model)


class Policy(Generic[M]):
    model: type[M]
    actions: tuple[str, ...] = ("view", "change")

    def instances_user_has_permission_for(
        self, user: Any, action: str, *, network: Network | None = None
    ) -> QuerySet[M]:
        raise NotImplementedError

    def user_has_permission_for_instance(
        self, user: Any, action: str, obj: M, *, network: Network | None = None
    ) -> bool:
        return (
            self.instances_user_has_permission_for(user, action, network=network)
            .filter(pk=obj.pk)
            .exists()
        )

    def get_or_404(
        self, user: Any, action: str, *, network: Network | None = None, **lookup: Any
    ) -> M:
        """The one instance matching ``lookup`` among those the user may act on, or 404."""
        self._check_action(action)
        try:
            return self.instances_user_has_permission_for(user, action, network=network).get(
                **lookup
            )
        except (ObjectDoesNotExist, ValueError, TypeError) as missing:
            raise Http404 from missing

    def _check_action(self, action: str) -> None:
        if action not in self.actions:
            raise ValueError(f"{type(self).__name__} knows no action {action!r}")
