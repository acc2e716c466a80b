"""Issue 10 for the plan and report: cancelled meetings' titles for coordinators only, choice
lists and look-ups scoped to the network, the page's styles in a static stylesheet."""

import datetime
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from navet.meetings.models import Meeting, PlannedActivity
from navet.networks.models import Network
from navet.reports.permissions import planned_activity_policy
from navet.reports.selectors import plan_outcome
from tests.factories import GroupFactory
from tests.reports.conftest import make_meeting

pytestmark = pytest.mark.django_db
YEAR = 2022


@pytest.fixture(autouse=True)
def english(settings: Any) -> Iterator[None]:
    """These tests read messages by their English ids."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


SECRET_TITLE = "Hemlig omorganisation"


@pytest.fixture
def cancelled_activity(network: Network) -> PlannedActivity:
    meeting = make_meeting(
        network, SECRET_TITLE, datetime.date(2022, 11, 8), status=Meeting.Status.CANCELLED
    )
    return PlannedActivity.objects.create(
        network=network, year=YEAR, planned_month=11, theme="Höstträff", meeting=meeting
    )


@pytest.mark.parametrize(
    ("role", "sees_title"),
    [
        ("anonymous", False),
        ("member", False),
        ("partner", False),
        ("group_coordinator", False),
        ("other_coordinator", False),
        ("network_coordinator", True),
        ("admin", True),
    ],
)
def test_a_cancelled_meetings_title_is_for_coordinators_only(
    network: Network,
    cancelled_activity: PlannedActivity,
    client_for: Callable[[str], Client],
    role: str,
    sees_title: bool,
) -> None:
    html = client_for(role).get(reverse("reports:plan", args=[network.slug, YEAR])).content
    content = html.decode()
    assert "Höstträff" in content
    assert "outcome-cancelled" in content
    assert (SECRET_TITLE in content) == sees_title
    assert ("A cancelled meeting" in content) != sees_title


def test_the_annual_report_hides_the_title_too(
    network: Network, cancelled_activity: PlannedActivity, client_for: Callable[[str], Client]
) -> None:
    url = reverse("reports:annual_report", args=[network.slug, YEAR])
    assert SECRET_TITLE not in client_for("member").get(url).content.decode()
    assert SECRET_TITLE in client_for("network_coordinator").get(url).content.decode()
    # The selector's default is the safe one.
    (item,) = plan_outcome(network=network, year=YEAR).activities
    assert item.meeting is None and item.meeting_hidden


def test_a_foreign_meeting_or_group_is_refused_in_the_activity_form(
    network: Network,
    other_network: Network,
    client_for: Callable[[str], Client],
    roles: dict[str, Any],
) -> None:
    theirs = make_meeting(other_network, "Deras möte", datetime.date(2022, 4, 7))
    their_group = GroupFactory(network=other_network, name="Deras grupp", slug="deras-grupp")
    url = reverse("reports:activity_add", args=[network.slug, YEAR])
    client = client_for("network_coordinator")
    page = client.get(url).content.decode()
    assert "Deras möte" not in page and "Deras grupp" not in page
    for field, value in (("meeting", theirs.pk), ("group", their_group.pk)):
        response = client.post(url, {"theme": "Dialog", "planned_month": "4", field: value})
        assert response.status_code == 200
        form = response.context["form"]
        assert form.errors.as_data()[field][0].code == "invalid_choice"
        assert 'value="Dialog"' in response.content.decode()
    assert not PlannedActivity.objects.exists()


def test_another_networks_activity_is_not_found(
    network: Network,
    other_network: Network,
    client_for: Callable[[str], Client],
    roles: dict[str, Any],
) -> None:
    theirs = PlannedActivity.objects.create(
        network=other_network, year=YEAR, planned_month=3, theme="Deras"
    )
    client = client_for("network_coordinator")
    edit = reverse("reports:activity_edit", args=[network.slug, theirs.pk])
    delete = reverse("reports:activity_delete", args=[network.slug, theirs.pk])
    assert client.get(edit).status_code == 404
    assert client.post(edit, {"theme": "Kapad", "planned_month": "3"}).status_code == 404
    assert client.post(delete).status_code == 404
    assert PlannedActivity.objects.get(pk=theirs.pk).theme == "Deras"


def test_planned_activity_policy(
    network: Network, other_network: Network, roles: dict[str, Any]
) -> None:
    mine = PlannedActivity.objects.create(network=network, year=YEAR, planned_month=1, theme="A")
    theirs = PlannedActivity.objects.create(
        network=other_network, year=YEAR, planned_month=1, theme="B"
    )

    def activities(role: str, action: str) -> set[PlannedActivity]:
        return set(planned_activity_policy.instances_user_has_permission_for(roles[role], action))

    assert activities("anonymous", "view") == {mine, theirs}  # the plan is public
    assert activities("network_coordinator", "change") == {mine}
    assert activities("other_coordinator", "change") == {theirs}
    assert activities("group_coordinator", "change") == set()
    assert activities("member", "change") == set()
    assert activities("admin", "change") == {mine, theirs}


def test_the_pages_link_a_static_stylesheet_and_carry_no_inline_style(
    network: Network, client_for: Callable[[str], Client], roles: dict[str, Any]
) -> None:
    client = client_for("network_coordinator")
    for name in ("reports:plan", "reports:annual_report"):
        html = client.get(reverse(name, args=[network.slug, YEAR])).content.decode()
        assert "/static/css/reports.css" in html
        assert "<style" not in html
        assert " style=" not in html


@pytest.mark.parametrize(
    ("name", "year"),
    [
        ("reports:annual_report", 1800),
        ("reports:annual_report", 1999),
        ("reports:annual_report_pdf", 2101),
        ("reports:annual_report_docx", 99999),
        ("reports:plan", 3000),
        ("reports:activity_add", 1999),
    ],
)
def test_year_out_of_range_gives_this_years_page_with_a_message(
    network: Network, client_for: Callable[[str], Client], name: str, year: int
) -> None:
    response = client_for("network_coordinator").get(
        reverse(name, args=[network.slug, year]), follow=True
    )
    assert response.status_code == 200
    this_year = timezone.localdate().year
    target = (
        "reports:plan"
        if name in {"reports:plan", "reports:activity_add"}
        else "reports:annual_report"
    )
    assert response.redirect_chain[-1][0] == reverse(target, args=[network.slug, this_year])
    html = response.content.decode()
    assert f"not {year}; showing {this_year} instead" in html


@pytest.mark.parametrize("year", [2000, 2100])
def test_first_and_last_year_are_shown(
    network: Network, client_for: Callable[[str], Client], year: int
) -> None:
    client = client_for("network_coordinator")
    for name in ("reports:plan", "reports:annual_report"):
        response = client.get(reverse(name, args=[network.slug, year]))
        assert response.status_code == 200
        assert str(year) in response.content.decode()
