"""The annual plan: the outcome rule, its selector, the services and the pages."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from navet.core.models import AuditEntry
from navet.meetings.models import Meeting, PlannedActivity
from navet.networks.models import Network
from navet.reports import services
from navet.reports.selectors import Outcome, activity_outcome, plan_outcome
from tests.reports.conftest import make_meeting

pytestmark = pytest.mark.django_db
YEAR = 2022


def plan(network: Network, theme: str, **fields: Any) -> PlannedActivity:
    fields.setdefault("year", YEAR)
    return PlannedActivity.objects.create(network=network, theme=theme, **fields)


def outcomes(network: Network, year: int = YEAR) -> dict[str, Outcome]:
    return {
        item.activity.theme: item.outcome
        for item in plan_outcome(network=network, year=year).activities
    }


def test_held_on_the_planned_date_or_in_the_planned_month(network: Network) -> None:
    on_date = make_meeting(network, "A", datetime.date(2022, 4, 7))
    in_month = make_meeting(network, "B", datetime.date(2022, 5, 18))
    same_month_other_day = make_meeting(network, "C", datetime.date(2022, 3, 28))
    any_time = make_meeting(network, "D", datetime.date(2022, 8, 1))
    plan(network, "on date", planned_date=datetime.date(2022, 4, 7), meeting=on_date)
    plan(network, "in month", planned_month=5, meeting=in_month)
    plan(
        network, "same month", planned_date=datetime.date(2022, 3, 15), meeting=same_month_other_day
    )
    plan(network, "any time", meeting=any_time)
    assert outcomes(network) == {
        "on date": Outcome.HELD,
        "in month": Outcome.HELD,
        "same month": Outcome.HELD,
        "any time": Outcome.HELD,
    }


def test_moved_when_held_in_another_month(network: Network) -> None:
    later = make_meeting(network, "A", datetime.date(2022, 10, 5))
    earlier = make_meeting(network, "B", datetime.date(2022, 2, 28))
    plan(network, "planned September", planned_month=9, meeting=later)
    plan(network, "planned 1 March", planned_date=datetime.date(2022, 3, 1), meeting=earlier)
    assert outcomes(network) == {
        "planned September": Outcome.MOVED,
        "planned 1 March": Outcome.MOVED,
    }


def test_cancelled_when_the_linked_meeting_was_cancelled(network: Network) -> None:
    cancelled = make_meeting(
        network, "A", datetime.date(2022, 11, 10), status=Meeting.Status.CANCELLED
    )
    plan(network, "November", planned_month=11, meeting=cancelled)
    assert outcomes(network) == {"November": Outcome.CANCELLED}


def test_not_held_and_not_held_yet_without_a_meeting(network: Network) -> None:
    next_year = timezone.localdate().year + 1
    plan(network, "past", planned_month=2)
    plan(network, "future", planned_month=2, year=next_year)
    plan(
        network,
        "scheduled",
        planned_month=2,
        meeting=make_meeting(
            network, "Planned", datetime.date(2022, 2, 3), status=Meeting.Status.PLANNED
        ),
    )
    assert outcomes(network) == {"past": Outcome.NOT_HELD, "scheduled": Outcome.NOT_HELD_YET}
    assert outcomes(network, next_year) == {"future": Outcome.NOT_HELD_YET}


@pytest.mark.parametrize(
    ("fields", "today", "expected"),
    [
        ({"planned_month": 6}, datetime.date(2022, 6, 30), Outcome.NOT_HELD_YET),
        ({"planned_month": 6}, datetime.date(2022, 7, 1), Outcome.NOT_HELD),
        (
            {"planned_date": datetime.date(2022, 6, 10)},
            datetime.date(2022, 6, 10),
            Outcome.NOT_HELD_YET,
        ),
        (
            {"planned_date": datetime.date(2022, 6, 10)},
            datetime.date(2022, 6, 11),
            Outcome.NOT_HELD,
        ),
        ({}, datetime.date(2022, 12, 31), Outcome.NOT_HELD_YET),
        ({}, datetime.date(2023, 1, 1), Outcome.NOT_HELD),
    ],
)
def test_not_held_turns_once_the_planned_time_has_passed(
    fields: dict[str, Any], today: datetime.date, expected: Outcome
) -> None:
    activity = PlannedActivity(year=YEAR, theme="x", **fields)
    assert activity_outcome(activity, today) == expected


def test_unplanned_meetings_are_the_held_ones_without_an_activity(network: Network) -> None:
    planned = make_meeting(network, "Planned one", datetime.date(2022, 3, 1))
    plan(network, "x", planned_month=3, meeting=planned)
    make_meeting(network, "Unplanned one", datetime.date(2022, 6, 1))
    make_meeting(network, "Cancelled", datetime.date(2022, 6, 2), status=Meeting.Status.CANCELLED)
    make_meeting(network, "Last year", datetime.date(2021, 6, 2))
    result = plan_outcome(network=network, year=YEAR)
    assert [m.title for m in result.unplanned] == ["Unplanned one"]
    assert result.counts == [(str(Outcome.HELD.label), 1)]


def test_plan_is_in_calendar_order(network: Network) -> None:
    plan(network, "month only March", planned_month=3)
    plan(network, "1 March", planned_date=datetime.date(2022, 3, 1))
    plan(network, "no time")
    plan(network, "January", planned_month=1)
    themes = [item.activity.theme for item in plan_outcome(network=network, year=YEAR).activities]
    assert themes == ["January", "1 March", "month only March", "no time"]


# Services


def test_activity_add_saves_and_audits(network: Network) -> None:
    meeting = make_meeting(network, "A", datetime.date(2022, 4, 7))
    group = network.groups.get(slug="klimat")
    activity = services.activity_add(
        actor=None,
        network=network,
        year=YEAR,
        theme=" Medborgardialog ",
        group=group,
        planned_date=datetime.date(2022, 4, 7),
        meeting=meeting,
    )
    assert (activity.theme, activity.planned_month, activity.meeting) == (
        "Medborgardialog",
        4,
        meeting,
    )
    entry = AuditEntry.objects.get(action="planned_activity.added")
    assert entry.object_id == str(activity.pk)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"theme": "  "}, "theme"),
        ({"planned_month": None}, "planned_date"),
        ({"planned_date": datetime.date(2021, 5, 1), "planned_month": None}, "planned_date"),
        ({"planned_month": 13}, "planned_month"),
        ({"planned_date": datetime.date(2022, 5, 1), "planned_month": 6}, "planned_month"),
    ],
)
def test_activity_add_refuses_bad_input(
    network: Network, fields: dict[str, Any], field: str
) -> None:
    data: dict[str, Any] = {"theme": "Tema", "planned_month": 5, **fields}
    with pytest.raises(services.ValidationError) as error:
        services.activity_add(actor=None, network=network, year=YEAR, **data)
    assert field in error.value.error_dict
    assert not PlannedActivity.objects.exists()
    assert not AuditEntry.objects.exists()


def test_activity_meeting_must_be_the_networks_that_year_and_free(
    network: Network, other_network: Network
) -> None:
    other = make_meeting(other_network, "Other", datetime.date(2022, 4, 1))
    last_year = make_meeting(network, "Last year", datetime.date(2021, 4, 1))
    taken = make_meeting(network, "Taken", datetime.date(2022, 4, 1))
    plan(network, "First", planned_month=4, meeting=taken)
    for meeting in (other, last_year, taken):
        with pytest.raises(services.ValidationError) as error:
            services.activity_add(
                actor=None, network=network, year=YEAR, theme="T", planned_month=4, meeting=meeting
            )
        assert "meeting" in error.value.error_dict
    group = other_network.groups.create(name="G", slug="g")
    with pytest.raises(services.ValidationError) as error:
        services.activity_add(
            actor=None, network=network, year=YEAR, theme="T", planned_month=4, group=group
        )
    assert "group" in error.value.error_dict
    assert PlannedActivity.objects.count() == 1


def test_activity_update_may_keep_its_own_meeting_and_delete_audits(network: Network) -> None:
    meeting = make_meeting(network, "A", datetime.date(2022, 4, 7))
    activity = plan(network, "Old", planned_month=4, meeting=meeting)
    services.activity_update(
        actor=None,
        activity=activity,
        theme="New",
        group=None,
        planned_date=None,
        planned_month=5,
        meeting=meeting,
    )
    activity.refresh_from_db()
    assert (activity.theme, activity.planned_month) == ("New", 5)
    services.activity_delete(actor=None, activity=activity)
    assert not PlannedActivity.objects.exists()
    assert Meeting.objects.filter(pk=meeting.pk).exists()
    assert set(AuditEntry.objects.values_list("action", flat=True)) == {
        "planned_activity.changed",
        "planned_activity.deleted",
    }


# Pages


def test_plan_page_is_public_and_shows_outcomes(
    network: Network, client_for: Callable[[str], Client]
) -> None:
    meeting = make_meeting(network, "Medborgardialog", datetime.date(2022, 10, 5))
    plan(network, "Dialog i september", planned_month=9, meeting=meeting)
    make_meeting(network, "Oplanerat möte", datetime.date(2022, 6, 1))
    response = client_for("anonymous").get(reverse("reports:plan", args=[network.slug, YEAR]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Dialog i september" in content
    assert "outcome-moved" in content
    assert "Oplanerat möte" in content
    assert reverse("reports:activity_add", args=[network.slug, YEAR]) not in content


def test_coordinator_adds_an_activity(
    network: Network, client_for: Callable[[str], Client], roles: dict[str, Any]
) -> None:
    meeting = make_meeting(network, "Medborgardialog", datetime.date(2022, 4, 7))
    group = network.groups.get(slug="klimat")
    url = reverse("reports:activity_add", args=[network.slug, YEAR])
    client = client_for("network_coordinator")
    page = client.get(url)
    assert "Medborgardialog (2022-04-07)" in page.content.decode()
    response = client.post(
        url,
        {"theme": "Dialog", "group": group.pk, "planned_month": "4", "meeting": meeting.pk},
    )
    assert response.status_code == 302
    activity = PlannedActivity.objects.get()
    assert (activity.theme, activity.group, activity.meeting) == ("Dialog", group, meeting)


def test_bad_input_keeps_what_was_typed(
    network: Network, client_for: Callable[[str], Client], roles: dict[str, Any]
) -> None:
    url = reverse("reports:activity_add", args=[network.slug, YEAR])
    response = client_for("network_coordinator").post(
        url, {"theme": "Mitt tema", "planned_date": "2021-03-01"}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert 'value="Mitt tema"' in content
    assert 'value="2021-03-01"' in content
    assert "form-errors" in content or 'class="error"' in content
    assert not PlannedActivity.objects.exists()


def test_edit_and_delete_through_the_pages(
    network: Network, client_for: Callable[[str], Client], roles: dict[str, Any]
) -> None:
    activity = plan(network, "Old", planned_date=datetime.date(2022, 3, 1))
    client = client_for("network_coordinator")
    edit = reverse("reports:activity_edit", args=[network.slug, activity.pk])
    assert 'value="Old"' in client.get(edit).content.decode()
    response = client.post(edit, {"theme": "New", "planned_date": "2022-03-02"})
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.theme, activity.planned_date) == ("New", datetime.date(2022, 3, 2))
    delete = reverse("reports:activity_delete", args=[network.slug, activity.pk])
    assert client.post(delete).status_code == 302
    assert not PlannedActivity.objects.exists()
