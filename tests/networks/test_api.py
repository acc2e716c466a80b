"""The pickers' JSON endpoints answer with what the form would accept, and nothing more."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from navet.networks.models import Group, Network
from tests.factories import GroupMembershipFactory, PersonFactory, organisation

pytestmark = pytest.mark.django_db


def _labels(client: Client, name: str, network: Network, **params: str) -> list[str]:
    response = client.get(reverse(name, args=[network.slug]), params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return [row["label"] for row in response.json()["results"]]


def test_organisations_gö_finds_göteborg_and_götene_first(
    client_for: Callable[[str], Client], network: Network
) -> None:
    labels = _labels(
        client_for("network_coordinator"), "networks:picker_organisations", network, q="gö"
    )
    assert labels[:2] == ["Göteborg", "Götene"]  # names that begin with "gö", in Swedish order
    assert "Riket" not in labels
    assert len(labels) <= 20
    # The official name finds the organisation too; the short name is what is shown.
    assert _labels(
        client_for("network_coordinator"), "networks:picker_organisations", network, q="Borås Stad"
    ) == ["Borås"]


def test_organisations_follow_the_form_they_serve(
    client_for: Callable[[str], Client], network: Network
) -> None:
    client = client_for("network_coordinator")
    via = _labels(client, "networks:picker_organisations", network, q="gö", purpose="via")
    assert "Göteborg" not in via  # a member takes part via an association, never a municipality
    # New people only in the network's member organisations (Borås).
    assert _labels(client, "networks:picker_organisations", network, q="", purpose="person") == [
        "Borås"
    ]


def test_people_are_the_networks_own_only(
    client_for: Callable[[str], Client],
    network: Network,
    other_network: Network,
    group_klimat: Group,
) -> None:
    ours = PersonFactory(first_name="Göran", last_name="Åberg", organisation=organisation("1490"))
    GroupMembershipFactory(group=group_klimat, person=ours)
    theirs = PersonFactory(first_name="Göta", last_name="Öberg", organisation=organisation("1480"))
    GroupMembershipFactory(
        group=other_network.groups.create(name="Annan", slug="annan"), person=theirs
    )
    for role in ("network_coordinator", "group_coordinator", "admin"):
        labels = _labels(client_for(role), "networks:picker_people", network, q="gö")
        assert "Göran Åberg" in labels
        if role != "admin":
            assert "Göta Öberg" not in labels, role
    # The other network's coordinator asking with this network's slug is refused.
    assert (
        client_for("other_coordinator")
        .get(reverse("networks:picker_people", args=[network.slug]), {"q": "gö"})
        .status_code
        == 403
    )
    # ... and with their own network's slug sees only their own.
    labels = _labels(
        client_for("other_coordinator"), "networks:picker_people", other_network, q="gö"
    )
    assert "Göta Öberg" in labels
    assert "Göran Åberg" not in labels


def test_people_search_by_first_and_last_name(
    client_for: Callable[[str], Client], network: Network, group_klimat: Group
) -> None:
    for first, last in [("Åsa", "Ödman"), ("Örjan", "Ågren"), ("Öde", "Berg"), ("Björn", "Lind")]:
        GroupMembershipFactory(
            group=group_klimat,
            person=PersonFactory(
                first_name=first, last_name=last, organisation=organisation("1490")
            ),
        )
    client = client_for("network_coordinator")
    assert _labels(client, "networks:picker_people", network, q="örjan åg") == ["Örjan Ågren"]
    # Names that begin with "ö" first, by last name in Swedish order (B, Å, Ö); then the rest.
    labels = _labels(client, "networks:picker_people", network, q="ö")
    assert labels[:3] == ["Öde Berg", "Örjan Ågren", "Åsa Ödman"]
    assert "Björn Lind" in labels[3:]


@pytest.mark.parametrize("role", ["member", "partner", "outsider"])
def test_others_are_refused(
    client_for: Callable[[str], Client], network: Network, role: str
) -> None:
    for name in ("networks:picker_organisations", "networks:picker_people"):
        response = client_for(role).get(reverse(name, args=[network.slug]), {"q": "a"})
        assert response.status_code == 403
    response = Client().get(reverse("networks:picker_people", args=[network.slug]))
    assert response.status_code == 302


def test_the_forms_render_a_plain_select_marked_for_the_picker(
    client_for: Callable[[str], Client], network: Network, group_klimat: Group
) -> None:
    client = client_for("network_coordinator")
    html = client.get(reverse("networks:membership_add", args=[network.slug])).content.decode()
    assert 'data-picker="organisations"' in html
    assert f'data-picker-organisations="/networks/{network.slug}/api/organisations/"' in html
    assert "js/picker.js" in html
    assert "<option" in html  # without JavaScript the select still works
    html = client.get(
        reverse("networks:group_member_add", args=[network.slug, group_klimat.slug])
    ).content.decode()
    assert 'data-picker="people"' in html
