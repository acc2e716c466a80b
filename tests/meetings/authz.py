"""Authorisation expectations for the meetings app's URLs (see tests/authz.py).

The meeting under test is a planned meeting of the Klimat group next month, so the group
coordinator manages it and the partner (a guest in Klimat) may register.
"""

import datetime
from typing import Any

from django.utils import timezone

from navet.meetings.models import CalendarFeed, Meeting
from tests.authz import (
    GROUP_MANAGERS,
    LOGGED_IN_ONLY,
    MANAGERS,
    ROLES_LOGGED_IN,
    Expectation,
    everyone,
    only,
)

REGISTRANTS = ["member", "partner"]
NOT_MANAGERS = [role for role in ROLES_LOGGED_IN if role not in MANAGERS]

EXPECTED: dict[str, tuple[str, Expectation]] = {
    "meetings:meeting_list": ("get", everyone(200)),
    "meetings:meeting_detail": ("get", everyone(200)),
    "meetings:meeting_ics": ("get", everyone(200)),
    "meetings:calendar_feed": ("get", everyone(200)),
    "meetings:meeting_create": ("get", only(GROUP_MANAGERS)),
    "meetings:meeting_edit": ("get", only(GROUP_MANAGERS)),
    "meetings:meeting_copy": ("get", only(GROUP_MANAGERS)),
    "meetings:meeting_cancel": ("get", only(GROUP_MANAGERS)),
    "meetings:meeting_held": ("post", only(GROUP_MANAGERS, status=302)),
    "meetings:invite": ("get", only(GROUP_MANAGERS)),
    "meetings:attendance": ("get", only(GROUP_MANAGERS)),
    "meetings:attendance_counts": ("get", only(GROUP_MANAGERS)),
    "meetings:register": ("post", only(REGISTRANTS, status=302)),
    "meetings:unregister": ("post", only(REGISTRANTS, status=302)),
    "meetings:network_feeds": ("get", only(GROUP_MANAGERS)),
    # Looked up through calendar_feed_policy: a feed one may not change is not found.
    "meetings:feed_revoke": (
        "post",
        {**only(MANAGERS, status=302), **dict.fromkeys(NOT_MANAGERS, 404)},
    ),
    "meetings:my_calendar": ("get", LOGGED_IN_ONLY),
}


def build_objects(base: dict[str, Any]) -> dict[str, Any]:
    # 09:00 Stockholm time, so the meeting is one day whatever the hour the tests run.
    day = timezone.localdate() + datetime.timedelta(days=30)
    starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    meeting = Meeting.objects.create(
        network=base["network"],
        title="Klimatträff",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=3),
        meeting_link="https://meet.example/hemlig",
    )
    meeting.groups.add(base["group"])
    feed = CalendarFeed.objects.create(network=base["network"])
    return {"meeting": meeting, "network_feed": feed}


def url_kwargs(name: str, objects: dict[str, Any]) -> dict[str, Any] | None:
    if not name.startswith("meetings:"):
        return None
    network, meeting = objects["network"], objects["meeting"]
    if name in {"meetings:meeting_list", "meetings:meeting_create", "meetings:network_feeds"}:
        return {"slug": network.slug}
    if name == "meetings:my_calendar":
        return {}
    if name == "meetings:calendar_feed":
        return {"token": objects["network_feed"].token}
    if name == "meetings:feed_revoke":
        return {"pk": objects["network_feed"].pk}
    return {"slug": network.slug, "pk": meeting.pk}
