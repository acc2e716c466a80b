"""Meetings in the search: title, theme, description and agenda; found by those
``meeting_policy`` lets view them."""

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from navet.meetings.models import Meeting
from navet.meetings.permissions import meeting_policy
from navet.search.registry import Entry, SearchProvider, register


class MeetingProvider(SearchProvider):
    kind = "meeting"
    label = _("Meetings")
    model = Meeting

    def queryset(self) -> QuerySet[Any]:
        return Meeting.objects.select_related("network").prefetch_related("groups")

    def entry(self, meeting: Any) -> Entry:
        day = timezone.localtime(meeting.starts_at).date()
        groups = list(meeting.groups.all())
        return Entry(
            title=meeting.title,
            body="\n".join(p for p in (meeting.theme, meeting.description, meeting.agenda) if p),
            url=meeting.get_absolute_url(),
            network=meeting.network_id,
            # A meeting of several groups is filed under its network only.
            group=groups[0].pk if len(groups) == 1 else None,
            year=day.year,
            date=day,
        )

    def visible(self, user: Any) -> Q:
        return Q(
            object_id__in=meeting_policy.instances_user_has_permission_for(user, "view").values(
                "pk"
            )
        )


register(MeetingProvider())
