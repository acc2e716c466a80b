"""The demo's Uthållig kommun network shows seeds/003's table 2 on its hours page."""

import pytest
from django.test import Client

from navet.accounts.models import User
from navet.demo.hours import load_demo_hours
from navet.demo.loader import ADMIN_EMAIL, load_demo
from navet.hours.models import Allocation
from navet.hours.selectors import allocation_span, cluster_table
from navet.networks.models import Network

TABLE_2 = {
    "Övre Norrland": (5, "10,00", "280,00"),
    "Dalarna-Gävleborg": (8, "6,25", "175,00"),
    "Värmland-Bergslagen": (6, "8,33", "233,33"),
    "Västra Götaland": (9, "5,56", "155,56"),
    "Mälardalen": (9, "5,56", "155,56"),
    "Sydost (Småland-Blekinge-Gotland)": (6, "8,33", "233,33"),
}


@pytest.mark.django_db
def test_demo_hours_show_table_2(client: Client) -> None:
    assert load_demo() is True  # loads the hours too (loader._load_demo_finance)
    assert load_demo_hours() is False  # idempotent
    network = Network.objects.get(slug="uthallig-kommun")
    span = allocation_span(network=network)
    assert span is not None
    rows = {
        row.group.name: row for row in cluster_table(network=network, start=span[0], end=span[1])
    }
    assert rows["Storstad"].has_allocation is False
    sizes = {name: row.municipalities for name, row in rows.items() if row.has_allocation}
    assert sizes == {
        "Övre Norrland": 5,
        "Dalarna-Gävleborg": 8,
        "Värmland-Bergslagen": 6,
        "Västra Götaland": 9,
        "Mälardalen": 9,
        "Sydost (Småland-Blekinge-Gotland)": 6,
    }
    assert Allocation.objects.filter(network=network).count() == 7

    client.force_login(User.objects.get(email=ADMIN_EMAIL))
    page = client.get(
        "/networks/uthallig-kommun/hours/", HTTP_ACCEPT_LANGUAGE="sv"
    ).content.decode()
    for per_month, per_period in {(v[1], v[2]) for v in TABLE_2.values()}:
        assert f">{per_month}<" in page and f">{per_period}<" in page
    assert "n/a" in page or "ej tillämpligt" in page
