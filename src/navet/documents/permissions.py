"""Who may see and change which documents: one rule, used by the archive's lists, the
download, the search and every other reader.

``visible_documents_q(user)`` is that rule as a filter on ``Document``:

* **public** documents: everyone, also without logging in;
* **the network's members**: people of the network's member organisations today, the
  participants and guests of its groups today, and its coordinators and group coordinators;
* **a group's participants**: the participants and guests of the document's group today, its
  group coordinators and the network's coordinators;
* **coordinators only**: the network's coordinators, and the group coordinators of the group
  the document is filed under.

Platform admins see everything. Deleted documents are seen by nobody but through
``document_policy``'s "restore" action: the network's coordinators (and the coordinators of the
document's group), for ``RESTORE_DAYS`` days.
"""

import dataclasses
import datetime
from collections.abc import Collection
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from navet.core.policies import Policy
from navet.documents.models import RESTORE_DAYS, Document
from navet.meetings.models import Meeting
from navet.networks.affiliations import affiliations_of
from navet.networks.models import Group, Network
from navet.networks.permissions import can_manage_network, is_platform_admin, person_of

Visibility = Document.Visibility


@dataclasses.dataclass(frozen=True)
class RuleFields:
    """Where the rule reads a document's visibility, network and group: the document's own
    fields, or the search index's copy of them (``navet.documents.search``), so that the
    search tests each entry row without a sub-select over the whole archive."""

    visibility: str = "visibility"
    network: str = "network_id"
    group: str = "group_id"

    def visibility_is(self, visibility: str) -> Q:
        return Q(**{self.visibility: visibility})

    def network_in(self, network_ids: Collection[int]) -> Q:
        return Q(**{f"{self.network}__in": sorted(network_ids)})

    def group_in(self, group_ids: Collection[int]) -> Q:
        return Q(**{f"{self.group}__in": sorted(group_ids)})


DOCUMENT_FIELDS = RuleFields()


def visible_documents_q(user: Any, *, day: datetime.date | None = None) -> Q:
    """The one rule: a filter on ``Document`` for the (not deleted) documents ``user`` sees."""
    return Q(deleted_at__isnull=True) & who_sees_q(user, day=day)


def who_sees_q(
    user: Any, *, day: datetime.date | None = None, fields: RuleFields = DOCUMENT_FIELDS
) -> Q:
    """The rule's test of visibility, network and group, read from ``fields`` (leaving out
    deletion, which ``visible_documents_q`` adds and the search index holds no deleted
    document)."""
    if is_platform_admin(user):
        return Q()
    public = fields.visibility_is(Visibility.PUBLIC)
    person = person_of(user)
    if person is None or not getattr(user, "is_active", False):
        return public
    standing = affiliations_of(person, day)
    coordinates = standing.coordinates_q(fields.network, fields.group)
    return (
        public
        | (fields.visibility_is(Visibility.MEMBERS) & fields.network_in(standing.networks))
        | (
            fields.visibility_is(Visibility.GROUP)
            & (fields.group_in(standing.groups) | coordinates)
        )
        | (fields.visibility_is(Visibility.COORDINATORS) & coordinates)
    )


def visible_documents(user: Any, *, network: Network | None = None) -> QuerySet[Document]:
    documents = Document.objects.filter(visible_documents_q(user))
    if network is not None:
        documents = documents.filter(network=network)
    return documents


def can_view_document(user: Any, document: Document) -> bool:
    return visible_documents(user).filter(pk=document.pk).exists()


class DocumentPolicy(Policy[Document]):
    """* "view": ``visible_documents_q``;
    * "change" (edit, new version, restore a version, delete): the network's coordinators,
      the coordinators of the group it is filed under, platform admins;
    * "restore" (undo a delete): the same people, for deleted documents within
      ``RESTORE_DAYS`` days."""

    model = Document
    actions = ("view", "change", "restore")

    def instances_user_has_permission_for(
        self, user: Any, action: str, *, network: Network | None = None
    ) -> QuerySet[Document]:
        self._check_action(action)
        documents = Document.objects.all()
        if network is not None:
            documents = documents.filter(network=network)
        if action == "view":
            return documents.filter(visible_documents_q(user))
        if action == "restore":
            since = timezone.now() - datetime.timedelta(days=RESTORE_DAYS)
            documents = documents.filter(deleted_at__gte=since)
        else:
            documents = documents.filter(deleted_at__isnull=True)
        if is_platform_admin(user):
            return documents
        person = person_of(user)
        if person is None or not getattr(user, "is_active", False):
            return documents.none()
        # Of a network they coordinate, or filed under a group they coordinate.
        fields = DOCUMENT_FIELDS
        return documents.filter(affiliations_of(person).coordinates_q(fields.network, fields.group))


document_policy = DocumentPolicy()


# Filing new documents ----------------------------------------------------------------------
#
# The network's coordinators file under the network, any of its groups or meetings; a group
# coordinator files under the groups they coordinate (and those groups' meetings), so that
# they may change what they filed ("change" above). The choice lists come from these.


def groups_to_file_under(
    user: Any, network: Network, *, document: Document | None = None
) -> QuerySet[Group]:
    """The groups of ``network`` the user may file under; when editing ``document``, the group
    it is filed under now stays a choice too."""
    groups = Group.objects.filter(network=network).order_by("name")
    if can_manage_network(user, network):
        return groups
    person = person_of(user)
    if person is None or not getattr(user, "is_active", False):
        return groups.none()
    mine = Q(coordinators=person)
    if document is not None and document.group_id is not None:
        mine |= Q(pk=document.group_id)
    return groups.filter(mine).distinct()


def meetings_to_file_under(
    user: Any, network: Network, *, document: Document | None = None
) -> QuerySet[Meeting]:
    """The meetings of ``network`` the user manages; when editing ``document``, the meeting it
    is filed under now stays a choice too."""
    from navet.meetings.permissions import meeting_policy

    meetings = meeting_policy.instances_user_has_permission_for(user, "change", network=network)
    if document is not None and document.meeting_id is not None:
        meetings = meetings | Meeting.objects.filter(network=network, pk=document.meeting_id)
    return meetings.order_by("-starts_at")


def can_file_documents(user: Any, network: Network) -> bool:
    return can_manage_network(user, network) or groups_to_file_under(user, network).exists()


def must_choose_group(user: Any, network: Network) -> bool:
    """Only the network's coordinators file documents outside a group."""
    return not can_manage_network(user, network)
