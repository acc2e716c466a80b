"""Every network is its own house, for indicators: import runs are seen by the network they
were started for, imports hold values of the network's own members, choice lists offer only
what the policies allow, and an organisation's targets are its own (joining a network does not
let the network's coordinators change them)."""

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from navet.accounts.models import User
from navet.indicators.models import ImportRun, Indicator, Target, Value
from navet.indicators.runs import create_run
from navet.networks.models import Network, Person
from tests.factories import MembershipFactory, organisation

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]
ClientFor = Callable[[str], Client]


def _run(network: Network | None, name: str) -> ImportRun:
    return create_run(kind=ImportRun.Kind.KOLADA, parameters={"scope": name}, network=network)


@pytest.fixture
def runs(network: Network, other_network: Network) -> dict[str, ImportRun]:
    return {
        "own": _run(network, "RUN-OF-A"),
        "other": _run(other_network, "RUN-OF-B"),
        "platform": _run(None, "RUN-OF-PLATFORM"),
    }


# --- Import runs ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        ("admin", {"own", "other", "platform"}),
        ("network_coordinator", {"own"}),
        ("other_coordinator", {"other"}),
    ],
)
def test_the_run_list_shows_only_the_runs_of_networks_one_coordinates(
    client_for: ClientFor, runs: dict[str, ImportRun], role: str, visible: set[str]
) -> None:
    html = client_for(role).get(reverse("indicators:run_list")).content.decode()
    for key, run in runs.items():
        assert (run.get_absolute_url() in html) is (key in visible), (role, key)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("admin", {"own", "other", "platform"}),
        ("network_coordinator", {"own"}),
        ("other_coordinator", {"other"}),
    ],
)
@pytest.mark.parametrize("name", ["indicators:run_detail", "indicators:run_progress"])
def test_a_foreign_run_is_not_found(
    client_for: ClientFor,
    runs: dict[str, ImportRun],
    role: str,
    allowed: set[str],
    name: str,
) -> None:
    client = client_for(role)
    for key, run in runs.items():
        response = client.get(reverse(name, args=[run.pk]))
        assert response.status_code == (200 if key in allowed else 404), (role, key)


@pytest.mark.parametrize("role", ["group_coordinator", "member", "partner", "outsider"])
def test_people_who_do_not_import_see_no_run(
    client_for: ClientFor, runs: dict[str, ImportRun], role: str
) -> None:
    client = client_for(role)
    assert client.get(reverse("indicators:run_list")).status_code == 403
    assert client.get(reverse("indicators:run_detail", args=[runs["own"].pk])).status_code == 403


def test_the_run_shows_the_network_it_is_for(
    client_for: ClientFor, runs: dict[str, ImportRun]
) -> None:
    client = client_for("admin")
    assert "Hållbart Väst" in client.get(runs["own"].get_absolute_url()).content.decode()
    platform = client.get(runs["platform"].get_absolute_url()).content.decode()
    assert "the whole platform" in platform


# --- The sync form's choices ------------------------------------------------------------------


def _sync_post(municipalities: str) -> dict[str, Any]:
    return {
        "kpi_codes": "N00401",
        "municipalities": municipalities,
        "year_from": "2020",
        "year_to": "2021",
    }


def test_a_coordinator_is_offered_only_their_own_networks_members(
    client_for: ClientFor, network: Network, other_network: Network
) -> None:
    html = client_for("network_coordinator").get(reverse("indicators:sync_start")).content
    page = html.decode()
    assert f'value="network:{network.slug}"' in page
    assert f'value="network:{other_network.slug}"' not in page
    assert 'value="all"' not in page


