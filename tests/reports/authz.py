"""Authorisation expectations for the reports app's URLs (see tests/authz.py).

The annual plan is public; changing it is for the network's coordinators. The annual report
lists members and draws on named attendance, so only members and coordinators (of the network
or of one of its groups) read it, in every format.
"""

import datetime
from typing import Any

from navet.meetings.models import PlannedActivity
from tests.authz import MANAGERS, PEOPLE_VIEWERS, Expectation, everyone, only

YEAR = 2022

EXPECTED: dict[str, tuple[str, Expectation]] = {
    "reports:plan": ("get", everyone(200)),
    "reports:plan_latest": ("get", everyone(302)),
    "reports:report_latest": ("get", only(PEOPLE_VIEWERS, status=302)),
    "reports:activity_add": ("get", only(MANAGERS)),
    "reports:activity_edit": ("get", only(MANAGERS)),
    "reports:activity_delete": ("get", only(MANAGERS)),
    "reports:annual_report": ("get", only(PEOPLE_VIEWERS)),
    "reports:annual_report_pdf": ("get", only(PEOPLE_VIEWERS)),
    "reports:annual_report_docx": ("get", only(PEOPLE_VIEWERS)),
}


def build_objects(base: dict[str, Any]) -> dict[str, Any]:
    activity = PlannedActivity.objects.create(
        network=base["network"],
        year=YEAR,
        planned_date=datetime.date(YEAR, 4, 7),
        planned_month=4,
        theme="Medborgardialog",
    )
    return {"planned_activity": activity}


def url_kwargs(name: str, objects: dict[str, Any]) -> dict[str, Any] | None:
    if not name.startswith("reports:"):
        return None
    slug = objects["network"].slug
    if name in {"reports:plan_latest", "reports:report_latest"}:
        return {"slug": slug}
    if name in {"reports:activity_edit", "reports:activity_delete"}:
        return {"slug": slug, "pk": objects["planned_activity"].pk}
    return {"slug": slug, "year": YEAR}
