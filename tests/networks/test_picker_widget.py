"""Long choice lists are not sent whole: the picker fetches them, the form still validates."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from navet.networks.forms import PickerSelect
from navet.networks.models import GroupMembership, Network
from tests.factories import PersonFactory, organisation

pytestmark = pytest.mark.django_db


def test_a_long_list_sends_only_the_chosen_option_and_still_accepts_any_allowed_one(
    network: Network,
    client_for: Callable[[str], Client],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    people = [
        PersonFactory(organisation=organisation("1490"), registered_by_network=network)
        for _ in range(3)
    ]
    client = client_for("network_coordinator")
    url = reverse("networks:group_member_add", args=[network.slug, "klimat"])
    full = client.get(url).content.decode()
    assert all(f'value="{p.pk}"' in full for p in people)

    monkeypatch.setattr(PickerSelect, "INLINE_LIMIT", 1)
    light = client.get(url).content.decode()
    assert not any(f'value="{p.pk}"' in light for p in people)
    assert 'data-picker="people"' in light

    # A person offered by the endpoint but not in the page is accepted; a stranger is not.
    chosen = people[-1]
    stranger = PersonFactory(organisation=organisation("1490"))
    refused = client.post(
        url, {"person": stranger.pk, "role": "participant", "start_date": "2025-01-01"}
    )
    assert refused.status_code == 200
    assert not GroupMembership.objects.filter(person=stranger).exists()
    kept = client.post(
        url, {"person": chosen.pk, "role": "participant", "start_date": "2025-01-01"}
    )
    assert kept.status_code == 302
    assert GroupMembership.objects.filter(person=chosen, group__slug="klimat").exists()


def test_the_chosen_option_stays_in_a_long_list_after_an_error(
    network: Network,
    client_for: Callable[[str], Client],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    chosen = PersonFactory(organisation=organisation("1490"), registered_by_network=network)
    monkeypatch.setattr(PickerSelect, "INLINE_LIMIT", 1)
    client = client_for("network_coordinator")
    url = reverse("networks:group_member_add", args=[network.slug, "klimat"])
    page = client.post(url, {"person": chosen.pk, "role": "participant", "start_date": "igår"})
    body = page.content.decode()
    assert page.status_code == 200
    assert f'value="{chosen.pk}" selected' in body  # what the user chose is kept