@pytest.mark.parametrize("choice", ["all", "network:fairtrade-sverige", "network:nonexistent"])
def test_a_coordinator_cannot_post_another_scope(
    client_for: ClientFor, roles: dict[str, User | None], other_network: Network, choice: str
) -> None:
    MembershipFactory(network=other_network, organisation=organisation("1480"))
    response = client_for("network_coordinator").post(
        reverse("indicators:sync_start"), _sync_post(choice)
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_a_sync_is_recorded_for_its_network(
    client_for: ClientFor, network: Network, roles: dict[str, User | None]
) -> None:
    response = client_for("network_coordinator").post(
        reverse("indicators:sync_start"), _sync_post(f"network:{network.slug}")
    )
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert run.network == network


# --- File imports for a network ---------------------------------------------------------------

GOOD = "kpi;kommunkod;år;värde\nISO1;1490;2022;1,5\n"


@pytest.fixture
def indicator(db: None) -> Indicator:
    return Indicator.objects.create(code="ISO1", title="Mått", source=Indicator.Source.KOLADA)


def _upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("values.csv", text.encode(), content_type="text/csv")


def test_the_import_form_offers_only_the_coordinators_networks(
    client_for: ClientFor, network: Network, other_network: Network
) -> None:
    page = client_for("network_coordinator").get(reverse("indicators:file_import")).content
    html = page.decode()
    assert f'value="{network.pk}"' in html
    assert f'value="{other_network.pk}"' not in html
    assert "The whole platform" not in html


def test_an_import_for_another_network_is_refused(
    client_for: ClientFor, indicator: Indicator, other_network: Network
) -> None:
    response = client_for("network_coordinator").post(
        reverse("indicators:file_import"), {"file": _upload(GOOD), "network": other_network.pk}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Value.objects.exists() and not ImportRun.objects.exists()


def test_a_coordinator_must_name_the_network(client_for: ClientFor, indicator: Indicator) -> None:
    response = client_for("network_coordinator").post(
        reverse("indicators:file_import"), {"file": _upload(GOOD)}
    )
    assert "This field is required." in response.content.decode()
    assert not Value.objects.exists()


def test_values_of_organisations_outside_the_network_are_refused(
    client_for: ClientFor, indicator: Indicator, network: Network
) -> None:
    text = f"{GOOD}ISO1;1480;2022;2\n"  # Göteborg is not a member of Hållbart Väst
    response = client_for("network_coordinator").post(
        reverse("indicators:file_import"), {"file": _upload(text), "network": network.pk}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "<td>3</td><td>The organisation “1480” is not a member of Hållbart Väst" in html
    assert not Value.objects.exists()  # not even Borås's good row


def test_another_networks_own_indicator_is_refused(
    client_for: ClientFor, network: Network, other_network: Network
) -> None:
    Indicator.objects.create(code="THEIRS", title="Deras", source="own", network=other_network)
    Indicator.objects.create(code="OURS", title="Vårt", source="own", network=network)
    text = "kpi;kommunkod;år;värde\nOURS;1490;2022;1\nTHEIRS;1490;2022;1\n"
    response = client_for("network_coordinator").post(
        reverse("indicators:file_import"), {"file": _upload(text), "network": network.pk}
    )
    assert "<td>3</td><td>The indicator “THEIRS” belongs to another network." in (
        response.content.decode()
    )
    assert not Value.objects.exists()


def test_an_admin_imports_for_the_whole_platform(
    client_for: ClientFor, indicator: Indicator
) -> None:
    text = f"{GOOD}ISO1;1480;2022;2\n"
    response = client_for("admin").post(
        reverse("indicators:file_import"), {"file": _upload(text), "network": ""}
    )
    assert response.status_code == 302
    assert Value.objects.count() == 2
    assert ImportRun.objects.get().network is None


# --- Targets: joining is consented ------------------------------------------------------------


@pytest.fixture
def target(roles: dict[str, User | None]) -> Target:
    indicator = Indicator.objects.create(code="ISO-T", title="Matsvinn", source="own")
    return Target.objects.create(
        organisation=organisation("1490"), indicator=indicator, target_value=40
    )


def _target_urls(target: Target) -> list[str]:
    pk = target.organisation_id
    return [
        reverse("indicators:target_add", args=[pk]),
        reverse("indicators:target_edit", args=[pk, target.pk]),
        reverse("indicators:target_delete", args=[pk, target.pk]),
    ]


def _changed_target(target: Target) -> dict[str, Any]:
    return {
        "indicator": target.indicator_id,
        "target_year": "2035",
        "target_value": "1",
        "desired_state": "Ändrad av fel person.",
    }


@pytest.mark.parametrize(
    "role", ["network_coordinator", "other_coordinator", "group_coordinator", "partner", "outsider"]
)
def test_those_outside_the_organisation_change_no_target(
    client_for: ClientFor, target: Target, role: str
) -> None:
    """The network coordinator coordinates a network Borås is a member of: still refused."""
    client = client_for(role)
    for url in _target_urls(target):
        assert client.get(url).status_code == 403, (role, url)
        assert client.post(url, _changed_target(target)).status_code == 403, (role, url)
    saved = Target.objects.get()
    assert (saved.pk, saved.target_value, saved.target_year) == (target.pk, 40, 2030)
    assert "Ändrad" not in saved.desired_state


def test_the_followup_page_offers_editing_only_to_editors(
    client_for: ClientFor, target: Target
) -> None:
    url = reverse("indicators:followup", args=[target.organisation_id])
    add = reverse("indicators:target_add", args=[target.organisation_id])
    assert add not in client_for("network_coordinator").get(url).content.decode()
    assert add in client_for("member").get(url).content.decode()
    assert client_for("anonymous").get(url).status_code == 200  # the table itself is public


@pytest.mark.parametrize("role", ["member", "admin"])
def test_the_organisations_strategist_and_admins_change_targets(
    client_for: ClientFor, target: Target, role: str
) -> None:
    edit = reverse("indicators:target_edit", args=[target.organisation_id, target.pk])
    response = client_for(role).post(edit, _changed_target(target))
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.target_year, target.target_value) == (2035, 1)


def test_a_member_without_a_strategic_role_changes_nothing(
    client_for: ClientFor, roles: dict[str, User | None], target: Target
) -> None:
    Person.objects.filter(user=roles["member"]).update(role_category=Person.RoleCategory.OTHER)
    client = client_for("member")
    for url in _target_urls(target):
        assert client.post(url, _changed_target(target)).status_code == 403
    assert Target.objects.get().target_value == 40


def test_another_organisations_target_is_not_found_through_ones_own(
    client_for: ClientFor, target: Target
) -> None:
    """The member may edit Borås's targets; Lerum's target id under Borås is not found."""
    lerum = Target.objects.create(
        organisation=organisation("1441"), indicator=target.indicator, target_value=7
    )
    client = client_for("member")
    for name in ("indicators:target_edit", "indicators:target_delete"):
        url = reverse(name, args=[target.organisation_id, lerum.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, _changed_target(target)).status_code == 404
    lerum.refresh_from_db()
    assert lerum.target_value == 7


def test_a_coordinator_edits_their_own_organisations_targets(
    client_for: ClientFor, roles: dict[str, User | None]
) -> None:
    region = organisation("14")  # the network coordinator's own organisation
    indicator = Indicator.objects.create(code="ISO-R", title="Regionens mått", source="own")
    target = Target.objects.create(organisation=region, indicator=indicator, target_value=3)
    response = client_for("network_coordinator").post(
        reverse("indicators:target_edit", args=[region.pk, target.pk]), _changed_target(target)
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.target_value == 1
